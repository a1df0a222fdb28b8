import { GradingError } from '../grading-error.js';
import { cellLocation, labelColumn, numericColumn, quoteCell, requireRows } from './column-values.js';
import type { GradingTable } from './grader.js';

const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);

/** A 0/1 answers column; booleans written by pandas (`True`) count too. */
function binaryAnswers(answers: GradingTable, column: number): Uint8Array {
  const out = new Uint8Array(answers.rows.length);
  for (let row = 0; row < answers.rows.length; row++) {
    const text = answers.rows[row]?.[column] ?? '';
    if (TRUE_WORDS.has(text)) {
      out[row] = 1;
      continue;
    }
    if (FALSE_WORDS.has(text)) continue;
    const value = Number(text);
    if (text === '' || (value !== 0 && value !== 1)) {
      throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, column)}: ${quoteCell(text)} is not 0 or 1`);
    }
    out[row] = value;
  }
  return out;
}

/**
 * Where each answers label points among the submission's columns: the column of that name;
 * else the same number (`1` and a column `1.0`); else the name after the columns' common
 * prefix (class `1` is column `class_1` among `class_0, class_1, class_2`).
 */
function columnLookup(columns: readonly string[]): (label: string) => number | undefined {
  const exact = new Map(columns.map((name, i) => [name, i]));
  const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));
  const numeric = new Map<number, number>();
  columns.forEach((name, i) => {
    if (isNumber(name)) numeric.set(Number(name), i);
  });
  // Longest common prefix, cut back over trailing digits so that class_10, class_11 give
  // "class_" rather than "class_1".
  let prefix = columns.reduce((common, name) => {
    let i = 0;
    while (i < common.length && i < name.length && common[i] === name[i]) i++;
    return common.slice(0, i);
  });
  prefix = prefix.replace(/\d+$/, '');
  const suffixed = new Map<string, number>();
  if (prefix !== '') {
    columns.forEach((name, i) => {
      const rest = name.slice(prefix.length);
      suffixed.set(rest, i);
      if (isNumber(rest)) suffixed.set(String(Number(rest)), i);
    });
  }
  return (label) =>
    exact.get(label) ?? (isNumber(label) ? numeric.get(Number(label)) : undefined) ?? suffixed.get(label) ?? (isNumber(label) ? suffixed.get(String(Number(label))) : undefined);
}

/**
 * The truth for a probabilistic metric as one 0/1 column per submission column:
 * - one submission column: the answers hold 0/1 (binary; the column is P(class 1));
 * - several submission columns, one answers column: each answer is the name of its class's
 *   column (multiclass, one-vs-rest);
 * - several columns on both sides with the same names: the answers are 0/1 indicators
 *   (one-hot for multiclass, any number of ones for multi-label), matched by column name.
 */
export function classIndicators(metric: string, answers: GradingTable, submission: GradingTable): Uint8Array[] {
  requireRows(metric, answers);
  const k = submission.columns.length;
  if (k === 1) {
    if (answers.columns.length !== 1) throw new GradingError('invalid-answers', `${metric}: one probability column needs one 0/1 answers column, the competition gives ${answers.columns.length}`);
    return [binaryAnswers(answers, 0)];
  }
  if (answers.columns.length === 1) {
    const lookup = columnLookup(submission.columns);
    const truth = submission.columns.map(() => new Uint8Array(answers.rows.length));
    labelColumn(answers, 0, 'answers').forEach((label, row) => {
      const column = lookup(label);
      if (column === undefined) {
        throw new GradingError('invalid-answers', `answers file: ${cellLocation(answers, row, 0)}: class ${quoteCell(label)} is not one of the submission columns (${submission.columns.join(', ')})`);
      }
      truth[column]![row] = 1;
    });
    return truth;
  }
  const byName = new Map(answers.columns.map((name, i) => [name, i]));
  return submission.columns.map((name) => {
    const column = byName.get(name);
    if (column === undefined || answers.columns.length !== k) {
      throw new GradingError('invalid-answers', `${metric}: answers columns (${answers.columns.join(', ')}) do not match the submission columns (${submission.columns.join(', ')})`);
    }
    return binaryAnswers(answers, column);
  });
}

/** The submission's probability columns, each checked to lie in [0, 1] unless `allowAboveOne`. */
export function probabilityColumns(submission: GradingTable, options: { allowAboveOne?: boolean } = {}): Float64Array[] {
  return submission.columns.map((_, column) => {
    const values = numericColumn(submission, column, 'submission');
    values.forEach((value, row) => {
      if (value < 0 || (!options.allowAboveOne && value > 1)) {
        throw new GradingError('invalid-values', `${cellLocation(submission, row, column)}: probability ${quoteCell(submission.rows[row]?.[column] ?? '')} is outside [0, 1]`);
      }
    });
    return values;
  });
}
