import type { Store } from '@mle/core';
import { proportion, type Proportion } from '../stats/wilson-interval.js';

export interface CorpusSummary {
  missing: string | null;
  notebooks: number;
  ml: Proportion;
  withCompetition: Proportion;
  withReportedScore: Proportion;
  competitions: number;
  sources: number;
}

/** The corpus the experiments drew from: how many notebooks, and how many could be graded at all. */
export function loadCorpusSummary(store: Store, tables: ReadonlySet<string>): CorpusSummary {
  if (!tables.has('notebooks')) {
    return { missing: 'this database has no notebooks table', notebooks: 0, ml: proportion(0, 0), withCompetition: proportion(0, 0), withReportedScore: proportion(0, 0), competitions: 0, sources: 0 };
  }
  const row = store.db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(is_ml), 0) AS ml, COUNT(competition) AS competition, COUNT(reported_score) AS reported FROM notebooks`,
    )
    .get() as { n: number; ml: number; competition: number; reported: number };
  const count = (table: string) => (tables.has(table) ? (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n : 0);
  return {
    missing: row.n === 0 ? 'the notebooks table is empty: run `mle mine` first' : null,
    notebooks: row.n,
    ml: proportion(row.ml, row.n),
    withCompetition: proportion(row.competition, row.n),
    withReportedScore: proportion(row.reported, row.n),
    competitions: count('competitions'),
    sources: count('sources'),
  };
}
