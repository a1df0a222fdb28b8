import { readFileSync } from 'node:fs';
import { analyzeNotebookText, type CellScanStatus, type FeedbackAnalyzer, type FeedbackCategory, type FeedbackForm, type Mechanism, type NotebookTextFeedback } from '@mle/core';

/** One line of `mle feedback file --json`: the interface other tools and tests read. */
export interface FeedbackLine {
  notebook: string;
  cell: number;
  line: number;
  mechanism: Mechanism;
  form: FeedbackForm;
  category: FeedbackCategory;
  code: string;
  /** The stored execute_result's text/plain for last-cell values; null otherwise. */
  output: string | null;
}

export interface FileFeedbackResult {
  notebook: string;
  ok: boolean;
  /** Why the file could not be analysed (not a notebook, not Python, unreadable). */
  reason?: string;
  cells: number;
  statuses: Partial<Record<CellScanStatus, number>>;
  instances: FeedbackLine[];
}

/** Plain data for one analysed file, small enough to cross a worker boundary. */
export function toFileResult(notebook: string, result: NotebookTextFeedback): FileFeedbackResult {
  if (!result.ok) return { notebook, ok: false, reason: `${result.code}: ${result.reason}`, cells: 0, statuses: {}, instances: [] };
  const statuses: Partial<Record<CellScanStatus, number>> = {};
  const instances: FeedbackLine[] = [];
  for (const cell of result.feedback.cells) {
    statuses[cell.status] = (statuses[cell.status] ?? 0) + 1;
    for (const i of cell.instances) instances.push({ notebook, cell: i.cell, line: i.line, mechanism: i.mechanism, form: i.form, category: i.category, code: i.code, output: i.output });
  }
  return { notebook, ok: true, cells: result.feedback.cells.length, statuses, instances };
}

/** Read and analyse one notebook file; a file that cannot be read is a result, not an exception. */
export function analyzeFile(path: string, analyzer: FeedbackAnalyzer): FileFeedbackResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { notebook: path, ok: false, reason: `unreadable: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, cells: 0, statuses: {}, instances: [] };
  }
  return toFileResult(path, analyzeNotebookText(text, analyzer));
}
