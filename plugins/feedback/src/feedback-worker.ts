import { workerData } from 'piscina';
import { analyzeNotebookFeedback, FeedbackAnalyzer, type FeedbackCellInput, type NotebookFeedback } from '@mle/core';
import { analyzeFile, type FileFeedbackResult } from './feedback-line.js';

/** What the pool passes to every worker. */
export interface FeedbackWorkerData {
  fullParse: boolean;
}

const options = (workerData ?? { fullParse: false }) as FeedbackWorkerData;
/** One analyzer (one tree-sitter parser) per worker thread, loaded once. */
const analyzer = await FeedbackAnalyzer.create({ prefilter: !options.fullParse });

/** Tasks carry several notebooks: a task costs a message round trip, a notebook often less. */
export type FeedbackTask = { kind: 'notebooks'; notebooks: FeedbackCellInput[][] } | { kind: 'files'; paths: string[] };

/** Piscina entry point: stored cells of some notebooks, or notebook files read here (end to end in the worker). */
export default function run(task: FeedbackTask): NotebookFeedback[] | FileFeedbackResult[] {
  if (task.kind === 'notebooks') return task.notebooks.map((cells) => analyzeNotebookFeedback(cells, analyzer));
  return task.paths.map((path) => analyzeFile(path, analyzer));
}
