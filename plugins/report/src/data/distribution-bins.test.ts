import { describe, expect, it } from 'vitest';
import { binCounts } from './distribution-bins.js';

describe('binCounts', () => {
  const bins = [
    { label: '≤10%', upper: 0.1 },
    { label: '≤50%', upper: 0.5 },
    { label: '>50%', upper: Number.POSITIVE_INFINITY },
  ];

  it('puts values on a bound in the lower bin, including floating-point near misses', () => {
    // |0.72 - 0.8| / 0.8 = 0.09999999999999998 or 0.10000000000000003 depending on order: both reproduce.
    expect(binCounts([0.1, 0.1 + 1e-15, 0.5, 0.51, 7], bins)).toEqual([
      { bin: '≤10%', order: 0, count: 2 },
      { bin: '≤50%', order: 1, count: 1 },
      { bin: '>50%', order: 2, count: 2 },
    ]);
  });

  it('keeps empty bins and skips non-finite values', () => {
    expect(binCounts([Number.NaN], bins).map((b) => b.count)).toEqual([0, 0, 0]);
  });
});
