import type { Failure, FailureKind, Fix, FixKind, FixSafety, FixType, Match } from '@mle/core';
import { fixTypesForError } from './error-signature.js';
import { isApplicable } from './fix-safety.js';
import { formatMessage } from './format-message.js';

/** What one fix type said about one failure. */
export interface FixProposal {
  fixType: FixType;
  match: Match;
  /** Null when the rule reports without fixing (display-only, or it declined). */
  fix: Fix | null;
  /** The match's messages, formatted, in site order. */
  messages: string[];
  /** Whether the fix may be applied at the requested safety. */
  applicable: boolean;
}

/** A fix type threw in `match` or `fix`; the loop records it and goes on with the other rules. */
export interface FixTypeFailure {
  fixType: FixType;
  error: Error;
}

export interface ProposeOptions {
  /** The safety level the user accepts: `safe` (default) or `unsafe` (opt-in). */
  safety?: Exclude<FixSafety, 'display-only'>;
  /** Fix kinds to ask; by default the kind the failure dispatches to (a scan asks every kind). */
  kinds?: readonly FixKind[];
}

/** The loop's dispatch: a run's outcome decides which kind of fix to look for. */
export const KINDS_FOR_FAILURE: Readonly<Record<FailureKind, readonly FixKind[]>> = {
  error: ['error-repair'],
  timeout: ['runtime-reduction'],
  'wrong-score': ['score-calibration'],
  scan: ['error-repair', 'runtime-reduction', 'score-calibration'],
};

/**
 * Ask fix types about one failure, in the order given (the loop's priority): a cheap pre-dispatch
 * on error signatures, then `match`, then `fix`. A rule that throws is reported in `failures` and
 * skipped, so that one broken plugin cannot stop a repair.
 */
export function proposeFixes(fixTypes: readonly FixType[], failure: Failure, options: ProposeOptions = {}): { proposals: FixProposal[]; failures: FixTypeFailure[] } {
  const kinds = options.kinds ?? KINDS_FOR_FAILURE[failure.kind];
  const candidates = (failure.error ? fixTypesForError(fixTypes, failure.error) : [...fixTypes]).filter((fixType) => kinds.includes(fixType.meta.kind));
  const proposals: FixProposal[] = [];
  const failures: FixTypeFailure[] = [];
  for (const fixType of candidates) {
    try {
      const match = fixType.match(failure);
      if (!match) continue;
      const fix = fixType.meta.fixable === 'none' ? null : fixType.fix(match, failure);
      const messages = match.sites.map((site) => formatMessage(fixType.meta, site));
      proposals.push({ fixType, match, fix, messages, applicable: fix !== null && fix.edits.length > 0 && isApplicable(fix.safety, options.safety ?? 'safe') });
    } catch (error) {
      failures.push({ fixType, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return { proposals, failures };
}
