import { confusionCounts } from './confusion-counts.js';
import type { Grader } from './grader.js';

/**
 * F1 of the pooled counts over all classes (scikit-learn `f1_score(average='micro')`); for
 * single-label predictions it equals accuracy.
 */
export const f1Micro: Grader = {
  id: 'f1-micro',
  title: 'Micro F1',
  higherIsBetter: true,
  description: "F1 of true/false positives pooled over all classes; matches scikit-learn's f1_score(average='micro').",
  grade(answers, submission) {
    const counts = confusionCounts('f1-micro', answers, submission);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const tp = sum(counts.tp);
    return (2 * tp) / (2 * tp + sum(counts.fp) + sum(counts.fn));
  },
};
