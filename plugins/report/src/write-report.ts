import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openStore, type Store } from '@mle/core';
import { relativeFileHref } from './escape/html-escape.js';
import { loadReportData, type Headline, type ReportData } from './report-data.js';
import { renderChart } from './render/render-chart.js';
import { reportSections } from './sections/report-sections.js';
import { tableCsv } from './tables/csv-table.js';
import { htmlPage, type LinkResolver } from './write/html-page.js';
import { summaryMarkdown } from './write/summary-markdown.js';

export interface WriteReportOptions {
  /** Directory to write into (created when missing). */
  outDir: string;
  /** Experiment names to report on and compare, in this order; all experiments when empty. */
  experiments?: readonly string[];
  /**
   * Add the one "generated from <db> at <time>" line (default true). Everything else in the
   * report depends only on the database, so with `false` the same database gives byte-identical
   * files: that is what golden tests compare.
   */
  provenance?: boolean;
  /** Report title (default "mle report"). */
  title?: string;
  /** The clock behind the provenance line. */
  now?: () => Date;
}

export interface WriteReportResult {
  outDir: string;
  indexPath: string;
  summaryPath: string;
  /** Every file written, relative to outDir, sorted. */
  files: string[];
  headline: Headline;
  /** Warnings from rendering the figures (none for a correct report). */
  warnings: string[];
  data: ReportData;
}

/**
 * Executed notebooks and diffs are linked only when the file exists. A stored path is absolute
 * as mle writes them; a relative one is tried against the database's directory, then the
 * working directory.
 */
function linkResolver(outDir: string, dbPath: string): LinkResolver {
  const cache = new Map<string, string | null>();
  return (stored) => {
    if (!stored) return null;
    if (cache.has(stored)) return cache.get(stored)!;
    const candidates = path.isAbsolute(stored) ? [stored] : [path.resolve(path.dirname(dbPath), stored), path.resolve(stored)];
    const found = candidates.find((candidate) => existsSync(candidate));
    const href = found ? relativeFileHref(outDir, found) : null;
    cache.set(stored, href);
    return href;
  };
}

/**
 * Write the report of an open store: index.html, summary.md, tables/*.csv, figures/*.svg and
 * figures/*.png. Reads only the database (and checks that linked files exist).
 */
export async function writeReport(store: Store, options: WriteReportOptions): Promise<WriteReportResult> {
  const outDir = path.resolve(options.outDir);
  const title = options.title ?? 'mle report';
  const data = loadReportData(store, { experiments: options.experiments ?? [] });
  const sections = reportSections(data);
  const provenance = options.provenance === false ? null : `generated from ${store.path} (schema version ${data.schemaVersion}) at ${(options.now ?? (() => new Date()))().toISOString()}`;
  await mkdir(path.join(outDir, 'tables'), { recursive: true });
  await mkdir(path.join(outDir, 'figures'), { recursive: true });
  const files: string[] = [];
  const write = async (relative: string, content: string | Buffer) => {
    await writeFile(path.join(outDir, relative), content);
    files.push(relative);
  };
  const warnings: string[] = [];
  // One chart at a time: rendering is CPU-bound and the machines are shared. A chart that cannot
  // be drawn is a warning and leaves the report (it would fail in the page too), not a failed report.
  for (const section of sections) {
    const drawn = [];
    for (const chart of section.charts) {
      try {
        const rendered = await renderChart(chart);
        warnings.push(...rendered.warnings.map((w) => `${chart.id}: ${w}`));
        await write(`figures/${chart.id}.svg`, rendered.svg);
        await write(`figures/${chart.id}.png`, rendered.png);
        drawn.push(chart);
      } catch (error) {
        warnings.push(`${chart.id}: not drawn: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    section.charts = drawn;
  }
  for (const table of sections.flatMap((s) => s.tables)) await write(`tables/${table.id}.csv`, tableCsv(table));
  await write('summary.md', summaryMarkdown(title, provenance, sections));
  await write('index.html', htmlPage({ title, provenance, sections, links: linkResolver(outDir, store.path) }));
  return {
    outDir,
    indexPath: path.join(outDir, 'index.html'),
    summaryPath: path.join(outDir, 'summary.md'),
    files: files.sort(),
    headline: data.headline,
    warnings,
    data,
  };
}

export interface GenerateReportOptions extends Omit<WriteReportOptions, 'outDir'> {
  /** Default: reports/<database file name without extension>/ under the working directory. */
  outDir?: string;
}

/** The default output directory for a database: reports/<basename without extension>. */
export function defaultReportDir(dbPath: string): string {
  return path.join('reports', path.basename(dbPath).replace(/\.[^.]+$/, '') || 'report');
}

/** Open the database read-only, write its report, close it: the call `mle report` and `mle demo` make. */
export async function generateReport(dbPath: string, options: GenerateReportOptions = {}): Promise<WriteReportResult> {
  const store = openStore(dbPath, { readonly: true });
  try {
    return await writeReport(store, { ...options, outDir: options.outDir ?? defaultReportDir(dbPath) });
  } finally {
    store.close();
  }
}
