import type { Store } from '@mle/core';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome } from './notebook-outcomes.js';
import { placeholders } from './store-tables.js';

export interface ExperimentCost {
  experiment: ExperimentInfo;
  candidates: number;
  rescued: number;
  llmCalls: number;
  /** Calls that did not come back with a usable answer (invalid, HTTP error, timeout, rate limit). */
  failedCalls: number;
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  costUsd: number;
  /** Cost / candidates: the study's "cost per notebook" ($0.31 in v1). */
  costPerCandidateUsd: number | null;
  /** Cost / rescued notebooks: what one rescue cost, failures included. */
  costPerRescuedUsd: number | null;
  /** Wall time of the modernization loops, summed. */
  loopMs: number;
}

export interface ModelCost {
  experiment: ExperimentInfo;
  model: string;
  granularity: string;
  calls: number;
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  costUsd: number;
  latencyMedianMs: number | null;
}

export interface CostData {
  missing: string | null;
  experiments: ExperimentCost[];
  models: ModelCost[];
}

interface CallRecord {
  modernizationId: number;
  experimentId: number;
  model: string;
  granularity: string;
  status: string;
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number | null;
}

/**
 * Cost comes from `llm_calls`, the facts; a loop without call rows falls back to its own
 * `modernizations.cost_usd` / `llm_calls` summary, so a database whose fixer only kept the summary
 * still has a cost. Calls not tied to a loop cannot be attributed to an experiment and are left out.
 */
export function costData(store: Store, experiments: readonly ExperimentInfo[], outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>, tables: ReadonlySet<string>, missing: string | null): CostData {
  if (missing) return { missing, experiments: [], models: [] };
  const ids = experiments.map((e) => e.id);
  const calls =
    tables.has('llm_calls') && ids.length > 0
      ? (store.db
          .prepare(
            `SELECT c.modernization_id AS modernizationId, m.experiment_id AS experimentId, c.model, c.granularity, c.status, c.tokens_in AS tokensIn,
                    c.tokens_cached AS tokensCached, c.tokens_out AS tokensOut, c.cost_usd AS costUsd, c.latency_ms AS latencyMs
             FROM llm_calls c JOIN modernizations m ON m.id = c.modernization_id
             WHERE m.experiment_id IN (${placeholders(ids.length)}) ORDER BY c.id`,
          )
          .all(...ids) as CallRecord[])
      : [];
  const result: CostData = { missing: null, experiments: [], models: [] };
  for (const experiment of experiments) {
    const loops = [...(outcomes.get(experiment.id)?.values() ?? [])].filter((o) => o.modernization !== null && o.modernization.status !== 'running');
    if (loops.length === 0) continue;
    const own = calls.filter((c) => c.experimentId === experiment.id);
    const withCalls = new Set(own.map((c) => c.modernizationId));
    const summaryOnly = loops.filter((o) => !withCalls.has(o.modernization!.id));
    const candidates = loops.filter((o) => o.modernization!.status !== 'already-reproducible').length;
    const rescued = loops.filter((o) => o.modernization!.status === 'rescued').length;
    const costUsd = own.reduce((sum, c) => sum + c.costUsd, 0) + summaryOnly.reduce((sum, o) => sum + o.modernization!.costUsd, 0);
    result.experiments.push({
      experiment,
      candidates,
      rescued,
      llmCalls: own.length + summaryOnly.reduce((sum, o) => sum + o.modernization!.llmCalls, 0),
      failedCalls: own.filter((c) => c.status !== 'ok' && c.status !== 'skipped').length,
      tokensIn: own.reduce((sum, c) => sum + c.tokensIn, 0),
      tokensCached: own.reduce((sum, c) => sum + c.tokensCached, 0),
      tokensOut: own.reduce((sum, c) => sum + c.tokensOut, 0),
      costUsd,
      costPerCandidateUsd: candidates > 0 ? costUsd / candidates : null,
      costPerRescuedUsd: rescued > 0 ? costUsd / rescued : null,
      loopMs: loops.reduce((sum, o) => sum + (o.modernization!.wallMs ?? 0), 0),
    });
    const models = new Map<string, ModelCost & { latencies: number[] }>();
    for (const call of own) {
      const key = `${call.model}\u0000${call.granularity}`;
      const row = models.get(key) ?? { experiment, model: call.model, granularity: call.granularity, calls: 0, tokensIn: 0, tokensCached: 0, tokensOut: 0, costUsd: 0, latencyMedianMs: null, latencies: [] };
      row.calls++;
      row.tokensIn += call.tokensIn;
      row.tokensCached += call.tokensCached;
      row.tokensOut += call.tokensOut;
      row.costUsd += call.costUsd;
      if (call.latencyMs !== null) row.latencies.push(call.latencyMs);
      models.set(key, row);
    }
    for (const { latencies, ...row } of [...models.values()].sort((a, b) => a.model.localeCompare(b.model) || a.granularity.localeCompare(b.granularity))) {
      const sorted = latencies.sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      result.models.push({ ...row, latencyMedianMs: sorted.length === 0 ? null : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2 });
    }
  }
  if (result.experiments.length === 0) result.missing = 'no modernization loops in the selected experiments: run `mle modernize` first';
  return result;
}
