import { accuracy } from './accuracy.js';
import { f1Macro } from './f1-macro.js';
import { f1Micro } from './f1-micro.js';
import type { Grader, GraderOptions } from './grader.js';
import { logLoss } from './log-loss.js';
import { mae } from './mae.js';
import { mapAtK } from './map-at-k.js';
import { quadraticWeightedKappa } from './quadratic-weighted-kappa.js';
import { rmse } from './rmse.js';
import { rmsle } from './rmsle.js';
import { rocAuc } from './roc-auc.js';

/** The metrics mle grades without plugins. */
export const BUILTIN_GRADERS: readonly Grader[] = Object.freeze([accuracy, rocAuc, logLoss, rmse, rmsle, mae, f1Macro, f1Micro, quadraticWeightedKappa, mapAtK]);

// Other spellings people (and Kaggle pages) use for the same metrics, compared after
// lower-casing and dropping spaces, underscores and hyphens.
const ALIASES: Record<string, string> = {
  auc: 'roc-auc',
  rocauc: 'roc-auc',
  areaundercurve: 'roc-auc',
  logloss: 'log-loss',
  multiclassloss: 'log-loss',
  multiclasslogloss: 'log-loss',
  crossentropy: 'log-loss',
  categorizationaccuracy: 'accuracy',
  rootmeansquarederror: 'rmse',
  rootmeansquaredlogerror: 'rmsle',
  rootmeansquaredlogarithmicerror: 'rmsle',
  meanabsoluteerror: 'mae',
  f1macro: 'f1-macro',
  macrof1: 'f1-macro',
  macrofscore: 'f1-macro',
  f1micro: 'f1-micro',
  microf1: 'f1-micro',
  microfscore: 'f1-micro',
  qwk: 'quadratic-weighted-kappa',
  quadraticweightedkappa: 'quadratic-weighted-kappa',
  mapatk: 'map-at-k',
};

export interface ResolvedMetric {
  grader: Grader;
  /** Options implied by the name (`map@5` → `{ k: 5 }`), to be merged under explicit ones. */
  impliedOptions: GraderOptions;
}

/** Graders by id. Plugins register theirs; a competition's `metric` is looked up here. */
export class GraderRegistry {
  private readonly graders = new Map<string, Grader>();

  constructor(graders: Iterable<Grader> = BUILTIN_GRADERS) {
    for (const grader of graders) this.register(grader);
  }

  /** Add a grader; an id that is taken is an error, so a plugin cannot silently replace a metric. */
  register(grader: Grader): void {
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(grader.id)) throw new Error(`grader id '${grader.id}' must be kebab-case`);
    if (this.graders.has(grader.id)) throw new Error(`a grader with id '${grader.id}' is already registered`);
    this.graders.set(grader.id, grader);
  }

  get(id: string): Grader | undefined {
    return this.graders.get(id);
  }

  ids(): string[] {
    return [...this.graders.keys()].sort();
  }

  /** A grader by id or by a common spelling (`AUC`, `LogLoss`, `MAP@12`); undefined if unknown. */
  resolve(metric: string): ResolvedMetric | undefined {
    const exact = this.graders.get(metric);
    if (exact) return { grader: exact, impliedOptions: {} };
    const at = /^\s*map\s*@\s*(\d+)\s*$/i.exec(metric);
    if (at) {
      const grader = this.graders.get('map-at-k');
      return grader ? { grader, impliedOptions: { k: Number(at[1]) } } : undefined;
    }
    const key = metric.toLowerCase().replace(/[\s_-]+/g, '');
    const id = ALIASES[key] ?? [...this.graders.keys()].find((candidate) => candidate.replace(/-/g, '') === key);
    const grader = id === undefined ? undefined : this.graders.get(id);
    return grader ? { grader, impliedOptions: {} } : undefined;
  }
}

/** A registry of the built-in graders plus any extra ones (from plugins). */
export function createGraderRegistry(extra: Iterable<Grader> = []): GraderRegistry {
  const registry = new GraderRegistry();
  for (const grader of extra) registry.register(grader);
  return registry;
}
