import type { FixSafety } from '@mle/core';

const RANK: Readonly<Record<FixSafety, number>> = { 'display-only': 0, unsafe: 1, safe: 2 };

/** Rank of a safety level: display-only < unsafe < safe (ruff's Applicability order). */
export function safetyRank(safety: FixSafety): number {
  return RANK[safety];
}

/** The less trusted of two safety levels: a fix is as safe as its least safe edit. */
export function leastSafe(a: FixSafety, b: FixSafety): FixSafety {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * Whether a fix of this safety may be applied when the user asked for `requested` (`safe` by
 * default, `unsafe` on opt-in). Display-only fixes are never applied.
 */
export function isApplicable(safety: FixSafety, requested: Exclude<FixSafety, 'display-only'> = 'safe'): boolean {
  return safety !== 'display-only' && RANK[safety] >= RANK[requested];
}
