import type { FixKind } from '@mle/core';
import type { RunCellRow, RunCellStatus, RunRow, RunStatus } from '@mle/runner';
import { failingLine } from './error-signature.js';

/** What the loop needs to know about one run of one state of the notebook. */
export interface ObservedRun {
  runId: number;
  status: RunStatus;
  errorName: string | null;
  errorValue: string | null;
  /** Traceback lines as the kernel sent them (ANSI colour codes included). */
  traceback: string[];
  /** Position of the failing cell in the notebook that ran. */
  failingCell: number | null;
  score: number | null;
  reportedScore: number | null;
  relativeError: number | null;
  wallMs: number | null;
  /** The executed notebook the run wrote (outputs included), when it wrote one. */
  outputPath: string | null;
  /** Status of each cell that ran, by position in the notebook that ran. */
  cells: ReadonlyMap<number, RunCellStatus>;
}

export function observedRun(row: RunRow, cells: readonly RunCellRow[]): ObservedRun {
  return {
    runId: row.id,
    status: row.status,
    errorName: row.error_name,
    errorValue: row.error_value,
    traceback: row.traceback ? row.traceback.split('\n') : [],
    failingCell: row.failing_cell,
    score: row.score,
    reportedScore: row.reported_score,
    relativeError: row.relative_error,
    wallMs: row.wall_ms,
    outputPath: row.output_path,
    cells: new Map(cells.map((cell) => [cell.cell_idx, cell.status])),
  };
}

/**
 * Whether the loop is done: the score reproduces, or the notebook has nothing to compare against
 * (no competition or no reported score) and now runs to the end (`completed`): for such a notebook
 * a clean run is the best outcome there is.
 */
export function isGoal(run: Pick<ObservedRun, 'status'>): boolean {
  return run.status === 'reproduced' || run.status === 'completed';
}

/** A run that stopped on a cell's exception (its status may still be graded, e.g. a submission written before the error). */
export function hasCellError(run: ObservedRun): boolean {
  return run.errorName !== null && run.failingCell !== null && run.status !== 'timeout' && run.status !== 'env-failed';
}

/**
 * The loop's dispatch (the study's, made explicit): a timeout asks for runtime reduction; a cell
 * error (or a dead kernel) for error repair — even when a submission written before the error was
 * graded, since the error is the first thing wrong; a clean run whose score is off, or that wrote
 * no gradable submission, for score calibration. Null: nothing to repair (goal) or nothing
 * repairable (the environment failed).
 */
export function dispatchKind(run: ObservedRun): FixKind | null {
  if (isGoal(run) || run.status === 'env-failed') return null;
  if (run.status === 'timeout') return 'runtime-reduction';
  if (run.status === 'error' || run.status === 'kernel-died' || hasCellError(run)) return 'error-repair';
  return 'score-calibration';
}

/**
 * How good a run is, best first (documented in the README's "acceptance" section):
 * reproduced (7) > completed (6) > score-mismatch (5) > grading-error (4) > no-submission (3) >
 * error = timeout = kernel-died (2) > env-failed (0). Within a tier: a smaller relative error (score
 * mismatches), then more of the original cells run to completion, then (same failing cell) a
 * runtime error beats a compile error, then fewer lines of the failing cell left after the line
 * that raised (counted from the end, so lines a fix inserts above do not count as progress).
 */
const TIER: Readonly<Record<RunStatus, number>> = {
  reproduced: 7,
  completed: 6,
  'score-mismatch': 5,
  'grading-error': 4,
  'no-submission': 3,
  error: 2,
  timeout: 2,
  'kernel-died': 2,
  'env-failed': 0,
};

export interface RunProgress {
  tier: number;
  /** Relative error of a graded score; Infinity without one. */
  relativeError: number;
  /** Original cells (not inserted ones) that ran without error. */
  okCells: number;
  /** 0 when the failing cell did not even compile (SyntaxError and kin), else 1. */
  compiled: number;
  /** Lines of the failing cell after the line that raised; Infinity when unknown. */
  remainingLines: number;
}

const COMPILE_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);

/**
 * The progress of a run of a notebook state. `origins[i]` is the original position of the cell now
 * at position i (null for a cell a fix inserted); `sources[i]` its source.
 */
export function runProgress(run: ObservedRun, origins: readonly (number | null)[], sources: readonly string[]): RunProgress {
  let okCells = 0;
  for (const [position, status] of run.cells) if (status === 'ok' && origins[position] !== null && origins[position] !== undefined) okCells++;
  let remainingLines = Number.POSITIVE_INFINITY;
  if (run.failingCell !== null && run.errorName !== null) {
    const line = failingLine(run.traceback);
    const source = sources[run.failingCell];
    if (line !== null && source !== undefined) remainingLines = Math.max(0, source.split('\n').length - line);
  }
  return {
    tier: TIER[run.status],
    relativeError: run.relativeError ?? Number.POSITIVE_INFINITY,
    okCells,
    compiled: run.errorName !== null && COMPILE_ERRORS.has(run.errorName) ? 0 : 1,
    remainingLines,
  };
}

/** Relative errors closer than this are a tie (float noise in a re-graded identical submission). */
const RELATIVE_ERROR_EPSILON = 1e-9;

/** Positive when `a` is better than `b`, negative when worse, 0 for a tie. */
export function compareProgress(a: RunProgress, b: RunProgress): number {
  if (a.tier !== b.tier) return a.tier - b.tier;
  if (Number.isFinite(a.relativeError) || Number.isFinite(b.relativeError)) {
    if (!Number.isFinite(a.relativeError)) return -1;
    if (!Number.isFinite(b.relativeError)) return 1;
    if (Math.abs(a.relativeError - b.relativeError) > RELATIVE_ERROR_EPSILON) return b.relativeError - a.relativeError;
  }
  if (a.okCells !== b.okCells) return a.okCells - b.okCells;
  if (a.compiled !== b.compiled) return a.compiled - b.compiled;
  if (a.remainingLines !== b.remainingLines) {
    if (!Number.isFinite(a.remainingLines)) return -1;
    if (!Number.isFinite(b.remainingLines)) return 1;
    return b.remainingLines - a.remainingLines;
  }
  return 0;
}

/** A cell that ran cleanly before a fix and fails after it. */
export interface Regression {
  /** Original position of the cell. */
  originalCell: number;
  status: RunCellStatus;
}

const FAILED_CELL: ReadonlySet<RunCellStatus> = new Set(['error', 'timeout', 'kernel-died']);

/**
 * The regression guard: the first original cell that was `ok` in the run before the fix and
 * failed in the run after it. Cells a fix inserted have no "before" and are not compared.
 */
export function findRegression(before: ObservedRun, beforeOrigins: readonly (number | null)[], after: ObservedRun, afterOrigins: readonly (number | null)[]): Regression | null {
  const passedBefore = new Set<number>();
  for (const [position, status] of before.cells) {
    const origin = beforeOrigins[position];
    if (status === 'ok' && origin !== null && origin !== undefined) passedBefore.add(origin);
  }
  const failures: Regression[] = [];
  for (const [position, status] of after.cells) {
    const origin = afterOrigins[position];
    if (origin !== null && origin !== undefined && passedBefore.has(origin) && FAILED_CELL.has(status)) failures.push({ originalCell: origin, status });
  }
  failures.sort((a, b) => a.originalCell - b.originalCell);
  return failures[0] ?? null;
}

/** One line about a run, for reasons, prompts and summaries. */
export function describeRun(run: ObservedRun): string {
  const error = run.errorName ? ` ${run.errorName}${run.errorValue ? `: ${firstLine(run.errorValue)}` : ''}${run.failingCell !== null ? ` (cell ${run.failingCell})` : ''}` : '';
  const score =
    run.score !== null
      ? ` score ${formatNumber(run.score)}${run.reportedScore !== null ? ` vs reported ${formatNumber(run.reportedScore)}${run.relativeError !== null ? ` (relative error ${(run.relativeError * 100).toFixed(1)}%)` : ''}` : ''}`
      : '';
  return `${run.status}${score}${error}`;
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}
