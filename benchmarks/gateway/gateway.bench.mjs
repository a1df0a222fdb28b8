// Kernels on a Jupyter Kernel Gateway against local ZeroMQ kernels, in the same run, on the same
// kernelspec (the tools venv's mle-tools: one interpreter and ipykernel for both transports):
//   startup    kernel start → ready (ZeroMQ: spawn + kernel_info; gateway: POST /api/kernels +
//              websocket + kernel_info), median, and the shutdown time (gateway: DELETE)
//   per cell   200 trivial cells on a started kernel: the transport's overhead per cell (also on
//              the gateway with Nagle's algorithm off, kernel_gateway_nodelay.py, to show its part)
//   output     one cell of 10,000 small prints (one IOPub message each)
//   parallel   the same batch of notebooks, fresh kernel each, 1, 2 and 4 in flight
// The gateway is `jupyter kernelgateway` from PyPI (venv .mle/gateway, made by uv on first use)
// on 127.0.0.1 with token auth and output rate limiting off, as docs/gateway.md configures it.
// Writes benchmarks/results/gateway.json. About 5 minutes on 2 cores.
// Usage: node benchmarks/gateway/gateway.bench.mjs    (or: node scripts/bench.mjs gateway)
//   MLE_BENCH_QUICK=1 shrinks every workload (a smoke test; results not written).
// Needs `npx tsc -b packages/kernel` first (it imports @mle/kernel's dist).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolsDir } from '@mle/core';
import { findKernelSpecs, GatewayKernel, GatewayLauncher, GATEWAY_REQUIREMENTS, KernelManager, NotebookExecutor, startLocalGateway } from '@mle/kernel';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const quick = process.env.MLE_BENCH_QUICK === '1';
const log = (message) => process.stderr.write(`gateway bench: ${message}\n`);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (x, digits = 1) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));
const load = () => loadavg().map((x) => round(x, 2));
const SIZES = quick
  ? { startupRepeats: 2, trivialCells: 20, cellRepeats: 1, smallPrints: 1000, parallelNotebooks: 4, parallelCells: 3, parallelRounds: 1 }
  : { startupRepeats: 5, trivialCells: 200, cellRepeats: 3, smallPrints: 10_000, parallelNotebooks: 8, parallelCells: 10, parallelRounds: 3 };

const JUPYTER_PATH = join(toolsDir(), 'share', 'jupyter');
const KERNEL_NAME = 'mle-tools';
const spec = findKernelSpecs({ env: { JUPYTER_PATH } }).find((s) => s.name === KERNEL_NAME);
if (!spec) throw new Error(`kernelspec ${KERNEL_NAME} not found in ${JUPYTER_PATH}: run npm run setup`);

const work = mkdtempSync(join(tmpdir(), 'mle-bench-gateway-'));
const cwd = join(work, 'cwd');
mkdirSync(cwd);

function notebookOf(sources) {
  return { nbformat: 4, nbformatMinor: 5, metadata: {}, cells: sources.map((source, index) => ({ index, cellType: 'code', source, executionCount: null, outputs: [], metadata: {} })) };
}
const trivial = notebookOf(Array.from({ length: SIZES.trivialCells }, (_, i) => `x = ${i}`));
const smallPrints = notebookOf([`for i in range(${SIZES.smallPrints}):\n    print(i)`]);
const parallelNotebooks = Array.from({ length: SIZES.parallelNotebooks }, (_, n) =>
  notebookOf(['import math', ...Array.from({ length: SIZES.parallelCells }, (_, i) => `s${i} = sum(math.isqrt(k) for k in range(200_000))\nprint(${n}, ${i}, s${i})`)]),
);

log(`starting a local kernel gateway (${GATEWAY_REQUIREMENTS.join(', ')})`);
const gateway = await startLocalGateway({ cwd, env: { JUPYTER_PATH } });
const connection = { url: gateway.url, token: gateway.token };
// The same gateway with Nagle's algorithm off on its websockets (a wrapper script, not a setting
// the kernel gateway offers): the per-cell rows show how much of its overhead that is.
const nodelayGateway = await startLocalGateway({ cwd, env: { JUPYTER_PATH }, launcher: [join(here, 'kernel_gateway_nodelay.py')] });
const nodelayConnection = { url: nodelayGateway.url, token: nodelayGateway.token };
const ENGINES = ['zeromq', 'gateway'];
const CELL_ENGINES = [...ENGINES, 'gatewayNoDelay'];
const zmqOptions = { kernel: { spec }, cwd };

const engines = {
  zeromq: {
    start: () => KernelManager.start(zmqOptions),
    stop: (kernel) => kernel.shutdown(),
    executor: () => new NotebookExecutor(zmqOptions),
  },
  gateway: {
    start: () => GatewayKernel.start(connection, { kernelName: KERNEL_NAME }),
    stop: (kernel) => kernel.shutdown(),
    executor: () => new NotebookExecutor(new GatewayLauncher(connection, { kernelName: KERNEL_NAME })),
  },
  gatewayNoDelay: {
    start: () => GatewayKernel.start(nodelayConnection, { kernelName: KERNEL_NAME }),
    stop: (kernel) => kernel.shutdown(),
  },
};

function check(engine, result, what) {
  if (result.status !== 'ok') throw new Error(`${engine} ${what}: ${result.status} ${result.error?.message ?? ''}`);
}

const results = Object.fromEntries(CELL_ENGINES.map((engine) => [engine, {}]));
const loadAtStart = load();
try {
  log(`startup: ${SIZES.startupRepeats} kernels each`);
  const startup = Object.fromEntries(ENGINES.map((engine) => [engine, { startMs: [], stopMs: [] }]));
  for (let i = 0; i < SIZES.startupRepeats; i++) {
    for (const engine of ENGINES) {
      const t0 = performance.now();
      const kernel = await engines[engine].start();
      startup[engine].startMs.push(performance.now() - t0);
      const t1 = performance.now();
      await engines[engine].stop(kernel);
      startup[engine].stopMs.push(performance.now() - t1);
    }
  }
  for (const engine of ENGINES) {
    results[engine].startup = { medianMs: round(median(startup[engine].startMs)), samplesMs: startup[engine].startMs.map((x) => round(x)), shutdownMedianMs: round(median(startup[engine].stopMs)) };
    log(`  ${engine}: ${results[engine].startup.medianMs} ms (shutdown ${results[engine].startup.shutdownMedianMs} ms)`);
  }

  for (const [key, notebook, label] of [
    ['perCell', trivial, `${SIZES.trivialCells} trivial cells`],
    ['smallPrints', smallPrints, `one cell of ${SIZES.smallPrints} prints`],
  ]) {
    log(`${label}: ${SIZES.cellRepeats} rounds, engines alternating`);
    const samples = Object.fromEntries(CELL_ENGINES.map((engine) => [engine, []]));
    for (let round_ = 0; round_ < SIZES.cellRepeats; round_++) {
      for (const engine of CELL_ENGINES) {
        const kernel = await engines[engine].start();
        try {
          const t0 = performance.now();
          const { result } = await new NotebookExecutor(null).execute(notebook, { kernel });
          samples[engine].push(performance.now() - t0);
          check(engine, result, label);
        } finally {
          await engines[engine].stop(kernel);
        }
      }
    }
    for (const engine of CELL_ENGINES) {
      const ms = median(samples[engine]);
      results[engine][key] = { medianMs: round(ms), msPerCell: round(ms / notebook.cells.length, 3), samplesMs: samples[engine].map((x) => round(x)), cells: notebook.cells.length };
      log(`  ${engine}: ${round(ms)} ms (${round(ms / notebook.cells.length, 3)} ms per cell)`);
    }
  }

  for (let pass = 1; pass <= SIZES.parallelRounds; pass++) {
    for (const concurrency of [1, 2, 4]) {
      log(`parallel (round ${pass}): ${parallelNotebooks.length} notebooks, ${concurrency} in flight`);
      // Which engine goes first alternates, so neither always meets the other's leftover load.
      for (const engine of pass % 2 ? ENGINES : [...ENGINES].reverse()) {
        const executor = engines[engine].executor();
        let next = 0;
        const statuses = [];
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < parallelNotebooks.length) {
              const { result } = await executor.execute(parallelNotebooks[next++]);
              statuses.push(result.status);
            }
          }),
        );
        const wallMs = performance.now() - t0;
        const failed = statuses.filter((status) => status !== 'ok');
        if (failed.length > 0) throw new Error(`${engine} parallel run: ${failed.length} notebooks not ok: ${failed.join(', ')}`);
        const key = `parallel${concurrency}`;
        const entry = (results[engine][key] ??= { concurrency, notebooks: parallelNotebooks.length, samplesMs: [] });
        entry.samplesMs.push(round(wallMs));
        entry.wallMs = Math.min(...entry.samplesMs);
        entry.notebooksPerSecond = round((parallelNotebooks.length * 1000) / entry.wallMs, 3);
        log(`  ${engine}: ${round(wallMs)} ms, ${round((parallelNotebooks.length * 1000) / wallMs, 3)} notebooks/s`);
      }
    }
  }
} finally {
  await gateway.stop();
  await nodelayGateway.stop();
  rmSync(work, { recursive: true, force: true });
}

const ratio = (value, engine = 'gateway') => round(value(results[engine]) / value(results.zeromq), 2);
const comparison = {
  startupRatio: ratio((r) => r.startup.medianMs),
  perCellRatio: ratio((r) => r.perCell.msPerCell),
  perCellOverheadMs: round(results.gateway.perCell.msPerCell - results.zeromq.perCell.msPerCell, 3),
  perCellOverheadWithoutNagleMs: round(results.gatewayNoDelay.perCell.msPerCell - results.zeromq.perCell.msPerCell, 3),
  smallPrintsRatio: ratio((r) => r.smallPrints.medianMs),
  smallPrintsRatioWithoutNagle: ratio((r) => r.smallPrints.medianMs, 'gatewayNoDelay'),
  throughputRatio: Object.fromEntries([1, 2, 4].map((c) => [`x${c}`, ratio((r) => r[`parallel${c}`].notebooksPerSecond)])),
  scaling: Object.fromEntries(ENGINES.map((engine) => [engine, { x2: round(results[engine].parallel2.notebooksPerSecond / results[engine].parallel1.notebooksPerSecond, 2), x4: round(results[engine].parallel4.notebooksPerSecond / results[engine].parallel1.notebooksPerSecond, 2) }])),
};
const report = {
  benchmark: 'gateway',
  date: new Date().toISOString(),
  command: 'node benchmarks/gateway/gateway.bench.mjs',
  quick,
  machine: { cores: cpus().length, model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '), node: process.version, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load(), note: 'shared machine: other engineers\' jobs run at the same time; the load average says how busy it was' },
  setup: {
    kernelspec: { name: KERNEL_NAME, argv: spec.argv },
    gateway: { requirements: GATEWAY_REQUIREMENTS, where: '127.0.0.1, token auth, --ZMQChannelsWebsocketConnection.limit_rate=False' },
    gatewayNoDelay: 'the same gateway run by kernel_gateway_nodelay.py (TCP_NODELAY on its websockets); per-cell rows only',
    ratios: 'gateway / zeromq: > 1 means the gateway takes longer (startup, per cell) or runs more (throughput)',
    workloads: {
      perCell: `${SIZES.trivialCells} cells "x = i" on a started kernel, median of ${SIZES.cellRepeats}`,
      smallPrints: `one cell printing ${SIZES.smallPrints} lines`,
      parallel: `${parallelNotebooks.length} notebooks of ${SIZES.parallelCells + 1} cells (sums of isqrt over 200k ints), kernel start and shutdown included; ${SIZES.parallelRounds} rounds (engine order alternating), the fastest kept`,
    },
  },
  comparison,
  results,
};
const out = join(repo, 'benchmarks', 'results', 'gateway.json');
if (!quick) writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(comparison, null, 2));
console.log(quick ? '(quick run: results not written)' : `wrote ${out}`);
