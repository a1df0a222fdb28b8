import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { analyzeNotebookFeedback, FeedbackAnalyzer, type FeedbackCellInput, type NotebookFeedback } from '@mle/core';
import { analyzeFile, type FileFeedbackResult } from './feedback-line.js';
import type { FeedbackTask, FeedbackWorkerData } from './feedback-worker.js';

/** Built worker, beside the built library (tests run the sources against the built worker). */
const WORKER_FILE = fileURLToPath(new URL('../dist/feedback-worker.js', import.meta.url));

/** Analyses batches of notebooks inline (jobs = 1) or on worker threads, behind one interface. */
export interface FeedbackPool {
  notebooks(notebooks: FeedbackCellInput[][]): Promise<NotebookFeedback[]>;
  files(paths: string[]): Promise<FileFeedbackResult[]>;
  close(): Promise<void>;
}

export interface FeedbackPoolOptions {
  /** Parse every cell whole (exact parse statuses) instead of pre-filtering cells without feedback tokens. */
  fullParse?: boolean;
}

/** Notebooks sent to a worker per task: enough to make the message round trip (~0.2 ms) negligible. */
export const NOTEBOOKS_PER_TASK = 8;

export async function createFeedbackPool(jobs: number, options: FeedbackPoolOptions = {}): Promise<FeedbackPool> {
  const fullParse = options.fullParse ?? false;
  if (jobs <= 1) {
    const analyzer = await FeedbackAnalyzer.create({ prefilter: !fullParse });
    return {
      notebooks: async (notebooks) => notebooks.map((cells) => analyzeNotebookFeedback(cells, analyzer)),
      files: async (paths) => paths.map((path) => analyzeFile(path, analyzer)),
      close: async () => analyzer.delete(),
    };
  }
  const workerData: FeedbackWorkerData = { fullParse };
  const pool = new Piscina<FeedbackTask, NotebookFeedback[] | FileFeedbackResult[]>({ filename: WORKER_FILE, minThreads: jobs, maxThreads: jobs, workerData });
  return {
    notebooks: (notebooks) => pool.run({ kind: 'notebooks', notebooks }) as Promise<NotebookFeedback[]>,
    files: (paths) => pool.run({ kind: 'files', paths }) as Promise<FileFeedbackResult[]>,
    close: () => pool.destroy(),
  };
}
