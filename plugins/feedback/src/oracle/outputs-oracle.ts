import { readFile } from 'node:fs/promises';
import { loadNotebook, prepare, readNotebook, writeTransaction, type NormalizedNotebook, type Store, type WritableStore } from '@mle/core';
import { assertionsOf } from '../synthesize/assertion-store.js';
import { firstDivergence, type Divergence, type FirstDivergenceOptions, type OracleVerdict } from './first-divergence.js';

/**
 * The oracle a run (or a modernization step) asks: where does this executed notebook first leave
 * the outputs stored with the notebook? Uses the notebook's validated assertions when it has any.
 */
export function notebookDivergence(store: Store, notebookId: number, executed: NormalizedNotebook, stored?: NormalizedNotebook, options: FirstDivergenceOptions = {}): OracleVerdict {
  const original = stored ?? loadNotebook(store, notebookId);
  if (!original) throw new Error(`notebook ${notebookId} is not in ${store.path}`);
  return firstDivergence(original, executed, assertionsOf(store, notebookId, { validatedOnly: true }), options);
}

/** The modernize loop's localizer: the first divergence of an executed state of the notebook, or null. */
export function outputsLocalizer(input: { store: Store; notebookId: number; executed: NormalizedNotebook }): { cell: number; message: string } | null {
  const found = notebookDivergence(input.store, input.notebookId, input.executed).divergence;
  return found ? { cell: found.cell, message: found.message } : null;
}

/** Store the oracle's verdict for a run (once per run). */
export function recordDivergence(store: WritableStore, runId: number, verdict: OracleVerdict, oracle = 'outputs'): void {
  const d: Divergence | null = verdict.divergence;
  writeTransaction(store, () => {
    prepare(
      store.db,
      `INSERT OR REPLACE INTO run_divergences (run_id, oracle, cell_idx, via, assertion_id, expression, expected, observed, message, cells_compared, assertions_checked, checked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(runId, oracle, d?.cell ?? null, d?.via ?? null, d?.assertionId ?? null, d?.expression ?? null, d?.expected ?? null, d?.observed ?? null, d?.message ?? null, verdict.cellsCompared, verdict.assertionsChecked, new Date().toISOString());
  });
}

export interface StoredDivergence {
  runId: number;
  cell: number | null;
  via: string | null;
  message: string | null;
}

/** The recorded verdict for a run, if the oracle checked it. */
export function divergenceOf(store: Store, runId: number): StoredDivergence | null {
  const row = prepare<[number], { run_id: number; cell_idx: number | null; via: string | null; message: string | null }>(store.db, 'SELECT run_id, cell_idx, via, message FROM run_divergences WHERE run_id = ?').get(runId);
  return row ? { runId: row.run_id, cell: row.cell_idx, via: row.via, message: row.message } : null;
}

/**
 * The `oracle` option of the runner's experiments (`mle run --oracle outputs`): after each recorded
 * attempt, compare its executed notebook with the stored outputs and record the first divergence.
 * Returns the one-line message shown with the run (null: no divergence).
 */
export const outputsOracle = {
  name: 'outputs',
  async check(input: { store: WritableStore; runId: number; notebookId: number; notebook: NormalizedNotebook; outputPath: string | null }): Promise<string | null> {
    if (!input.outputPath) return null;
    const read = readNotebook(await readFile(input.outputPath, 'utf8'));
    if (!read.ok) return null;
    const verdict = notebookDivergence(input.store, input.notebookId, read.notebook, input.notebook);
    recordDivergence(input.store, input.runId, verdict);
    return verdict.divergence?.message ?? null;
  },
};
