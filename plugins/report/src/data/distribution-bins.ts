/** A histogram bin with an inclusive upper bound; the last bin is open (`upper` Infinity). */
export interface Bin {
  label: string;
  upper: number;
}

export interface BinCount {
  bin: string;
  /** Position of the bin, so charts and tables keep the bins in order rather than alphabetical. */
  order: number;
  count: number;
}

/**
 * Counts per bin, every bin present (zeros included) so that two experiments' histograms line
 * up. Upper bounds are inclusive: a relative error of exactly 10% lands in the bin that the
 * study's ≤10% criterion accepts.
 */
export function binCounts(values: readonly number[], bins: readonly Bin[], slack = 1e-12): BinCount[] {
  const counts = bins.map((bin, order) => ({ bin: bin.label, order, count: 0 }));
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    const index = bins.findIndex((bin) => value <= bin.upper + slack);
    counts[index < 0 ? bins.length - 1 : index]!.count++;
  }
  return counts;
}
