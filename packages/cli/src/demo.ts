import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, runTool, toolPath, type WritableStore } from '@mle/core';
import { backportExperiment, EnvironmentBuilder } from '@mle/plugin-backport';
import { chatClientFromEnvironment, modernizeExperiment } from '@mle/plugin-modernize';
import { outputsLocalizer, scanFeedback, synthesizeNotebooks, validateNotebooks } from '@mle/plugin-feedback';
import { DirSource, mineCorpus } from '@mle/plugin-mine';
import { generateReport } from '@mle/plugin-report';
import { allNotebookIds, environmentKernel, runExperiment, type ResolvedKernel } from '@mle/runner';

/** The repository root (packages/cli/{src,dist} → ../../..). */
export const REPOSITORY_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * The date the demo's contemporary environment is resolved as of. Fixed, so that re-running the
 * demo later gives the same numbers; `--contemporary-at` moves it.
 */
export const DEMO_CONTEMPORARY_DATE = '2026-11-20';

export interface DemoOptions {
  /** Database (default reports/demo.db). */
  db?: string;
  /** Report directory (default reports/demo). */
  out?: string;
  jobs?: number;
  contemporaryAt?: string;
  signal?: AbortSignal;
  /** One line per step as it starts and ends. */
  log?: (line: string) => void;
}

export interface DemoStep {
  step: string;
  seconds: number;
  result: string;
}

export interface DemoSummary {
  db: string;
  report: string;
  steps: DemoStep[];
}

/**
 * The whole pipeline on the bundled corpus: prepare the competitions, mine the era notebooks, scan
 * their feedback, build the contemporary environment, run the baseline, backport, synthesize and
 * validate assertions from the stored outputs, modernize, and write the report. Every step is resumable and cached, so a second run only re-reads the database.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const db = resolve(options.db ?? join(REPOSITORY_ROOT, 'reports', 'demo.db'));
  const out = resolve(options.out ?? join(REPOSITORY_ROOT, 'reports', 'demo'));
  const competitionsDir = join(REPOSITORY_ROOT, 'datasets', 'competitions');
  const outputDir = join(dirname(db), 'demo-runs');
  const jobs = options.jobs ?? 2;
  const log = options.log ?? (() => undefined);
  const steps: DemoStep[] = [];
  const step = async (name: string, work: () => Promise<string>) => {
    if (options.signal?.aborted) throw new Error('interrupted; run the demo again to resume');
    log(`${name} ...`);
    const started = performance.now();
    const result = await work();
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    steps.push({ step: name, seconds, result });
    log(`${name}: ${result} (${seconds} s)`);
  };

  mkdirSync(dirname(db), { recursive: true });
  const store: WritableStore = openStore(db);
  try {
    await step('prepare competitions', async () => {
      const prepared = await runTool(toolPath('python'), [join(REPOSITORY_ROOT, 'datasets', 'prepare.py'), '--pip', toolPath('pip')], { timeoutMs: 600_000 });
      if (!prepared.ok) throw new Error(`datasets/prepare.py failed: ${prepared.stderr.trim().split('\n').at(-1) ?? prepared.error}`);
      return prepared.stderr.trim().split('\n').filter((line) => line.includes(':')).length + ' competitions ready';
    });
    await step('mine the era corpus', async () => {
      const summary = await mineCorpus(store, [new DirSource(join(REPOSITORY_ROOT, 'datasets', 'notebooks'))], { jobs: 1, ...(options.signal ? { signal: options.signal } : {}) });
      const total = (store.db.prepare('SELECT COUNT(*) AS n FROM notebooks').get() as { n: number }).n;
      return `${total} notebooks (${summary.stored} new, ${summary.duplicates} duplicates)`;
    });
    await step('scan feedback', async () => {
      const summary = await scanFeedback(store, { jobs: 1, ...(options.signal ? { signal: options.signal } : {}) });
      return `${summary.scanned} notebooks scanned now, ${summary.alreadyScanned} already`;
    });
    let kernel: ResolvedKernel | undefined;
    const builder = new EnvironmentBuilder(store, options.signal ? { signal: options.signal } : {});
    await step('contemporary environment', async () => {
      const outcome = await builder.create({ kind: 'contemporary', at: options.contemporaryAt ?? DEMO_CONTEMPORARY_DATE });
      if (outcome.status !== 'ready') throw new Error(`the contemporary environment failed (${outcome.environment.failureMode}): ${outcome.environment.failureMessage}`);
      const env = outcome.environment;
      kernel = environmentKernel(env.id, env.path!);
      return `environment ${env.id}, Python ${env.pythonVersion}, ${env.pins.length} pins (${outcome.action})`;
    });
    const ids = allNotebookIds(store);
    const common = { notebookIds: ids, competitionsDir, outputDir, jobs, ...(options.signal ? { signal: options.signal } : {}) };
    await step('baseline run (contemporary environment)', async () => {
      const summary = await runExperiment(store, { ...common, experiment: 'baseline', kind: 'baseline', kernel: kernel! });
      return `${summary.reproducible}/${summary.judged} reproduced (${summary.ran} run now, ${summary.alreadyRun} cached)`;
    });
    await step('backport (environments as of each notebook date)', async () => {
      const summary = await backportExperiment(store, { ...common, experiment: 'backport', builder });
      const env = summary.environments;
      return `${summary.reproducible}/${summary.judged} reproduced; environments ${env.built} built, ${env.reused} reused, ${env.failed} failed`;
    });
    await step('synthesize assertions from stored outputs, validated in the dated environments', async () => {
      const proposed = await synthesizeNotebooks(store, ids, options.signal ? { signal: options.signal } : {});
      const validations = await validateNotebooks(store, ids, { competitionsDir, outputDir, jobs, skipValidated: true, ...(options.signal ? { signal: options.signal } : {}) });
      const passed = validations.reduce((sum, v) => sum + ('passed' in v ? v.passed : 0), 0);
      const failed = validations.filter((v) => 'error' in v).length;
      return `${proposed.proposals} proposed now (${proposed.alreadyDone} notebooks done before); ${passed} passed in ${validations.length} notebooks validated now${failed ? `, ${failed} not validated` : ''}`;
    });
    await step('modernize (rules, fix cache, then the LLM when OPENAI_API_KEY is set)', async () => {
      const client = chatClientFromEnvironment();
      const summary = await modernizeExperiment(store, {
        ...common,
        experiment: 'modernize',
        kernel: kernel!,
        baseline: 'baseline',
        llm: { enabled: client !== null, client, model: process.env.MLE_LLM_MODEL ?? 'gpt-5.2' },
        localize: outputsLocalizer,
      });
      const rate = summary.rescueRate === null ? 'none to rescue' : `${summary.rescued}/${summary.nonReproducible} rescued`;
      return `${rate}, ${summary.llmCalls} LLM calls${client ? '' : ' (no OPENAI_API_KEY: rules and cache only)'}`;
    });
  } finally {
    store.close();
  }
  let report = '';
  await step('report', async () => {
    const result = await generateReport(db, { outDir: out, provenance: false });
    report = result.indexPath;
    return `${result.files.length} files in ${out}`;
  });
  if (!existsSync(report)) throw new Error(`the report was not written to ${out}`);
  return { db, report, steps };
}
