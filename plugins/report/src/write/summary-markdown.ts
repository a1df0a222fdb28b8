import { escapeMarkdown } from '../escape/markdown-escape.js';
import type { ReportSection } from '../sections/report-section.js';
import { formatCell } from '../tables/format-cell.js';
import type { ReportTable } from '../tables/report-table.js';

/** Long tables are cut in summary.md; the CSV always has every row. */
export const MARKDOWN_TABLE_ROWS = 50;

const NUMERIC = new Set(['integer', 'number', 'percent', 'usd', 'seconds', 'p-value', 'proportion']);

function tableMarkdown(table: ReportTable): string {
  const header = `| ${table.columns.map((c) => escapeMarkdown(c.label)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (NUMERIC.has(c.kind) ? '---:' : '---')).join('|')}|`;
  const rows = table.rows.slice(0, MARKDOWN_TABLE_ROWS).map((r) => `| ${table.columns.map((c) => escapeMarkdown(formatCell(c, r.get(c.key) ?? null))).join(' | ')} |`);
  const more = table.rows.length > MARKDOWN_TABLE_ROWS ? [`\n${table.rows.length - MARKDOWN_TABLE_ROWS} more rows in [tables/${table.id}.csv](tables/${table.id}.csv).`] : [];
  const note = table.note ? [`\n${escapeMarkdown(table.note)}`] : [];
  return [`### ${escapeMarkdown(table.title)}`, '', header, rule, ...rows, ...more, ...note].join('\n');
}

/**
 * summary.md: the headline numbers and the tables, readable raw in a terminal and rendered on a
 * forge. Every piece of text goes through escapeMarkdown (entities for HTML, backslashes for
 * Markdown syntax); links and image paths are built from fixed ids only.
 */
export function summaryMarkdown(title: string, provenance: string | null, sections: readonly ReportSection[]): string {
  const out: string[] = [`# ${escapeMarkdown(title)}`, ''];
  if (provenance !== null) out.push(escapeMarkdown(provenance), '');
  for (const section of sections) {
    const tables = section.tables.filter((t) => !t.htmlOnly && (!section.empty || t.rows.length > 0));
    out.push(`## ${escapeMarkdown(section.title)}`, '');
    for (const paragraph of section.intro) out.push(escapeMarkdown(paragraph), '');
    if (section.highlights.length) out.push(...section.highlights.map((h) => `- ${escapeMarkdown(h)}`), '');
    if (section.empty) out.push(`_${escapeMarkdown(section.empty)}_`, '');
    for (const chart of section.charts) out.push(`![${escapeMarkdown(chart.title)}](figures/${chart.id}.png)`, '');
    for (const table of tables) out.push(table.rows.length ? tableMarkdown(table) : `### ${escapeMarkdown(table.title)}\n\nNo rows.`, '');
    const htmlOnly = section.tables.filter((t) => t.htmlOnly && t.rows.length > 0);
    for (const table of htmlOnly) out.push(`${escapeMarkdown(table.title)}: ${table.rows.length} rows in index.html and [tables/${table.id}.csv](tables/${table.id}.csv).`, '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
