import type { CellEdit, FixEnvironment, FixSafety, FixType, NormalizedNotebook } from '@mle/core';
import { applyEdits, OverlappingEditsError } from './apply-edits.js';
import { createFailure } from './failure-context.js';
import { proposeFixes, type FixTypeFailure } from './propose-fixes.js';

/** A fix that `fixAll` applied. */
export interface AppliedFix {
  pass: number;
  code: string;
  fixTypeId: string;
  title: string;
  safety: FixSafety;
  edits: readonly CellEdit[];
}

/** Something a rule reported but did not fix (guidance, a declined fix, an unsafe fix not asked for). */
export interface FixHint {
  code: string;
  fixTypeId: string;
  cellIndex: number;
  line: number;
  message: string;
  /** Why there is no applied fix. */
  reason: 'display-only' | 'declined' | 'unsafe' | 'conflict';
}

export interface FixAllOptions {
  environment?: Partial<FixEnvironment>;
  safety?: Exclude<FixSafety, 'display-only'>;
  /** Passes over the notebook; each pass applies every non-conflicting fix, then re-parses. */
  maxPasses?: number;
}

export interface FixAllResult {
  notebook: NormalizedNotebook;
  applied: AppliedFix[];
  hints: FixHint[];
  failures: FixTypeFailure[];
  passes: number;
}

/**
 * Apply rule fixes proactively, without running the notebook (like `eslint --fix`): scan every
 * cell with every fix type, apply the applicable fixes whose edits do not overlap, re-parse, and
 * repeat until nothing changes or `maxPasses` is reached. A fix that overlaps one already taken in
 * a pass waits for the next pass, where it is matched against the edited code (rules that touch the
 * same call, such as BC072 and BC073, compose this way).
 */
export async function fixAll(notebook: NormalizedNotebook, fixTypes: readonly FixType[], options: FixAllOptions = {}): Promise<FixAllResult> {
  const maxPasses = options.maxPasses ?? 10;
  const applied: AppliedFix[] = [];
  const failures: FixTypeFailure[] = [];
  let current = notebook;
  let pass = 0;
  let hints: FixHint[] = [];
  while (pass < maxPasses) {
    pass++;
    const failure = await createFailure({ kind: 'scan', notebook: current, environment: options.environment ?? {} });
    let next = current;
    const edits: CellEdit[] = [];
    hints = [];
    try {
      const result = proposeFixes(fixTypes, failure, { safety: options.safety ?? 'safe' });
      failures.push(...result.failures);
      for (const proposal of result.proposals) {
        const { meta } = proposal.fixType;
        let reason: FixHint['reason'] | null = null;
        if (proposal.applicable && proposal.fix) {
          try {
            next = applyEdits(current, [...edits, ...proposal.fix.edits]);
            edits.push(...proposal.fix.edits);
            applied.push({ pass, code: meta.code, fixTypeId: meta.id, title: proposal.fix.title, safety: proposal.fix.safety, edits: proposal.fix.edits });
          } catch (error) {
            if (!(error instanceof OverlappingEditsError)) throw error;
            reason = 'conflict';
          }
        } else {
          reason = meta.fixable === 'none' ? 'display-only' : proposal.fix === null ? 'declined' : 'unsafe';
        }
        if (reason) {
          proposal.match.sites.forEach((site, index) => hints.push({ code: meta.code, fixTypeId: meta.id, cellIndex: site.cellIndex, line: site.line, message: proposal.messages[index]!, reason }));
        }
      }
    } finally {
      failure.dispose();
    }
    if (edits.length === 0) break;
    current = next;
  }
  return { notebook: current, applied, hints: hints.filter((hint) => hint.reason !== 'conflict'), failures, passes: pass };
}
