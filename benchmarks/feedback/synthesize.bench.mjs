#!/usr/bin/env node
// Synthesized-assertions benchmark (issue 11), on the bundled era corpus:
//  1. coverage: the share of implicit feedback with a stored output (print and last-cell values)
//     turned into validated assertions (proposed from the stored outputs, kept when they pass in the
//     notebook's dated environment);
//  2. false alarms: each notebook re-run unchanged three times in that same environment with the
//     outputs oracle; a run the oracle says diverges is a false alarm (target 0). The reference,
//     measured on the same executed notebooks, is the naive oracle: raw text equality of stdout and
//     displayed values, without sanitizers or value tolerances.
// Needs the built workspace (`npx tsc -b`), uv and the cached dated environments.
//
//   node benchmarks/feedback/synthesize.bench.mjs [--db FILE] [--only SUBSTRING]... [--repeats 3] [--jobs 2] [--out FILE]
//
// --db reuses a database (resumable: synthesis, validations and re-runs already recorded are kept).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { executeResultOf, loadNotebook, openStore, readNotebook, stdoutText } from '@mle/core';
import { EnvironmentBuilder } from '@mle/plugin-backport';
import { assertionsOf, datedKernelFor, divergenceOf, explicitByCategory, outputsOracle, synthesizeNotebooks, validateNotebooks } from '@mle/plugin-feedback';
import { ingestNotebookFile, runExperiment } from '@mle/runner';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    only: { type: 'string', multiple: true, default: [] },
    repeats: { type: 'string', default: '3' },
    jobs: { type: 'string', default: '2' },
    out: { type: 'string', default: join(root, 'benchmarks/results/synthesize.json') },
  },
});
const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
const round = (x, d = 4) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);
const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'mle-synth-bench-'));
const store = openStore(args.db ? resolve(args.db) : join(work, 'mle.db'));
const notebooksDir = join(root, 'datasets/notebooks');
const competitionsDir = join(root, 'datasets/competitions');
const paths = readdirSync(notebooksDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(notebooksDir, d.name)).filter((f) => f.endsWith('.ipynb')).map((f) => `${d.name}/${f}`))
  .filter((p) => args.only.length === 0 || args.only.some((o) => p.includes(o)))
  .sort();

const ids = new Map();
for (const path of paths) ids.set(path, await ingestNotebookFile(store, join(notebooksDir, path)));
const t0 = performance.now();
await synthesizeNotebooks(store, [...ids.values()]);
const synthesisMs = performance.now() - t0;

const withOutput = (id) => store.db.prepare('SELECT instances_with_output AS n FROM synthesis_runs WHERE notebook_id = ?').get(id)?.n ?? 0;
const candidates = [...ids.values()].filter((id) => withOutput(id) > 0);
const unvalidated = candidates.filter((id) => assertionsOf(store, id).some((a) => a.validation === null));
log(`validating ${unvalidated.length} notebooks in their dated environments`);
const t1 = performance.now();
await validateNotebooks(store, unvalidated, { competitionsDir, outputDir: join(work, 'out'), onNotebook: (v) => log(`  validated ${v.notebookId}: ${'error' in v ? v.error : `${v.passed}/${v.proposals}`}`) });
const validationMs = performance.now() - t1;

// Coverage: statements (one print or last-cell value each) with at least one validated assertion.
let statements = 0;
let statementsExplicit = 0;
let proposals = 0;
let validated = 0;
const perNotebook = [];
for (const [path, id] of ids) {
  const n = withOutput(id);
  const all = assertionsOf(store, id);
  const ok = all.filter((a) => a.validation === 'pass');
  const explicit = new Set(ok.map((a) => `${a.cell}:${a.line}:${a.mechanism}`)).size;
  const skippedStatements = store.db.prepare('SELECT COUNT(DISTINCT cell_idx || \':\' || line || \':\' || mechanism) AS n FROM synthesized_skips WHERE notebook_id = ?').get(id).n;
  const proposedStatements = new Set(all.map((a) => `${a.cell}:${a.line}:${a.mechanism}`)).size;
  statements += n;
  statementsExplicit += Math.min(explicit, n);
  proposals += all.length;
  validated += ok.length;
  perNotebook.push({ notebook: path, instancesWithOutput: n, statementsProposed: proposedStatements, statementsSkipped: skippedStatements, statementsExplicit: explicit, proposals: all.length, validated: ok.length, failed: all.filter((a) => a.validation === 'fail' || a.validation === 'error').length });
}

// False alarms: unchanged re-runs in the dated environment, judged by the oracle and by raw text equality.
const builder = new EnvironmentBuilder(store);
const kernel = { label: 'dated: each notebook in the environment of its date', forNotebook: async (id) => ({ ok: true, kernel: await datedKernelFor(store, id, builder) }) };
const repeats = Number(args.repeats);
const reruns = [];
const t2 = performance.now();
for (let r = 1; r <= repeats; r++) {
  log(`re-run ${r}/${repeats}`);
  const summary = await runExperiment(store, { experiment: `synthesize-bench-rerun-${r}`, kind: 'backport', kernel, notebookIds: candidates, competitionsDir, outputDir: join(work, 'runs'), jobs: Number(args.jobs), oracle: outputsOracle, onWarning: log });
  reruns.push(summary);
}
const rerunMs = performance.now() - t2;
const rawText = (cells) => cells.filter((c) => c.cellType === 'code').map((c) => `${stdoutText(c.outputs)}\n${executeResultOf(c.outputs)?.text ?? ''}`);
let runsJudged = 0;
let oracleAlarms = 0;
let naiveAlarms = 0;
let notRun = 0;
const alarms = [];
for (let r = 1; r <= repeats; r++) {
  const rows = store.db.prepare('SELECT r.id, r.notebook_id, r.status, r.output_path FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = ?').all(`synthesize-bench-rerun-${r}`);
  for (const row of rows) {
    if (!row.output_path || !['reproduced', 'score-mismatch', 'completed'].includes(row.status)) {
      notRun++;
      continue;
    }
    runsJudged++;
    const verdict = divergenceOf(store, row.id);
    if (verdict?.cell !== null && verdict?.cell !== undefined) {
      oracleAlarms++;
      alarms.push({ notebook: [...ids].find(([, id]) => id === row.notebook_id)?.[0], rerun: r, message: verdict.message });
    }
    const executed = readNotebook(readFileSync(row.output_path, 'utf8'));
    const stored = loadNotebook(store, row.notebook_id);
    if (executed.ok && stored && rawText(executed.notebook.cells).join('\u0000') !== rawText(stored.cells).join('\u0000')) naiveAlarms++;
  }
}

const result = {
  benchmark: 'feedback/synthesize',
  generatedAt: new Date().toISOString(),
  command: `node benchmarks/feedback/synthesize.bench.mjs${args.only.length ? ` --only ${args.only.join(' --only ')}` : ''} --repeats ${repeats}`,
  machine: { loadavg1: round(loadavg()[0], 2) },
  notebooks: paths.length,
  notebooksWithOutputs: candidates.length,
  coverage: {
    implicitInstancesWithOutput: statements,
    madeExplicit: statementsExplicit,
    share: round(statements ? statementsExplicit / statements : null),
    proposals,
    validatedAssertions: validated,
    validatedShareOfProposals: round(proposals ? validated / proposals : null),
    notebooksWithValidatedAssertions: perNotebook.filter((n) => n.validated > 0).length,
  },
  falseAlarms: {
    repeats,
    runsJudged,
    runsNotCompleted: notRun,
    oracle: { alarms: oracleAlarms, rate: round(runsJudged ? oracleAlarms / runsJudged : null) },
    reference: { name: 'raw text equality (no sanitizers, no tolerances)', alarms: naiveAlarms, rate: round(runsJudged ? naiveAlarms / runsJudged : null) },
    ratio: naiveAlarms ? round(oracleAlarms / naiveAlarms) : null,
    alarmsSeen: alarms,
  },
  byCategory: explicitByCategory(store),
  perNotebook,
  timings: { synthesisMs: Math.round(synthesisMs), validationMs: Math.round(validationMs), rerunMs: Math.round(rerunMs), totalMs: Math.round(performance.now() - started) },
};
store.close();
writeFileSync(args.out, `${JSON.stringify(result, null, 1)}\n`);
log(`coverage ${statementsExplicit}/${statements} (${result.coverage.share}); false alarms ${oracleAlarms}/${runsJudged} (naive reference ${naiveAlarms}/${runsJudged}) → ${args.out}`);
