import { GradingError } from '../grading-error.js';
import { cellLocation, labelColumn, labelKeys, quoteCell, requireRows, requireSingleColumn, sortLabels } from './column-values.js';
import type { Grader, GraderOptions } from './grader.js';

function readLabels(options: GraderOptions): string[] | undefined {
  const unknown = Object.keys(options).filter((key) => key !== 'labels');
  if (unknown.length > 0) throw new Error(`quadratic-weighted-kappa has no option ${unknown.map((key) => `'${key}'`).join(', ')} (known: labels)`);
  if (options.labels === undefined) return undefined;
  const labels = options.labels;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((label) => typeof label === 'number' || typeof label === 'string')) {
    throw new Error('quadratic-weighted-kappa option labels must be a list of at least two ratings, in order');
  }
  const keys = labels.map(String);
  if (new Set(keys).size !== keys.length) throw new Error('quadratic-weighted-kappa option labels lists a rating twice');
  return keys;
}

/**
 * Cohen's kappa with quadratic weights (scikit-learn `cohen_kappa_score(weights='quadratic')`).
 * As in scikit-learn, the weight of a disagreement is the squared distance between the two
 * ratings' *positions* in the sorted list of ratings seen, so a rating nobody used shrinks the
 * distances; set `labels` to Kaggle's full rating range (`[0, 1, 2, 3, 4]`) to weigh by value.
 */
export const quadraticWeightedKappa: Grader = {
  id: 'quadratic-weighted-kappa',
  title: 'Quadratic weighted kappa',
  higherIsBetter: true,
  description: "Cohen's kappa with quadratic weights over the sorted ratings (or the labels option); matches scikit-learn's cohen_kappa_score(weights='quadratic').",
  checkOptions(options) {
    readLabels(options);
  },
  grade(answers, submission, options) {
    requireSingleColumn('quadratic-weighted-kappa', answers, submission);
    requireRows('quadratic-weighted-kappa', answers);
    const keys = labelKeys(labelColumn(answers, 0, 'answers'), labelColumn(submission, 0, 'submission'));
    if (keys.numeric) {
      // scikit-learn calls non-integer ratings a continuous target and refuses them.
      keys.submission.forEach((key, row) => {
        if (!Number.isInteger(Number(key))) throw new GradingError('invalid-values', `${cellLocation(submission, row, 0)}: rating ${quoteCell(submission.rows[row]?.[0] ?? '')} is not an integer`);
      });
      keys.answers.forEach((key, row) => {
        if (!Number.isInteger(Number(key))) throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, 0)}: rating ${quoteCell(answers.rows[row]?.[0] ?? '')} is not an integer`);
      });
    }
    const explicit = readLabels(options);
    const labels = explicit ? explicit.map((label) => (keys.numeric && Number.isFinite(Number(label)) ? String(Number(label)) : label)) : sortLabels([...keys.answers, ...keys.submission], keys.numeric);
    const index = new Map(labels.map((label, i) => [label, i]));
    const k = labels.length;
    const confusion = Array.from({ length: k }, () => new Float64Array(k));
    for (let row = 0; row < keys.answers.length; row++) {
      const a = index.get(keys.answers[row]!);
      const b = index.get(keys.submission[row]!);
      if (a === undefined) throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, 0)}: rating ${quoteCell(answers.rows[row]?.[0] ?? '')} is not among the labels option`);
      if (b === undefined) throw new GradingError('invalid-values', `${cellLocation(submission, row, 0)}: rating ${quoteCell(submission.rows[row]?.[0] ?? '')} is not among the competition's ratings (${labels.join(', ')})`);
      confusion[a]![b]!++;
    }
    const rowSums = confusion.map((r) => r.reduce((x, y) => x + y, 0));
    const columnSums = labels.map((_, j) => confusion.reduce((x, r) => x + r[j]!, 0));
    const total = rowSums.reduce((x, y) => x + y, 0);
    let observed = 0;
    let expected = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const weight = (i - j) ** 2;
        observed += weight * confusion[i]![j]!;
        expected += (weight * rowSums[i]! * columnSums[j]!) / total;
      }
    }
    // No expected disagreement (one rating in use): kappa is 0/0, scikit-learn returns NaN.
    if (expected === 0) throw new GradingError('metric-undefined', 'quadratic weighted kappa is undefined: answers and submission use a single rating');
    return 1 - observed / expected;
  },
};
