import { GradingError } from '../grading-error.js';
import { numericColumn } from './column-values.js';
import { classIndicators } from './class-indicators.js';
import type { Grader } from './grader.js';

/**
 * Area under the ROC curve of one 0/1 column, by the rank-sum (Mann–Whitney) identity: ties
 * get their mid-rank, which equals the trapezoidal area scikit-learn integrates. NaN when the
 * truth holds one class only.
 */
export function binaryRocAuc(truth: Uint8Array, scores: Float64Array): number {
  const n = truth.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]!] === scores[order[start]!]) end++;
    // Ranks start..end-1 (0-based) share the mean rank; +1 converts to 1-based ranks.
    const midRank = (start + end - 1) / 2 + 1;
    for (let i = start; i < end; i++) {
      if (truth[order[i]!] === 1) {
        positives++;
        positiveRankSum += midRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * ROC AUC: binary (one score column against 0/1 answers), or the unweighted mean of
 * per-column AUCs for several columns — scikit-learn's `multi_class='ovr', average='macro'`
 * when the answers are class names, its multi-label `average='macro'` when they are
 * indicator columns. Unlike scikit-learn's one-vs-rest check, rows need not sum to 1.
 */
export const rocAuc: Grader = {
  id: 'roc-auc',
  title: 'ROC AUC',
  higherIsBetter: true,
  description: "Area under the ROC curve; binary, one-vs-rest macro for class probabilities, column-wise mean for multi-label; matches scikit-learn's roc_auc_score.",
  grade(answers, submission) {
    const truth = classIndicators('roc-auc', answers, submission);
    let sum = 0;
    for (let column = 0; column < truth.length; column++) {
      const auc = binaryRocAuc(truth[column]!, numericColumn(submission, column, 'submission'));
      if (Number.isNaN(auc)) {
        const name = submission.columns[column];
        throw new GradingError('metric-undefined', truth.length === 1 ? 'ROC AUC is undefined: the answers hold one class only' : `ROC AUC is undefined for column '${name}': the answers hold no positive or no negative for it`);
      }
      sum += auc;
    }
    return sum / truth.length;
  },
};
