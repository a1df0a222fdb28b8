#!/usr/bin/env node
// mle modernize on a corpus of broken notebooks: rescued share, fixes / runs / LLM calls per
// rescued notebook, cost, per category; the two rule policies (one proactive fix-all step vs one
// rule fix per run) measured in the same run; the published MLEModernizer figures as the reference
// (reference/modernization-study.md: 74.2% rescued, 3.87 fixes — each an LLM call — per rescued
// notebook, ~$0.31 per notebook). Writes benchmarks/results/modernize.json.
//
// Arms, each on a fresh database (an empty fix cache), notebooks in name order:
//   rules-fix-all      rules + cache, no LLM, proactive fix-all pass (the default policy)
//   rules-one-per-run  rules + cache, no LLM, one rule fix per run
//   llm                rules + cache + LLM (only with OPENAI_API_KEY; OPENAI_BASE_URL, MLE_LLM_MODEL)
//
// Usage: node benchmarks/modernize/modernize.bench.mjs [--corpus DIR] [--env KERNEL | --contemporary-at DATE]
//        [--jobs N] [--llm-budget USD] [--arms a,b] [--result NAME]
// Defaults: the corpus beside this file (write it with write-corpus.mjs), the tools venv kernel
// `mle-tools`, 1 job, every arm, benchmarks/results/modernize.json. The era corpus:
//   node benchmarks/modernize/modernize.bench.mjs --corpus datasets/notebooks --contemporary-at 2026-11-20 --jobs 2 --result modernize-era
// (notebooks found recursively, categories from metadata.mle.exercises, the contemporary
// environment resolved as of the demo's date with `mle env`'s builder, created once and reused).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openStore } from '@mle/core';
import { ingestNotebookFile, resolveKernel } from '@mle/runner';
import { EnvironmentBuilder } from '@mle/plugin-backport';
import { chatClientFromEnvironment, formatModernizeSummary, listModernizations, modernizeExperiment } from '@mle/plugin-modernize';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values: args } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(here, 'corpus') },
    env: { type: 'string', default: 'mle-tools' },
    'contemporary-at': { type: 'string' },
    arms: { type: 'string', default: 'rules-fix-all,rules-one-per-run,llm' },
    result: { type: 'string', default: 'modernize' },
    jobs: { type: 'string', default: '1' },
    'llm-budget': { type: 'string', default: '0.5' },
    competitions: { type: 'string', default: join(repo, 'datasets', 'competitions') },
  },
});
const work = mkdtempSync(join(tmpdir(), 'mle-bench-modernize-'));
const log = (message) => process.stderr.write(`modernize bench: ${message}\n`);

// The published figures (reference/modernization-study.md §1).
const PUBLISHED = {
  source: 'Jin, Wang, Nie, arXiv 2602.07195 (MLEModernizer), v1 headline and replication package',
  rescueRate: 0.742,
  rescued: '5,492 / 7,402',
  fixesPerRescued: 3.87,
  fixesPerRescuedMedian: 2,
  llmCallsPerRescued: 3.87,
  llmCallsPerRescuedNote: 'every fix is an LLM call in the published loop (no rules, no reuse across notebooks)',
  costPerNotebookUsd: 0.31,
};

args.corpus = resolve(args.corpus);
const files = readdirSync(args.corpus, { recursive: true }).filter((f) => f.endsWith('.ipynb')).sort();
if (files.length === 0) throw new Error(`no notebooks in ${args.corpus}; run node benchmarks/modernize/write-corpus.mjs`);
// The benchmark corpus names its category; an era notebook says which change it exercises.
const categoryOf = (file) => {
  const mle = JSON.parse(readFileSync(join(args.corpus, file), 'utf8')).metadata?.mle ?? {};
  if (mle.benchmark?.category) return mle.benchmark.category;
  const exercises = String(mle.exercises ?? '');
  if (/\bBC\d{3}\b/.test(exercises)) return 'catalogued';
  return ['default-change', 'runtime', 'control'].includes(exercises) ? exercises : 'unknown';
};
const wantedArms = new Set(args.arms.split(',').map((a) => a.trim()));

/**
 * With --contemporary-at: the contemporary environment as of that date, built once in a directory
 * of the benchmark's own (a builder whose store lacks the row rebuilds a shared directory of the
 * same pins, under the kernels of whoever uses it), then given to every arm as a venv directory.
 */
async function contemporaryEnvironment() {
  if (!args['contemporary-at']) return null;
  const store = openStore(join(work, 'environment.db'));
  try {
    const outcome = await new EnvironmentBuilder(store, { envDir: join(work, 'envs') }).create({ kind: 'contemporary', at: args['contemporary-at'] });
    if (outcome.status !== 'ready') throw new Error(`the contemporary environment failed (${outcome.environment.failureMode}): ${outcome.environment.failureMessage}`);
    log(`contemporary environment ${outcome.environment.key}: ${outcome.action} in ${outcome.seconds.toFixed(1)} s`);
    return outcome.environment.path;
  } finally {
    store.close();
  }
}
const environmentDir = await contemporaryEnvironment();
const kernelFor = (store) => resolveKernel(store, environmentDir ?? args.env);

async function arm(name, llm, rulePolicy) {
  const store = openStore(join(work, `${name}.db`));
  const ids = [];
  const names = new Map();
  for (const file of files) {
    const id = await ingestNotebookFile(store, join(args.corpus, file));
    ids.push(id);
    names.set(id, file.replace(/\.ipynb$/, ''));
  }
  const kernel = kernelFor(store);
  const started = performance.now();
  const summary = await modernizeExperiment(store, {
    experiment: name,
    kernel,
    notebookIds: ids,
    competitionsDir: args.competitions,
    outputDir: join(work, 'out'),
    jobs: Number(args.jobs),
    rulePolicy,
    llm,
    onNotebook: (result, done, total) => log(`${name} ${done}/${total} ${names.get(result.notebookId)}: ${result.status}`),
  });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  // Kernel time (what each extra run costs) apart from the loop's own work (parsing, rules, diffs).
  const runSeconds = Number((store.db.prepare('SELECT COALESCE(SUM(wall_ms), 0) AS ms FROM runs WHERE experiment_id = ?').get(summary.experimentId).ms / 1000).toFixed(1));
  log(`${name}:\n${formatModernizeSummary(summary)}`);
  const loops = listModernizations(store, summary.experimentId);
  const runsOf = (notebookId) => store.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE experiment_id = ? AND notebook_id = ?').get(summary.experimentId, notebookId).n;
  const notebooks = loops.map((loop) => {
    const file = `${names.get(loop.notebook_id)}.ipynb`;
    return {
      name: names.get(loop.notebook_id),
      category: categoryOf(file),
      status: loop.status,
      initialStatus: loop.initial_status,
      finalStatus: loop.final_status,
      fixes: loop.fixes_applied,
      rolledBack: loop.fixes_rolled_back,
      runs: runsOf(loop.notebook_id),
      llmCalls: loop.llm_calls,
      costUsd: loop.cost_usd,
      sources: store.db.prepare("SELECT source, COUNT(*) AS n FROM fixes WHERE modernization_id = ? AND outcome <> 'not-applied' GROUP BY source").all(loop.id).reduce((acc, row) => ({ ...acc, [row.source]: row.n }), {}),
    };
  });
  const byCategory = {};
  for (const nb of notebooks) {
    const c = (byCategory[nb.category] ??= { notebooks: 0, rescued: 0, llmCalls: 0, runs: 0 });
    c.notebooks++;
    if (nb.status === 'rescued') c.rescued++;
    c.llmCalls += nb.llmCalls;
    c.runs += nb.runs;
  }
  for (const c of Object.values(byCategory)) c.rescueRate = Number((c.rescued / c.notebooks).toFixed(4));
  const cacheEntries = store.db.prepare('SELECT source, COUNT(*) AS n FROM fix_cache GROUP BY source').all();
  store.close();
  const round = (value, digits = 4) => (value === null ? null : Number(value.toFixed(digits)));
  return {
    rulePolicy,
    llm: llm.enabled ? { model: llm.model, baseUrl: process.env.OPENAI_BASE_URL ?? null, budgetUsdPerNotebook: llm.budgetUsd } : null,
    seconds,
    runSeconds,
    runs: notebooks.reduce((sum, nb) => sum + nb.runs, 0),
    notebooks: notebooks.length,
    nonReproducible: summary.nonReproducible,
    rescued: summary.rescued,
    rescueRate: round(summary.rescueRate),
    fixesPerRescued: round(summary.fixesPerRescued),
    fixesPerRescuedBySource: summary.fixesPerRescuedBySource && Object.fromEntries(Object.entries(summary.fixesPerRescuedBySource).map(([k, v]) => [k, round(v)])),
    runsPerRescued: round(summary.runsPerRescued),
    llmCalls: summary.llmCalls,
    llmCallsPerRescued: round(summary.llmCallsPerRescued),
    llmCallStatuses: summary.llmCallStatuses,
    costUsd: round(summary.costUsd, 6),
    costPerNotebookUsd: round(summary.costPerNotebook, 6),
    cacheHits: summary.cacheHits,
    cacheSuccesses: summary.cacheSuccesses,
    cacheEntriesLearned: Object.fromEntries(cacheEntries.map((row) => [row.source, row.n])),
    statuses: Object.fromEntries(Object.entries(summary.statuses).filter(([, n]) => n > 0)),
    byCategory,
    perNotebook: notebooks,
  };
}

const noLlm = { enabled: false, client: null, model: 'none' };
const arms = {};
arms['rules-fix-all'] = await arm('rules-fix-all', noLlm, 'fix-all');
if (wantedArms.has('rules-one-per-run')) arms['rules-one-per-run'] = await arm('rules-one-per-run', noLlm, 'one-per-run');
const client = wantedArms.has('llm') ? chatClientFromEnvironment() : null;
if (client) {
  arms.llm = await arm('llm', { enabled: true, client, model: process.env.MLE_LLM_MODEL ?? 'gpt-5.2', budgetUsd: Number(args['llm-budget']) }, 'fix-all');
} else {
  log('OPENAI_API_KEY is not set: the LLM arm is not run');
}

const fixAll = arms['rules-fix-all'];
const onePerRun = arms['rules-one-per-run'];
const main = arms.llm ?? fixAll;
const ratio = (a, b) => (a === null || b === null || b === 0 ? null : Number((a / b).toFixed(3)));
const result = {
  benchmark: 'modernize',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'unknown', node: process.version },
  corpus: {
    dir: args.corpus.startsWith(repo) ? relative(repo, args.corpus) : args.corpus,
    notebooks: files.length,
    categories: Object.fromEntries(Object.entries(fixAll.byCategory).map(([c, v]) => [c, v.notebooks])),
    kernel: args['contemporary-at'] ? `contemporary environment as of ${args['contemporary-at']}` : args.env,
    note: args['contemporary-at']
      ? 'The bundled era corpus (datasets/notebooks/): catalogued = broken by a change of breaking-changes.csv, default-change = runs clean but the score moves, runtime = over the budget today, control = still reproduces. Every file is ingested (ingestNotebookFile), including the Python 2 statsmodels notebook that mine\'s ML filter drops, so 25 notebooks (20 non-reproducible) here against 24 (19) in the demo.'
      : 'Notebooks written for this benchmark (write-corpus.mjs): catalogued = Python 2 changes of breaking-changes.csv (BC076-BC079), uncatalogued = Python 2 idioms no rule covers, score-drift = a reported score no mechanical fix reaches. The rescue share depends on that mix; the era corpus (--corpus datasets/notebooks --contemporary-at DATE) is measured into modernize-era.json.',
  },
  arms,
  rulePolicy: !onePerRun ? null : {
    question: 'apply every safe rule fix in one proactive step (fix-all) or one rule fix per run?',
    runsPerRescued: { 'fix-all': fixAll.runsPerRescued, 'one-per-run': onePerRun.runsPerRescued, ratio: ratio(onePerRun.runsPerRescued, fixAll.runsPerRescued) },
    runs: { 'fix-all': fixAll.runs, 'one-per-run': onePerRun.runs },
    runSeconds: { 'fix-all': fixAll.runSeconds, 'one-per-run': onePerRun.runSeconds, ratio: ratio(onePerRun.runSeconds, fixAll.runSeconds) },
    seconds: { 'fix-all': fixAll.seconds, 'one-per-run': onePerRun.seconds, ratio: ratio(onePerRun.seconds, fixAll.seconds), note: 'end-to-end wall time on a shared 2-core machine; runs and runSeconds are the stable measures' },
    rescued: { 'fix-all': fixAll.rescued, 'one-per-run': onePerRun.rescued },
    chosen: fixAll.rescued >= onePerRun.rescued && (fixAll.runsPerRescued ?? Infinity) <= (onePerRun.runsPerRescued ?? Infinity) ? 'fix-all' : 'one-per-run',
  },
  reference: PUBLISHED,
  comparison: {
    arm: arms.llm ? 'llm' : 'rules-fix-all',
    // Rules alone reaching the published rate meets the target too; below it, without the LLM arm, it is not measured.
    rescueRate: { mle: main.rescueRate, published: PUBLISHED.rescueRate, ratio: ratio(main.rescueRate, PUBLISHED.rescueRate), target: '>= 0.742', met: main.rescueRate !== null && main.rescueRate >= PUBLISHED.rescueRate ? true : arms.llm ? false : null },
    catalogued: fixAll.byCategory.catalogued ?? null,
    llmCallsPerRescued: {
      mle: main.llmCallsPerRescued,
      published: PUBLISHED.llmCallsPerRescued,
      ratio: ratio(main.llmCallsPerRescued, PUBLISHED.llmCallsPerRescued),
      target: `<= ${(PUBLISHED.llmCallsPerRescued / 3).toFixed(2)} (a third of the published fixes per rescued notebook)`,
      // Without the LLM arm every rescue is LLM-free by construction: not a measurement of the target.
      met: arms.llm ? main.llmCallsPerRescued !== null && main.llmCallsPerRescued <= PUBLISHED.llmCallsPerRescued / 3 : null,
    },
    fixesPerRescued: { mle: main.fixesPerRescued, published: PUBLISHED.fixesPerRescued, ratio: ratio(main.fixesPerRescued, PUBLISHED.fixesPerRescued) },
    costPerNotebookUsd: { mle: main.costPerNotebookUsd, published: PUBLISHED.costPerNotebookUsd },
    note: arms.llm
      ? 'the llm arm: rules, then the fix cache, then the LLM'
      : args['contemporary-at']
        ? 'no OPENAI_API_KEY in this run: rules and the cache alone (zero LLM calls); what is left is what no rule fixes honestly (two default changes with no parameter to restore, two SciPy slow-downs with no safe speed-up; see plugins/modernize/README.md)'
        : 'no OPENAI_API_KEY in this run: measured without the LLM, so uncatalogued and score-drift notebooks are not rescued; the rescue rate is that of rules and the cache alone on this corpus',
  },
};
const out = join(repo, 'benchmarks', 'results', `${args.result}.json`);
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
log(`wrote ${out}`);
rmSync(work, { recursive: true, force: true });
