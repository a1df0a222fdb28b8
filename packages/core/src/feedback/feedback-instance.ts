/**
 * The feedback model: what a notebook cell does to tell its author how it is running.
 * Vocabulary from Shome et al., "Understanding Feedback Mechanisms in Machine Learning Jupyter
 * Notebooks" (see shared/reference/feedback-taxonomy.md): explicit feedback stops execution when a
 * condition fails (assertions), implicit feedback is output a person has to read (prints, the value
 * Jupyter shows for a cell's last expression).
 */

/**
 * Each mechanism has its own name so that the study's numbers can be reproduced by selecting
 * `assert`, `assert_call`, `print` (variant `call`) and `last_cell` (with an execute_result);
 * `guard`, `display`, `logging` and `stdout` are mle's extensions.
 */
export const MECHANISMS = ['assert', 'assert_call', 'guard', 'print', 'display', 'logging', 'stdout', 'last_cell'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export type FeedbackForm = 'explicit' | 'implicit';

export const MECHANISM_FORM: Readonly<Record<Mechanism, FeedbackForm>> = Object.freeze({
  assert: 'explicit',
  assert_call: 'explicit',
  guard: 'explicit',
  print: 'implicit',
  display: 'implicit',
  logging: 'implicit',
  stdout: 'implicit',
  last_cell: 'implicit',
});

/** The mechanisms the study counted; the others are extensions. */
export const STUDY_MECHANISMS: readonly Mechanism[] = Object.freeze(['assert', 'assert_call', 'print', 'last_cell']);

/** The study's categories for assertions (explicit feedback), plus `other`. */
export const EXPLICIT_CATEGORIES = [
  'data-shape',
  'data-validation',
  'model-performance',
  'existence',
  'resource',
  'type',
  'mathematical-property',
  'batch-size',
  'network-architecture',
  'data-leakage',
  'other',
] as const;

/** The study's categories for prints and last-cell statements (implicit feedback), plus `other`. */
export const IMPLICIT_CATEGORIES = [
  'model-performance',
  'data-distribution',
  'resource',
  'spot-check',
  'model-training',
  'missing-value',
  'shape',
  'data-relationship',
  'type',
  'execution-time',
  'network-architecture',
  'other',
] as const;

export type ExplicitCategory = (typeof EXPLICIT_CATEGORIES)[number];
export type ImplicitCategory = (typeof IMPLICIT_CATEGORIES)[number];
export type FeedbackCategory = ExplicitCategory | ImplicitCategory;

/**
 * Facts about an instance that change how it should be read or counted.
 * - `nested`: inside another call or an assert, where the study's visitor never looked.
 * - `in-function` / `in-loop`: runs only when the function is called / once per iteration.
 * - `in-error`: inside a region tree-sitter could not parse (a `partial` cell).
 * - `always-true`: `assert (cond, "msg")` asserts a non-empty tuple and never fails.
 * - `has-message`: an assertion with a failure message.
 * - `execute-result` / `no-execute-result`: for `last_cell`, whether the stored notebook shows an `Out[n]` for the cell.
 * - `literal`: a last-cell statement that is a bare literal (a string left as a note, a number).
 */
export type FeedbackFlag = 'nested' | 'in-function' | 'in-loop' | 'in-error' | 'always-true' | 'has-message' | 'execute-result' | 'no-execute-result' | 'literal';

export interface FeedbackInstance {
  /** Cell index in the notebook (0-based, counting every cell type). */
  cell: number;
  /** 1-based line within the cell. */
  line: number;
  mechanism: Mechanism;
  form: FeedbackForm;
  /**
   * Which form of the mechanism: for `print`, `call` (Python 3) or `statement` (Python 2
   * `print x`); for `stdout`, the function (`pprint`, `sys.stdout.write`, ...); for `logging`, the
   * logger (`logging`, `self.logger`); null otherwise.
   */
  variant: string | null;
  category: FeedbackCategory;
  /** 0..1: how sure the rule that chose the category is (see category-rules.ts). */
  confidence: number;
  /** The category rule that matched (`other` when none did). */
  ruleId: string;
  /** The statement or call, as written (magics masked), at most 500 characters. */
  code: string;
  /** For `last_cell`: the stored execute_result's text/plain, truncated; null otherwise or when absent. */
  output: string | null;
  /** For `assert_call`: numpy.testing | pandas.testing | tf.debugging | torch.testing | unittest | user-defined. */
  library: string | null;
  flags: FeedbackFlag[];
  /** The study's method would have counted this instance (same mechanism, cell parses under Python 3, not nested). */
  study: boolean;
}

/**
 * How mle read a cell: `ok` parsed without errors; `partial` parsed with syntax errors and analysed
 * where the tree is intact; `not-python` a foreign cell magic (`%%bash`, ...); `not-parsed` the
 * token pre-filter found nothing to look for, so only the cell's last statement was parsed.
 */
export type CellScanStatus = 'ok' | 'partial' | 'not-python' | 'not-parsed';

/**
 * What the study's method (Python 3 `ast.parse`, cell dropped on failure) would do with the cell,
 * as far as mle can tell: `ok`, or why it would be dropped.
 */
export type StudyParse = 'ok' | 'magic' | 'python2' | 'syntax-error' | 'not-python';

export interface CellFeedback {
  cell: number;
  status: CellScanStatus;
  studyParse: StudyParse;
  /** Lines blanked because they were IPython syntax (`%magic`, `!shell`, `x?`). */
  maskedLines: number;
  instances: FeedbackInstance[];
}

/** Longest `code` kept per instance. */
export const MAX_CODE_CHARS = 500;
/** Longest observed output kept per last-cell instance. */
export const MAX_OUTPUT_CHARS = 1000;
