import { labelColumn, labelKeys, requireRows, requireSingleColumn, sortLabels } from './column-values.js';
import type { GradingTable } from './grader.js';

/** Per-class true positives, false positives and false negatives of a single-label prediction. */
export interface ConfusionCounts {
  /** scikit-learn's `unique_labels(y_true, y_pred)`: every label seen on either side, sorted. */
  labels: string[];
  tp: number[];
  fp: number[];
  fn: number[];
  rows: number;
}

export function confusionCounts(metric: string, answers: GradingTable, submission: GradingTable): ConfusionCounts {
  requireSingleColumn(metric, answers, submission);
  requireRows(metric, answers);
  const keys = labelKeys(labelColumn(answers, 0, 'answers'), labelColumn(submission, 0, 'submission'));
  const labels = sortLabels([...keys.answers, ...keys.submission], keys.numeric);
  const index = new Map(labels.map((label, i) => [label, i]));
  const tp = labels.map(() => 0);
  const fp = labels.map(() => 0);
  const fn = labels.map(() => 0);
  for (let row = 0; row < keys.answers.length; row++) {
    const truth = index.get(keys.answers[row]!)!;
    const predicted = index.get(keys.submission[row]!)!;
    if (truth === predicted) {
      tp[truth]!++;
    } else {
      fn[truth]!++;
      fp[predicted]!++;
    }
  }
  return { labels, tp, fp, fn, rows: keys.answers.length };
}
