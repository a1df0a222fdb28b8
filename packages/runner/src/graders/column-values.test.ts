import { describe, expect, it } from 'vitest';
import { GradingError } from '../grading-error.js';
import { labelKeys, numericColumn, parseNumber, quoteCell, sortLabels } from './column-values.js';

describe('parseNumber (a numeric CSV cell as pandas reads it)', () => {
  it('reads decimal and scientific notation, nothing else', () => {
    expect(['0', '-3', '+2', '.5', '5.', '1e-3', '2.5E+10'].map(parseNumber)).toEqual([0, -3, 2, 0.5, 5, 0.001, 2.5e10]);
    expect(['0x1f', '1,000', '1_000', 'one', '--1', '1e'].map(parseNumber)).toEqual(['text', 'text', 'text', 'text', 'text', 'text']);
  });

  it("treats pandas' NA strings as missing and infinities as infinite", () => {
    expect(['', 'NaN', 'nan', 'NA', 'N/A', 'null', 'None', '<NA>'].map(parseNumber).every((v) => v === 'missing')).toBe(true);
    expect(['inf', '-inf', 'Infinity', '+INF'].map(parseNumber).every((v) => v === 'infinite')).toBe(true);
  });
});

describe('numericColumn', () => {
  const table = { ids: ['a', 'b'], columns: ['x'], rows: [['1.5'], ['oops']] };

  it('blames the submission for its values and the competition for the answers', () => {
    expect(() => numericColumn(table, 0, 'submission')).toThrow(expect.objectContaining({ code: 'non-numeric', message: `id b, column 'x': "oops" is not a number` }));
    let error: unknown;
    try {
      numericColumn(table, 0, 'answers');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GradingError);
    expect(error).toMatchObject({ code: 'invalid-answers', message: `answers file: id b, column 'x': "oops" is not a number` });
  });
});

describe('labels', () => {
  it('compares numerically only when every label on both sides is a number, like pandas dtypes', () => {
    expect(labelKeys(['1', '2'], ['1.0', '2e0'])).toEqual({ answers: ['1', '2'], submission: ['1', '2'], numeric: true });
    expect(labelKeys(['1', 'NA'], ['1.0', 'NA'])).toEqual({ answers: ['1', 'NA'], submission: ['1.0', 'NA'], numeric: false });
  });

  it('sorts numbers by value and text by code point, as numpy.unique does', () => {
    expect(sortLabels(['10', '9', '-1', '9'], true)).toEqual(['-1', '9', '10']);
    expect(sortLabels(['b', 'B', 'a', 'é'], false)).toEqual(['B', 'a', 'b', 'é']);
  });

  it('quotes cells on one short line', () => {
    expect(quoteCell('a\nb')).toBe('"a b"');
    expect(quoteCell('x'.repeat(100))).toBe(`"${'x'.repeat(37)}..."`);
  });
});
