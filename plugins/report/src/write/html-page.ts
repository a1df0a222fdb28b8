import { createHash } from 'node:crypto';
import type { ChartDefinition } from '../charts/chart-definition.js';
import { attribute, escapeHtml, scriptJson } from '../escape/html-escape.js';
import type { ReportSection } from '../sections/report-section.js';
import { formatCell, isNotebookCell, sortKey } from '../tables/format-cell.js';
import type { CellValue, Column, ReportTable } from '../tables/report-table.js';
import { browserBundles } from './browser-bundles.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';

/** Turns a stored file path into a link from the report, or null when there is nothing to link to. */
export type LinkResolver = (storedPath: string | null) => string | null;

export interface HtmlPageInput {
  title: string;
  /** The "generated from" line, or null to leave it out (golden tests). */
  provenance: string | null;
  sections: ReportSection[];
  links: LinkResolver;
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's policy, defence in depth behind the escaping: nothing loads from anywhere
 * (default-src 'none', connect-src 'none'); the only scripts that run are the four inline blocks
 * whose SHA-256 hashes are listed (the three libraries and PAGE_SCRIPT), so an injected <script>,
 * event-handler attribute or javascript: URL would be refused even if escaping failed; no
 * 'unsafe-eval' (Vega runs with its expression interpreter); styles only from the page's own
 * <style> block, also by hash (Vega and its tooltip position elements through the CSSOM, which
 * the policy does not restrict); images only as data: URLs (none are used today). A hash rather
 * than a nonce: the page is a static file, and a nonce that never changes protects nothing.
 */
export function contentSecurityPolicy(scripts: readonly string[], style: string): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

const NUMERIC_KINDS = new Set<Column['kind']>(['integer', 'number', 'percent', 'usd', 'seconds', 'p-value', 'proportion', 'boolean']);

function cellHtml(column: Column, value: CellValue, links: LinkResolver): string {
  const key = sortKey(value);
  const sort = attribute('data-sort', String(key));
  if (column.kind === 'notebook') {
    if (value === null || !isNotebookCell(value)) return `<td ${sort}>–</td>`;
    const executed = links(value.executedPath);
    const diff = links(value.diffPath);
    const status = `<span ${attribute('class', `status status-${value.status}`)}>${escapeHtml(formatCell(column, value))}</span>`;
    const link = (href: string | null, label: string) => (href ? ` <a ${attribute('href', href)}>${label}</a>` : '');
    return `<td ${sort}>${status}${link(executed, 'executed')}${link(diff, 'diff')}</td>`;
  }
  const text = escapeHtml(formatCell(column, value));
  if (column.kind === 'code' && value !== null) return `<td class="code" ${sort}>${text}</td>`;
  return NUMERIC_KINDS.has(column.kind) ? `<td class="num" ${sort}>${text}</td>` : `<td ${sort}>${text}</td>`;
}

function tableHtml(table: ReportTable, links: LinkResolver): string {
  const head = table.columns
    .map((c) => `<th scope="col" ${attribute('data-type', NUMERIC_KINDS.has(c.kind) ? 'number' : 'text')}><button type="button">${escapeHtml(c.label)}</button></th>`)
    .join('');
  const body = table.rows.map((r) => `<tr>${table.columns.map((c) => cellHtml(c, r.get(c.key) ?? null, links)).join('')}</tr>`).join('\n');
  const note = table.note ? `<p class="note">${escapeHtml(table.note)}</p>` : '';
  if (table.rows.length === 0) return `<h3>${escapeHtml(table.title)}</h3><p class="note">No rows.</p>`;
  return `<div class="table-wrap"><table class="sortable" ${attribute('id', `table-${table.id}`)}><caption>${escapeHtml(table.title)} <a ${attribute('href', `tables/${table.id}.csv`)}>CSV</a></caption>
<thead><tr>${head}</tr></thead>
<tbody>
${body}
</tbody></table></div>${note}`;
}

function chartHtml(chart: ChartDefinition): string {
  return `<figure><div class="chart" ${attribute('id', `chart-${chart.id}`)} ${attribute('data-chart', `spec-${chart.id}`)} role="img" ${attribute('aria-label', chart.title)}></div>
<figcaption>${escapeHtml(chart.description)} <a ${attribute('href', `figures/${chart.id}.svg`)}>SVG</a> <a ${attribute('href', `figures/${chart.id}.png`)}>PNG</a></figcaption>
<script type="application/json" ${attribute('id', `spec-${chart.id}`)}>${scriptJson(chart.spec)}</script></figure>`;
}

/**
 * Prose this package wrote marks commands as `code spans`, as in summary.md; after escaping, a
 * pair of backticks can only enclose text, so turning it into <code> adds no markup from data.
 */
function proseHtml(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function sectionHtml(section: ReportSection, links: LinkResolver): string {
  const parts = [`<section ${attribute('id', section.id)}>`, `<h2>${escapeHtml(section.title)}</h2>`];
  for (const paragraph of section.intro) parts.push(`<p>${proseHtml(paragraph)}</p>`);
  if (section.highlights.length) parts.push(`<ul class="highlights">${section.highlights.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>`);
  if (section.empty) parts.push(`<p class="empty">${proseHtml(section.empty)}</p>`);
  for (const chart of section.charts) parts.push(chartHtml(chart));
  for (const table of section.tables) if (!section.empty || table.rows.length > 0) parts.push(tableHtml(table, links));
  parts.push('</section>');
  return parts.join('\n');
}

/**
 * index.html: one file that works offline. Every string that is not a literal of this package
 * passes through escapeHtml (text and attributes) or scriptJson (chart specs); links are built
 * from file paths only (relativeFileHref); the policy above refuses anything else.
 */
export function htmlPage(input: HtmlPageInput): string {
  const bundles = browserBundles();
  const scripts = [...bundles.map((b) => b.source), PAGE_SCRIPT];
  const nav = `<nav><ol>${input.sections.map((s) => `<li><a ${attribute('href', `#${s.id}`)}>${escapeHtml(s.title)}</a></li>`).join('')}</ol></nav>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" ${attribute('content', contentSecurityPolicy(scripts, PAGE_STYLE))}>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(input.title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(input.title)}</h1>
${input.provenance === null ? '' : `<p class="provenance">${escapeHtml(input.provenance)}</p>\n`}${nav}
</header>
<main>
${input.sections.map((s) => sectionHtml(s, input.links)).join('\n')}
</main>
${scripts.map((source) => `<script>${source}</script>`).join('\n')}
</body>
</html>
`;
}
