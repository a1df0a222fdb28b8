import { describe, expect, it } from 'vitest';
import { proportion, wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i matches Newcombe 1998: [%f, %f]', (count, total, low, high) => {
    const interval = wilsonInterval(count, total)!;
    expect(interval.low).toBeCloseTo(low, 4);
    expect(interval.high).toBeCloseTo(high, 4);
  });

  it('gives the published corpus figures their intervals (4503/12720, 5492/7402), computed by hand', () => {
    expect(wilsonInterval(4503, 12720)!.low).toBeCloseTo(0.3457, 4);
    expect(wilsonInterval(4503, 12720)!.high).toBeCloseTo(0.3624, 4);
    expect(wilsonInterval(5492, 7402)!.low).toBeCloseTo(0.7319, 4);
    expect(wilsonInterval(5492, 7402)!.high).toBeCloseTo(0.7518, 4);
  });

  it('is symmetric around 1/2 and pinned to 0 and 1 at the extremes', () => {
    const half = wilsonInterval(5, 10)!;
    expect(half.low + half.high).toBeCloseTo(1, 12);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(wilsonInterval(7, 7)).toEqual({ low: expect.closeTo(0.6457, 4), high: 1 });
    expect(wilsonInterval(0, 1)!.low).toBe(0);
  });

  it('has no interval without a denominator and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(proportion(0, 0)).toEqual({ count: 0, total: 0, share: null, low: null, high: null });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
  });

  it('carries the share with the interval', () => {
    const p = proportion(3, 4);
    expect(p.share).toBe(0.75);
    expect(p.low!).toBeLessThan(0.75);
    expect(p.high!).toBeGreaterThan(0.75);
  });
});
