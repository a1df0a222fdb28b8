import { GradingError, type GradingErrorCode } from '../grading-error.js';
import type { GradingTable } from './grader.js';

/** Which file a value came from: a bad answers file is the competition's fault, not the notebook's. */
export type TableSide = 'answers' | 'submission';

// pandas.read_csv's default NA strings: a notebook's `df.to_csv()` writes NaN as '' and a
// grader reading with pandas would see these as NaN, so they are missing values, not text.
const NA_TOKENS = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
// Decimal and scientific notation only: Number() would also take '0x1f', '1_000' is refused
// by both, and '' would become 0.
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^[+-]?(?:inf|infinity)$/i;

export type ParsedNumber = number | 'missing' | 'infinite' | 'text';

/** A cell as pandas would read it in a numeric column. */
export function parseNumber(text: string): ParsedNumber {
  if (NA_TOKENS.has(text)) return 'missing';
  if (NUMBER.test(text)) return Number(text);
  if (INFINITY.test(text)) return 'infinite';
  return 'text';
}

/** A GradingError blamed on the right party: any answers problem is `invalid-answers`. */
export function valueError(side: TableSide, code: GradingErrorCode, message: string): GradingError {
  return side === 'answers' ? new GradingError('invalid-answers', `answers file: ${message}`) : new GradingError(code, message);
}

/** `id 1017, column 'target'`: where a bad value is, in the words of the CSV file. */
export function cellLocation(table: GradingTable, row: number, column: number): string {
  return `id ${table.ids[row] ?? `#${row + 1}`}, column '${table.columns[column] ?? column}'`;
}

/** Show a cell in a message without letting a huge or multi-line value break the line. */
export function quoteCell(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return JSON.stringify(oneLine.length > 40 ? `${oneLine.slice(0, 37)}...` : oneLine);
}

/** One column as finite numbers; missing, infinite or non-numeric cells are grading errors. */
export function numericColumn(table: GradingTable, column: number, side: TableSide): Float64Array {
  const values = new Float64Array(table.rows.length);
  for (let row = 0; row < table.rows.length; row++) {
    const text = table.rows[row]?.[column] ?? '';
    const parsed = parseNumber(text);
    if (typeof parsed === 'number') {
      values[row] = parsed;
      continue;
    }
    const where = cellLocation(table, row, column);
    if (parsed === 'missing') throw valueError(side, 'nan-values', `${where}: missing value ${quoteCell(text)}`);
    if (parsed === 'infinite') throw valueError(side, 'nan-values', `${where}: infinite value ${quoteCell(text)}`);
    throw valueError(side, 'non-numeric', `${where}: ${quoteCell(text)} is not a number`);
  }
  return values;
}

/** Every column as numbers (regression metrics, probabilities). */
export function numericColumns(table: GradingTable, side: TableSide): Float64Array[] {
  return table.columns.map((_, column) => numericColumn(table, column, side));
}

/**
 * A column of class labels. Only an empty cell is missing: labels such as `NA` or `None` are
 * legitimate class names (a country code, a category) and stay text.
 */
export function labelColumn(table: GradingTable, column: number, side: TableSide): string[] {
  return table.rows.map((cells, row) => {
    const text = cells[column] ?? '';
    if (text === '') throw valueError(side, 'nan-values', `${cellLocation(table, row, column)}: missing label`);
    return text;
  });
}

/**
 * Comparable keys for two label columns, as pandas + scikit-learn compare them: when every
 * cell of both columns is a number, `1` and `1.0` are the same class (pandas reads both as
 * floats); otherwise labels are compared as text.
 */
export function labelKeys(answers: readonly string[], submission: readonly string[]): { answers: string[]; submission: string[]; numeric: boolean } {
  const numeric = [...answers, ...submission].every((text) => NUMBER.test(text));
  if (!numeric) return { answers: [...answers], submission: [...submission], numeric };
  const canonical = (text: string) => String(Number(text));
  return { answers: answers.map(canonical), submission: submission.map(canonical), numeric };
}

/** Sorted the way numpy's `unique` sorts labels: numerically for numbers, by code point for text. */
export function sortLabels(labels: Iterable<string>, numeric: boolean): string[] {
  const unique = [...new Set(labels)];
  return numeric ? unique.sort((a, b) => Number(a) - Number(b)) : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Both tables must have exactly one graded column (label and regression metrics on one target). */
export function requireSingleColumn(metric: string, answers: GradingTable, submission: GradingTable): void {
  if (answers.columns.length !== 1) throw new GradingError('invalid-answers', `${metric} grades one answers column, the competition gives ${answers.columns.length} (${answers.columns.join(', ')})`);
  if (submission.columns.length !== 1) throw new GradingError('invalid-answers', `${metric} grades one submission column, the competition lists ${submission.columns.length} (${submission.columns.join(', ')})`);
}

/** Column-wise metrics pair answers column i with submission column i. */
export function requireSameColumnCount(metric: string, answers: GradingTable, submission: GradingTable): void {
  if (answers.columns.length !== submission.columns.length || answers.columns.length === 0) {
    throw new GradingError('invalid-answers', `${metric} pairs answers and submission columns, but the competition gives ${answers.columns.length} answers and ${submission.columns.length} submission columns`);
  }
}

/** Rows without which no metric is defined: an empty answers file. */
export function requireRows(metric: string, answers: GradingTable): void {
  if (answers.rows.length === 0) throw new GradingError('invalid-answers', `${metric}: the answers file has no rows`);
}
