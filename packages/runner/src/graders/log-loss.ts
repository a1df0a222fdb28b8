import { GradingError } from '../grading-error.js';
import { cellLocation } from './column-values.js';
import { classIndicators, probabilityColumns } from './class-indicators.js';
import type { Grader, GraderOptions } from './grader.js';

interface LogLossOptions {
  /** Probabilities are clipped to [eps, 1 - eps]; scikit-learn uses float64's machine epsilon, Kaggle 1e-15. */
  eps: number;
  /** Divide each row by its sum before clipping, as Kaggle's multi-class log loss does. */
  normalizeRows: boolean;
}

function readOptions(options: GraderOptions): LogLossOptions {
  const eps = options.eps ?? Number.EPSILON;
  if (typeof eps !== 'number' || !(eps > 0 && eps < 0.5)) throw new Error(`log-loss option eps must be a number in (0, 0.5), got ${JSON.stringify(eps)}`);
  const normalizeRows = options.normalize_rows ?? false;
  if (typeof normalizeRows !== 'boolean') throw new Error(`log-loss option normalize_rows must be true or false, got ${JSON.stringify(normalizeRows)}`);
  const unknown = Object.keys(options).filter((key) => key !== 'eps' && key !== 'normalize_rows');
  if (unknown.length > 0) throw new Error(`log-loss has no option ${unknown.map((key) => `'${key}'`).join(', ')} (known: eps, normalize_rows)`);
  return { eps, normalizeRows };
}

/**
 * Mean negative log-likelihood of the true class (scikit-learn `log_loss`, 1.5 and later):
 * probabilities are clipped to [eps, 1 - eps] and rows are *not* renormalised unless
 * `normalize_rows` is set. One column is P(class 1) against 0/1 answers; several columns are
 * one probability per class against class names or one-hot answers columns.
 */
export const logLoss: Grader = {
  id: 'log-loss',
  title: 'Log loss',
  higherIsBetter: false,
  description: "Mean negative log probability of the true class, probabilities clipped to [eps, 1 - eps]; matches scikit-learn's log_loss.",
  checkOptions(options) {
    readOptions(options);
  },
  grade(answers, submission, options) {
    const { eps, normalizeRows } = readOptions(options);
    const truth = classIndicators('log-loss', answers, submission);
    const clip = (p: number) => Math.min(Math.max(p, eps), 1 - eps);
    const n = answers.rows.length;
    if (truth.length === 1) {
      const p = probabilityColumns(submission)[0]!;
      const y = truth[0]!;
      let sum = 0;
      // scikit-learn builds [1 - p, p] and clips both columns, so 1 - p is formed before clipping.
      for (let row = 0; row < n; row++) sum -= Math.log(y[row] === 1 ? clip(p[row]!) : clip(1 - p[row]!));
      return sum / n;
    }
    const probabilities = probabilityColumns(submission, { allowAboveOne: normalizeRows });
    let sum = 0;
    for (let row = 0; row < n; row++) {
      let trueColumn = -1;
      for (let column = 0; column < truth.length; column++) {
        if (truth[column]![row] !== 1) continue;
        if (trueColumn !== -1) throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, 0)}: log loss needs exactly one true class per row, found several`);
        trueColumn = column;
      }
      if (trueColumn === -1) throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, 0)}: log loss needs exactly one true class per row, found none`);
      let p = probabilities[trueColumn]![row]!;
      if (normalizeRows) {
        let rowSum = 0;
        for (const column of probabilities) rowSum += column[row]!;
        if (!(rowSum > 0)) throw new GradingError('invalid-values', `id ${submission.ids[row] ?? row + 1}: the probabilities sum to 0, so the row cannot be rescaled`);
        p /= rowSum;
      }
      sum -= Math.log(clip(p));
    }
    return sum / n;
  },
};
