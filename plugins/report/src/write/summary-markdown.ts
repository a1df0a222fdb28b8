import { markdownLiteral, markdownNotebookText, markdownProse } from '../escape/markdown-escape.js';
import type { ReportSection } from '../sections/report-section.js';
import { formatCell } from '../tables/format-cell.js';
import type { Column, ReportTable } from '../tables/report-table.js';

/** Long tables are cut in summary.md; the CSV always has every row. */
export const MARKDOWN_TABLE_ROWS = 50;

const NUMERIC = new Set(['integer', 'number', 'percent', 'usd', 'seconds', 'p-value', 'proportion']);

/** Code columns hold what notebooks and tools wrote (code, error messages, paths): entities for `<`, `>`, `&` too. */
function cellMarkdown(column: Column, text: string): string {
  return column.kind === 'code' ? markdownNotebookText(text) : markdownLiteral(text);
}

function tableMarkdown(table: ReportTable): string {
  const header = `| ${table.columns.map((c) => markdownLiteral(c.label)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (NUMERIC.has(c.kind) ? '---:' : '---')).join('|')}|`;
  const rows = table.rows.slice(0, MARKDOWN_TABLE_ROWS).map((r) => `| ${table.columns.map((c) => cellMarkdown(c, formatCell(c, r.get(c.key) ?? null))).join(' | ')} |`);
  const more = table.rows.length > MARKDOWN_TABLE_ROWS ? [`\n${table.rows.length - MARKDOWN_TABLE_ROWS} more rows in [tables/${table.id}.csv](tables/${table.id}.csv).`] : [];
  const note = table.note ? [`\n${markdownProse(table.note)}`] : [];
  return [`### ${markdownProse(table.title)}`, '', header, rule, ...rows, ...more, ...note].join('\n');
}

/**
 * summary.md: the headline numbers and the tables, readable raw in a terminal and rendered on a
 * forge. Prose keeps the Markdown it was written with, table cells are literal, and notebook text
 * in code columns has no live `<`, `>` or `&` (markdown-escape.ts); links and image paths are built
 * from fixed ids only.
 */
export function summaryMarkdown(title: string, provenance: string | null, sections: readonly ReportSection[]): string {
  const out: string[] = [`# ${markdownProse(title)}`, ''];
  if (provenance !== null) out.push(markdownLiteral(provenance), '');
  for (const section of sections) {
    const tables = section.tables.filter((t) => !t.htmlOnly && (!section.empty || t.rows.length > 0));
    out.push(`## ${markdownProse(section.title)}`, '');
    for (const paragraph of section.intro) out.push(markdownProse(paragraph), '');
    if (section.highlights.length) out.push(...section.highlights.map((h) => `- ${markdownProse(h)}`), '');
    if (section.empty) out.push(`_${markdownProse(section.empty)}_`, '');
    for (const chart of section.charts) out.push(`![${markdownLiteral(chart.title)}](figures/${chart.id}.png)`, '');
    for (const table of tables) out.push(table.rows.length ? tableMarkdown(table) : `### ${markdownProse(table.title)}\n\nNo rows.`, '');
    const htmlOnly = section.tables.filter((t) => t.htmlOnly && t.rows.length > 0);
    for (const table of htmlOnly) out.push(`${markdownProse(table.title)}: ${table.rows.length} rows in index.html and [tables/${table.id}.csv](tables/${table.id}.csv).`, '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
