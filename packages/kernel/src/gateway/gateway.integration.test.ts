import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellExecutionError, CellTimeoutError, DeadKernelError, KernelStartTimeoutError } from '../errors.js';
import type { NotebookExecution } from '../execution-result.js';
import { NotebookExecutor } from '../notebook-executor.js';
import { expectNothingLeft, notebookOf, PYTHON, streamTextOf, type CellInput } from '../test-support/kernels.js';
import type { GatewayConnection } from './gateway-connection.js';
import { GatewayKernel, GatewayKernelDiedError } from './gateway-kernel.js';
import { GatewayLauncher, type GatewayLaunchOptions } from './gateway-launcher.js';
import { GatewayError, GatewayRestClient } from './gateway-rest.js';
import { childrenOf, startLocalGateway, type LocalGateway } from './local-gateway.js';
import { RemoteWorkspaceError, WORKSPACE_PREFIX } from './remote-workspace.js';
import { startTcpProxy, type TcpProxy } from './test-support/tcp-proxy.js';

// A real Jupyter Kernel Gateway from PyPI (venv .mle/gateway, made by uv on first use) on
// 127.0.0.1 with token auth. Every case runs the same notebook on the ZeroMQ transport too and
// compares statuses and outputs: the transport must not change what a run records.

const DIGITS_DATA = fileURLToPath(new URL('../../../../datasets/competitions/digits/data', import.meta.url));

let gateway: LocalGateway;
let connection: GatewayConnection;
const kernelPids = new Set<number>();

beforeAll(async () => {
  gateway = await startLocalGateway();
  connection = { url: gateway.url, token: gateway.token };
});

afterAll(async () => {
  for (const pid of childrenOf(gateway.pid)) kernelPids.add(pid);
  await gateway.stop();
  // No gateway and none of its kernels may outlive the tests.
  const deadline = Date.now() + 5000;
  const alive = (): number[] => [gateway.pid, ...kernelPids].filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z '));
  while (alive().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(alive()).toEqual([]);
  expectNothingLeft();
});

/** Kernels the gateway runs now (its children), remembered for the final leftover check. */
function noteKernels(): void {
  for (const pid of childrenOf(gateway.pid)) kernelPids.add(pid);
}

function onGateway(options: ConstructorParameters<typeof NotebookExecutor>[1] = {}, launch: GatewayLaunchOptions = {}, target: GatewayConnection = connection): NotebookExecutor {
  return new NotebookExecutor(new GatewayLauncher(target, { statusIntervalMs: 500, ...launch }), options);
}

/** What must not depend on the transport: statuses, errors, outputs (tracebacks aside: they name the kernel's temp files), execution counts. */
function comparable(execution: NotebookExecution): unknown {
  const { result, notebook } = execution;
  return {
    status: result.status,
    error: result.error?.name ?? null,
    firstFailingCellIndex: result.firstFailingCellIndex,
    // The count of the cell a kernel died in is left out: over ZeroMQ, whether its execute_input
    // is read before the process exit is seen is a race; the gateway forwards it before the death.
    cells: result.cells.map((cell) => ({ index: cell.index, status: cell.status, ename: cell.ename ?? null, evalue: cell.evalue ?? null, executionCount: cell.status === 'kernel-died' ? 'n/a' : cell.executionCount, truncated: cell.outputTruncated })),
    outputs: notebook.cells.map((cell) => cell.outputs.map((output) => (output.output_type === 'error' ? { output_type: 'error', ename: output.ename, evalue: output.evalue } : output))),
  };
}

/** Run the cells on a fresh ZeroMQ kernel and a fresh gateway kernel at the same time. */
async function onBoth(cells: CellInput[], options: ConstructorParameters<typeof NotebookExecutor>[1] = {}): Promise<{ zmq: NotebookExecution; gw: NotebookExecution }> {
  const notebook = notebookOf(cells);
  const [zmq, gw] = await Promise.all([new NotebookExecutor({ kernel: { pythonPath: PYTHON } }, options).execute(notebook), onGateway(options).execute(notebook)]);
  return { zmq, gw };
}

describe('gateway REST client', () => {
  it('lists kernelspecs, starts, inspects, interrupts, restarts and deletes a kernel', async () => {
    const rest = new GatewayRestClient(connection);
    const specs = await rest.kernelSpecs();
    expect(specs.default).toBe('python3');
    expect(specs.kernelspecs.python3?.spec.language).toBe('python');
    const model = await rest.startKernel('python3');
    expect(model.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rest.listKernels()).map((kernel) => kernel.id)).toContain(model.id);
    expect((await rest.getKernel(model.id))?.name).toBe('python3');
    await rest.interruptKernel(model.id);
    expect((await rest.restartKernel(model.id)).id).toBe(model.id);
    expect(await rest.deleteKernel(model.id)).toBe(true);
    expect(await rest.getKernel(model.id)).toBeNull();
    expect(await rest.deleteKernel(model.id)).toBe(false);
  });

  it('says in one line what a wrong token or kernelspec is', async () => {
    const wrong = new GatewayRestClient({ ...connection, token: 'not-the-token' });
    const denied = await wrong.kernelSpecs().catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(GatewayError);
    expect([401, 403]).toContain((denied as GatewayError).status);
    expect((denied as Error).message).toMatch(/HTTP 40[13].*--gateway-token/);
    expect((denied as Error).message).not.toContain(gateway.token);
    const unknown = await new GatewayRestClient(connection).startKernel('no-such-kernel').catch((error: unknown) => error);
    // The kernel gateway answers 500 (jupyter_server's NoSuchKernel), with the name in its reason.
    expect(unknown).toBeInstanceOf(GatewayError);
    expect((unknown as Error).message).toMatch(/no-such-kernel/);
    expect((unknown as Error).message.split('\n')).toHaveLength(1);
  });

  it('sends extra headers: a token given as a header authenticates too', async () => {
    const viaHeader = new GatewayRestClient({ url: connection.url, headers: { Authorization: `token ${gateway.token}` } });
    expect((await viaHeader.kernelSpecs()).default).toBe('python3');
  });
});

describe('NotebookExecutor on a gateway kernel: same results as on ZeroMQ', () => {
  const roundTrip: CellInput[] = [
    { source: '# A title', type: 'markdown' },
    'print("hello")\n1 + 1',
    'import sys\nprint("warn", file=sys.stderr)\nfor i in range(3):\n    print(f"\\r{i}", end="")\nprint()',
    'from IPython.display import display, clear_output\nh = display("v1", display_id="progress")',
    'h.update("v2")',
    'print("before")\nclear_output(wait=True)\nprint("after")',
    { source: 'raise ValueError("tolerated")', tags: ['raises-exception'] },
    { source: 'print("should not run")', tags: ['skip-execution'] },
    '   \n',
    'print("end")',
  ];

  it('runs a notebook round trip with identical outputs, counts and statuses', async () => {
    const { zmq, gw } = await onBoth(roundTrip);
    expect(gw.result.status).toBe('ok');
    expect(gw.result.sandbox).toBe('gateway');
    expect(gw.result.kernelPid).toBeNull();
    expect(gw.result.startupMs).toBeGreaterThan(0);
    expect(gw.result.languageInfo?.name).toBe('python');
    expect(comparable(gw)).toEqual(comparable(zmq));
    expect(gw.notebook.cells.map((cell) => cell.executionCount)).toEqual([null, 1, 2, 3, 4, 5, 6, null, null, 7]);
    const timing = gw.notebook.cells[1]?.metadata.execution as Record<string, string>;
    expect(Object.keys(timing).sort()).toEqual(['iopub.execute_input', 'iopub.status.busy', 'iopub.status.idle', 'shell.execute_reply', 'shell.execute_reply.started']);
    for (const value of Object.values(timing)) expect(Number.isNaN(Date.parse(value))).toBe(false);
  });

  it('stops at an error, runs past it with allowErrors, fails input() clearly', async () => {
    const failing = ['x = 1', 'raise ValueError("boom")', 'print("ran after the error")'];
    const stopped = await onBoth(failing);
    expect(stopped.gw.result.error).toBeInstanceOf(CellExecutionError);
    expect(comparable(stopped.gw)).toEqual(comparable(stopped.zmq));
    const tolerated = await onBoth(failing, { allowErrors: true });
    expect(streamTextOf(tolerated.gw.notebook.cells[2])).toBe('ran after the error\n');
    expect(comparable(tolerated.gw)).toEqual(comparable(tolerated.zmq));
    const input = await onBoth(['name = input("name? ")']);
    expect(input.gw.result.cells[0]?.ename).toBe('StdinNotImplementedError');
    expect(comparable(input.gw)).toEqual(comparable(input.zmq));
  });

  it('interrupts a cell past its timeout and the kernel stays usable', async () => {
    const { zmq, gw } = await onBoth(['print("start")', 'while True:\n    pass', 'print("never")'], { timeoutMs: 2000, interruptOnTimeout: true });
    expect(gw.result.status).toBe('timeout');
    expect(gw.result.error).toBeInstanceOf(CellTimeoutError);
    expect(gw.result.cells[1]?.ename).toBe('KeyboardInterrupt');
    expect(comparable(gw)).toEqual(comparable(zmq));
    // The same kernel answers after the interrupt.
    const kernel = await GatewayKernel.start(connection);
    try {
      const first = await new NotebookExecutor(null, { timeoutMs: 1500, interruptOnTimeout: true }).execute(notebookOf(['import time\ntime.sleep(30)']), { kernel });
      expect(first.result.status).toBe('timeout');
      const after = await new NotebookExecutor(null).execute(notebookOf(['print("still alive")']), { kernel });
      expect(streamTextOf(after.notebook.cells[0])).toBe('still alive\n');
    } finally {
      await kernel.shutdown();
    }
  });

  it('enforces the whole-notebook budget', async () => {
    const { zmq, gw } = await onBoth(['import time\ntime.sleep(0.3)', 'time.sleep(30)', 'print("never")'], { notebookTimeoutMs: 2500, interruptOnTimeout: true });
    expect((gw.result.error as CellTimeoutError).budget).toBe('notebook');
    expect(comparable(gw)).toEqual(comparable(zmq));
  });

  it('gives up on a kernel that ignores SIGINT: timeout, and the gateway deletes it', async () => {
    const cells = ['print("ready")', 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass'];
    const { zmq, gw } = await onBoth(cells, { timeoutMs: 1500, interruptOnTimeout: true, interruptGraceMs: 1000 });
    expect(gw.result.status).toBe('timeout');
    expect(gw.result.cells[1]?.ename).toBeUndefined();
    expect(comparable(gw)).toEqual(comparable(zmq));
    expect((await new GatewayRestClient(connection).listKernels()).length).toBe(0);
  });

  it('reports os._exit as kernel-died without waiting for a timeout', async () => {
    const started = Date.now();
    const { zmq, gw } = await onBoth(['print("a")', 'import os\nos._exit(1)', 'print("never")']);
    expect(gw.result.status).toBe('kernel-died');
    expect(gw.result.error).toBeInstanceOf(DeadKernelError);
    expect(gw.result.error).toBeInstanceOf(GatewayKernelDiedError);
    expect(gw.result.error?.message).toMatch(/restarting/);
    expect(comparable(gw)).toEqual(comparable(zmq));
    expect(Date.now() - started).toBeLessThan(30_000);
    // The restarted kernel was deleted with the run.
    expect((await new GatewayRestClient(connection).listKernels()).length).toBe(0);
  });

  it('reports a segfault as kernel-died', async () => {
    const { zmq, gw } = await onBoth(['import ctypes\nctypes.string_at(0)']);
    expect(gw.result.status).toBe('kernel-died');
    expect(comparable(gw)).toEqual(comparable(zmq));
  });

  it('caps a flood of output the same way', async () => {
    const { zmq, gw } = await onBoth(['import sys\nchunk = "x" * 1023 + "\\n"\nfor _ in range(10_000):\n    sys.stdout.write(chunk)', 'print("after")'], { maxOutputBytesPerCell: 1024 * 1024 });
    expect(gw.result.cells[0]?.outputTruncated).toBe(true);
    expect(streamTextOf(gw.notebook.cells[1])).toBe('after\n');
    // Where the cut falls depends on how the kernel batched its writes: compare what was kept up to the marker.
    expect(gw.result.status).toBe(zmq.result.status);
    expect(gw.result.cells.map((cell) => cell.status)).toEqual(zmq.result.cells.map((cell) => cell.status));
    expect(streamTextOf(gw.notebook.cells[0], 'stderr')).toContain('output truncated');
  });
});

describe('gateway kernels lost from outside', () => {
  it('a kernel deleted on the gateway mid-cell is kernel-died, not a hang', async () => {
    const executor = onGateway();
    const rest = new GatewayRestClient(connection);
    let deleted: Promise<boolean> | null = null;
    executor.on('cellComplete', ({ index }) => {
      if (index !== 1) return;
      // Deleted from outside once the long cell was sent, as an operator or a quota controller would.
      deleted = (async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        noteKernels();
        const [kernel] = await rest.listKernels();
        return kernel ? rest.deleteKernel(kernel.id) : false;
      })();
    });
    const started = Date.now();
    const { result } = await executor.execute(notebookOf(['print(1)', 'import time\ntime.sleep(120)', 'print("never")']));
    expect(await deleted).toBe(true);
    expect(result.status).toBe('kernel-died');
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'kernel-died', 'not-run']);
    expect(result.error?.message).toMatch(/no longer has the kernel|restarting|could not be reopened/);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a kernel the gateway culls (idle timeout, busy kernels too) is kernel-died', async () => {
    const culling = await startLocalGateway({
      args: ['--MappingKernelManager.cull_idle_timeout=15', '--MappingKernelManager.cull_interval=1', '--MappingKernelManager.cull_busy=True', '--MappingKernelManager.cull_connected=True'],
    });
    try {
      const started = Date.now();
      const { result } = await onGateway({}, {}, { url: culling.url, token: culling.token }).execute(notebookOf(['print(1)', 'import time\ntime.sleep(120)']));
      expect(result.status).toBe('kernel-died');
      expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'kernel-died']);
      expect(result.error?.message).toMatch(/no longer has the kernel/);
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(culling.log()).toMatch(/[Cc]ulling/);
    } finally {
      await culling.stop();
    }
  });

  it('reconnects a dropped websocket and loses no output', async () => {
    const proxy: TcpProxy = await startTcpProxy(Number(new URL(gateway.url).port));
    try {
      const kernel = await GatewayKernel.start({ url: proxy.url, token: gateway.token }, { statusIntervalMs: 500 });
      try {
        const cutting = (async () => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          return proxy.cut();
        })();
        const cell = 'import time\nfor i in range(12):\n    print(i, flush=True)\n    time.sleep(0.25)\nprint("done")';
        const { result, notebook } = await new NotebookExecutor(null).execute(notebookOf([cell, 'print("next")']), { kernel });
        expect(await cutting).toBeGreaterThan(0);
        expect(kernel.channels.reconnects).toBeGreaterThanOrEqual(1);
        expect(result.status).toBe('ok');
        expect(streamTextOf(notebook.cells[0])).toBe(`${Array.from({ length: 12 }, (_, i) => `${i}\n`).join('')}done\n`);
        expect(streamTextOf(notebook.cells[1])).toBe('next\n');
      } finally {
        await kernel.shutdown();
      }
    } finally {
      await proxy.close();
    }
  });
});

describe('gateway over TLS', () => {
  it('runs over https and wss with the CA given, and refuses an untrusted certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-gw-tls-'));
    const openssl = (...args: string[]): void => {
      const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`openssl ${args[0]}: ${result.stderr}`);
    };
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=mle test CA');
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.cnf');
    const ca = readFileSync(join(dir, 'ca.pem'));
    const secure = await startLocalGateway({ tls: { certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server.key'), ca } });
    try {
      expect(secure.url).toMatch(/^https:/);
      const trusted = await onGateway({}, {}, { url: secure.url, token: secure.token, tls: { ca } }).execute(notebookOf(['print("over tls")']));
      expect(trusted.result.status).toBe('ok');
      expect(streamTextOf(trusted.notebook.cells[0])).toBe('over tls\n');
      const untrusted = await onGateway({}, {}, { url: secure.url, token: secure.token }).execute(notebookOf(['print(1)']));
      expect(untrusted.result.status).toBe('start-failed');
      expect(untrusted.result.error?.message).toMatch(/certificate/);
    } finally {
      await secure.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('gateway kernels: start failures and remote workspaces', () => {
  it('reports an unknown kernelspec and a wrong token as start-failed with a one-line reason', async () => {
    const unknown = await onGateway({}, { kernelName: 'no-such-kernel' }).execute(notebookOf(['print(1)']));
    expect(unknown.result.status).toBe('start-failed');
    expect(unknown.result.error).toBeInstanceOf(GatewayError);
    expect(unknown.result.cells.map((cell) => cell.status)).toEqual(['not-run']);
    const denied = await onGateway({}, {}, { url: connection.url, token: 'wrong' }).execute(notebookOf(['print(1)']));
    expect(denied.result.status).toBe('start-failed');
    expect(denied.result.error?.message).toMatch(/--gateway-token/);
  });

  it('gives up on a gateway that is not there within the startup timeout', async () => {
    const proxy = await startTcpProxy(1);
    const url = proxy.url;
    await proxy.close();
    const { result } = await onGateway({ startupTimeoutMs: 2000 }, {}, { url, token: 't', requestTimeoutMs: 1000 }).execute(notebookOf(['print(1)']));
    expect(result.status).toBe('start-failed');
    expect(result.error).toBeInstanceOf(GatewayError);
    expect(result.error).not.toBeInstanceOf(KernelStartTimeoutError);
  });

  const readsData: CellInput[] = [
    "import csv, os\nrows = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))\nprint(len(rows), 'test rows')",
    "print(sorted(os.listdir('../input/digits')))",
    "with open('submission.csv', 'w') as f:\n    f.write('id,label\\n')\n    for r in rows:\n        f.write(r['id'] + ',3\\n')",
  ];
  const testRows = readFileSync(join(DIGITS_DATA, 'test.csv'), 'utf8').trim().split('\n').length - 1;

  async function runWithWorkspace(dataRoot: string | null): Promise<{ execution: NotebookExecution; into: string }> {
    const into = mkdtempSync(join(tmpdir(), 'mle-gw-ws-'));
    const execution = await onGateway({}, { workspace: { inputs: [{ slug: 'digits', path: DIGITS_DATA }], dataRoot, uploadLimitBytes: 8 * 1024 * 1024, chunkBytes: 64 * 1024, fetch: ['submission.csv'], into } }).execute(notebookOf(readsData));
    return { execution, into };
  }

  it('uploads small competition data through the kernel and fetches submission.csv back', async () => {
    // A workspace left by a kernel that died (its pid is gone) is removed by the next run; the run's own goes with it.
    const dead = spawnSync('true').pid as number;
    const stale = mkdtempSync(join(tmpdir(), WORKSPACE_PREFIX));
    writeFileSync(join(stale, '.mle-kernel-pid'), String(dead));
    const workspaces = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(WORKSPACE_PREFIX));
    const before = workspaces().filter((name) => !stale.endsWith(name));
    const { execution, into } = await runWithWorkspace(null);
    expect(existsSync(stale)).toBe(false);
    // Other test files may run gateway kernels at the same time: a workspace that appeared since
    // must belong to a kernel that is still alive (a finished run's workspace is gone).
    const kernelAlive = (name: string): boolean => {
      try {
        process.kill(Number(readFileSync(join(tmpdir(), name, '.mle-kernel-pid'), 'utf8')), 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    expect(workspaces().filter((name) => !before.includes(name) && !kernelAlive(name))).toEqual([]);
    try {
      expect(execution.result.status).toBe('ok');
      expect(streamTextOf(execution.notebook.cells[0])).toBe(`${testRows} test rows\n`);
      expect(streamTextOf(execution.notebook.cells[1])).toBe("['sample_submission.csv', 'test.csv', 'train.csv']\n");
      // Setup steps are not the notebook's: its execution counts start at 1.
      expect(execution.notebook.cells.map((cell) => cell.executionCount)).toEqual([1, 2, 3]);
      const submission = readFileSync(join(into, 'submission.csv'), 'utf8').trim().split('\n');
      expect(submission[0]).toBe('id,label');
      expect(submission).toHaveLength(testRows + 1);
    } finally {
      rmSync(into, { recursive: true, force: true });
    }
  });

  it('uses data already on the kernels\' side under --gateway-data-root', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mle-gw-root-'));
    symlinkSync(DIGITS_DATA, join(root, 'digits'));
    const { execution, into } = await runWithWorkspace(root);
    try {
      expect(execution.result.status).toBe('ok');
      expect(streamTextOf(execution.notebook.cells[0])).toBe(`${testRows} test rows\n`);
      expect(existsSync(join(into, 'submission.csv'))).toBe(true);
    } finally {
      rmSync(into, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses to upload data above the limit, naming the mount option', async () => {
    const into = mkdtempSync(join(tmpdir(), 'mle-gw-ws-'));
    try {
      const { result } = await onGateway({}, { workspace: { inputs: [{ slug: 'digits', path: DIGITS_DATA }], dataRoot: null, uploadLimitBytes: 1000, fetch: ['submission.csv'], into } }).execute(notebookOf(['print(1)']));
      expect(result.status).toBe('start-failed');
      expect(result.error).toBeInstanceOf(RemoteWorkspaceError);
      expect(result.error?.message).toMatch(/above the upload limit.*--gateway-data-root/);
      expect((await new GatewayRestClient(connection).listKernels()).length).toBe(0);
    } finally {
      rmSync(into, { recursive: true, force: true });
    }
  });
});
