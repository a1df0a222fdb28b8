import type { Store } from '@mle/core';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome, OutcomeStatus } from './notebook-outcomes.js';
import { placeholders } from './store-tables.js';

export interface NotebookCell {
  status: OutcomeStatus;
  reproducible: boolean;
  /** The executed notebook of the representative run, as stored (runs.output_path). */
  executedPath: string | null;
  /** The modernization's structural diff (modernizations.diff_path). */
  diffPath: string | null;
  fixesApplied: number | null;
  errorName: string | null;
}

export interface NotebookRow {
  notebookId: number;
  /** Where the notebook came from: its primary origin's path, or the origin key. */
  origin: string;
  competition: string | null;
  /** One entry per selected experiment, in report order; null where the experiment did not run the notebook. */
  cells: (NotebookCell | null)[];
}

/** One row per notebook any selected experiment ran, ordered by notebook id. */
export function notebookRows(store: Store, experiments: readonly ExperimentInfo[], outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>, tables: ReadonlySet<string>): NotebookRow[] {
  const ids = new Set<number>();
  for (const experiment of experiments) for (const id of outcomes.get(experiment.id)?.keys() ?? []) ids.add(id);
  if (ids.size === 0 || !tables.has('notebooks')) return [];
  const experimentIds = experiments.map((e) => e.id);
  const sources = [
    tables.has('runs') ? `SELECT notebook_id FROM runs WHERE experiment_id IN (${placeholders(experimentIds.length)})` : null,
    tables.has('modernizations') ? `SELECT notebook_id FROM modernizations WHERE experiment_id IN (${placeholders(experimentIds.length)})` : null,
  ].filter((s): s is string => s !== null);
  const hasOrigins = tables.has('origins');
  const info = store.db
    .prepare(
      `SELECT n.id, n.competition, ${hasOrigins ? 'COALESCE(o.path, o.origin_key)' : 'NULL'} AS origin FROM notebooks n
       ${hasOrigins ? 'LEFT JOIN origins o ON o.id = n.primary_origin_id' : ''}
       WHERE n.id IN (${sources.join(' UNION ')}) ORDER BY n.id`,
    )
    .all(...sources.flatMap(() => experimentIds)) as { id: number; competition: string | null; origin: string | null }[];
  return info.map((row) => ({
    notebookId: row.id,
    origin: row.origin ?? `notebook ${row.id}`,
    competition: row.competition,
    cells: experiments.map((experiment) => {
      const outcome = outcomes.get(experiment.id)?.get(row.id);
      if (!outcome) return null;
      return {
        status: outcome.status,
        reproducible: outcome.reproducible,
        executedPath: outcome.outputPath,
        diffPath: outcome.modernization?.diffPath ?? null,
        fixesApplied: outcome.modernization?.fixesApplied ?? null,
        errorName: outcome.errorName,
      };
    }),
  }));
}
