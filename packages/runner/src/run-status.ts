import type { GradeOutcome } from './grade-submission.js';
import type { GradingErrorCode } from './grading-error.js';
import { DEFAULT_TOLERANCE, relativeError, withinTolerance } from './reproducibility.js';

/**
 * How a run ended, one word each (stored in `runs.status`):
 * - `reproduced` / `score-mismatch`: graded, and the score is / is not within the criterion of
 *   the reported score (cells may still have raised: `error_name` then says which, the study's
 *   "error reproducible" class);
 * - `completed`: ran to the end with nothing to compare: no competition (mle as a plain
 *   notebook runner) or no reported score;
 * - `error`: a cell raised and the run has no verdict: no score came out, or a submission written
 *   before the error was graded but there is no reported score to compare it with;
 * - `timeout`: the cell or notebook budget ran out;
 * - `kernel-died`: the kernel process ended mid-run (signal or OOM in `error_name`);
 * - `no-submission`: ran cleanly but wrote no submission.csv;
 * - `grading-error`: wrote a submission.csv that could not be graded (`grading_error_code`);
 * - `env-failed`: the environment could not be built or the kernel not started.
 */
export const RUN_STATUSES = ['reproduced', 'score-mismatch', 'completed', 'error', 'timeout', 'kernel-died', 'no-submission', 'grading-error', 'env-failed'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value);
}

export interface RunStatusFacts {
  /** How execution ended; `completed` means every cell ran, errors allowed or not. */
  execution: 'completed' | 'timeout' | 'kernel-died' | 'env-failed';
  /** Some cell raised (execution may have gone on with allow_errors, or stopped there). */
  cellError: boolean;
  /**
   * The grading of the submission: `undefined` when there is nothing to grade against (no
   * competition), `null` when the run wrote no submission.csv.
   */
  grading: GradeOutcome | null | undefined;
  /** The verdict when the run has a score and the notebook a reported score; otherwise null. */
  reproducible: boolean | null;
}

/**
 * The one status of a run. Failures of the run itself come first (they leave nothing worth
 * grading: the study counts a timed-out run as failed even if a stale submission exists);
 * then a graded score decides, even after a cell error; then the error, then what is missing.
 */
export function deriveRunStatus(facts: RunStatusFacts): RunStatus {
  if (facts.execution !== 'completed') return facts.execution;
  const { grading } = facts;
  if (grading === undefined) return facts.cellError ? 'error' : 'completed';
  if (grading === null) return facts.cellError ? 'error' : 'no-submission';
  if (!grading.ok) return 'grading-error';
  if (facts.reproducible === true) return 'reproduced';
  if (facts.reproducible === false) return 'score-mismatch';
  return facts.cellError ? 'error' : 'completed';
}

export interface RunOutcomeInput extends Omit<RunStatusFacts, 'reproducible'> {
  /** The notebook's reported score; null when it has none. */
  reportedScore: number | null;
  /** Relative-error tolerance of the per-run verdict (default 10%). */
  tolerance?: number;
}

/** The grading columns of a `runs` row, with the status they imply. */
export interface RunOutcome {
  status: RunStatus;
  score: number | null;
  reportedScore: number | null;
  relativeError: number | null;
  /** This attempt alone, by relative error; null without a score or a reported score. */
  reproducible: boolean | null;
  gradingErrorCode: GradingErrorCode | null;
  gradingError: string | null;
  warnings: string[];
}

/**
 * Everything a run row needs from grading: the score or the grading error, the per-run
 * verdict (relative error within tolerance; the verdict over repeats is judgeReproducibility's),
 * and the status. The executor supplies how execution ended.
 */
export function runOutcome(input: RunOutcomeInput): RunOutcome {
  const { grading, reportedScore } = input;
  const score = grading?.ok ? grading.score : null;
  const comparable = score !== null && reportedScore !== null && Number.isFinite(reportedScore);
  const reproducible = comparable ? withinTolerance(score, reportedScore, input.tolerance ?? DEFAULT_TOLERANCE) : null;
  return {
    status: deriveRunStatus({ ...input, reproducible }),
    score,
    reportedScore,
    relativeError: comparable ? relativeError(score, reportedScore) : null,
    reproducible,
    gradingErrorCode: grading && !grading.ok ? grading.code : null,
    gradingError: grading && !grading.ok ? grading.message : null,
    warnings: grading?.ok ? grading.warnings : [],
  };
}
