// Notebook execution: @mle/kernel against nbclient (the tools venv's nbclient 0.11, run by
// nbclient_bench.py with the same python), measured in the same run on the same kernelspec:
//   startup      kernel start → first kernel_info reply (median of N), and shutdown time
//   cells        200 trivial cells on a started kernel, ms per cell
//   output       20 cells printing 1 MB each, and one cell of 10,000 small prints
//   long line    one cell printing a 50,000-character line with stream coalescing on in both:
//                nbclient's carriage-return regex (".*\r(?=[^\n])") is quadratic in a line's length
//   parallel     the same batch of notebooks (fresh kernel each) with 1, 2, 4 at a time:
//                mle's KernelPool, nbclient's async_execute under an asyncio semaphore
// plus mle in its bubblewrap sandbox (with memory/process limits) as an extra row.
// Each engine at its defaults: mle coalesces streams (and applies \r/\b), nbclient does not
// (coalesce_streams=False; on, it takes minutes for a 1 MB line: see "long line"); both keep
// IPython's history in memory, no cell timeout; nbclient's kernels get mle's allow-listed
// environment. Writes
// benchmarks/results/execute.json. About 2.5 minutes on 2 cores.
// Usage: node benchmarks/execute/execute.bench.mjs    (or: node scripts/bench.mjs execute)
//   MLE_BENCH_QUICK=1 shrinks every workload (a smoke test, numbers not meaningful).
//   MLE_BENCH_REPEATS=N takes N samples (rounds, engines alternating) of the per-cell and output rows.
//   MLE_BENCH_ONLY=output (comma-separated: startup, cells, output, longline, parallel) runs only
//   those metrics and writes benchmarks/results/execute-<names>.json instead of execute.json.
// Needs `npx tsc -b packages/kernel` first (it imports @mle/kernel's dist).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolPath, toolsDir } from '@mle/core';
import { findBwrap, findKernelSpecs, KernelManager, KernelPool, NotebookExecutor } from '@mle/kernel';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const quick = process.env.MLE_BENCH_QUICK === '1';
const GROUPS = ['startup', 'cells', 'output', 'longline', 'parallel'];
const only = process.env.MLE_BENCH_ONLY ? process.env.MLE_BENCH_ONLY.split(',').map((name) => name.trim()) : null;
for (const name of only ?? []) if (!GROUPS.includes(name)) throw new Error(`MLE_BENCH_ONLY: unknown metric group ${name} (known: ${GROUPS.join(', ')})`);
const runs = (group) => only === null || only.includes(group);
const log = (message) => process.stderr.write(`execute bench: ${message}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (x, digits = 1) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
const load = () => loadavg().map((x) => round(x, 2));

const repeatsOverride = process.env.MLE_BENCH_REPEATS ? Number(process.env.MLE_BENCH_REPEATS) : null;
if (repeatsOverride !== null && !(Number.isInteger(repeatsOverride) && repeatsOverride > 0)) throw new Error(`MLE_BENCH_REPEATS must be a positive integer, got ${process.env.MLE_BENCH_REPEATS}`);
const BASE_SIZES = quick
  ? { startupRepeats: 2, trivialCells: 20, cellRepeats: 1, bigPrints: 2, smallPrints: 1000, longLine: 5000, outputRepeats: 1, parallelNotebooks: 4, parallelCells: 3, parallelRounds: 1 }
  : { startupRepeats: 7, trivialCells: 200, cellRepeats: 3, bigPrints: 20, smallPrints: 10_000, longLine: 50_000, outputRepeats: 2, parallelNotebooks: 8, parallelCells: 10, parallelRounds: 2 };
// MLE_BENCH_REPEATS=N: N rounds of the per-cell and output rows (more samples on a busy machine).
const SIZES = repeatsOverride ? { ...BASE_SIZES, cellRepeats: repeatsOverride, outputRepeats: repeatsOverride } : BASE_SIZES;

const PYTHON = toolPath('python');
const JUPYTER_PATH = join(toolsDir(), 'share', 'jupyter');
const KERNEL_NAME = 'mle-tools';
const spec = findKernelSpecs({ env: { JUPYTER_PATH } }).find((s) => s.name === KERNEL_NAME);
if (!spec) throw new Error(`kernelspec ${KERNEL_NAME} not found in ${JUPYTER_PATH}: run npm run setup`);
const bwrap = findBwrap();

const work = mkdtempSync(join(tmpdir(), 'mle-bench-execute-'));
const cwd = join(work, 'cwd');
mkdirSync(cwd);
mkdirSync(join(work, 'ipython'));
mkdirSync(join(work, 'runtime'));

// ---------------------------------------------------------------------------------------------
// Notebooks (nbformat 4.5 JSON for nbclient; the same cells as NormalizedNotebook for mle)
function notebookFile(name, sources) {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: KERNEL_NAME, display_name: spec.displayName, language: 'python' } },
    cells: sources.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  const path = join(work, `${name}.ipynb`);
  writeFileSync(path, JSON.stringify(nb));
  const normalized = {
    nbformat: 4,
    nbformatMinor: 5,
    metadata: nb.metadata,
    cells: sources.map((source, index) => ({ index, cellType: 'code', source, executionCount: null, outputs: [], metadata: {}, id: `c${index}` })),
  };
  return { path, notebook: normalized, cells: sources.length };
}

const trivial = notebookFile('trivial', Array.from({ length: SIZES.trivialCells }, (_, i) => `x = ${i}`));
const bigPrints = notebookFile('big-prints', Array.from({ length: SIZES.bigPrints }, () => 'print("x" * (1024 * 1024 - 1))'));
const smallPrints = notebookFile('small-prints', [`for i in range(${SIZES.smallPrints}):\n    print(i)`]);
const longLine = notebookFile('long-line', [`print("x" * ${SIZES.longLine})`]);
const parallelNotebooks = Array.from({ length: SIZES.parallelNotebooks }, (_, n) =>
  notebookFile(`parallel-${n}`, ['import math', ...Array.from({ length: SIZES.parallelCells }, (_, i) => `s${i} = sum(math.isqrt(k) for k in range(200_000))\nprint(${n}, ${i}, s${i})`)]),
);

// ---------------------------------------------------------------------------------------------
// Engines
const mleKernel = { kernel: { spec }, cwd };
const sandboxWork = join(work, 'sandbox-working');
mkdirSync(sandboxWork);
const LIMITS = { memoryBytes: 4 * 1024 ** 3, maxProcesses: 512 };
const mleSandboxKernel = { kernel: { spec }, sandbox: { environmentDir: toolsDir(), workDir: sandboxWork }, limits: LIMITS, onWarning: (m) => log(`warning: ${m}`) };

// The environment mle gives its kernels (kernel-environment.ts), given to nbclient's kernels too.
const nbclientKernelEnv = {
  PATH: `${dirname(PYTHON)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  HOME: cwd,
  LANG: 'C.UTF-8',
  ...(process.env.LC_ALL ? { LC_ALL: process.env.LC_ALL } : {}),
  ...(process.env.PYTHONHASHSEED ? { PYTHONHASHSEED: process.env.PYTHONHASHSEED } : {}),
  MPLBACKEND: 'agg',
  IPYTHONDIR: join(work, 'ipython'),
};

function nbclient(request) {
  const result = spawnSync(PYTHON, [join(here, 'nbclient_bench.py')], {
    input: JSON.stringify({ kernelName: KERNEL_NAME, kernelEnv: nbclientKernelEnv, cwd, ...request }),
    encoding: 'utf8',
    env: { ...process.env, JUPYTER_PATH, JUPYTER_RUNTIME_DIR: join(work, 'runtime'), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60 * 1000,
  });
  if (result.status !== 0) throw new Error(`nbclient_bench.py ${request.metric} failed (${result.status ?? result.signal}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

async function mleStartup(kernelOptions, repeats) {
  const startupMs = [];
  const shutdownMs = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const km = await KernelManager.start(kernelOptions);
    startupMs.push(performance.now() - t0);
    const t1 = performance.now();
    await km.shutdown();
    shutdownMs.push(performance.now() - t1);
  }
  return { startupMs, shutdownMs };
}

const outputBytes = (notebook) => notebook.cells.reduce((n, cell) => n + JSON.stringify(cell.outputs).length, 0);

async function mleCells(kernelOptions, file, repeats) {
  const cellsMs = [];
  let size = 0;
  for (let i = 0; i < repeats; i++) {
    const km = await KernelManager.start(kernelOptions);
    try {
      const t0 = performance.now();
      const { notebook, result } = await new NotebookExecutor(null).execute(file.notebook, { kernel: km });
      cellsMs.push(performance.now() - t0);
      if (result.status !== 'ok') throw new Error(`mle run of ${file.path} ended ${result.status}: ${result.error?.message}`);
      size = outputBytes(notebook);
    } finally {
      await km.shutdown();
    }
  }
  return { cellsMs, outputBytes: size };
}

async function mleParallel(kernelOptions, files, concurrency) {
  const pool = new KernelPool({ concurrency });
  const t0 = performance.now();
  const results = await pool.run(files.map((file) => ({ notebook: file.notebook, kernel: kernelOptions })));
  const wallMs = performance.now() - t0;
  const runs = results.filter((r) => r.ok).map((r) => r.execution.result);
  return { wallMs, statuses: results.map((r) => (r.ok ? r.execution.result.status : r.error.name)), startupMs: runs.map((r) => r.startupMs), durationMs: runs.map((r) => r.durationMs) };
}

const ENGINES = ['mle', 'nbclient', ...(bwrap ? ['mle-sandbox'] : [])];
if (!bwrap) log('bubblewrap not found: no sandboxed row');
const kernelOf = (engine) => (engine === 'mle-sandbox' ? mleSandboxKernel : mleKernel);

// ---------------------------------------------------------------------------------------------
// Measurements, metric by metric, the engines one after the other within each metric.
const loadAtStart = load();
const started = performance.now();
const results = Object.fromEntries(ENGINES.map((engine) => [engine, {}]));

// One untimed start per engine: the first kernel after idle pays for cold file caches.
log('warm-up');
for (const engine of ENGINES) {
  if (engine === 'nbclient') nbclient({ metric: 'startup', repeats: 1 });
  else await mleStartup(kernelOf(engine), 1);
}

if (runs('startup')) log(`startup (${SIZES.startupRepeats} starts each)`);
for (const engine of runs('startup') ? ENGINES : []) {
  const raw = engine === 'nbclient' ? nbclient({ metric: 'startup', repeats: SIZES.startupRepeats }) : await mleStartup(kernelOf(engine), SIZES.startupRepeats);
  results[engine].startup = { medianMs: round(median(raw.startupMs)), samplesMs: raw.startupMs.map((x) => round(x)), shutdownMedianMs: round(median(raw.shutdownMs)) };
  log(`  ${engine}: ${results[engine].startup.medianMs} ms (shutdown ${results[engine].startup.shutdownMedianMs} ms)`);
}

// The engines take turns, one run each per round, so that a burst of load from other jobs on
// this shared machine hits all of them rather than one engine's whole series.
async function cellsMetric(key, file, repeats, nbclientCoalesce = false) {
  const samples = Object.fromEntries(ENGINES.map((engine) => [engine, []]));
  const sizes = {};
  for (let pass = 0; pass < repeats; pass++) {
    for (const engine of ENGINES) {
      const raw = engine === 'nbclient' ? nbclient({ metric: 'cells', notebook: file.path, repeats: 1, coalesce: nbclientCoalesce }) : await mleCells(kernelOf(engine), file, 1);
      samples[engine].push(...raw.cellsMs);
      sizes[engine] = raw.outputBytes;
    }
  }
  for (const engine of ENGINES) {
    const ms = median(samples[engine]);
    results[engine][key] = { medianMs: round(ms), msPerCell: round(ms / file.cells, 2), samplesMs: samples[engine].map((x) => round(x)), cells: file.cells, outputBytes: sizes[engine] };
    log(`  ${engine}: ${round(ms)} ms, ${round(ms / file.cells, 2)} ms/cell, ${sizes[engine]} output bytes (samples ${samples[engine].map((x) => round(x)).join('/')})`);
  }
}

if (runs('cells')) {
  log(`per-cell overhead (${SIZES.trivialCells} trivial cells, ${SIZES.cellRepeats} runs)`);
  await cellsMetric('trivialCells', trivial, SIZES.cellRepeats);
}
if (runs('output')) {
  log(`output-heavy: ${SIZES.bigPrints} cells printing 1 MiB each`);
  await cellsMetric('bigPrints', bigPrints, SIZES.outputRepeats);
  log(`output-heavy: one cell of ${SIZES.smallPrints} prints`);
  await cellsMetric('smallPrints', smallPrints, SIZES.outputRepeats);
}
if (runs('longline')) {
  log(`long line: one cell printing ${SIZES.longLine} characters, streams coalesced in both`);
  await cellsMetric('longLineCoalesced', longLine, 1, true);
}

// Two rounds, the best of each kept: other engineers' jobs come and go on this shared machine.
for (let pass = 1; runs('parallel') && pass <= SIZES.parallelRounds; pass++) {
  for (const concurrency of [1, 2, 4]) {
    log(`parallel (round ${pass}): ${parallelNotebooks.length} notebooks, ${concurrency} at a time`);
    for (const engine of ENGINES) {
      const raw = engine === 'nbclient' ? nbclient({ metric: 'parallel', notebooks: parallelNotebooks.map((f) => f.path), concurrency }) : await mleParallel(kernelOf(engine), parallelNotebooks, concurrency);
      const failed = raw.statuses.filter((s) => s !== 'ok');
      if (failed.length) throw new Error(`${engine} parallel run: ${failed.length} notebooks failed: ${failed.join(', ')}`);
      const key = `parallel${concurrency}`;
      const entry = (results[engine][key] ??= { concurrency, notebooks: parallelNotebooks.length, samplesMs: [] });
      entry.samplesMs.push(round(raw.wallMs));
      entry.wallMs = Math.min(...entry.samplesMs);
      entry.notebooksPerSecond = round((parallelNotebooks.length * 1000) / entry.wallMs, 3);
      log(`  ${engine}: ${round(raw.wallMs)} ms, ${round((parallelNotebooks.length * 1000) / raw.wallMs, 3)} notebooks/s${raw.durationMs ? ` (per notebook: start ${raw.startupMs.join('/')} ms, whole run ${raw.durationMs.join('/')} ms)` : ''}`);
    }
  }
}
for (const engine of runs('parallel') ? ENGINES : []) {
  const base = results[engine].parallel1.notebooksPerSecond;
  results[engine].scaling = { x2: round(results[engine].parallel2.notebooksPerSecond / base, 2), x4: round(results[engine].parallel4.notebooksPerSecond / base, 2) };
}
const totalSeconds = round((performance.now() - started) / 1000);
rmSync(work, { recursive: true, force: true });

// ---------------------------------------------------------------------------------------------
// Ratios mle / nbclient: below 1 is better for times, above 1 is better for throughput.
const ALL_METRICS = [
  { key: 'startup', label: 'kernel start → ready (median)', value: (r) => r.startup.medianMs, unit: 'ms', better: 'lower' },
  { key: 'shutdown', label: 'kernel shutdown (median)', value: (r) => r.startup.shutdownMedianMs, unit: 'ms', better: 'lower' },
  { key: 'perCell', label: `per-cell overhead (${SIZES.trivialCells} trivial cells)`, value: (r) => r.trivialCells.msPerCell, unit: 'ms/cell', better: 'lower' },
  { key: 'bigPrints', label: `${SIZES.bigPrints} cells × print 1 MiB`, value: (r) => r.bigPrints.medianMs, unit: 'ms', better: 'lower' },
  { key: 'smallPrints', label: `1 cell × ${SIZES.smallPrints} prints`, value: (r) => r.smallPrints.medianMs, unit: 'ms', better: 'lower' },
  { key: 'longLineCoalesced', label: `1 cell × a ${SIZES.longLine}-char line, both coalescing`, value: (r) => r.longLineCoalesced.medianMs, unit: 'ms', better: 'lower' },
  ...[1, 2, 4].map((c) => ({ key: `parallel${c}`, label: `${parallelNotebooks.length} notebooks, ${c} at a time`, value: (r) => r[`parallel${c}`].notebooksPerSecond, unit: 'notebooks/s', better: 'higher' })),
];
const GROUP_OF = { startup: 'startup', shutdown: 'startup', perCell: 'cells', bigPrints: 'output', smallPrints: 'output', longLineCoalesced: 'longline', parallel1: 'parallel', parallel2: 'parallel', parallel4: 'parallel' };
const METRICS = ALL_METRICS.filter((m) => runs(GROUP_OF[m.key]));
const table = METRICS.map((m) => {
  const row = { metric: m.key, label: m.label, unit: m.unit, better: m.better };
  for (const engine of ENGINES) row[engine] = m.value(results[engine]);
  row.ratioMleToNbclient = round(row.mle / row.nbclient, 3);
  if (row['mle-sandbox'] !== undefined) row.ratioSandboxToNbclient = round(row['mle-sandbox'] / row.nbclient, 3);
  return row;
});

function pythonVersions() {
  const probe = spawnSync(PYTHON, ['-c', 'import json,nbclient,ipykernel,jupyter_client,sys;print(json.dumps({"nbclient":nbclient.__version__,"ipykernel":ipykernel.__version__,"jupyter_client":jupyter_client.__version__,"python":sys.version.split()[0]}))'], { encoding: 'utf8' });
  return probe.status === 0 ? JSON.parse(probe.stdout) : null;
}
const cpuModel = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? null;
const report = {
  benchmark: 'execute',
  date: new Date().toISOString(),
  command: only ? `MLE_BENCH_ONLY=${only.join(',')} node benchmarks/execute/execute.bench.mjs` : 'node benchmarks/execute/execute.bench.mjs',
  quick,
  only,
  repeats: repeatsOverride,
  machine: { cores: cpus().length, model: cpuModel, node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load(), note: 'shared machine: other engineers\' jobs run at the same time; the load average says how busy it was' },
  versions: { ...pythonVersions(), bwrap: bwrap ? execFileSync(bwrap, ['--version'], { encoding: 'utf8' }).trim() : null },
  setup: {
    kernelspec: { name: spec.name, argv: spec.argv },
    options: 'each engine at its defaults: mle coalesces streams (coalesceStreams=true), nbclient does not (coalesce_streams=False) except in the long-line row; both: IPython history in memory, no cell timeout, graceful shutdown; nbclient kernels get mle\'s allow-listed kernel environment',
    transports: 'mle: ipc sockets (its default); nbclient: tcp (jupyter_client default)',
    nbclientParallelism: 'one Python process, asyncio.gather under a semaphore, one kernel per notebook (as nbclient\'s test_async_parallel_notebooks)',
    sandbox: bwrap ? { bwrap, limits: LIMITS } : null,
    workloads: {
      trivialCells: `${SIZES.trivialCells} cells "x = i" on a started kernel (start excluded), ${SIZES.cellRepeats} runs, median`,
      bigPrints: `${SIZES.bigPrints} cells each print("x" * (1 MiB - 1)), ${SIZES.outputRepeats} runs, median`,
      smallPrints: `one cell: for i in range(${SIZES.smallPrints}): print(i), ${SIZES.outputRepeats} runs, median`,
      longLineCoalesced: `one cell: print("x" * ${SIZES.longLine}), nbclient with coalesce_streams=True (its \\r regex backtracks over the whole line from every position), one run`,
      parallel: `${parallelNotebooks.length} notebooks of ${SIZES.parallelCells + 1} cells (sums of isqrt over 200k ints, one print each), kernel start and shutdown included; ${SIZES.parallelRounds} rounds, the fastest kept`,
    },
  },
  totalSeconds,
  table,
  results,
};
mkdirSync(join(repo, 'benchmarks', 'results'), { recursive: true });
const out = join(repo, 'benchmarks', 'results', only ? `execute-${only.join('-')}.json` : 'execute.json');
if (!quick) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

const header = ['metric', 'unit', ...ENGINES, 'mle/nbclient', ...(bwrap ? ['sandbox/nbclient'] : [])];
const rows = table.map((r) => [r.label, r.unit, ...ENGINES.map((e) => r[e]), `${r.ratioMleToNbclient} (${r.better} is better)`, ...(bwrap ? [r.ratioSandboxToNbclient] : [])]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
if (runs('parallel')) console.log(`\nscaling (throughput vs 1 at a time): ${ENGINES.map((e) => `${e} ×2 ${results[e].scaling.x2}, ×4 ${results[e].scaling.x4}`).join('; ')}`);
console.log(`load average at start ${loadAtStart.join(' ')}, at end ${report.machine.loadAverageAtEnd.join(' ')}; ${totalSeconds} s`);
console.log(quick ? '(quick run: results not written)' : `wrote ${out}`);
