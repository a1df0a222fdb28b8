import {
  FEEDBACK_ANALYZER_VERSION,
  feedbackCellsOf,
  notebooksToScan,
  recordFeedbackScan,
  type CellScanStatus,
  type NotebookFeedback,
  type WritableStore,
} from '@mle/core';
import { createFeedbackPool, NOTEBOOKS_PER_TASK } from './feedback-pool.js';

export interface ScanFeedbackOptions {
  /** Worker threads that parse cells; 1 parses on the main thread. */
  jobs?: number;
  /** Notebooks per write transaction. */
  batchSize?: number;
  /** Parse every cell whole, so every cell's parse status is exact (slower). */
  fullParse?: boolean;
  /** Stop after this many notebooks in this run. */
  limit?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface ScanFeedbackSummary {
  analyzerVersion: string;
  /** Notebooks scanned in this run. */
  scanned: number;
  /** Notebooks that already had a scan by this analyzer version (skipped). */
  alreadyScanned: number;
  /** Notebooks still without a scan (interrupted or limited runs). */
  remaining: number;
  cells: number;
  instances: number;
  statuses: Record<CellScanStatus, number>;
  interrupted: boolean;
  elapsedMs: number;
  cellsPerSecond: number;
}

/**
 * Scan every mined notebook without a scan by the current analyzer version: cells are read on the
 * main thread, analysed on `jobs` worker threads, and written in notebook order in batched
 * transactions, one notebook all or nothing, so an interrupted scan resumes where it stopped.
 */
export async function scanFeedback(store: WritableStore, options: ScanFeedbackOptions = {}): Promise<ScanFeedbackSummary> {
  const started = performance.now();
  const jobs = Math.max(1, options.jobs ?? 1);
  const batchSize = options.batchSize ?? 100;
  // A full-parse scan records other cell statuses, so it is its own version: it re-scans notebooks
  // scanned with the pre-filter, and the newer scan is the one readers see.
  const version = `${FEEDBACK_ANALYZER_VERSION}${options.fullParse ? '+full-parse' : ''}`;
  const pending = notebooksToScan(store, version);
  const total = (store.db.prepare('SELECT COUNT(*) AS n FROM notebooks').get() as { n: number }).n;
  const todo = options.limit !== undefined ? pending.slice(0, options.limit) : pending;
  const summary: ScanFeedbackSummary = {
    analyzerVersion: version,
    scanned: 0,
    alreadyScanned: total - pending.length,
    remaining: pending.length,
    cells: 0,
    instances: 0,
    statuses: { ok: 0, partial: 0, 'not-python': 0, 'not-parsed': 0 },
    interrupted: false,
    elapsedMs: 0,
    cellsPerSecond: 0,
  };
  const pool = await createFeedbackPool(jobs, { fullParse: options.fullParse ?? false });
  let batch: { notebookId: number; result: NotebookFeedback }[] = [];
  const writeBatch = store.db.transaction((items: typeof batch) => {
    for (const { notebookId, result } of items) recordFeedbackScan(store, notebookId, result, version);
  });
  const flush = () => {
    if (batch.length === 0) return;
    writeBatch.immediate(batch);
    for (const { result } of batch) {
      summary.scanned++;
      summary.remaining--;
      summary.cells += result.cells.length;
      for (const cell of result.cells) {
        summary.statuses[cell.status]++;
        summary.instances += cell.instances.length;
      }
    }
    batch = [];
    options.onProgress?.(summary.scanned, todo.length);
  };
  const window: { notebookIds: number[]; results: Promise<NotebookFeedback[]> }[] = [];
  const drainOne = async () => {
    const head = window.shift()!;
    const results = await head.results;
    head.notebookIds.forEach((notebookId, i) => {
      batch.push({ notebookId, result: results[i]! });
      if (batch.length >= batchSize) flush();
    });
  };
  try {
    for (let start = 0; start < todo.length; start += NOTEBOOKS_PER_TASK) {
      if (options.signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      const notebookIds = todo.slice(start, start + NOTEBOOKS_PER_TASK);
      window.push({ notebookIds, results: pool.notebooks(notebookIds.map((id) => feedbackCellsOf(store, id))) });
      if (window.length >= jobs * 4) await drainOne();
    }
    while (window.length > 0) await drainOne();
    flush();
  } finally {
    await pool.close();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  summary.cellsPerSecond = summary.elapsedMs > 0 ? Math.round((summary.cells / summary.elapsedMs) * 1000) : 0;
  return summary;
}
