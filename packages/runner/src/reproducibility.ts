import { studentTTwoSided } from './student-t.js';

/** A run reproduces when its score is within 10% of the reported one (the study's criterion). */
export const DEFAULT_TOLERANCE = 0.1;
/** With repeated runs, p >= 0.05 (no significant difference from the reported score) reproduces. */
export const DEFAULT_ALPHA = 0.05;
// Relative errors are computed in floating point: 0.72 against 0.8 comes out a hair above
// 0.1. A score that sits on the boundary as written must not fail by rounding.
const BOUNDARY_SLACK = 1e-12;

/**
 * |score - reported| / |reported|. A reported score of 0 has no relative scale: the error is 0
 * when the score is 0 too and undefined (null) otherwise. The corpus excludes reported scores
 * of 0 (meta-kaggle.md §2), so this only matters for hand-made inputs.
 */
export function relativeError(score: number, reported: number): number | null {
  if (!Number.isFinite(score) || !Number.isFinite(reported)) return null;
  if (reported === 0) return score === 0 ? 0 : null;
  return Math.abs(score - reported) / Math.abs(reported);
}

/** The single-run criterion: relative error within `tolerance` (default 10%). */
export function withinTolerance(score: number, reported: number, tolerance: number = DEFAULT_TOLERANCE): boolean {
  const error = relativeError(score, reported);
  return error !== null && error <= tolerance + BOUNDARY_SLACK;
}

export interface TTestResult {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator). */
  sd: number;
  /** t = (mean - popmean) / (sd / √n); ±Infinity when sd = 0 and mean ≠ popmean, NaN when both are 0. */
  statistic: number;
  df: number;
  /** Two-sided p-value; NaN when the statistic is NaN or n < 2. */
  pValue: number;
}

/** The one-sample t-test of `scores` against `popmean`, as `scipy.stats.ttest_1samp` computes it. */
export function oneSampleTTest(scores: readonly number[], popmean: number): TTestResult {
  const n = scores.length;
  const mean = scores.reduce((sum, x) => sum + x, 0) / n;
  // Two-pass variance, like numpy's var(ddof=1).
  const variance = n > 1 ? scores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1) : Number.NaN;
  const sd = Math.sqrt(variance);
  const statistic = (mean - popmean) / Math.sqrt(variance / n);
  const df = n - 1;
  return { n, mean, sd, statistic, df, pValue: n > 1 ? studentTTwoSided(statistic, df) : Number.NaN };
}

/**
 * The ISSTA revision's score transform (MLEModernizer `verification/entrypoint.py`):
 * log1p(max(0, |x|)), then min-max scaled by the range of the transformed *reported* scores
 * of the competition's notebooks (left unscaled when that range is empty), negated when lower
 * is better. The scaling is affine, so only the log changes what the t-test sees; it is kept
 * so that normalised scores compare with the study's.
 */
export function isstaNormaliser(competitionReportedScores: readonly number[], higherIsBetter: boolean): (score: number) => number {
  const transform = (x: number) => Math.log1p(Math.max(0, Math.abs(x)));
  const logs = competitionReportedScores.filter(Number.isFinite).map(transform);
  const min = logs.length > 0 ? Math.min(...logs) : 0;
  const max = logs.length > 0 ? Math.max(...logs) : 0;
  return (score) => {
    let value = transform(score);
    if (max > min) value = (value - min) / (max - min);
    return higherIsBetter ? value : -value;
  };
}

export type VerdictCriterion = 'relative-error' | 't-test' | 't-test-issta';

export interface VerdictOptions {
  /** Largest relative error that still reproduces (default 0.1). */
  tolerance?: number;
  /** Significance level of the t-test: p >= alpha reproduces (default 0.05). */
  alpha?: number;
  /**
   * How several differing scores are judged: a t-test on the raw scores (`t-test`, default), or
   * on ISSTA-normalised ones (`t-test-issta`, which needs `issta`).
   */
  test?: 't-test' | 't-test-issta';
  /** The competition's reported scores (the normalisation range) and the metric's direction. */
  issta?: { competitionReportedScores: readonly number[]; higherIsBetter: boolean };
}

export interface Verdict {
  criterion: VerdictCriterion;
  reproducible: boolean;
  /** Runs with a finite score: the evidence. */
  runs: number;
  meanScore: number | null;
  reportedScore: number;
  /** Of the mean score. */
  relativeError: number | null;
  statistic: number | null;
  pValue: number | null;
  /** One line: which criterion decided and what it found. */
  reason: string;
}

const percent = (x: number | null) => (x === null ? 'undefined' : `${(100 * x).toPrecision(3)}%`);

/**
 * Whether a notebook's runs reproduce its reported score.
 *
 * - One scored run, or several that all scored the same (a deterministic notebook): relative
 *   error within `tolerance`. A t-test on identical values is degenerate (p is 0 or NaN
 *   whatever the distance); the ISSTA pipeline likewise only t-tests notebooks whose reruns
 *   differ.
 * - Several differing scores: a one-sample t-test against the reported score (raw, or
 *   ISSTA-normalised); p >= alpha reproduces. A NaN p-value (ISSTA scores that normalise to
 *   one value) does not.
 * - No scored run: not reproducible.
 */
export function judgeReproducibility(scores: readonly (number | null | undefined)[], reported: number, options: VerdictOptions = {}): Verdict {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const finite = scores.filter((score): score is number => typeof score === 'number' && Number.isFinite(score));
  const base = { reportedScore: reported, runs: finite.length, statistic: null, pValue: null };
  if (finite.length === 0) {
    return { ...base, criterion: 'relative-error', reproducible: false, meanScore: null, relativeError: null, reason: 'no run produced a score' };
  }
  const mean = finite.reduce((sum, x) => sum + x, 0) / finite.length;
  const error = relativeError(mean, reported);
  if (finite.every((score) => score === finite[0])) {
    const reproducible = withinTolerance(finite[0]!, reported, tolerance);
    const runs = finite.length === 1 ? '1 scored run' : `${finite.length} runs all scored ${finite[0]} (zero variance)`;
    return {
      ...base,
      criterion: 'relative-error',
      reproducible,
      meanScore: finite[0]!,
      relativeError: error,
      reason: `${runs}: relative error ${percent(error)} ${reproducible ? '<=' : '>'} ${percent(tolerance)}`,
    };
  }
  const test = options.test ?? 't-test';
  let sample = finite;
  let target = reported;
  if (test === 't-test-issta') {
    if (!options.issta) throw new Error("the ISSTA t-test needs the competition's reported scores and the metric's direction (options.issta)");
    const normalise = isstaNormaliser(options.issta.competitionReportedScores, options.issta.higherIsBetter);
    sample = finite.map(normalise);
    target = normalise(reported);
  }
  const result = oneSampleTTest(sample, target);
  const reproducible = !Number.isNaN(result.pValue) && result.pValue >= alpha;
  const found = Number.isNaN(result.pValue)
    ? 'p undefined (the normalised scores are identical), so not reproducible'
    : `t = ${result.statistic.toPrecision(4)}, p = ${result.pValue.toPrecision(3)} ${reproducible ? '>=' : '<'} ${alpha}`;
  return {
    ...base,
    criterion: test,
    reproducible,
    meanScore: mean,
    relativeError: error,
    statistic: Number.isFinite(result.statistic) ? result.statistic : null,
    pValue: Number.isNaN(result.pValue) ? null : result.pValue,
    reason: `${finite.length} runs, ${test === 't-test-issta' ? 'ISSTA-normalised ' : ''}one-sample t-test against ${reported}: ${found}`,
  };
}
