import type { Store } from '@mle/core';
import { quantiles, type Quantiles } from '../stats/quantiles.js';
import { proportion, type Proportion } from '../stats/wilson-interval.js';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome } from './notebook-outcomes.js';
import { placeholders } from './store-tables.js';

export const FIX_SOURCES = ['rule', 'cache', 'llm'] as const;
export type FixSource = (typeof FIX_SOURCES)[number];
export const FIX_OUTCOMES = ['rescued', 'improved', 'no-change', 'rolled-back', 'not-applied'] as const;

/** A fix helped when it rescued the notebook or moved it closer (`improved`). */
const HELPED = new Set(['rescued', 'improved']);

export interface FixesPerNotebook {
  experiment: ExperimentInfo;
  /** Finished modernization loops (not `running`). */
  loops: number;
  /** Loops that started from a non-reproducible notebook with a reported score: the denominator of the rescue rate. */
  candidates: number;
  rescued: Proportion;
  /** Fixes the loop kept, per rescued notebook (the study: median 2, mean 3.87). */
  appliedPerRescued: Quantiles;
  /** Fixes the loop kept, per candidate. */
  appliedPerCandidate: Quantiles;
  /** Fix rows (every attempt, kept or rolled back). */
  tried: number;
  running: number;
}

export interface FixHistogramRow {
  experiment: ExperimentInfo;
  fixesApplied: number;
  group: 'rescued' | 'not rescued';
  notebooks: number;
}

export interface FixTypeRow {
  experiment: ExperimentInfo;
  source: FixSource;
  /** The fix type id; `(llm)` for LLM edits that name none. */
  fixType: string;
  fixCode: string | null;
  kind: string;
  tried: number;
  /** Fixes that rescued or improved the notebook, out of those tried. */
  helped: Proportion;
  rescued: number;
  rolledBack: number;
}

export interface FixSourceRow {
  experiment: ExperimentInfo;
  source: FixSource;
  tried: number;
  helped: Proportion;
  /** Rescued notebooks whose rescuing fix came from this source, out of all rescued notebooks. */
  rescuing: Proportion;
  outcomes: Record<(typeof FIX_OUTCOMES)[number], number>;
}

export interface FixData {
  missing: string | null;
  perNotebook: FixesPerNotebook[];
  histogram: FixHistogramRow[];
  perType: FixTypeRow[];
  perSource: FixSourceRow[];
}

interface FixRecord {
  modernizationId: number;
  experimentId: number;
  notebookId: number;
  step: number;
  source: string;
  fixTypeId: string | null;
  fixCode: string | null;
  kind: string;
  outcome: string;
}

function isSource(value: string): value is FixSource {
  return (FIX_SOURCES as readonly string[]).includes(value);
}

export function fixData(
  store: Store,
  experiments: readonly ExperimentInfo[],
  outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>,
  tables: ReadonlySet<string>,
  missing: string | null,
): FixData {
  const empty: FixData = { missing, perNotebook: [], histogram: [], perType: [], perSource: [] };
  if (missing || experiments.length === 0) return { ...empty, missing: missing ?? 'no experiments in this database' };
  const ids = experiments.map((e) => e.id);
  const fixes = tables.has('fixes')
    ? (store.db
        .prepare(
          `SELECT f.modernization_id AS modernizationId, m.experiment_id AS experimentId, m.notebook_id AS notebookId, f.step, f.source,
                  f.fix_type_id AS fixTypeId, f.fix_code AS fixCode, f.kind, f.outcome
           FROM fixes f JOIN modernizations m ON m.id = f.modernization_id
           WHERE m.experiment_id IN (${placeholders(ids.length)}) ORDER BY f.modernization_id, f.step`,
        )
        .all(...ids) as FixRecord[])
    : [];
  const result: FixData = { ...empty };
  for (const experiment of experiments) {
    const loops = [...(outcomes.get(experiment.id)?.values() ?? [])].filter((o) => o.modernization !== null);
    if (loops.length === 0) continue;
    const finished = loops.filter((o) => o.modernization!.status !== 'running');
    // As in the study, only notebooks with a reported score can be non-reproducible and rescued:
    // a clean run of one without a score (the loop's goal for it) shows no score reproducing.
    const candidates = finished.filter((o) => o.modernization!.status !== 'already-reproducible' && o.reportedScore !== null);
    const rescued = candidates.filter((o) => o.modernization!.status === 'rescued' && o.reproducible);
    const own = fixes.filter((f) => f.experimentId === experiment.id);
    result.perNotebook.push({
      experiment,
      loops: finished.length,
      candidates: candidates.length,
      rescued: proportion(rescued.length, candidates.length),
      appliedPerRescued: quantiles(rescued.map((o) => o.modernization!.fixesApplied)),
      appliedPerCandidate: quantiles(candidates.map((o) => o.modernization!.fixesApplied)),
      tried: own.length,
      running: loops.length - finished.length,
    });
    const bins = new Map<string, FixHistogramRow>();
    for (const o of candidates) {
      const group = o.modernization!.status === 'rescued' ? 'rescued' : 'not rescued';
      const key = `${group}:${o.modernization!.fixesApplied}`;
      const row = bins.get(key) ?? { experiment, fixesApplied: o.modernization!.fixesApplied, group, notebooks: 0 };
      row.notebooks++;
      bins.set(key, row);
    }
    result.histogram.push(...[...bins.values()].sort((a, b) => a.fixesApplied - b.fixesApplied || a.group.localeCompare(b.group)));

    const types = new Map<string, { source: FixSource; fixType: string; fixCode: string | null; kind: string; tried: number; helped: number; rescued: number; rolledBack: number }>();
    for (const fix of own) {
      if (!isSource(fix.source)) continue;
      const fixType = fix.fixTypeId ?? `(${fix.source})`;
      const key = `${fix.source}\u0000${fixType}\u0000${fix.fixCode ?? ''}\u0000${fix.kind}`;
      const row = types.get(key) ?? { source: fix.source, fixType, fixCode: fix.fixCode, kind: fix.kind, tried: 0, helped: 0, rescued: 0, rolledBack: 0 };
      row.tried++;
      if (HELPED.has(fix.outcome)) row.helped++;
      if (fix.outcome === 'rescued') row.rescued++;
      if (fix.outcome === 'rolled-back') row.rolledBack++;
      types.set(key, row);
    }
    result.perType.push(
      ...[...types.values()]
        .sort((a, b) => b.tried - a.tried || FIX_SOURCES.indexOf(a.source) - FIX_SOURCES.indexOf(b.source) || a.fixType.localeCompare(b.fixType) || a.kind.localeCompare(b.kind))
        .map(({ helped, ...row }) => ({ experiment, ...row, helped: proportion(helped, row.tried) })),
    );

    // The fix that rescued a notebook: the last `rescued` step of a rescued loop.
    const rescuedIds = new Set(rescued.map((o) => o.modernization!.id));
    const rescuer = new Map<number, FixSource>();
    for (const fix of own) if (fix.outcome === 'rescued' && rescuedIds.has(fix.modernizationId) && isSource(fix.source)) rescuer.set(fix.modernizationId, fix.source);
    for (const source of FIX_SOURCES) {
      const mine = own.filter((f) => f.source === source);
      const counts = Object.fromEntries(FIX_OUTCOMES.map((outcome) => [outcome, mine.filter((f) => f.outcome === outcome).length])) as FixSourceRow['outcomes'];
      const rescuing = [...rescuer.values()].filter((s) => s === source).length;
      result.perSource.push({ experiment, source, tried: mine.length, helped: proportion(mine.filter((f) => HELPED.has(f.outcome)).length, mine.length), rescuing: proportion(rescuing, rescued.length), outcomes: counts });
    }
  }
  if (result.perNotebook.length === 0) result.missing = 'no modernization loops in the selected experiments: run `mle modernize` first';
  return result;
}
