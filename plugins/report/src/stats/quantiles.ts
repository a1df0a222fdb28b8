/** Order statistics of a sample, for distributions reported as numbers beside their chart. */
export interface Quantiles {
  n: number;
  min: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * The q-quantile of sorted values with linear interpolation between order statistics (numpy's
 * default, R type 7), so the numbers match what a reader gets from `np.quantile`.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const a = sorted[lower]!;
  const b = sorted[upper]!;
  return a + (b - a) * (position - lower);
}

export function quantiles(values: readonly number[]): Quantiles {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  return {
    n,
    min: n ? sorted[0]! : null,
    p25: quantileSorted(sorted, 0.25),
    median: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    p90: quantileSorted(sorted, 0.9),
    max: n ? sorted[n - 1]! : null,
    mean: n ? sorted.reduce((sum, x) => sum + x, 0) / n : null,
  };
}
