import { describe, expect, it } from 'vitest';
import { mcnemarExact, mcnemarFromPairs } from './mcnemar-test.js';

describe('mcnemarExact', () => {
  it.each([
    // 2 * (C(12,0) + C(12,1) + C(12,2)) / 2^12 = 2 * 79 / 4096
    [10, 2, 158 / 4096],
    [2, 10, 158 / 4096],
    // 2 * 1/32
    [5, 0, 0.0625],
    // the two tails overlap when b = c: capped at 1
    [3, 3, 1],
    [1, 0, 1],
    // 2 * (C(7,0) + C(7,1)) / 2^7 = 2 * 8 / 128
    [6, 1, 16 / 128],
  ])('b=%i c=%i → p=%f (hand-computed binomial tails)', (b, c, p) => {
    expect(mcnemarExact(b, c).pValue).toBeCloseTo(p, 12);
  });

  it('is 1 with no discordant pairs and stays finite for thousands of them', () => {
    expect(mcnemarExact(0, 0)).toEqual({ firstOnly: 0, secondOnly: 0, discordant: 0, pValue: 1 });
    // 2 * sum(math.comb(1140, i) for i in range(541)) / 2**1140, in exact integer arithmetic
    expect(mcnemarExact(600, 540).pValue).toBeCloseTo(0.08051743870793851, 10);
    expect(mcnemarExact(3000, 2000).pValue).toBeGreaterThan(0);
    expect(mcnemarExact(3000, 2000).pValue).toBeLessThan(1e-40);
  });

  it('is exact for hand-checkable cases and continuous across the direct / log-space switch', () => {
    expect(mcnemarExact(3, 0).pValue).toBe(0.25);
    expect(mcnemarExact(2, 0).pValue).toBe(0.5);
    // 2 * sum(math.comb(900, i) for i in range(421)) / 2**900, exact integer arithmetic
    expect(mcnemarExact(480, 420).pValue).toBeCloseTo(0.049161368083489955, 12);
    const below = mcnemarExact(500, 500).pValue;
    const above = mcnemarExact(501, 500).pValue;
    // b = c: each tail is 1/2 or more, so p = 1 on both paths (log space rounds a hair below)
    expect(below).toBe(1);
    expect(above).toBeCloseTo(1, 10);
    expect(mcnemarExact(560, 441).pValue).toBeLessThan(mcnemarExact(550, 450).pValue);
  });

  it('counts the four cells from pairs', () => {
    const result = mcnemarFromPairs([
      [true, true],
      [true, false],
      [false, true],
      [false, true],
      [false, false],
    ]);
    expect(result).toMatchObject({ bothYes: 1, bothNo: 1, firstOnly: 1, secondOnly: 2, discordant: 3, pValue: 1 });
  });

  it('refuses negative or fractional counts', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(0.5, 2)).toThrow(RangeError);
  });
});
