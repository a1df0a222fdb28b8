/**
 * Fix types: the extension point through which `mle modernize` repairs notebooks.
 *
 * A fix type is shaped like a lint rule. `meta` says everything a tool needs without running it
 * (what the rule is, whether and how safely it fixes, its messages, the errors it answers);
 * `match` looks at a failure (an error, a timeout, a wrong score, or a proactive scan) and the
 * notebook's syntax trees and says where the problem is; `fix` turns a match into minimal cell
 * edits, or declines.
 *
 * These are plain types: nothing here depends on a parser library. Syntax trees reach a fix type
 * through {@link PythonSyntaxNode}, the read-only subset of tree-sitter's `Node` a rule needs; node
 * `type` strings are those of the tree-sitter-python grammar, which is deliberately part of the
 * contract.
 */

/** What a fix is for; the repair loop dispatches on the outcome of a run to one of these. */
export type FixKind = 'error-repair' | 'runtime-reduction' | 'score-calibration';

/** Whether a fix type can offer a fix at all (ruff's `FixAvailability`). */
export type FixAvailability = 'always' | 'sometimes' | 'none';

/**
 * How far a fix can be trusted (ruff's `Applicability`), from most to least trusted:
 * `safe` keeps the program's meaning; `unsafe` is valid code whose intent is uncertain (applied
 * only on request); `display-only` is shown as guidance, never applied.
 */
export type FixSafety = 'safe' | 'unsafe' | 'display-only';

/**
 * An error a fix type answers, checked before `match` runs (cheap pre-dispatch).
 * `name` is the exception class name as the kernel reports it (`ename`): subclasses are named
 * by their own name, so a rule lists `ModuleNotFoundError` and `ImportError` separately.
 */
export interface ErrorSignature {
  name: string;
  /** Tested against the error value (`evalue`); absent = any value. */
  value?: RegExp;
}

export interface FixTypeMeta {
  /** User-facing name, kebab-case (`numpy-deprecated-float-alias`). */
  id: string;
  /** Stable catalogue code (`BC002`); never reused for another rule. */
  code: string;
  kind: FixKind;
  /** One sentence: what the rule finds. */
  description: string;
  /** Where the rule's documentation page lives. */
  docsUrl: string;
  fixable: FixAvailability;
  /** The most trusted safety any of its fixes has; a single fix may be less safe, never more. */
  safety: FixSafety;
  /** Message templates by messageId, with `{{placeholder}}` filled from a site's `data`. */
  messages: Readonly<Record<string, string>>;
  /** Errors this rule answers. Absent: the rule only matches proactively (no error) or on any error. */
  errorSignatures?: readonly ErrorSignature[];
}

/** The exception a cell raised. */
export interface FailureError {
  /** Exception class name (`AttributeError`). */
  name: string;
  /** Exception message. */
  value: string;
  /** Traceback lines as the kernel sent them (may contain ANSI colour codes). */
  traceback: readonly string[];
}

/**
 * What the loop saw: `error` (a cell raised), `timeout` (the run went over its budget),
 * `wrong-score` (ran clean but the score is off), or `scan` (no failure: the loop asks the rule
 * proactively, over one cell or every cell).
 */
export type FailureKind = 'error' | 'timeout' | 'wrong-score' | 'scan';

/** The Python environment the notebook ran in. */
export interface FixEnvironment {
  /** Interpreter version (`3.11.7`); null when unknown. */
  python: string | null;
  /** Installed distributions, name (lowercase, `-` separated) → version. Empty when unknown. */
  pins: Readonly<Record<string, string>>;
}

/** How far the score was from the reported one, for score-calibration rules. */
export interface ScoreGap {
  /** Null when the run produced no gradable submission. */
  score: number | null;
  reported: number;
  higherIsBetter: boolean;
}

/** The part of a notebook cell a fix type sees; `NormalizedCell` from `@mle/core` is one. */
export interface FixCell {
  /** 0-based position in the notebook, counting every cell type. */
  index: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
}

export interface FixNotebook {
  cells: readonly FixCell[];
  /**
   * The day the notebook was published (ISO 8601, `2023-05-22` or a full timestamp), when known.
   * It bounds the library versions the notebook was run with: a release made after it cannot have
   * been installed, so rules that restore a default of the notebook's era can trust it.
   */
  date?: string | null;
}

/** A position in a cell: 0-based row, column in UTF-16 code units (JavaScript string indices). */
export interface SyntaxPoint {
  row: number;
  column: number;
}

/**
 * A node of a cell's syntax tree (the read-only part of web-tree-sitter's `Node` a rule needs).
 * `type` is a tree-sitter-python node type (`call`, `attribute`, `keyword_argument`, ...).
 * Offsets (`startIndex`, `endIndex`) refer to the *parsed* text, in which IPython syntax is
 * masked; convert them with {@link CellSyntax.rangeOf} before building edits.
 * Nodes are valid only while the failure that produced them is alive (during `match`/`fix`).
 */
export interface PythonSyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly isError: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: SyntaxPoint;
  readonly endPosition: SyntaxPoint;
  readonly parent: PythonSyntaxNode | null;
  readonly children: readonly PythonSyntaxNode[];
  readonly namedChildren: readonly PythonSyntaxNode[];
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly nextSibling: PythonSyntaxNode | null;
  readonly previousSibling: PythonSyntaxNode | null;
  readonly nextNamedSibling: PythonSyntaxNode | null;
  readonly previousNamedSibling: PythonSyntaxNode | null;
  child(index: number): PythonSyntaxNode | null;
  namedChild(index: number): PythonSyntaxNode | null;
  childForFieldName(fieldName: string): PythonSyntaxNode | null;
  childrenForFieldName(fieldName: string): readonly PythonSyntaxNode[];
  fieldNameForChild(index: number): string | null;
  descendantsOfType(types: string | string[]): readonly PythonSyntaxNode[];
}

/** A half-open range of UTF-16 offsets `[start, end)` in a cell's source. */
export interface SourceRange {
  start: number;
  end: number;
}

/** A parsed code cell. */
export interface CellSyntax {
  cellIndex: number;
  /** The cell's source as in the notebook; edit offsets refer to it. */
  source: string;
  /** `ok`: no syntax errors; `partial`: errors, tree intact elsewhere (Python 2 cells parse fully). */
  status: 'ok' | 'partial';
  root: PythonSyntaxNode;
  /** 1-based lines that held IPython syntax (`%magic`, `!shell`), blanked before parsing. */
  maskedLines: readonly number[];
  /** The node's range in `source` (tree offsets refer to the masked text, which may differ). */
  rangeOf(node: PythonSyntaxNode): SourceRange;
}

/** What `match` and `fix` receive. */
export interface Failure {
  kind: FailureKind;
  /** The exception, for `kind: 'error'`; null otherwise. */
  error: FailureError | null;
  /** The failing cell, or for a scan the cell to look at; null = the whole notebook. */
  cellIndex: number | null;
  notebook: FixNotebook;
  environment: FixEnvironment;
  score: ScoreGap | null;
  /**
   * The cell's syntax tree, parsed on first request and shared by every rule asked about this
   * failure; null for non-code cells and cell magics whose body is not Python.
   */
  syntax(cellIndex: number): CellSyntax | null;
}

/** One place a match points at, reported with a message by id. */
export interface MatchSite {
  messageId: string;
  /** Values for the message's `{{placeholders}}`. */
  data: Readonly<Record<string, string>>;
  cellIndex: number;
  /** 1-based line and column within the cell (columns in UTF-16 code units), as ESLint and ruff report them. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * What a fix type found. `details` is the rule's own payload for its `fix` (keep plain data there,
 * not syntax nodes: trees are freed once the loop is done with the failure).
 */
export interface Match<Details = unknown> {
  sites: readonly MatchSite[];
  details: Details;
}

/**
 * A minimal edit to one cell. Ranges are UTF-16 offsets into the cell source as it was when the
 * edits were made; the edits of one fix must not overlap, so that fixes compose.
 * `insert-cell` puts a new cell before the cell now at `beforeIndex` (the cell count = append).
 */
export type CellEdit =
  | { kind: 'replace-range'; cellIndex: number; start: number; end: number; text: string }
  | { kind: 'replace-cell'; cellIndex: number; source: string }
  | { kind: 'insert-cell'; beforeIndex: number; cellType: 'code' | 'markdown'; source: string }
  | { kind: 'delete-cell'; cellIndex: number };

export interface Fix {
  /** What the fix does, imperative (`Replace np.float with float`). */
  title: string;
  safety: FixSafety;
  edits: readonly CellEdit[];
}

/**
 * A repair rule. `match` returns null when the failure is not its business; `fix` returns null to
 * decline (the rewrite would not provably keep meaning, or the environment is too old for it).
 */
export interface FixType<Details = unknown> {
  meta: FixTypeMeta;
  match(failure: Failure): Match<Details> | null;
  fix(match: Match<Details>, failure: Failure): Fix | null;
}
