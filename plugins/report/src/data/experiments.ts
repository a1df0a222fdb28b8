import type { Store } from '@mle/core';

export const EXPERIMENT_KINDS = ['baseline', 'backport', 'modernize', 'adhoc'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

export interface ExperimentInfo {
  id: number;
  name: string;
  kind: ExperimentKind;
  startedAt: string;
  finishedAt: string | null;
}

/** An --experiment name that is not in the database. */
export class ExperimentNotFoundError extends Error {
  override name = 'ExperimentNotFoundError';
  constructor(
    readonly experiment: string,
    readonly known: readonly string[],
  ) {
    super(`no experiment named "${experiment}" in this database${known.length ? `; known: ${known.join(', ')}` : ' (it has no experiments yet)'}`);
  }
}

function kindRank(kind: string): number {
  const rank = (EXPERIMENT_KINDS as readonly string[]).indexOf(kind);
  return rank < 0 ? EXPERIMENT_KINDS.length : rank;
}

function isKind(kind: string): kind is ExperimentKind {
  return (EXPERIMENT_KINDS as readonly string[]).includes(kind);
}

/**
 * The experiments a report covers. Named ones come in the order the user named them (a
 * comparison reads left to right as asked); otherwise all of them, in the order of the study's
 * conditions (baseline, backport, modernize, ad hoc), then by creation.
 */
export function selectExperiments(store: Store, hasTable: boolean, names: readonly string[] = []): ExperimentInfo[] {
  if (!hasTable) {
    if (names.length > 0) throw new ExperimentNotFoundError(names[0]!, []);
    return [];
  }
  const rows = store.db.prepare('SELECT id, name, kind, started_at AS startedAt, finished_at AS finishedAt FROM experiments ORDER BY id').all() as {
    id: number;
    name: string;
    kind: string;
    startedAt: string;
    finishedAt: string | null;
  }[];
  const all: ExperimentInfo[] = rows.map((row) => ({ ...row, kind: isKind(row.kind) ? row.kind : 'adhoc' }));
  if (names.length === 0) return all.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.id - b.id);
  const byName = new Map(all.map((experiment) => [experiment.name, experiment]));
  const selected: ExperimentInfo[] = [];
  for (const name of names) {
    const experiment = byName.get(name);
    if (!experiment) throw new ExperimentNotFoundError(name, all.map((e) => e.name));
    if (!selected.includes(experiment)) selected.push(experiment);
  }
  return selected;
}
