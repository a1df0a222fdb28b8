import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { analyzeNotebookFeedback, analyzeNotebookText, FeedbackAnalyzer, type FeedbackCellInput, type NotebookFeedback } from '@mle/core';
import { readFile } from 'node:fs/promises';
import { toFileResult, type FileFeedbackResult } from './feedback-line.js';
import type { FeedbackTask, FeedbackWorkerData } from './feedback-worker.js';

/** Built worker, beside the built library (tests run the sources against the built worker). */
const WORKER_FILE = fileURLToPath(new URL('../dist/feedback-worker.js', import.meta.url));

/** Analyses notebooks inline (jobs = 1) or on worker threads, behind one interface. */
export interface FeedbackPool {
  cells(cells: FeedbackCellInput[]): Promise<NotebookFeedback>;
  file(path: string): Promise<FileFeedbackResult>;
  close(): Promise<void>;
}

export interface FeedbackPoolOptions {
  /** Parse every cell whole (exact parse statuses) instead of pre-filtering cells without feedback tokens. */
  fullParse?: boolean;
}

export async function createFeedbackPool(jobs: number, options: FeedbackPoolOptions = {}): Promise<FeedbackPool> {
  const fullParse = options.fullParse ?? false;
  if (jobs <= 1) {
    const analyzer = await FeedbackAnalyzer.create({ prefilter: !fullParse });
    return {
      cells: async (cells) => analyzeNotebookFeedback(cells, analyzer),
      file: async (path) => {
        let text: string;
        try {
          text = await readFile(path, 'utf8');
        } catch (error) {
          return { notebook: path, ok: false, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0]!, cells: 0, instances: [], statuses: {} };
        }
        return toFileResult(path, analyzeNotebookText(text, analyzer));
      },
      close: async () => analyzer.delete(),
    };
  }
  const workerData: FeedbackWorkerData = { fullParse };
  const pool = new Piscina<FeedbackTask, NotebookFeedback | FileFeedbackResult>({ filename: WORKER_FILE, minThreads: jobs, maxThreads: jobs, workerData });
  return {
    cells: (cells) => pool.run({ kind: 'cells', cells }) as Promise<NotebookFeedback>,
    file: (path) => pool.run({ kind: 'file', path }) as Promise<FileFeedbackResult>,
    close: () => pool.destroy(),
  };
}
