import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { GatewayRestClient } from '../../../../../packages/kernel/src/gateway/gateway-rest.js';
import { childrenOf, startLocalGateway, type LocalGateway } from '../../../../../packages/kernel/src/gateway/local-gateway.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `mle run --gateway` end to end: the real CLI (built), a real Jupyter Kernel Gateway from PyPI
// on 127.0.0.1 (venv .mle/gateway), the bundled digits competition uploaded to each kernel, the
// SQLite database written by the CLI process only.
const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const cli = join(repo, 'packages/cli/bin/run.js');
const competitions = join(repo, 'datasets/competitions');
const work = mkdtempSync(join(tmpdir(), 'mle-run-gateway-'));
let gateway: LocalGateway;
const kernelPids = new Set<number>();

function notebook(name: string, cells: string[], reported: number): string {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { competition: 'digits', date: '2024-01-01', reported_score: reported } },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  const path = join(work, `${name}.ipynb`);
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

const READ = "import csv\nrows = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))\nprint(len(rows), 'test rows')";
const WRITE = "with open('submission.csv', 'w') as f:\n    f.write('id,label\\n')\n    for r in rows:\n        f.write(f\"{r['id']},3\\n\")";
const answers = readFileSync(join(competitions, 'digits/private/answers.csv'), 'utf8').trim().split('\n').slice(1);
const accuracyOf3 = answers.filter((line) => line.endsWith(',3')).length / answers.length;

function mle(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, 'run', ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Kernels the run starts, remembered for the leftover check.
    const watch = setInterval(() => childrenOf(gateway.pid).forEach((pid) => kernelPids.add(pid)), 200);
    child.once('exit', (status) => {
      clearInterval(watch);
      resolve({ status, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  gateway = await startLocalGateway({ cwd: work });
});

afterAll(async () => {
  await gateway.stop();
  const deadline = Date.now() + 5000;
  const alive = (): number[] => [gateway.pid, ...kernelPids].filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
  while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(alive()).toEqual([]);
  rmSync(work, { recursive: true, force: true });
});

describe('mle run --gateway', () => {
  it('runs, grades and records notebooks on gateway kernels, several in flight', async () => {
    const paths = [
      notebook('a-reproduced', [READ, WRITE], accuracyOf3),
      notebook('e-error', [READ, 'import pandas_that_does_not_exist'], 0.5),
      notebook('f-timeout', [READ, 'while True:\n    pass'], 0.5),
      notebook('g-kernel-died', [READ, 'import os\nos._exit(3)'], 0.5),
    ];
    const db = join(work, 'mle.db');
    const { status, stdout, stderr } = await mle([...paths, '--db', db, '--gateway', gateway.url, '--jobs', '4', '--timeout', '10', '--competitions', competitions, '--out', join(work, 'out'), '--json'], {
      MLE_GATEWAY_TOKEN: gateway.token,
    });
    expect(status, stderr).toBe(1);
    const summary = JSON.parse(stdout) as { kernel: string; ran: number };
    expect(summary.ran).toBe(4);
    expect(summary.kernel).toBe(`gateway:${gateway.url}#default`);
    expect(summary.kernel).not.toContain(gateway.token);
    const handle = new Database(db, { readonly: true });
    const byName = (name: string) => handle.prepare('SELECT r.* FROM runs r JOIN origins o ON o.notebook_id = r.notebook_id WHERE o.path = ?').get(join(work, `${name}.ipynb`)) as Record<string, unknown>;
    expect(byName('a-reproduced')).toMatchObject({ status: 'reproduced', reproducible: 1, sandbox: 'gateway', competition: 'digits' });
    expect(byName('a-reproduced').score).toBeCloseTo(accuracyOf3, 12);
    expect(byName('e-error')).toMatchObject({ status: 'error', error_name: 'ModuleNotFoundError', failing_cell: 1, sandbox: 'gateway' });
    expect(byName('f-timeout')).toMatchObject({ status: 'timeout', failing_cell: 1 });
    expect(byName('g-kernel-died')).toMatchObject({ status: 'kernel-died', failing_cell: 1 });
    const executed = JSON.parse(readFileSync(String(byName('a-reproduced').output_path), 'utf8')) as { cells: { outputs: { text?: string[] }[] }[] };
    expect(executed.cells[0]!.outputs[0]!.text!.join('')).toBe(`${answers.length} test rows\n`);
    expect(existsSync(String(byName('a-reproduced').output_path).replace('.ipynb', '.submission.csv'))).toBe(true);
    handle.close();
    // Every kernel was deleted, and no workspace was left in the gateway's directory.
    expect(await new GatewayRestClient({ url: gateway.url, token: gateway.token }).listKernels()).toEqual([]);
    expect(existsSync(join(work, 'submission.csv'))).toBe(false);
  });

  it('fails in one line on unusable gateway flags and a wrong token', async () => {
    const path = notebook('h-plain', ['print(1)'], 0.5);
    const header = await mle([path, '--db', join(work, 'flags.db'), '--gateway', gateway.url, '--gateway-header', 'no colon here']);
    expect(header.status).toBe(2);
    expect(header.stderr).toMatch(/gateway header "no colon here" is not "Name: value"/);
    const stray = await mle([path, '--db', join(work, 'flags.db'), '--gateway-data-root', '/data']);
    expect(stray.status).toBe(2);
    expect(stray.stderr).toMatch(/--gateway-data-root needs --gateway URL/);
    const denied = await mle([path, '--db', join(work, 'denied.db'), '--gateway', gateway.url, '--gateway-token', 'wrong', '--out', join(work, 'out-denied'), '--json']);
    expect(denied.status).toBe(1);
    const handle = new Database(join(work, 'denied.db'), { readonly: true });
    const run = handle.prepare('SELECT status, error_name, error_value FROM runs').get() as { status: string; error_name: string; error_value: string };
    handle.close();
    expect(run).toMatchObject({ status: 'env-failed', error_name: 'GatewayError' });
    expect(run.error_value).toMatch(/HTTP 40[13].*--gateway-token/);
  });
});
