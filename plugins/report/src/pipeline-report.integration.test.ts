import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, waitForCharts, type Browser } from '../test/report-browser.js';
import { NOTEBOOKS, PAYLOADS, XSS_FLAG, writeCompetition, writeNotebooks } from '../test/pipeline-corpus.js';

/*
 * The report of a database the real pipeline built: `mle mine dir`, `mle feedback scan`,
 * `mle run` and `mle modernize` (rules only) on real kernels of the tools environment, then
 * `mle report`, opened in headless Chromium. The corpus is in ../test/pipeline-corpus.ts.
 */

const exec = promisify(execFile);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(REPO, 'packages', 'cli', 'bin', 'run.js');
/** Kept after the run for people to look at (git-ignored). */
const ARTIFACTS = path.join(REPO, 'reports', 'test-artifacts');

let work: string;
let db: string;
let reportDir: string;
let browser: Browser;
const steps: { command: string; stdout: string; stderr: string }[] = [];
let emptyReportDir: string;

/** The built CLI as a user runs it; a failing step fails the set-up with its stderr. */
async function mle(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [BIN, ...args, '--db', db], { cwd: work, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    steps.push({ command: args.join(' '), stdout, stderr });
    return { stdout, stderr };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`mle ${args.join(' ')} failed: ${failed.stderr || failed.message}\n${failed.stdout ?? ''}`);
  }
}

function query<T>(sql: string, ...params: (string | number)[]): T[] {
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare(sql).all(...params) as T[];
  } finally {
    handle.close();
  }
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'mle-report-pipeline-'));
  db = path.join(work, 'study.db');
  reportDir = path.join(work, 'report');
  const competitions = writeCompetition(path.join(work, 'competitions'));
  writeNotebooks(path.join(work, 'corpus'));
  const execution = ['--env', 'mle-tools', '--competitions', competitions, '--out', path.join(work, 'runs'), '--timeout', '60', '--jobs', '2'];
  await mle('mine', 'dir', path.join(work, 'corpus'));
  await mle('feedback', 'scan');
  await mle('run', '--all', '--experiment', 'baseline', ...execution);
  await mle('modernize', '--all', '--experiment', 'modernize', '--baseline', 'baseline', '--no-llm', ...execution);
  await mle('report', '--out', reportDir, '--no-provenance');
  // A modernize experiment with nothing to fix (a reproduces, c runs to the end): no fix, no LLM
  // call, so its fix and cost charts have nothing to draw.
  const idle = query<{ id: number }>("SELECT notebook_id AS id FROM origins WHERE path LIKE '%a-reproduced.ipynb' OR path LIKE '%c-completed.ipynb' ORDER BY 1").map((r) => String(r.id));
  await mle('modernize', ...idle, '--experiment', 'nothing-to-fix', '--baseline', 'baseline', '--no-llm', ...execution);
  emptyReportDir = path.join(work, 'report-nothing-to-fix');
  await mle('report', '--out', emptyReportDir, '--experiment', 'baseline', '--experiment', 'nothing-to-fix', '--no-provenance');
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('mle report on a database built by the pipeline', () => {
  it('starts from what the pipeline recorded', () => {
    const runs = query<{ path: string; status: string; score: number | null; error_value: string | null }>(
      `SELECT o.path, r.status, r.score, r.error_value FROM runs r JOIN experiments e ON e.id = r.experiment_id
       JOIN origins o ON o.notebook_id = r.notebook_id WHERE e.name = 'baseline' ORDER BY o.path`,
    );
    const byName = new Map(runs.map((run) => [path.basename(run.path, '.ipynb'), run]));
    expect([...byName.keys()].sort()).toEqual(NOTEBOOKS.map((n) => n.name).sort());
    expect(byName.get('a-reproduced')).toMatchObject({ status: 'reproduced', score: 1 });
    expect(byName.get('b-mismatch')).toMatchObject({ status: 'score-mismatch', score: 0.5 });
    expect(byName.get('c-completed')).toMatchObject({ status: 'completed', score: 1 });
    expect(byName.get('d-python2')).toMatchObject({ status: 'error', score: null });
    expect(byName.get(PAYLOADS.fileName)).toMatchObject({ status: 'error', error_value: PAYLOADS.error });
    const loops = query<{ path: string; status: string; diff_path: string | null }>(
      `SELECT o.path, m.status, m.diff_path FROM modernizations m JOIN origins o ON o.notebook_id = m.notebook_id ORDER BY o.path`,
    );
    expect(loops.find((l) => l.path.endsWith('d-python2.ipynb'))).toMatchObject({ status: 'rescued', diff_path: expect.any(String) });
    expect(query<{ n: number }>('SELECT COUNT(*) AS n FROM feedback_scans')[0]!.n).toBe(NOTEBOOKS.length);
  });

  it('counts a completed run with a score as graded in the funnel', () => {
    const funnel = readFileSync(path.join(reportDir, 'tables', 'funnel.csv'), 'utf8');
    // a, b and c have a score; d and the XSS notebook stopped at an error.
    expect(funnel).toContain('baseline,baseline,graded with a score,3,5,');
    expect(funnel).toContain('baseline,baseline,reproduced,1,5,');
    // Modernize rescued d: a, b, c, d scored; a and d reproduced. c's loop stopped at once (a
    // clean run is all it can reach without a reported score), which is not reproducing.
    expect(funnel).toContain('modernize,modernize,graded with a score,4,5,');
    expect(funnel).toContain('modernize,modernize,reproduced,2,5,');
    const statuses = readFileSync(path.join(reportDir, 'tables', 'statuses.csv'), 'utf8');
    expect(statuses).toContain('modernize,completed,1,5,');
  });

  it('draws every chart in Chromium, runs no injected script, and links every notebook row to files it wrote', async () => {
    const index = path.join(reportDir, 'index.html');
    const { page, problems, requests, dialogs } = await browser.open(index);
    const charts = await waitForCharts(page);
    const figures = readFileSync(path.join(reportDir, 'summary.md'), 'utf8').match(/!\[[^\]]*\]\(figures\/[^)]+\.png\)/g) ?? [];
    expect(charts).toBeGreaterThanOrEqual(8);
    expect(charts).toBe(figures.length);
    const perChart = await page.$$eval('[data-chart]', (nodes) =>
      nodes.map((node) => ({ id: node.id, rendered: node.getAttribute('data-rendered'), svg: node.querySelectorAll('svg').length, marks: node.querySelectorAll('svg g[class*="mark-"] > *').length })),
    );
    for (const chart of perChart) {
      expect(chart.rendered, chart.id).toBe('true');
      expect(chart.svg, chart.id).toBeGreaterThan(0);
      expect(chart.marks, chart.id).toBeGreaterThan(0);
    }
    // No Vega error or warning, no blocked request, no alert: nothing tried to run.
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await page.locator('main').hover();
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate((flag) => (globalThis as unknown as Record<string, unknown>)[flag], XSS_FLAG)).toBeUndefined();
    // The payloads are on the page as text, not as elements or attributes.
    const text = await page.locator('main').innerText();
    expect(text).toContain(PAYLOADS.error.slice(0, 60));
    expect(text).toContain(`${PAYLOADS.fileName}.ipynb`);
    expect(await page.locator('main script:not([type="application/json"]), main img, main iframe, main b').count()).toBe(0);
    const handlers = await page.$$eval('body *', (nodes) => (nodes as unknown as { tagName: string; attributes: ArrayLike<{ name: string }> }[]).flatMap((node) => Array.from(node.attributes).filter((a) => a.name.startsWith('on')).map((a) => `${node.tagName} ${a.name}`)));
    expect(handlers).toEqual([]);

    // Every link of the notebooks table is relative and resolves to a file the pipeline wrote:
    // an executed notebook per run, the diff of the rescued notebook.
    const links = await page.$$eval('#table-notebooks tbody a', (nodes) => nodes.map((a) => ({ label: a.textContent ?? '', href: a.getAttribute('href') ?? '' })));
    expect(links.filter((l) => l.label === 'executed')).toHaveLength(NOTEBOOKS.length * 2);
    expect(links.filter((l) => l.label === 'diff').length).toBeGreaterThanOrEqual(1);
    for (const link of links) {
      expect(link.href, link.label).toMatch(/^\.\.\/runs\//);
      const target = path.resolve(reportDir, decodeURIComponent(link.href));
      expect(existsSync(target), target).toBe(true);
      if (link.label === 'executed') expect(JSON.parse(readFileSync(target, 'utf8'))).toHaveProperty('cells');
    }

    mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = path.join(ARTIFACTS, 'pipeline-report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
    await page.close();
  });

  it('explains empty fix and cost charts instead of drawing nothing, for an experiment with no fix and no LLM call', async () => {
    // Neither report made Vega warn while rendering its figures in Node.
    for (const step of steps.filter((s) => s.command.startsWith('report'))) expect(step.stderr, step.command).not.toMatch(/warn/i);
    const summary = readFileSync(path.join(emptyReportDir, 'summary.md'), 'utf8');
    expect(summary).toContain('No fix charts: no modernization loop started from a non-reproducible notebook');
    expect(summary).toContain('No cost chart: these experiments made no LLM call (rules and the fix cache only, or `--no-llm`), so nothing was spent.');
    expect(summary).not.toContain('figures/fixes-per-notebook.png');
    expect(summary).not.toContain('figures/cost-per-rescued-notebook.png');
    expect(summary).toContain('figures/status-transitions.png');
    const { page, problems, requests } = await browser.open(path.join(emptyReportDir, 'index.html'));
    const charts = await waitForCharts(page);
    expect(charts).toBe((summary.match(/!\[[^\]]*\]\(figures\/[^)]+\.png\)/g) ?? []).length);
    expect(await page.locator('[data-chart][data-rendered="true"] svg').count()).toBe(charts);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('#cost').innerText()).toContain('No cost chart');
    expect(await page.locator('#cost code').first().innerText()).toBe('--no-llm');
    await page.close();
  });

  it('keeps notebook markup inert in summary.md and the CSV tables', () => {
    const summary = readFileSync(path.join(reportDir, 'summary.md'), 'utf8');
    expect(summary).not.toMatch(/<[A-Za-z!?/]/);
    expect(summary).toContain('&lt;script&gt;window.\\_\\_xss=6&lt;/script&gt;');
    expect(summary).toContain(`graded with a score | 60.0% (3/5`);
    const crashes = readFileSync(path.join(reportDir, 'tables', 'crash-types.csv'), 'utf8');
    expect(crashes).toContain('ValueError');
  });
});
