/**
 * Why a submission got no score. The first nine are faults of the submission file; the last
 * four say the score is undefined for reasons a notebook author cannot fix (the answers file,
 * the metric on these answers, a plugin grader's bug), so reports can tell them apart.
 */
export const GRADING_ERROR_CODES = [
  'missing-file',
  'unreadable-csv',
  'missing-columns',
  'wrong-row-count',
  'missing-ids',
  'duplicate-ids',
  'extra-ids',
  'nan-values',
  'non-numeric',
  /** A value of the right type outside the metric's domain: p > 1, RMSLE below -1, an unknown class. */
  'invalid-values',
  /** The competition's answers file is missing, unreadable or inconsistent with the metric. */
  'invalid-answers',
  /** The metric is undefined on these answers (ROC AUC with one class, kappa with one label). */
  'metric-undefined',
  /** A grader threw something other than a GradingError: a bug in the grader. */
  'grader-failed',
] as const;

export type GradingErrorCode = (typeof GRADING_ERROR_CODES)[number];

/** A submission could not be scored; `message` is one line naming the row, column or value at fault. */
export class GradingError extends Error {
  override name = 'GradingError';
  constructor(
    readonly code: GradingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isGradingErrorCode(value: unknown): value is GradingErrorCode {
  return typeof value === 'string' && (GRADING_ERROR_CODES as readonly string[]).includes(value);
}
