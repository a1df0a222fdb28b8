import { confusionCounts } from './confusion-counts.js';
import type { Grader } from './grader.js';

/**
 * Unweighted mean of per-class F1 over every label in the answers or the submission
 * (scikit-learn `f1_score(average='macro')`). A class that is only predicted, or never
 * predicted, scores 0 — scikit-learn's `zero_division` default — and still counts in the mean.
 */
export const f1Macro: Grader = {
  id: 'f1-macro',
  title: 'Macro F1',
  higherIsBetter: true,
  description: "Mean of per-class F1 over all labels seen in answers or submission; matches scikit-learn's f1_score(average='macro').",
  grade(answers, submission) {
    const counts = confusionCounts('f1-macro', answers, submission);
    let sum = 0;
    for (let c = 0; c < counts.labels.length; c++) {
      // 2tp / (2tp + fp + fn) is F1 without dividing by an undefined precision or recall; the
      // denominator is positive because every label occurs on at least one side.
      const tp = counts.tp[c]!;
      sum += (2 * tp) / (2 * tp + counts.fp[c]! + counts.fn[c]!);
    }
    return sum / counts.labels.length;
  },
};
