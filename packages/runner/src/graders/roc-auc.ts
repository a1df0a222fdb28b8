import { GradingError } from '../grading-error.js';
import { numericColumn } from './column-values.js';
import { classIndicators } from './class-indicators.js';
import type { Grader } from './grader.js';

/**
 * Area under the ROC curve of one 0/1 column: the probability that a random positive scores
 * above a random negative, ties counting one half (the Mann–Whitney identity, equal to the
 * trapezoidal area scikit-learn integrates). Both classes' scores are sorted natively and
 * merged, which is several times faster than sorting indices with a comparator. NaN when the
 * truth holds one class only.
 */
export function binaryRocAuc(truth: Uint8Array, scores: Float64Array): number {
  let positives = 0;
  for (let i = 0; i < truth.length; i++) positives += truth[i]!;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < truth.length; i++) {
    if (truth[i] === 1) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  // For each positive (ascending): negatives strictly below it, plus half of those equal.
  // Integer and half-integer sums stay exact in a double up to 2^52.
  let below = 0;
  let belowOrEqual = 0;
  let sum = 0;
  for (let i = 0; i < positives; i++) {
    const score = pos[i]!;
    while (below < negatives && neg[below]! < score) below++;
    if (belowOrEqual < below) belowOrEqual = below;
    while (belowOrEqual < negatives && neg[belowOrEqual]! <= score) belowOrEqual++;
    sum += below + (belowOrEqual - below) / 2;
  }
  return sum / positives / negatives;
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
