import { cellLocation, quoteCell, valueError } from './column-values.js';
import { averageOverColumns } from './column-average.js';
import type { Grader, GradingTable } from './grader.js';
import { rootMeanSquaredError } from './rmse.js';

function log1pColumn(values: Float64Array, table: GradingTable, column: number, side: 'answers' | 'submission'): Float64Array {
  const out = new Float64Array(values.length);
  for (let row = 0; row < values.length; row++) {
    const value = values[row]!;
    // log1p is undefined at and below -1; scikit-learn refuses such targets outright.
    if (value <= -1) {
      throw valueError(side, 'invalid-values', `${cellLocation(table, row, column)}: ${quoteCell(table.rows[row]?.[column] ?? '')} is <= -1, where RMSLE is undefined`);
    }
    out[row] = Math.log1p(value);
  }
  return out;
}

export const rmsle: Grader = {
  id: 'rmsle',
  title: 'Root mean squared logarithmic error',
  higherIsBetter: false,
  description: "RMSE of log(1 + value), averaged over target columns; values <= -1 are invalid; matches scikit-learn's root_mean_squared_log_error.",
  grade(answers, submission) {
    return averageOverColumns('rmsle', answers, submission, (truth, predicted, column) =>
      rootMeanSquaredError(log1pColumn(truth, answers, column, 'answers'), log1pColumn(predicted, submission, column, 'submission')),
    );
  },
};
