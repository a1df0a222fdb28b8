/** z for a two-sided 95% interval: the 97.5th percentile of the standard normal. */
export const Z_95 = 1.959963984540054;

/** A count out of a denominator, with its 95% Wilson score interval. */
export interface Proportion {
  count: number;
  total: number;
  /** count / total; null when total is 0 (no denominator, no share). */
  share: number | null;
  /** Lower bound of the 95% Wilson interval; null when total is 0. */
  low: number | null;
  /** Upper bound of the 95% Wilson interval; null when total is 0. */
  high: number | null;
}

/**
 * The Wilson score interval (Wilson 1927; Newcombe 1998, method 3) for `count` successes out of
 * `total`. Chosen over the Wald interval because it stays inside [0, 1] and keeps its coverage
 * for small counts and shares near 0 or 1, which is most of what a notebook corpus produces
 * (a handful of rescued notebooks, a rare failure mode).
 */
export function wilsonInterval(count: number, total: number, z: number = Z_95): { low: number; high: number } | null {
  if (!Number.isInteger(count) || !Number.isInteger(total) || count < 0 || total < 0 || count > total) {
    throw new RangeError(`wilsonInterval needs integers 0 <= count <= total, got ${count}/${total}`);
  }
  if (total === 0) return null;
  const p = count / total;
  const z2 = z * z;
  const denominator = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  // The bounds are exactly 0 and 1 at the extremes; rounding must not push them past.
  return { low: count === 0 ? 0 : Math.max(0, centre - half), high: count === total ? 1 : Math.min(1, centre + half) };
}

/** `count` of `total` with its share and 95% Wilson interval. */
export function proportion(count: number, total: number): Proportion {
  const interval = wilsonInterval(count, total);
  return { count, total, share: total === 0 ? null : count / total, low: interval?.low ?? null, high: interval?.high ?? null };
}

/** True when `value` is a Proportion (tables carry them as cells beside plain values). */
export function isProportion(value: unknown): value is Proportion {
  return typeof value === 'object' && value !== null && 'count' in value && 'total' in value && 'share' in value && 'low' in value && 'high' in value;
}
