import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '@mle/core';
import { buildFixtureDatabase, EXPERIMENTS } from '../test/report-fixture.js';
import { ExperimentNotFoundError } from './data/experiments.js';
import { escapeHtml } from './escape/html-escape.js';
import { markdownLiteral } from './escape/markdown-escape.js';
import { writeReport, type WriteReportResult } from './write-report.js';

/** Parse our own CSV (RFC 4180, CRLF): enough to read back what csvDocument wrote. */
function readCsv(file: string): Record<string, string>[] {
  const text = readFileSync(file, 'utf8');
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

let dir: string;
let result: WriteReportResult;
let summary: string;
const csv = (name: string) => readCsv(path.join(result.outDir, 'tables', `${name}.csv`));
const close = (value: string, expected: number) => expect(Number(value)).toBeCloseTo(expected, 6);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mle-report-'));
  const { store } = buildFixtureDatabase(path.join(dir, 'fixture.db'));
  store.close();
  const readonly = openStore(path.join(dir, 'fixture.db'), { readonly: true });
  try {
    result = await writeReport(readonly, { outDir: path.join(dir, 'out'), provenance: false });
  } finally {
    readonly.close();
  }
  summary = readFileSync(result.summaryPath, 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReport on a fixture database', () => {
  it('writes index.html, summary.md, a CSV per table and an SVG and PNG per chart, without warnings', () => {
    expect(result.warnings).toEqual([]);
    const figures = readdirSync(path.join(result.outDir, 'figures')).sort();
    expect(figures).toContain('reproducibility-funnel.svg');
    expect(figures).toContain('reproducibility-funnel.png');
    for (const id of ['run-statuses', 'status-transitions', 'crash-families', 'crash-types', 'fixes-per-notebook', 'fix-types', 'fix-sources', 'cost-per-rescued-notebook', 'score-relative-error', 'runtime', 'feedback-categories', 'environment-failure-modes', 'experiment-comparison', 'published-comparison']) {
      expect(figures).toContain(`${id}.svg`);
      expect(figures).toContain(`${id}.png`);
    }
    expect(result.files).toContain('index.html');
    expect(result.files).toContain('summary.md');
  });

  it('counts the funnel per condition with denominators and Wilson intervals', () => {
    const funnel = csv('funnel');
    const stage = (experiment: string, name: string) => funnel.find((r) => r.experiment === experiment && r.stage === name)!;
    // baseline: 9 attempted; env ready 9; no crash: 1, 2, 3, 9 = 4; scored: 1, 2, 3 = 3; reproduced: 1, 2 = 2
    expect(stage('baseline', 'attempted')).toMatchObject({ share_count: '9', share_total: '9' });
    expect(stage('baseline', 'environment ready')).toMatchObject({ share_count: '9' });
    expect(stage('baseline', 'ran without a crash')).toMatchObject({ share_count: '4' });
    expect(stage('baseline', 'graded with a score')).toMatchObject({ share_count: '3' });
    const reproduced = stage('baseline', 'reproduced');
    expect(reproduced).toMatchObject({ share_count: '2', share_total: '9' });
    // Wilson 95% for 2/9: [0.0632, 0.5474]
    expect(Number(reproduced.share_ci95_low)).toBeCloseTo(0.0632, 4);
    expect(Number(reproduced.share_ci95_high)).toBeCloseTo(0.5474, 4);
    // backport: 8 attempted, 2 env-failed → 6 with an environment; reproduced 1, 4
    expect(stage('backport', 'environment ready')).toMatchObject({ share_count: '6', share_total: '8' });
    expect(stage('backport', 'reproduced')).toMatchObject({ share_count: '2', share_total: '8' });
    // modernize-llm: 1 already + 5 rescued of 8
    expect(stage(EXPERIMENTS.llm, 'reproduced')).toMatchObject({ share_count: '6', share_total: '8' });
    expect(summary).toContain('baseline (baseline): 22.2% (2/9, 95% CI 6.3–54.7%) reproduced.');
  });

  it('applies the verdict over repeated attempts', () => {
    const statuses = csv('statuses').filter((r) => r.experiment === 'baseline');
    const count = (status: string) => statuses.find((r) => r.status === status)?.share_count;
    expect(count('reproduced')).toBe('2'); // notebook 2's verdict reproduces it
    expect(count('score-mismatch')).toBe('1'); // notebook 3's last attempt and verdict say no
    expect(count('error')).toBe('4');
    expect(count('timeout')).toBe('1');
    expect(count('no-submission')).toBe('1');
  });

  it('tests transitions with McNemar on shared notebooks', () => {
    const tests = csv('transition-tests');
    const pair = (first: string, second: string) => tests.find((r) => r.first === first && r.second === second)!;
    // baseline → backport on 1-8: both 1, baseline only 2, backport only 4, neither 5 → p = 1
    expect(pair('baseline', 'backport')).toMatchObject({ shared: '8', both: '1', first_only: '1', second_only: '1', neither: '5', mcnemar_p: '1' });
    // baseline → rules on 1, 3-9: both 1; rules only 4, 5, 8 → p = 2 / 2^3 = 0.25
    expect(pair('baseline', EXPERIMENTS.rules)).toMatchObject({ shared: '8', both: '1', first_only: '0', second_only: '3', neither: '4', mcnemar_p: '0.25' });
    // rules → llm: llm only 3, 6 → p = 2 / 4 = 0.5
    expect(pair(EXPERIMENTS.rules, EXPERIMENTS.llm)).toMatchObject({ both: '4', first_only: '0', second_only: '2', neither: '2', mcnemar_p: '0.5' });
    const transitions = csv('transitions').filter((r) => r.first === 'baseline' && r.second === 'backport');
    expect(transitions.find((r) => r.from === 'reproduced' && r.to === 'env-failed')).toMatchObject({ share_count: '1', share_total: '8' });
    expect(transitions.find((r) => r.from === 'error' && r.to === 'env-failed')).toMatchObject({ share_count: '1' });
    // summary.md: a p-value reads as a sentence, and a command in prose stays a code span.
    expect(summary).toContain(`baseline → ${EXPERIMENTS.rules} (8 shared notebooks): reproducible 12.5% (1/8, 95% CI 2.2–47.1%) → 50.0% (4/8, 95% CI 21.5–78.5%); 3 gained, 0 lost, McNemar exact p = 0.250.`);
    expect(summary).not.toMatch(/p = (&lt;|<)/);
    expect(summary).toContain('Pass `--experiment NAME` several times');
    expect(summary).not.toContain('\\`');
  });

  it('maps crashes to the study’s families', () => {
    const families = csv('crash-families').filter((r) => r.experiment === 'baseline');
    const family = (name: string) => families.find((r) => r.family === name);
    // crashes: 4 ModuleNotFoundError, 5 AttributeError, 6 ValueError (data), 7 timeout, 8 NameError
    expect(family('environment')).toMatchObject({ share_count: '1', share_total: '5' });
    expect(family('names and resources')).toMatchObject({ share_count: '2', share_total: '5' });
    expect(family('shapes and data')).toMatchObject({ share_count: '1' });
    expect(family('Python exceptions')).toMatchObject({ share_count: '1' });
    expect(csv('crash-rates').find((r) => r.experiment === 'baseline')).toMatchObject({ crashed_count: '5', crashed_total: '9' });
    const types = csv('crash-types').filter((r) => r.experiment === 'baseline');
    expect(types.find((r) => r.error === 'ValueError')).toMatchObject({ type: 'data-value violation', notebooks: '6' });
    expect(types.find((r) => r.error === 'AttributeError')!.failing_cell).toBe('df = df.append(other)');
    expect(types.find((r) => r.error === '(timeout)')).toMatchObject({ type: 'timeout', family: 'names and resources' });
  });

  it('counts fixes per notebook, per fix type and per source', () => {
    const perNotebook = csv('fixes-per-notebook');
    expect(perNotebook.find((r) => r.experiment === EXPERIMENTS.rules)).toMatchObject({ loops: '8', candidates: '7', rescued_count: '3', rescued_total: '7', tried: '6', median_fixes_per_rescued: '1' });
    close(perNotebook.find((r) => r.experiment === EXPERIMENTS.rules)!.mean_fixes_per_rescued!, 4 / 3);
    expect(perNotebook.find((r) => r.experiment === EXPERIMENTS.llm)).toMatchObject({ rescued_count: '5', rescued_total: '7', tried: '9', median_fixes_per_rescued: '1', mean_fixes_per_rescued: '1.2' });
    const sources = csv('fix-sources');
    const source = (experiment: string, name: string) => sources.find((r) => r.experiment === experiment && r.source === name)!;
    expect(source(EXPERIMENTS.rules, 'rule')).toMatchObject({ tried: '5', helped_count: '3', helped_total: '5', rescuing_count: '2', rescuing_total: '3', rolled_back: '1', not_applied: '1' });
    expect(source(EXPERIMENTS.rules, 'cache')).toMatchObject({ tried: '1', helped_count: '1', rescuing_count: '1' });
    expect(source(EXPERIMENTS.rules, 'llm')).toMatchObject({ tried: '0', helped_total: '0', rescuing_count: '0' });
    expect(source(EXPERIMENTS.llm, 'llm')).toMatchObject({ tried: '5', helped_count: '3', rescuing_count: '2', rescuing_total: '5' });
    const types = csv('fix-types').filter((r) => r.experiment === EXPERIMENTS.rules);
    expect(types.find((r) => r.fix_type === 'dataframe-append')).toMatchObject({ fix_code: 'BC024', tried: '2', helped_count: '2', rescued: '1' });
    expect(types.find((r) => r.fix_type === 'read-csv-error-bad-lines')).toMatchObject({ tried: '2', helped_count: '0', rolled_back: '1' });
  });

  it('divides LLM cost by rescued notebooks and by candidates', () => {
    const cost = csv('cost').find((r) => r.experiment === EXPERIMENTS.llm)!;
    expect(cost).toMatchObject({ candidates: '7', rescued: '5', llm_calls: '6', failed_calls: '2', tokens_in: '10100', tokens_out: '1900', tokens_cached: '600' });
    close(cost.cost_usd!, 0.5);
    close(cost.cost_per_rescued_usd!, 0.1);
    close(cost.cost_per_candidate_usd!, 0.5 / 7);
    const rules = csv('cost').find((r) => r.experiment === EXPERIMENTS.rules)!;
    expect(rules).toMatchObject({ llm_calls: '0', cost_usd: '0', cost_per_rescued_usd: '0' });
    expect(summary).toContain(`${EXPERIMENTS.llm} (modernize): $0.50 over 6 LLM calls; $0.10 per rescued notebook (5 rescued), $0.07 per candidate (7).`);
  });

  it('reports score error and runtime distributions', () => {
    const score = csv('score-error').find((r) => r.experiment === 'baseline')!;
    // relative errors 0.02, 0.05, 0.30: median 0.05, within 10%: 2/3
    expect(score).toMatchObject({ n: '3', median: '0.05', within_10pct_count: '2', within_10pct_total: '3' });
    const runtime = csv('runtime').find((r) => r.experiment === 'baseline')!;
    // representative wall times 5, 12, 30, 2, 3, 4, 600, 1.5, 8 s → median 5 s; all 11 attempts sum to 705.5 s
    expect(runtime).toMatchObject({ n: '9', median: '5', max: '600', total_seconds: '705.5' });
    // backport: env-failed runs are not executions: 6 values
    expect(csv('runtime').find((r) => r.experiment === 'backport')).toMatchObject({ n: '6' });
  });

  it('counts feedback by form and category from the latest scans only', () => {
    const categories = csv('feedback-categories');
    const category = (form: string, name: string) => categories.find((r) => r.form === form && r.category === name);
    // explicit: data-shape (nb 1), data-validation ×2 (nb 3); the old scan's existence assert is ignored
    expect(category('explicit', 'data-validation')).toMatchObject({ share_count: '2', share_total: '3' });
    expect(category('explicit', 'data-shape')).toMatchObject({ share_count: '1', share_total: '3' });
    expect(category('explicit', 'existence')).toBeUndefined();
    expect(category('implicit', 'model-performance')).toMatchObject({ share_count: '2', share_total: '4' });
    const mechanisms = csv('feedback-mechanisms');
    expect(mechanisms.find((r) => r.mechanism === 'assert')).toMatchObject({ instances: '2', notebooks_count: '2', notebooks_total: '4' });
    expect(summary).toContain('Notebooks with at least one assertion (the study’s way of counting): 50.0% (2/4, 95% CI 15.0–85.0%).');
  });

  it('lists environment failure modes', () => {
    expect(csv('environment-kinds').find((r) => r.kind === 'backport')).toMatchObject({ total: '3', failed_count: '2', failed_total: '3' });
    const modes = csv('environment-failure-modes');
    expect(modes.map((r) => r.failure_mode).sort()).toEqual(['no-wheel', 'resolution-conflict']);
    expect(modes.find((r) => r.failure_mode === 'no-wheel')).toMatchObject({ failure_step: 'install', share_count: '1', share_total: '2' });
    expect(csv('environment-events').find((r) => r.action === 'built')).toMatchObject({ count: '2', seconds: '70' });
    expect(summary).toContain('50.0% (2/4, 95% CI 15.0–85.0%) of environments could not be built.');
  });

  it('sets the corpus beside the published figures, labelled as another corpus', () => {
    const shares = csv('published-shares');
    const baseline = shares.find((r) => r.figure === 'reproducible as found (baseline)')!;
    expect(baseline).toMatchObject({ scope: 'baseline', ours_count: '2', ours_total: '9', published_count: '4503', published_total: '12720', published_inside_our_ci: 'true' });
    const rescued = shares.filter((r) => r.figure === 'rescued by modernization');
    expect(rescued.map((r) => [r.scope, r.ours_count, r.ours_total])).toEqual([
      [EXPERIMENTS.rules, '3', '7'],
      [EXPERIMENTS.llm, '5', '7'],
    ]);
    expect(csv('published-backport')[0]).toMatchObject({ baseline: 'baseline', backport: 'backport', shared: '8', verdict: 'no significant difference', consistent_with_study: 'true' });
    expect(summary).toContain('## Beside the published figures (different corpora)');
    expect(summary).toContain('it is not a replication');
  });

  it('compares named experiments in the order given and refuses unknown names', async () => {
    const store = openStore(path.join(dir, 'fixture.db'), { readonly: true });
    try {
      const named = await writeReport(store, { outDir: path.join(dir, 'named'), experiments: [EXPERIMENTS.llm, EXPERIMENTS.rules], provenance: false });
      expect(named.headline.experiments.map((e) => e.name)).toEqual([EXPERIMENTS.llm, EXPERIMENTS.rules]);
      const tests = readCsv(path.join(named.outDir, 'tables', 'comparison-tests.csv'));
      expect(tests).toHaveLength(1);
      expect(tests[0]).toMatchObject({ first: EXPERIMENTS.llm, second: EXPERIMENTS.rules, first_only: '2', second_only: '0', mcnemar_p: '0.5' });
      const comparison = readCsv(path.join(named.outDir, 'tables', 'comparison.csv'));
      expect(comparison[0]).toMatchObject({ experiment: EXPERIMENTS.llm, rescued_count: '5', rescued_total: '7', fixes_tried: '9', llm_calls: '6' });
      await expect(writeReport(store, { outDir: path.join(dir, 'bad'), experiments: ['nope'] })).rejects.toThrow(ExperimentNotFoundError);
    } finally {
      store.close();
    }
  });

  it('gives the same bytes for the same database without the provenance line', async () => {
    const store = openStore(path.join(dir, 'fixture.db'), { readonly: true });
    try {
      const again = await writeReport(store, { outDir: path.join(dir, 'again'), provenance: false });
      expect(again.files).toEqual(result.files);
      for (const file of result.files) expect(readFileSync(path.join(again.outDir, file)), file).toEqual(readFileSync(path.join(result.outDir, file)));
      const stamped = await writeReport(store, { outDir: path.join(dir, 'stamped'), now: () => new Date('2030-01-01T00:00:00Z') });
      const line = `generated from ${path.join(dir, 'fixture.db')} (schema version ${store.schemaVersion}) at 2030-01-01T00:00:00.000Z`;
      expect(readFileSync(stamped.summaryPath, 'utf8')).toContain(markdownLiteral(line));
      expect(readFileSync(stamped.indexPath, 'utf8')).toContain(`<p class="provenance">${escapeHtml(line)}</p>`);
      expect(readFileSync(result.indexPath, 'utf8')).not.toContain('class="provenance"');
    } finally {
      store.close();
    }
  });
});

describe('writeReport on databases with little in them', () => {
  it('says why each section is empty and draws no chart for a database with nothing mined', async () => {
    const store = openStore(path.join(dir, 'empty.db'));
    store.close();
    const readonly = openStore(path.join(dir, 'empty.db'), { readonly: true });
    try {
      const empty = await writeReport(readonly, { outDir: path.join(dir, 'empty'), provenance: false });
      expect(empty.files.filter((f) => f.startsWith('figures/'))).toEqual([]);
      expect(empty.warnings).toEqual([]);
      const text = readFileSync(empty.summaryPath, 'utf8');
      expect(text).toContain('_the notebooks table is empty: run `mle mine` first_');
      expect(text).toContain('_no experiments in this database: run `mle run` first_');
      expect(text).toContain('no environments built yet');
      expect(text).toContain('no notebook has been scanned');
      // Tables still exist as CSV with their header, so scripts find every file.
      expect(readFileSync(path.join(empty.outDir, 'tables', 'funnel.csv'), 'utf8')).toBe('experiment,kind,stage,share_count,share_total,share_share,share_ci95_low,share_ci95_high\r\n');
      expect(readFileSync(empty.indexPath, 'utf8')).not.toContain('data-chart=');
    } finally {
      readonly.close();
    }
  });

  it('works on a database that predates the execution and modernization tables', async () => {
    const file = path.join(dir, 'old.db');
    const { store } = buildFixtureDatabase(file);
    // What a database mined and scanned before `mle run` existed looks like.
    store.db.exec('DROP TABLE llm_calls; DROP TABLE fix_cache; DROP TABLE fixes; DROP TABLE modernizations; DROP TABLE run_cells; DROP TABLE run_verdicts; DROP TABLE runs; DROP TABLE experiments;');
    store.close();
    const readonly = openStore(file, { readonly: true });
    try {
      const old = await writeReport(readonly, { outDir: path.join(dir, 'old'), provenance: false });
      expect(old.warnings).toEqual([]);
      const text = readFileSync(old.summaryPath, 'utf8');
      expect(text).toContain('this database has no experiments, runs tables');
      // Feedback and environments still report.
      expect(old.files).toContain('figures/feedback-categories.svg');
      expect(old.files).toContain('figures/environment-failure-modes.svg');
      expect(old.files).not.toContain('figures/reproducibility-funnel.svg');
      await expect(writeReport(readonly, { outDir: path.join(dir, 'old-named'), experiments: ['baseline'] })).rejects.toThrow(ExperimentNotFoundError);
    } finally {
      readonly.close();
    }
  });
});
