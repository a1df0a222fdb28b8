/**
 * Student's t distribution through the regularized incomplete beta function, written here so
 * the reproducibility verdict needs no statistics dependency; checked against SciPy's
 * `betainc`, `t.cdf` and `t.sf` in the grader fixtures.
 *
 * Accuracy matters in the tails (a p-value of 1e-60 must not come out as 0 or 1e-50) and for
 * large degrees of freedom, where log Γ(a) - log Γ(a + b) loses digits to cancellation; hence
 * Stirling's series with its correction term for large arguments (as R's `lbeta` does) and the
 * complementary argument 1 - x passed in separately rather than recomputed.
 */

const LN_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

// Lanczos approximation, g = 7, n = 9: about 15 significant digits for x >= 0.5.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** Stirling's correction: log Γ(x) - [(x - 1/2) log x - x + log √(2π)], for x >= 10. */
function stirlingCorrection(x: number): number {
  const x2 = 1 / (x * x);
  // Bernoulli-number terms up to x^-17; at x = 10 the next term is below 1e-18.
  return (1 / x) * (1 / 12 + x2 * (-1 / 360 + x2 * (1 / 1260 + x2 * (-1 / 1680 + x2 * (1 / 1188 + x2 * (-691 / 360360 + x2 * (1 / 156 + x2 * (-3617 / 122400))))))));
}

/** log Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + stirlingCorrection(x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return LN_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** log B(a, b), without the cancellation of log Γ(a) + log Γ(b) - log Γ(a + b) for large arguments. */
export function logBeta(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
    return -0.5 * Math.log(q) + LN_SQRT_2PI + correction + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
  }
  if (q >= 10) {
    const correction = stirlingCorrection(q) - stirlingCorrection(p + q);
    return logGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGamma(p) + logGamma(q) - logGamma(p + q);
}

const MAX_ITERATIONS = 100_000;
const TINY = 1e-300;

/** Continued fraction for I_x(a, b) (modified Lentz); converges fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= 2 * Number.EPSILON) return h;
  }
  throw new Error(`incomplete beta continued fraction did not converge for a=${a}, b=${b}, x=${x}`);
}

/**
 * The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 <= x <= 1. Pass
 * `y = 1 - x` when it is known more precisely than 1 - x can be computed (x close to 1).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x) || x < 0 || x > 1) return Number.NaN;
  if (x === 0) return 0;
  if (y === 0) return 1;
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, y)) / b;
}

/** P(T > |t|) * 2 for T ~ Student t with `df` degrees of freedom: the two-sided p-value. */
export function studentTTwoSided(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  if (t2 === Number.POSITIVE_INFINITY) return 0;
  // x = df / (df + t²) and 1 - x = t² / (df + t²), each without subtracting from 1.
  return regularizedIncompleteBeta(df / (df + t2), df / 2, 0.5, t2 / (df + t2));
}

/** P(T <= t) for T ~ Student t with `df` degrees of freedom (df may be fractional). */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  const t2 = t * t;
  if (t2 === Number.POSITIVE_INFINITY) return t < 0 ? 0 : 1;
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  // Half the two-sided tail is the lower tail for t < 0; for t >= 0 the CDF is 1 - tail, and
  // studentTSurvival gets the small upper tail by symmetry instead of by this subtraction.
  const tail = 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5, y);
  return t < 0 ? tail : 1 - tail;
}

/** P(T > t), the survival function: studentTCdf(-t) by symmetry, precise in the upper tail. */
export function studentTSurvival(t: number, df: number): number {
  return studentTCdf(-t, df);
}
