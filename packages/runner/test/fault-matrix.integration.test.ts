import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestNotebookFile } from '../src/ingest-notebook-file.js';
import { resolveKernel } from '../src/resolve-kernel.js';
import { allNotebookIds, runExperiment } from '../src/run-experiment.js';

// The fault matrix as one batch through the runner: real kernels (the tools venv's
// ipykernel), the bubblewrap sandbox with a 1 GiB memory limit and 256 processes, the bundled
// digits competition. Every fault notebook must end with its own clear status while the control
// notebooks around it in the same batch still reproduce, the database stays intact and no kernel
// or child process outlives the batch.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const competitions = join(repo, 'datasets/competitions');
const work = mkdtempSync(join(tmpdir(), 'mle-fault-matrix-'));
const corpus = join(work, 'corpus');
mkdirSync(corpus);

const answers = readFileSync(join(competitions, 'digits/private/answers.csv'), 'utf8').trim().split('\n').slice(1);
const accuracyOf3 = answers.filter((line) => line.endsWith(',3')).length / answers.length;
// Parsed by the miner's ML filter, never run (the tools venv has no sklearn).
const ML_MARKER = 'if False:\n    import sklearn';
const SUBMIT = "import csv\nrows = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))\nwith open('submission.csv', 'w') as f:\n    f.write('id,label\\n')\n    for r in rows:\n        f.write(f\"{r['id']},3\\n\")";
const SECRET = 'MLE_FAKE_SECRET_TOKEN';

/** name → cells; every notebook reports the score of always answering 3 (what the controls reproduce). */
const NOTEBOOKS: Record<string, string[]> = {
  'control-first': [SUBMIT],
  exit: ['import os\nos._exit(1)', SUBMIT],
  segfault: ['import ctypes\nctypes.string_at(0)', SUBMIT],
  'busy-loop': ['while True:\n    pass', SUBMIT],
  'ignores-sigint': ['import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass', SUBMIT],
  // 4 GiB written page by page against the 1 GiB limit.
  'memory-bomb': ["chunks = []\nfor _ in range(64):\n    chunks.append(b'\\x01' * (64 << 20))", SUBMIT],
  // At most 2,000 sleeping children: far above the 256-process limit, harmless if the limit failed.
  'fork-bomb': ['import os, time\nfor _ in range(2000):\n    if os.fork() == 0:\n        time.sleep(60)\n        os._exit(0)', SUBMIT],
  'output-flood': ["for _ in range(100):\n    print('x' * (1 << 20))", SUBMIT],
  input: ["name = input('name? ')", SUBMIT],
  // The port is filled in once the test's server listens.
  'loopback-socket': ['import socket\nsocket.create_connection(("127.0.0.1", PORT), timeout=5)', SUBMIT],
  'reads-secret': [`import os\nif os.environ.get('${SECRET}') is not None or os.environ.get('AWS_SECRET_ACCESS_KEY') is not None:\n    raise RuntimeError('a secret reached the kernel')`, SUBMIT],
  'writes-outside': ["open('/kaggle/input/digits/planted.csv', 'w').write('x')", SUBMIT],
  'control-last': [`${SUBMIT}\n# the same submission, last in the batch`],
};

let server: Server;
let port = 0;
let accepted = 0;
let store: WritableStore;

function writeNotebook(name: string, cells: string[]): void {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { competition: 'digits', date: '2024-01-01', reported_score: accuracyOf3 } },
    cells: [ML_MARKER, ...cells].map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: source.replace('PORT', String(port)) })),
  };
  writeFileSync(join(corpus, `${name}.ipynb`), JSON.stringify(nb));
}

// Every kernel of this process (and every child it forked) runs with its connection file in a
// socket directory named after this process: mle-k-<pid>-XXXXXX.
const leftovers = () => spawnSync('pgrep', ['-a', '-f', `mle-k-${process.pid}-`], { encoding: 'utf8' }).stdout.trim();

beforeAll(async () => {
  server = createServer((socket) => {
    accepted++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  for (const [name, cells] of Object.entries(NOTEBOOKS)) writeNotebook(name, cells);
  store = openStore(join(work, 'mle.db'));
});

afterAll(async () => {
  store.close();
  await new Promise((resolve) => server.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('the fault matrix in one batch', () => {
  it('gives every fault its status while the controls of the same batch reproduce, and leaves nothing behind', async () => {
    for (const name of Object.keys(NOTEBOOKS)) await ingestNotebookFile(store, join(corpus, `${name}.ipynb`));
    const ids = allNotebookIds(store);
    expect(ids).toHaveLength(Object.keys(NOTEBOOKS).length);
    process.env[SECRET] = 'hunter2';
    try {
      await runExperiment(store, {
        experiment: 'faults',
        kind: 'baseline',
        kernel: resolveKernel(store, 'mle-tools'),
        notebookIds: ids,
        competitionsDir: competitions,
        outputDir: join(work, 'out'),
        jobs: 2,
        sandbox: true,
        notebookTimeoutMs: 10_000,
        memoryBytes: 1024 ** 3,
        maxProcesses: 256,
      });
    } finally {
      delete process.env[SECRET];
    }

    const runs = new Map(
      (store.db.prepare('SELECT o.path, r.status, r.error_name, r.failing_cell, r.details, r.output_path FROM runs r JOIN origins o ON o.notebook_id = r.notebook_id').all() as { path: string; status: string; error_name: string | null; failing_cell: number | null; details: string | null; output_path: string | null }[]).map(
        (row) => [row.path.replace(`${corpus}/`, '').replace('.ipynb', ''), row],
      ),
    );
    const outcome = (name: string) => {
      const run = runs.get(name);
      expect(run, name).toBeDefined();
      return { status: run!.status, error: run!.error_name, cell: run!.failing_cell };
    };
    expect(outcome('control-first')).toEqual({ status: 'reproduced', error: null, cell: null });
    expect(outcome('control-last')).toEqual({ status: 'reproduced', error: null, cell: null });
    // No secret reached the kernel, so the notebook ran to its submission.
    expect(outcome('reads-secret')).toEqual({ status: 'reproduced', error: null, cell: null });
    expect(outcome('exit')).toMatchObject({ status: 'kernel-died', cell: 1 });
    expect(outcome('segfault')).toMatchObject({ status: 'kernel-died', error: 'SIGSEGV', cell: 1 });
    expect(outcome('busy-loop')).toMatchObject({ status: 'timeout', cell: 1 });
    expect(outcome('ignores-sigint')).toMatchObject({ status: 'timeout', cell: 1 });
    expect(outcome('memory-bomb')).toMatchObject({ status: 'kernel-died', error: 'OOM', cell: 1 });
    expect(JSON.parse(runs.get('memory-bomb')!.details!)).toMatchObject({ kernelDeathCause: 'oom', memoryLimit: 'cgroup' });
    expect(outcome('fork-bomb')).toMatchObject({ status: 'error', error: 'BlockingIOError', cell: 1 });
    expect(outcome('input')).toMatchObject({ status: 'error', error: 'StdinNotImplementedError', cell: 1 });
    expect(outcome('loopback-socket').status).toBe('error');
    expect(['ConnectionRefusedError', 'OSError', 'TimeoutError']).toContain(outcome('loopback-socket').error);
    expect(accepted).toBe(0);
    expect(outcome('writes-outside')).toMatchObject({ status: 'error', cell: 1 });
    expect(['OSError', 'PermissionError']).toContain(outcome('writes-outside').error);
    // 100 MB of output: capped with a marker, the run goes on to its submission.
    expect(outcome('output-flood')).toEqual({ status: 'reproduced', error: null, cell: null });
    const flooded = readFileSync(runs.get('output-flood')!.output_path!, 'utf8');
    expect(flooded.length).toBeLessThan(20 << 20);
    expect(flooded).toMatch(/truncated/i);

    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: Object.keys(NOTEBOOKS).length });
    for (let i = 0; i < 50 && leftovers() !== ''; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(leftovers()).toBe('');
  }, 600_000);
});
