import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SUBMISSION_FILE, type Competition } from './competition.js';
import type { GradingTable } from './graders/grader.js';
import { GraderRegistry } from './graders/grader-registry.js';
import { GradingError, type GradingErrorCode } from './grading-error.js';
import { CsvReadError, readCsvColumns } from './read-csv-columns.js';

/** A competition's answers, read once and reused for every submission graded against them. */
export interface AnswersTable {
  slug: string;
  idColumn: string;
  /** The target columns, in the competition's order. */
  columns: string[];
  ids: string[];
  rows: string[][];
  /** Row of each id. */
  index: Map<string, number>;
  /** Row of each numeric id by value, so `892.0` finds `892`; null when two ids share a value. */
  numericIndex: Map<number, number> | null;
}

export interface GradeSuccess {
  ok: true;
  score: number;
  metric: string;
  higherIsBetter: boolean;
  /** Rows graded (= rows of the answers). */
  rows: number;
  /** Things that did not stop grading but a person may want to know (ids matched by numeric value). */
  warnings: string[];
}

export interface GradeFailure {
  ok: false;
  code: GradingErrorCode;
  /** One line saying what is wrong, with examples of the ids or values at fault. */
  message: string;
  metric: string;
}

export type GradeOutcome = GradeSuccess | GradeFailure;

const NUMERIC_ID = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const EXAMPLES = 3;

function examples(values: readonly string[]): string {
  const shown = values.slice(0, EXAMPLES).map((value) => JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value));
  return values.length > EXAMPLES ? `${shown.join(', ')}, ...` : shown.join(', ');
}

/** Pick the id column and `wanted` from a header, or refuse the file naming what is missing. */
function pickColumns(header: readonly string[], idColumn: string, wanted: readonly string[], code: GradingErrorCode, file: string): number[] {
  const columns = [idColumn, ...wanted];
  const missing = columns.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    const caseHints = missing
      .map((column) => [column, header.find((name) => name.toLowerCase() === column.toLowerCase())] as const)
      .filter(([, near]) => near !== undefined)
      .map(([column, near]) => `"${near}" is not "${column}": names are case-sensitive`);
    // Control characters (a binary file, a stray \r) must not break the one-line message.
    const names = header.slice(0, 12).map((name) => name.replace(/[\u0000-\u001f\u007f]/g, '\ufffd'));
    const shownHeader = header.length > 12 ? `${names.join(', ')}, ...` : names.join(', ');
    throw new GradingError(code, `${file} lacks column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} (has: ${shownHeader})${caseHints.length > 0 ? `; ${caseHints.join('; ')}` : ''}`);
  }
  return columns.map((column) => header.indexOf(column));
}

/** Read and check a competition's answers file; any problem is an `invalid-answers` GradingError. */
export async function loadAnswers(competition: Competition): Promise<AnswersTable> {
  let table;
  try {
    table = await readCsvColumns(competition.answersPath, (header) => pickColumns(header, competition.idColumn, competition.targetColumns, 'invalid-answers', 'the answers file'));
  } catch (error) {
    if (error instanceof CsvReadError) throw new GradingError('invalid-answers', `answers file: ${error.message}`, { cause: error });
    throw error;
  }
  if (table.rows.length === 0) throw new GradingError('invalid-answers', `answers file ${competition.answersPath} has no rows`);
  const ids: string[] = [];
  const rows: string[][] = [];
  const index = new Map<string, number>();
  let numericIndex: Map<number, number> | null = new Map();
  for (const [id, ...cells] of table.rows) {
    if (id === undefined || id === '') throw new GradingError('invalid-answers', `answers file ${competition.answersPath} has a row without an id`);
    if (index.has(id)) throw new GradingError('invalid-answers', `answers file ${competition.answersPath} lists id ${JSON.stringify(id)} twice`);
    index.set(id, ids.length);
    if (numericIndex && NUMERIC_ID.test(id)) {
      const value = Number(id);
      // Two ids with one value ("01" and "1") make matching by value ambiguous: only exact then.
      if (numericIndex.has(value)) numericIndex = null;
      else numericIndex.set(value, ids.length);
    }
    ids.push(id);
    rows.push(cells);
  }
  return { slug: competition.slug, idColumn: competition.idColumn, columns: [...competition.targetColumns], ids, rows, index, numericIndex };
}

/**
 * Join a submission's rows to the answers by id. The error names the most specific problem:
 * duplicated ids; ids missing (the submission's ids are a subset of the answers'); ids not in
 * the answers (a superset); otherwise a wrong row count when both kinds of difference meet in
 * a submission of another length, and missing ids when the length is right.
 */
function alignRows(answers: AnswersTable, submissionIds: readonly string[], warnings: string[]): number[] {
  const seen = new Map<string, number>();
  const duplicates: string[] = [];
  for (const id of submissionIds) {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    if (count === 2) duplicates.push(id);
  }
  if (duplicates.length > 0) {
    throw new GradingError('duplicate-ids', `${duplicates.length} id${duplicates.length > 1 ? 's appear' : ' appears'} more than once in the submission: ${examples(duplicates)}`);
  }
  // submissionRowOf[answersRow] = the submission row holding that id.
  const submissionRowOf = new Array<number>(answers.ids.length).fill(-1);
  const extra: string[] = [];
  let numericMatches = 0;
  submissionIds.forEach((id, row) => {
    let answersRow = answers.index.get(id);
    if (answersRow === undefined && answers.numericIndex && NUMERIC_ID.test(id)) {
      answersRow = answers.numericIndex.get(Number(id));
      // Two submission ids with one value ("7" and "7.0") are a duplicate, not two matches.
      if (answersRow !== undefined && submissionRowOf[answersRow] !== -1) {
        throw new GradingError('duplicate-ids', `ids ${examples([submissionIds[submissionRowOf[answersRow]!]!, id])} in the submission are the same number`);
      }
      if (answersRow !== undefined) numericMatches++;
    }
    if (answersRow === undefined) extra.push(id);
    else submissionRowOf[answersRow] = row;
  });
  const missing = answers.ids.filter((_, answersRow) => submissionRowOf[answersRow] === -1);
  const expected = answers.ids.length;
  const got = submissionIds.length;
  if (missing.length > 0 && extra.length === 0) {
    throw new GradingError('missing-ids', `${missing.length} of ${expected} ids are missing from the submission (${got} rows): ${examples(missing)}`);
  }
  if (extra.length > 0 && missing.length === 0) {
    throw new GradingError('extra-ids', `${extra.length} submission ids are not in the answers (${got} rows, ${expected} expected): ${examples(extra)}`);
  }
  if (extra.length > 0) {
    const detail = `${missing.length} ids missing (${examples(missing)}), ${extra.length} not in the answers (${examples(extra)})`;
    if (got !== expected) throw new GradingError('wrong-row-count', `expected ${expected} rows, got ${got}: ${detail}`);
    throw new GradingError('missing-ids', `the submission has the right number of rows (${got}) but other ids: ${detail}`);
  }
  if (numericMatches > 0) warnings.push(`${numericMatches} ids matched the answers by numeric value only (e.g. written as floats)`);
  return submissionRowOf;
}

export interface GradeSubmissionOptions {
  /** Graders to find the competition's metric in (default: the built-in ones). */
  registry?: GraderRegistry;
  /** The competition's answers, when already loaded (grading many submissions). */
  answers?: AnswersTable;
}

/**
 * Rows read from a submission before giving up on it: far more than any legitimate file (twice
 * the answers, plus slack for small competitions), far less than a runaway loop can write.
 */
export function maxSubmissionRows(answerRows: number): number {
  return 2 * answerRows + 10_000;
}

function failure(code: GradingErrorCode, message: string, metric: string): GradeFailure {
  return { ok: false, code, message: message.split('\n')[0]!, metric };
}

/**
 * Grade a submission file against a competition: a score, or a grading error with a code and a
 * one-line message. Never throws: a bad submission, a bad answers file and a grader bug are
 * all outcomes to record, not crashes.
 */
export async function gradeSubmission(competition: Competition, submissionPath: string, options: GradeSubmissionOptions = {}): Promise<GradeOutcome> {
  const metric = competition.metric;
  try {
    const grader = (options.registry ?? new GraderRegistry()).get(metric);
    if (!grader) return failure('grader-failed', `no grader is registered for metric "${metric}"`, metric);
    const answers = options.answers ?? (await loadAnswers(competition));
    let submission;
    try {
      submission = await readCsvColumns(submissionPath, (header) => pickColumns(header, competition.idColumn, competition.submissionColumns, 'missing-columns', 'the submission'), {
        maxRows: maxSubmissionRows(answers.ids.length),
      });
    } catch (error) {
      if (error instanceof CsvReadError) return failure(error.reason, error.message, metric);
      throw error;
    }
    if (submission.truncated) {
      return failure('wrong-row-count', `expected ${answers.ids.length} rows, got more than ${submission.rows.length} (stopped reading there)`, metric);
    }
    const warnings: string[] = [];
    const submissionRowOf = alignRows(answers, submission.rows.map((row) => row[0]!), warnings);
    const answersTable: GradingTable = { ids: answers.ids, columns: answers.columns, rows: answers.rows };
    const submissionTable: GradingTable = {
      ids: answers.ids,
      columns: competition.submissionColumns,
      rows: submissionRowOf.map((row) => submission.rows[row]!.slice(1)),
    };
    let score: number;
    try {
      score = grader.grade(answersTable, submissionTable, competition.metricOptions);
    } catch (error) {
      if (error instanceof GradingError) throw error;
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return failure('grader-failed', `grader ${grader.id} failed: ${detail}`, metric);
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) return failure('metric-undefined', `${grader.id} gave no finite score (${String(score)}) for this submission`, metric);
    return { ok: true, score, metric, higherIsBetter: grader.higherIsBetter, rows: answers.ids.length, warnings };
  } catch (error) {
    if (error instanceof GradingError) return failure(error.code, error.message, metric);
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return failure('grader-failed', `grading failed unexpectedly: ${detail}`, metric);
  }
}

/**
 * Grade what a run left in its working directory (the host side of /kaggle/working): the
 * outcome for its submission.csv, or null when the notebook wrote none (status no-submission
 * or error). Only the exact name counts, as on Kaggle.
 */
export async function gradeWorkingDirectory(competition: Competition, workingDir: string, options: GradeSubmissionOptions = {}): Promise<GradeOutcome | null> {
  const path = join(workingDir, SUBMISSION_FILE);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return null;
  return gradeSubmission(competition, path, options);
}
