import type { Store } from '@mle/core';
import { proportion, type Proportion } from '../stats/wilson-interval.js';

export interface FailureModeRow {
  failureMode: string;
  failureStep: string;
  kind: string;
  /** Failed environments with this mode, out of all failed environments. */
  share: Proportion;
  /** The first failure message (by id), one line. */
  example: string;
}

export interface EnvironmentData {
  missing: string | null;
  /** Environments by kind: total and failed share. */
  kinds: { kind: string; total: number; failed: Proportion; ready: number; removed: number }[];
  failed: Proportion;
  failureModes: FailureModeRow[];
  /** environment_events: how often a request built, reused or failed. */
  events: { action: string; count: number; cachedFailures: number; seconds: number }[];
}

/** Every environment in the database: environments are shared across experiments, so this section is not filtered by experiment. */
export function environmentData(store: Store, tables: ReadonlySet<string>): EnvironmentData {
  if (!tables.has('environments')) return { missing: 'this database has no environments table (it predates `mle env`)', kinds: [], failed: proportion(0, 0), failureModes: [], events: [] };
  const kinds = store.db
    .prepare(
      `SELECT kind, COUNT(*) AS total, SUM(status = 'failed') AS failed, SUM(status = 'ready') AS ready, SUM(status = 'removed') AS removed
       FROM environments GROUP BY kind ORDER BY kind`,
    )
    .all() as { kind: string; total: number; failed: number; ready: number; removed: number }[];
  const total = kinds.reduce((sum, k) => sum + k.total, 0);
  const failedTotal = kinds.reduce((sum, k) => sum + k.failed, 0);
  if (total === 0) return { missing: 'no environments built yet: run `mle env` or `mle backport` first', kinds: [], failed: proportion(0, 0), failureModes: [], events: [] };
  const modes = store.db
    .prepare(
      `SELECT COALESCE(failure_mode, 'unknown') AS failureMode, COALESCE(failure_step, 'unknown') AS failureStep, kind, COUNT(*) AS n,
              (SELECT substr(e2.failure_message, 1, 400) FROM environments e2
                WHERE e2.status = 'failed' AND COALESCE(e2.failure_mode, 'unknown') = COALESCE(e.failure_mode, 'unknown')
                  AND COALESCE(e2.failure_step, 'unknown') = COALESCE(e.failure_step, 'unknown') AND e2.kind = e.kind ORDER BY e2.id LIMIT 1) AS example
       FROM environments e WHERE status = 'failed' GROUP BY 1, 2, 3 ORDER BY n DESC, 1, 2, 3`,
    )
    .all() as { failureMode: string; failureStep: string; kind: string; n: number; example: string | null }[];
  const events = tables.has('environment_events')
    ? (store.db
        .prepare('SELECT action, COUNT(*) AS count, SUM(cached_failure) AS cachedFailures, SUM(seconds) AS seconds FROM environment_events GROUP BY action ORDER BY action')
        .all() as { action: string; count: number; cachedFailures: number; seconds: number }[])
    : [];
  return {
    missing: null,
    kinds: kinds.map((k) => ({ kind: k.kind, total: k.total, failed: proportion(k.failed, k.total), ready: k.ready, removed: k.removed })),
    failed: proportion(failedTotal, total),
    failureModes: modes.map((m) => ({
      failureMode: m.failureMode,
      failureStep: m.failureStep,
      kind: m.kind,
      share: proportion(m.n, failedTotal),
      example: (m.example ?? '').replace(/\s+/g, ' ').trim().slice(0, 160),
    })),
    events,
  };
}
