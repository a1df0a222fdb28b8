import { describe, expect, it } from 'vitest';
import type { ReportSection } from '../sections/report-section.js';
import { row } from '../tables/report-table.js';
import { summaryMarkdown } from './summary-markdown.js';

const PAYLOAD = '<script>alert(1)</script> a|b';

function section(overrides: Partial<ReportSection> = {}): ReportSection {
  return {
    id: 'crashes',
    title: 'Crash taxonomy',
    intro: ['Pass `--experiment NAME` to compare; |score − reported| / |reported|.'],
    highlights: [`exp <img src=x onerror=alert(1)> (baseline): McNemar exact p < 0.001.`],
    empty: null,
    charts: [],
    tables: [
      {
        id: 'crash-types',
        title: 'Error types',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'mechanism', label: 'mechanism', kind: 'text' },
          { key: 'error', label: 'first message', kind: 'code' },
          { key: 'p', label: 'p', kind: 'p-value' },
        ],
        rows: [row({ experiment: 'exp_1', mechanism: 'last_cell', error: PAYLOAD, p: 0.0001 })],
      },
    ],
    ...overrides,
  };
}

describe('summaryMarkdown', () => {
  it('writes prose as Markdown: code spans, comparison signs and pipes stay as written', () => {
    const text = summaryMarkdown('mle report', null, [section()]);
    expect(text).toContain('Pass `--experiment NAME` to compare; |score − reported| / |reported|.');
    expect(text).toContain('McNemar exact p < 0.001.');
    // Interpolated data cannot open a tag.
    expect(text).toContain('- exp &lt;img src=x onerror=alert(1)> (baseline)');
  });

  it('keeps table cells literal and only notebook text (code columns) in entities', () => {
    const text = summaryMarkdown('mle report', null, [section()]);
    expect(text).toContain('| exp_1 | last_cell | &lt;script&gt;alert(1)&lt;/script&gt; a\\|b | < 0.001 |');
    expect(text).toContain('|---|---|---|---:|');
    expect(text).not.toMatch(/<[A-Za-z!?/]/);
  });

  it('shows why a section is empty in emphasis, with its code span intact', () => {
    const text = summaryMarkdown('mle report', null, [section({ empty: 'no experiments in this database: run `mle run` first', tables: [] })]);
    expect(text).toContain('_no experiments in this database: run `mle run` first_');
  });
});
