import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CellScanStatus } from '@mle/core';
import { createFeedbackPool, NOTEBOOKS_PER_TASK } from './feedback-pool.js';
import type { FileFeedbackResult } from './feedback-line.js';

const SKIPPED_DIRS = new Set(['.ipynb_checkpoints', '.git', 'node_modules', '__pycache__', '.venv', 'site-packages']);

/** The notebook files named, with directories expanded to the `.ipynb` files under them, in path order. */
export async function notebookPaths(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries: { name: string; dir: boolean }[] = [];
    for await (const entry of await opendir(dir)) entries.push({ name: entry.name, dir: entry.isDirectory() });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.dir) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(path);
      } else if (entry.name.toLowerCase().endsWith('.ipynb')) {
        found.push(path);
      }
    }
  };
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (!info) throw new Error(`no such file or directory: ${path}`);
    if (info.isDirectory()) await walk(path);
    else found.push(path);
  }
  return found;
}

export interface AnalyzeFilesOptions {
  jobs?: number;
  /** Parse every cell whole, so every cell's parse status is exact (slower). */
  fullParse?: boolean;
  signal?: AbortSignal;
  /** Called once per file, in the order the files were given. */
  onResult?: (result: FileFeedbackResult) => void;
}

export interface AnalyzeFilesSummary {
  files: number;
  analysed: number;
  failed: number;
  cells: number;
  instances: number;
  statuses: Partial<Record<CellScanStatus, number>>;
  elapsedMs: number;
  cellsPerSecond: number;
  interrupted: boolean;
}

/**
 * Analyse notebook files without a database, on `jobs` worker threads (each reads and parses its
 * files itself), reporting results in input order.
 */
export async function analyzeFiles(paths: readonly string[], options: AnalyzeFilesOptions = {}): Promise<AnalyzeFilesSummary> {
  const started = performance.now();
  const jobs = Math.max(1, options.jobs ?? 1);
  const files = await notebookPaths(paths);
  const pool = await createFeedbackPool(jobs, { fullParse: options.fullParse ?? false });
  const summary: AnalyzeFilesSummary = { files: files.length, analysed: 0, failed: 0, cells: 0, instances: 0, statuses: {}, elapsedMs: 0, cellsPerSecond: 0, interrupted: false };
  const window: Promise<FileFeedbackResult[]>[] = [];
  const take = (result: FileFeedbackResult) => {
    if (result.ok) summary.analysed++;
    else summary.failed++;
    summary.cells += result.cells;
    summary.instances += result.instances.length;
    for (const [status, n] of Object.entries(result.statuses)) summary.statuses[status as CellScanStatus] = (summary.statuses[status as CellScanStatus] ?? 0) + n;
    options.onResult?.(result);
  };
  const drainOne = async () => {
    for (const result of await window.shift()!) take(result);
  };
  try {
    for (let start = 0; start < files.length; start += NOTEBOOKS_PER_TASK) {
      if (options.signal?.aborted) {
        summary.interrupted = true;
        break;
      }
      window.push(pool.files(files.slice(start, start + NOTEBOOKS_PER_TASK)));
      if (window.length >= jobs * 4) await drainOne();
    }
    while (window.length > 0) await drainOne();
  } finally {
    await pool.close();
  }
  summary.elapsedMs = Math.round(performance.now() - started);
  summary.cellsPerSecond = summary.elapsedMs > 0 ? Math.round((summary.cells / summary.elapsedMs) * 1000) : 0;
  return summary;
}
