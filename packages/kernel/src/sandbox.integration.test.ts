import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellTimeoutError, DeadKernelError } from './errors.js';
import { KernelManager, type KernelStartOptions } from './kernel-manager.js';
import { NotebookExecutor } from './notebook-executor.js';
import { findBwrap } from './sandbox.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON, streamTextOf, TOOLS_ENV } from './test-support/kernels.js';

// The sandbox is part of what mle promises on Linux: these machines have bubblewrap, so its
// absence is a failure here, not a skip.
const root = mkdtempSync(join(tmpdir(), 'mle-sandbox-'));
const workDir = join(root, 'working');
const dataDir = join(root, 'data');
const SECRET = 'MLE_TEST_SECRET_TOKEN';

function startOptions(): KernelStartOptions {
  return {
    kernel: { pythonPath: PYTHON },
    sandbox: { environmentDir: TOOLS_ENV, workDir, inputs: [{ slug: 'demo', path: dataDir }] },
    env: { MLE_EXTRA: 'given' },
    limits: { memoryBytes: 2 * 1024 ** 3 },
  };
}


// Whatever happened in the tests, nothing of a kernel may survive them.
afterAll(() => expectNothingLeft());

describe('a kernel in the bubblewrap sandbox', () => {
  let km: KernelManager;
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    expect(findBwrap()).not.toBeNull();
    mkdirSync(workDir);
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'train.csv'), 'a,b\n1,2\n');
    process.env[SECRET] = 'hunter2';
    server = createServer((socket) => socket.end('hello from the host\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
    km = await KernelManager.start(startOptions());
  });

  afterAll(async () => {
    delete process.env[SECRET];
    server.close();
    await km?.shutdown();
    if (km) await expectGroupGone(km.process.pid);
    rmSync(root, { recursive: true, force: true });
  });

  it('runs in /kaggle/working with the data read-only under /kaggle/input', async () => {
    expect(km.sandbox).toBe('bwrap');
    expect(km.interruptMode).toBe('message');
    const { result, notebook } = await new NotebookExecutor(null).execute(
      notebookOf([
        'import os\nprint(os.getcwd())\nprint(os.environ["HOME"])\nprint(open("/kaggle/input/demo/train.csv").read(), end="")',
        'open("submission.csv", "w").write("id,y\\n1,0\\n")',
      ]),
      { kernel: km },
    );
    expect(result.status).toBe('ok');
    expect(result.sandbox).toBe('bwrap');
    expect(streamTextOf(notebook.cells[0])).toBe('/kaggle/working\n/kaggle/working\na,b\n1,2\n');
    expect(readFileSync(join(workDir, 'submission.csv'), 'utf8')).toBe('id,y\n1,0\n');
    // Nothing else: IPython's profile is kept out of the work dir.
    expect(readdirSync(workDir)).toEqual(['submission.csv']);
  });

  it('refuses writes outside /kaggle/working and hides the host', async () => {
    const { notebook } = await new NotebookExecutor(null).execute(
      notebookOf([
        [
          'refused = []',
          'for path in ["/etc/mle-test", "/usr/mle-test", "/kaggle/input/demo/x", "/kaggle/mle-test", "/mle-test", "' + TOOLS_ENV + '/mle-test"]:',
          '    try:',
          '        open(path, "w").write("x")',
          '    except OSError:',
          '        refused.append(path)',
          'print(len(refused))',
          'print(os.path.exists("/work/main/package.json"), os.path.exists("/root/.bashrc"))',
          'open("/tmp/private", "w").write("tmp is writable but private")',
        ].join('\n'),
      ]),
      { kernel: km },
    );
    expect(streamTextOf(notebook.cells[0])).toBe('6\nFalse False\n');
    expect(existsSync('/tmp/private')).toBe(false);
  });

  it('has no network: a loopback connection to a host server is refused', async () => {
    const { notebook } = await new NotebookExecutor(null).execute(
      notebookOf([`import socket\ntry:\n    socket.create_connection(("127.0.0.1", ${port}), timeout=3)\n    print("connected")\nexcept OSError as error:\n    print(type(error).__name__)`]),
      { kernel: km },
    );
    expect(streamTextOf(notebook.cells[0])).toBe('ConnectionRefusedError\n');
  });

  it('sees only the allow-listed environment: no secrets', async () => {
    const { notebook } = await new NotebookExecutor(null).execute(notebookOf(['import os\nprint(sorted(os.environ))\nprint(os.environ.get("' + SECRET + '"))']), { kernel: km });
    const [names, secret] = streamTextOf(notebook.cells[0]).trim().split('\n');
    expect(secret).toBe('None');
    const visible = JSON.parse((names as string).replaceAll("'", '"')) as string[];
    const allowed = new Set(['PATH', 'HOME', 'LANG', 'LC_ALL', 'PYTHONHASHSEED', 'MPLBACKEND', 'IPYTHONDIR', 'MLE_EXTRA']);
    // Variables the kernel process sets for itself are not inherited from the host.
    const selfSet = new Set(['PWD', 'JPY_PARENT_PID', 'CLICOLOR', 'CLICOLOR_FORCE', 'FORCE_COLOR', 'PAGER', 'GIT_PAGER', 'TERM', 'PYDEVD_USE_FRAME_EVAL', 'LC_CTYPE', 'PYDEVD_IPYTHON_COMPATIBLE_DEBUGGING']);
    expect(visible.filter((name) => !allowed.has(name) && !selfSet.has(name))).toEqual([]);
    expect(visible).toContain('MLE_EXTRA');
  });

  it('puts the memory limit on a memory cgroup (what it does to a memory bomb: memory-limit.integration.test.ts)', () => {
    expect(km.memoryLimit).toBe('cgroup');
    expect(km.cgroup?.memoryLimitBytes).toBe(2 * 1024 ** 3);
    expect(km.cgroup?.members()).toContain(km.process.pid);
  });

  it('interrupts by message (SIGINT would kill bwrap) and the kernel survives', async () => {
    const { result } = await new NotebookExecutor(null, { timeoutMs: 2000, interruptOnTimeout: true }).execute(notebookOf(['while True:\n    pass']), { kernel: km });
    expect(result.status).toBe('timeout');
    expect(result.error).toBeInstanceOf(CellTimeoutError);
    expect(result.cells[0]?.ename).toBe('KeyboardInterrupt');
    expect(km.isAlive()).toBe(true);
  });
});

describe('sandbox failures', () => {
  it('reports the signal of a kernel that segfaults inside the sandbox', async () => {
    mkdirSync(workDir, { recursive: true });
    mkdirSync(dataDir, { recursive: true });
    const { result } = await new NotebookExecutor(startOptions()).execute(notebookOf(['import ctypes\nctypes.string_at(0)']));
    expect(result.status).toBe('kernel-died');
    expect(result.error).toBeInstanceOf(DeadKernelError);
    expect(result.kernelExitSignal).toBe('SIGSEGV');
    expect(result.kernelExitCode).toBeNull();
    expect((result.error as DeadKernelError).message).toContain('killed by SIGSEGV');
    await expectGroupGone(result.kernelPid);
  });

  it('runs unsandboxed with a loud warning when bwrap is missing', async () => {
    const warnings: string[] = [];
    const options = startOptions();
    const { result, notebook } = await new NotebookExecutor({
      ...options,
      sandbox: { ...(options.sandbox as NonNullable<KernelStartOptions['sandbox']>), bwrapPath: '/nonexistent/bwrap' },
      onWarning: (message) => warnings.push(message),
    }).execute(notebookOf(['import os\nprint(os.getcwd())']));
    expect(result.status).toBe('ok');
    expect(result.sandbox).toBe('none');
    expect(warnings.join('\n')).toMatch(/UNSANDBOXED/);
    expect(streamTextOf(notebook.cells[0])).toBe(`${workDir}\n`);
    await expectGroupGone(result.kernelPid);
  });
});
