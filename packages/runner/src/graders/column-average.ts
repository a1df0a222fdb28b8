import { numericColumn, requireRows, requireSameColumnCount } from './column-values.js';
import type { GradingTable } from './grader.js';

/**
 * A regression metric over one or several target columns: computed per column, then averaged
 * with equal weights (scikit-learn's `multioutput='uniform_average'`).
 */
export function averageOverColumns(
  metric: string,
  answers: GradingTable,
  submission: GradingTable,
  perColumn: (truth: Float64Array, predicted: Float64Array, column: number) => number,
): number {
  requireSameColumnCount(metric, answers, submission);
  requireRows(metric, answers);
  let sum = 0;
  for (let column = 0; column < answers.columns.length; column++) {
    sum += perColumn(numericColumn(answers, column, 'answers'), numericColumn(submission, column, 'submission'), column);
  }
  return sum / answers.columns.length;
}
