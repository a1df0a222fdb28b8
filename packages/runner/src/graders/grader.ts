/**
 * The graded part of a CSV file: the rows of the answers and of the submission, already joined
 * on the id column and in the same order (row i of both tables is the same id), with only the
 * columns the competition grades. Cells are the text the file holds, trimmed.
 */
export interface GradingTable {
  /** The id of each row, for error messages. */
  readonly ids: readonly string[];
  /** Column names, in the order the competition lists them (not the file's). */
  readonly columns: readonly string[];
  /** One array of cells per row, `columns.length` long. */
  readonly rows: readonly (readonly string[])[];
}

/** A metric's settings from `competition.json`'s `metric_options` (JSON, snake_case keys). */
export type GraderOptions = Readonly<Record<string, unknown>>;

/**
 * A competition metric. Implement this in a plugin to grade competitions whose metric mle does
 * not know; register it with {@link GraderRegistry.register}.
 *
 * The answers table holds the competition's `target_columns` and the submission table its
 * `submission_columns` (by default the same); the grader decides what shapes it accepts (one
 * class column against one probability column per class, say).
 */
export interface Grader {
  /** Kebab-case name used in `competition.json`'s `metric` (`roc-auc`). */
  readonly id: string;
  /** What a person calls it (`ROC AUC`). */
  readonly title: string;
  readonly higherIsBetter: boolean;
  /** One sentence: what is computed, and the reference implementation it matches. */
  readonly description: string;
  /**
   * Throw an Error with a one-line message when `options` cannot work; called when a
   * competition is loaded, so a bad `metric_options` fails before any notebook runs.
   */
  checkOptions?(options: GraderOptions): void;
  /**
   * The score. Bad values throw a {@link GradingError} whose code says whose fault it is:
   * `nan-values`, `non-numeric`, `invalid-values` for the submission, `invalid-answers` for the
   * answers, `metric-undefined` when no score exists for these answers. Never return NaN.
   */
  grade(answers: GradingTable, submission: GradingTable, options: GraderOptions): number;
}
