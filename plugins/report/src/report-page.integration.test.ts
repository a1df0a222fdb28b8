import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@mle/core';
import { launchBrowser, waitForCharts, type Browser } from '../test/report-browser.js';
import { buildFixtureDatabase } from '../test/report-fixture.js';
import { writeReport, type WriteReportResult } from './write-report.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Kept after the run for people to look at (reports/ is where mle writes reports). */
const ARTIFACTS = path.join(REPO, 'reports', 'test-artifacts');

let dir: string;
let browser: Browser;

async function render(name: string, payload?: string): Promise<{ result: WriteReportResult; artifacts: string }> {
  const artifacts = path.join(dir, `${name}-artifacts`);
  mkdirSync(artifacts, { recursive: true });
  const db = path.join(dir, `${name}.db`);
  buildFixtureDatabase(db, { artifactDir: artifacts, ...(payload ? { payload } : {}) }).store.close();
  const store = openStore(db, { readonly: true });
  try {
    return { result: await writeReport(store, { outDir: path.join(dir, name), provenance: false }), artifacts };
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mle-report-page-'));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('index.html in headless Chromium', () => {
  it('draws every chart offline, without console errors or Vega warnings, and sorts tables', async () => {
    const { result, artifacts } = await render('report');
    // Executed notebooks and a diff that exist on disk get links; the rest do not.
    writeFileSync(path.join(artifacts, 'e1-nb1-a1.ipynb'), '{}');
    writeFileSync(path.join(artifacts, 'e4-nb6.diff.json'), '[]');
    const store = openStore(path.join(dir, 'report.db'), { readonly: true });
    try {
      await writeReport(store, { outDir: result.outDir, provenance: false });
    } finally {
      store.close();
    }
    const { page, problems, requests, dialogs } = await browser.open(result.indexPath);
    const charts = await waitForCharts(page);
    expect(charts).toBe(result.files.filter((f) => f.endsWith('.svg')).length);
    const perChart = await page.$$eval('[data-chart]', (nodes) =>
      nodes.map((node) => ({ id: node.id, rendered: node.getAttribute('data-rendered'), marks: node.querySelectorAll('svg g[class*="mark-"] path, svg g[class*="mark-"] line, svg g[class*="mark-"] text').length })),
    );
    for (const chart of perChart) {
      expect(chart.rendered, chart.id).toBe('true');
      expect(chart.marks, chart.id).toBeGreaterThan(3);
    }
    // Tooltips work under the policy (their style comes from the page's stylesheet).
    await page.locator('#chart-reproducibility-funnel svg .mark-rect path').first().hover();
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 10_000 });
    expect(await page.locator('#vg-tooltip-element').innerText()).toMatch(/count\s*9/);
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toMatch(/script-src 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+' 'sha256-[^']+';/);
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(dialogs).toEqual([]);

    // Links: relative, and only to files that exist.
    const hrefs = await page.$$eval('#table-notebooks tbody a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.sort()).toEqual([`../report-artifacts/e1-nb1-a1.ipynb`, `../report-artifacts/e4-nb6.diff.json`]);
    for (const href of hrefs) expect(existsSync(path.resolve(result.outDir, href))).toBe(true);

    // Sorting: the funnel table by its share column, descending on the second click.
    const shares = () => page.$$eval('#table-funnel tbody tr', (rows) => rows.map((row) => Number(row.cells[3]!.getAttribute('data-sort'))));
    const header = page.locator('#table-funnel thead th').nth(3).locator('button');
    await header.click();
    const ascending = await shares();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await header.click();
    const descending = await shares();
    expect(descending).toEqual([...ascending].sort((a, b) => b - a));
    expect(await page.locator('#table-funnel thead th').nth(3).getAttribute('aria-sort')).toBe('descending');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-index.png'), fullPage: true });
    expect(existsSync(path.join(ARTIFACTS, 'report-index.png'))).toBe(true);
    await page.close();
  });

  it('runs nothing a notebook, an error message or an experiment name smuggles in', async () => {
    // Markup, a javascript: link, and what breaks string literals and expressions: quotes, a
    // backslash, a line break and U+2028.
    const payload = `<script>window.__xss=1</script></script><img src=x onerror="window.__xss=2;alert(2)"> <a href="javascript:window.__xss=3">x</a> [y](javascript:window.__xss=5) ' \\ \n \u2028`;
    const { result, artifacts } = await render('xss', payload);
    writeFileSync(path.join(artifacts, 'javascript:window.__xss=4'), '{}');
    const store = openStore(path.join(dir, 'xss.db'), { readonly: true });
    try {
      const again = await writeReport(store, { outDir: result.outDir, provenance: false });
      // Every chart is still drawn: names never reach a Vega expression.
      expect(again.warnings).toEqual([]);
      expect(again.files.filter((f) => f.endsWith('.svg'))).toHaveLength(15);
    } finally {
      store.close();
    }
    const { page, problems, requests, dialogs } = await browser.open(result.indexPath);
    await waitForCharts(page);
    // Follow every link the page offers that is not a file: none may run script.
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    // The payload is shown as text, where it came from: the experiment name, the error, the cell, the path.
    const text = await page.locator('main').innerText();
    expect(text).toContain('<script>window.__xss=1</script>');
    expect(await page.locator('main script:not([type="application/json"])').count()).toBe(0);
    expect(await page.locator('main img').count()).toBe(0);
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.filter((href) => /^\s*javascript:/i.test(href))).toEqual([]);
    expect(hrefs).toContain('../xss-artifacts/javascript%3Awindow.__xss%3D4');
    // Charts carry the payload in legends and titles as SVG text, not markup.
    const svgText = await page.locator('#chart-reproducibility-funnel svg').textContent();
    expect(svgText).toContain('<script>window.__xss');
    await page.close();

    // Standalone SVG figures run scripts when opened: none is there.
    for (const file of result.files.filter((f) => f.endsWith('.svg'))) {
      const figure = await browser.open(path.join(result.outDir, file));
      expect(await figure.page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss), file).toBeUndefined();
      expect(figure.dialogs, file).toEqual([]);
      expect(await figure.page.locator('script, img, foreignObject').count(), file).toBe(0);
      await figure.page.close();
    }

    // CSV: the formula-like experiment name is neutralized; Markdown: the payload is inert text.
    const funnel = readFileSync(path.join(result.outDir, 'tables', 'funnel.csv'), 'utf8');
    expect(funnel).toContain(`"'=HYPERLINK(""http://example.invalid/"",""backport"")"`);
    expect(funnel).not.toMatch(/(^|,)=HYPERLINK/m);
    const summary = readFileSync(result.summaryPath, 'utf8');
    expect(summary).not.toContain('<script');
    expect(summary).not.toContain('<img');
    // `\[y\](javascript:...)` is text; an unescaped `](javascript:` would be a link.
    expect(summary).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(summary).toContain('\\[y\\](javascript:window.\\_\\_xss=5)');
    expect(summary).toContain('&lt;script&gt;window.\\_\\_xss=1&lt;/script&gt;');
    // Nothing anywhere in summary.md can open raw HTML; notebook text (the failing cell) is all entities.
    expect(summary).not.toMatch(/<[A-Za-z!?/]/);
    expect(summary).toContain('print("&lt;script&gt;window.\\_\\_xss=1&lt;/script&gt;&lt;/script&gt;&lt;img src=x onerror="window.\\_\\_xss=2;alert(2)"&gt;');
  });
});
