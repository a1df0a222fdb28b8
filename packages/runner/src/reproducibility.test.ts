import { describe, expect, it } from 'vitest';
import { closeTo, decode, fixtures } from '../test/grader-fixtures.js';
import { isstaNormaliser, judgeReproducibility, oneSampleTTest, relativeError, withinTolerance } from './reproducibility.js';

const ttestCase = (id: string) => {
  const found = fixtures.ttest_1samp.find((c) => c.id === id);
  if (!found) throw new Error(`no t-test fixture ${id}`);
  return found;
};

describe('oneSampleTTest against scipy.stats.ttest_1samp', () => {
  for (const c of fixtures.ttest_1samp) {
    it(`${c.id}: t = ${c.statistic}, p = ${c.pvalue}`, () => {
      const result = oneSampleTTest(c.scores, c.popmean);
      expect(result.df).toBe(c.df);
      expect(closeTo(result.statistic, decode(c.statistic)), `t ${result.statistic}`).toBe(true);
      expect(closeTo(result.pValue, decode(c.pvalue)), `p ${result.pValue}`).toBe(true);
    });
  }

  it('has no p-value for a single score', () => {
    expect(oneSampleTTest([0.8], 0.7).pValue).toBeNaN();
  });
});

describe('ISSTA normalisation against a transcription of MLEModernizer verification/entrypoint.py', () => {
  for (const group of fixtures.issta) {
    it(group.id, () => {
      const normalise = isstaNormaliser(group.rows.map((row) => row.target), group.higher_is_better);
      for (const row of group.rows) {
        expect(closeTo(normalise(row.target), row.target_norm), `target ${row.target}`).toBe(true);
        const normalised = row.scores.map(normalise);
        normalised.forEach((value, i) => expect(closeTo(value, row.score_norm[i]!), `score ${row.scores[i]}`).toBe(true));
        if (row.pvalue !== null) {
          expect(closeTo(oneSampleTTest(normalised, normalise(row.target)).pValue, decode(row.pvalue))).toBe(true);
        }
      }
    });
  }
});

describe('relativeError and withinTolerance', () => {
  it('is |score - reported| / |reported|, also for negative reported scores', () => {
    expect(relativeError(0.85, 0.8)).toBeCloseTo(0.0625, 15);
    expect(relativeError(-0.9, -1)).toBeCloseTo(0.1, 15);
  });

  it('has no scale when the reported score is 0, unless the score is 0 too', () => {
    expect(relativeError(0.1, 0)).toBeNull();
    expect(relativeError(0, 0)).toBe(0);
    expect(withinTolerance(0.1, 0)).toBe(false);
  });

  it('keeps a score exactly on the 10% boundary despite rounding, and honours another tolerance', () => {
    expect(Math.abs(0.72 - 0.8) / 0.8).toBeGreaterThan(0.1); // the rounding the slack absorbs
    expect(withinTolerance(0.72, 0.8)).toBe(true);
    expect(withinTolerance(0.7199, 0.8)).toBe(false);
    expect(withinTolerance(0.78, 0.8, 0.01)).toBe(false);
    expect(withinTolerance(0.795, 0.8, 0.01)).toBe(true);
    expect(withinTolerance(Number.NaN, 0.8)).toBe(false);
  });
});

describe('judgeReproducibility', () => {
  it('judges one run by relative error', () => {
    const good = judgeReproducibility([0.85], 0.8);
    expect(good).toMatchObject({ criterion: 'relative-error', reproducible: true, runs: 1, meanScore: 0.85, pValue: null });
    expect(good.reason).toContain('6.25%');
    expect(judgeReproducibility([0.7], 0.8)).toMatchObject({ criterion: 'relative-error', reproducible: false });
    expect(judgeReproducibility([0.7], 0.8, { tolerance: 0.2 }).reproducible).toBe(true);
  });

  it('judges identical repeats (a deterministic notebook) by relative error, not by a degenerate t-test', () => {
    const verdict = judgeReproducibility([0.75, 0.75, 0.75], 0.8);
    expect(verdict).toMatchObject({ criterion: 'relative-error', reproducible: true, runs: 3 });
    // The t-test alone would call it significantly different (p = 0 with zero variance).
    expect(decode(ttestCase('zero-variance-different').pvalue)).toBe(0);
  });

  it('judges differing repeats by the t-test: p >= alpha reproduces', () => {
    const close = ttestCase('two-runs');
    const verdict = judgeReproducibility(close.scores, close.popmean);
    expect(verdict.criterion).toBe('t-test');
    expect(closeTo(verdict.pValue!, decode(close.pvalue))).toBe(true);
    expect(verdict.reproducible).toBe(true);
    const far = ttestCase('close-to-reported'); // within 10%, yet significantly above the reported score
    const strict = judgeReproducibility(far.scores, far.popmean);
    expect(strict.reproducible).toBe(false);
    expect(strict.relativeError!).toBeLessThan(0.1);
    expect(judgeReproducibility(far.scores, far.popmean, { alpha: 0.01 }).reproducible).toBe(true);
  });

  it('ignores runs without a score and fails when none has one', () => {
    expect(judgeReproducibility([null, 0.81, undefined, Number.NaN], 0.8)).toMatchObject({ runs: 1, reproducible: true, criterion: 'relative-error' });
    expect(judgeReproducibility([null, null], 0.8)).toMatchObject({ runs: 0, reproducible: false, meanScore: null, reason: 'no run produced a score' });
  });

  it('runs the ISSTA variant on normalised scores, and needs the competition for it', () => {
    const group = fixtures.issta.find((g) => g.id === 'higher-is-better')!;
    const competitionReportedScores = group.rows.map((row) => row.target);
    const row = group.rows[1]!;
    const verdict = judgeReproducibility(row.scores, row.target, { test: 't-test-issta', issta: { competitionReportedScores, higherIsBetter: true } });
    expect(verdict.criterion).toBe('t-test-issta');
    expect(closeTo(verdict.pValue!, decode(row.pvalue!))).toBe(true);
    expect(verdict.reproducible).toBe(decode(row.pvalue!) >= 0.05);
    expect(() => judgeReproducibility(row.scores, row.target, { test: 't-test-issta' })).toThrow(/ISSTA/);
  });

  it('calls a NaN ISSTA p-value not reproducible (scores that normalise to one value)', () => {
    // log1p(|x|) folds 0.4 and -0.4 together: raw scores differ, normalised ones equal the target (t = 0/0).
    const verdict = judgeReproducibility([0.4, -0.4], 0.4, { test: 't-test-issta', issta: { competitionReportedScores: [0.4, 0.9], higherIsBetter: true } });
    expect(verdict).toMatchObject({ criterion: 't-test-issta', reproducible: false, pValue: null });
    expect(verdict.reason).toContain('p undefined');
  });
});
