import { readFileSync } from 'node:fs';
import { workerData } from 'piscina';
import { analyzeNotebookFeedback, analyzeNotebookText, FeedbackAnalyzer, type FeedbackCellInput, type NotebookFeedback } from '@mle/core';
import { toFileResult, type FileFeedbackResult } from './feedback-line.js';

/** What the pool passes to every worker. */
export interface FeedbackWorkerData {
  fullParse: boolean;
}

const options = (workerData ?? { fullParse: false }) as FeedbackWorkerData;
/** One analyzer (one tree-sitter parser) per worker thread, loaded once. */
const analyzer = await FeedbackAnalyzer.create({ prefilter: !options.fullParse });

export type FeedbackTask = { kind: 'cells'; cells: FeedbackCellInput[] } | { kind: 'file'; path: string };

/** Piscina entry point: stored cells of one notebook, or one notebook file read here (end to end in the worker). */
export default function run(task: FeedbackTask): NotebookFeedback | FileFeedbackResult {
  if (task.kind === 'cells') return analyzeNotebookFeedback(task.cells, analyzer);
  let text: string;
  try {
    text = readFileSync(task.path, 'utf8');
  } catch (error) {
    return { notebook: task.path, ok: false, reason: (error instanceof Error ? error.message : String(error)).split('\n')[0]!, cells: 0, instances: [], statuses: {} };
  }
  return toFileResult(task.path, analyzeNotebookText(text, analyzer));
}
