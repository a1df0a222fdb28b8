import { averageOverColumns } from './column-average.js';
import type { Grader } from './grader.js';

export function rootMeanSquaredError(truth: Float64Array, predicted: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    const d = truth[i]! - predicted[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum / truth.length);
}

export const rmse: Grader = {
  id: 'rmse',
  title: 'Root mean squared error',
  higherIsBetter: false,
  description: "Square root of the mean squared difference, averaged over target columns; matches scikit-learn's root_mean_squared_error.",
  grade(answers, submission) {
    return averageOverColumns('rmse', answers, submission, rootMeanSquaredError);
  },
};
