import { describe, expect, it } from 'vitest';
import { quantiles } from './quantiles.js';

describe('quantiles', () => {
  it('interpolates like numpy (type 7)', () => {
    // np.quantile([1, 2, 3, 4], [0.25, 0.5, 0.75, 0.9]) = [1.75, 2.5, 3.25, 3.7]
    expect(quantiles([4, 1, 3, 2])).toEqual({ n: 4, min: 1, p25: 1.75, median: 2.5, p75: 3.25, p90: expect.closeTo(3.7, 12), max: 4, mean: 2.5 });
  });

  it('is empty for no values and ignores non-finite ones', () => {
    expect(quantiles([])).toMatchObject({ n: 0, median: null, mean: null });
    expect(quantiles([Number.NaN, 5])).toMatchObject({ n: 1, median: 5 });
  });
});
