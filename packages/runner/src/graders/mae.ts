import { averageOverColumns } from './column-average.js';
import type { Grader } from './grader.js';

export const mae: Grader = {
  id: 'mae',
  title: 'Mean absolute error',
  higherIsBetter: false,
  description: "Mean absolute difference, averaged over target columns; matches scikit-learn's mean_absolute_error.",
  grade(answers, submission) {
    return averageOverColumns('mae', answers, submission, (truth, predicted) => {
      let sum = 0;
      for (let i = 0; i < truth.length; i++) sum += Math.abs(truth[i]! - predicted[i]!);
      return sum / truth.length;
    });
  },
};
