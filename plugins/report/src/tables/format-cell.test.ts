import { describe, expect, it } from 'vitest';
import { proportion } from '../stats/wilson-interval.js';
import { formatCell, formatPClause, formatPValue, formatProportion, formatSeconds, formatUsd, sortKey } from './format-cell.js';
import { tableCsv } from './csv-table.js';
import { row } from './report-table.js';

describe('cell formatting', () => {
  it('writes a share with its count, denominator and interval', () => {
    expect(formatProportion(proportion(4503, 12720))).toBe('35.4% (4503/12720, 95% CI 34.6–36.2%)');
    expect(formatProportion(proportion(0, 0))).toBe('– (0/0)');
  });

  it('formats p-values, money and durations for reading', () => {
    expect(formatPValue(0.25)).toBe('0.250');
    expect(formatPValue(1)).toBe('1');
    expect(formatPValue(0.0004)).toBe('< 0.001');
    expect(formatPValue(null)).toBe('–');
    expect(formatPClause(0.0004)).toBe('p < 0.001');
    expect(formatPClause(0.125)).toBe('p = 0.125');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.0074)).toBe('$0.0074');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatSeconds(5)).toBe('5.00 s');
    expect(formatSeconds(705.5)).toBe('11.8 min');
    expect(formatSeconds(7200)).toBe('2.00 h');
  });

  it('formats notebook cells and sorts by share', () => {
    const cell = { status: 'reproduced' as const, reproducible: true, executedPath: null, diffPath: null, fixesApplied: 1, errorName: null };
    expect(formatCell({ key: 'e0', label: 'x', kind: 'notebook' }, cell)).toBe('reproduced (1 fix)');
    expect(formatCell({ key: 'e0', label: 'x', kind: 'notebook' }, { ...cell, fixesApplied: 2 })).toBe('reproduced (2 fixes)');
    expect(sortKey(proportion(1, 4))).toBe(0.25);
    expect(sortKey(proportion(0, 0))).toBe(-1);
  });
});

describe('tableCsv', () => {
  it('expands proportions into count, total, share and interval columns', () => {
    const csv = tableCsv({
      id: 't',
      title: 't',
      columns: [
        { key: 'name', label: 'Name', kind: 'text' },
        { key: 'p', label: 'Share', kind: 'proportion', csv: 'reproducible' },
        { key: 'usd', label: 'Cost', kind: 'usd' },
      ],
      rows: [row({ name: '=1+1', p: proportion(1, 2), usd: 0.5 }), row({ name: 'b', p: null, usd: null })],
    });
    const [header, first, second] = csv.split('\r\n');
    expect(header).toBe('name,reproducible_count,reproducible_total,reproducible_share,reproducible_ci95_low,reproducible_ci95_high,usd');
    expect(first).toMatch(/^'=1\+1,1,2,0\.5,0\.0945\d*,0\.9054\d*,0\.5$/);
    expect(second).toBe('b,,,,,,');
  });
});
