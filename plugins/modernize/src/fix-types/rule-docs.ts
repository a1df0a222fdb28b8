/**
 * The prose of a built-in rule's documentation page, in ruff's order. Kept beside the rule's
 * code and rendered with its meta into `docs/<code>-<id>.md`, so the page cannot drift from the rule.
 */
export interface RuleDocs {
  /** One sentence, present tense: what the rule finds. */
  whatItDoes: string;
  /** Why the old code fails now, with the deprecated and removed versions. */
  why: string;
  /** Code that breaks (Python). */
  example: string;
  /** The same code after the fix, or the manual replacement for a display-only rule. */
  useInstead: string;
  /** Cases the rule misses or gets wrong. */
  knownProblems?: string;
  /** When the fix is safe, when unsafe, when it declines. */
  fixSafety: string;
  references: readonly { title: string; url: string }[];
  /**
   * The error the example raises, for rules that match only while repairing one (`Name: value`);
   * `line` is the example's line the traceback points at. Absent: the example is matched by a scan.
   */
  exampleFailure?: { error: string; line?: number };
  /** The example notebook's publication date, for rules that depend on the notebook's era. */
  exampleNotebookDate?: string;
}
