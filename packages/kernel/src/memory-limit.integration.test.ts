import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadKernelError } from './errors.js';
import { KernelManager, type KernelStartOptions } from './kernel-manager.js';
import { NotebookExecutor } from './notebook-executor.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON, streamTextOf, TOOLS_ENV } from './test-support/kernels.js';

const GiB = 1024 ** 3;
// A bounded bomb: 4 GiB at most, touched page by page (bytes * n writes every byte), against a
// 1 GiB limit. If the limit failed, the machine would lose 4 GiB for a moment, not everything.
const MEMORY_BOMB = 'blocks = []\nfor i in range(40):\n    blocks.append(b"\\x01" * (100 * 1024 ** 2))\n    print(i, flush=True)\nprint("survived")';

const root = mkdtempSync(join(tmpdir(), 'mle-memory-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  expectNothingLeft();
});

describe('memory limit through a memory cgroup (this machine has one: its absence is a failure here)', () => {
  it('ends a memory bomb with kernel-died, cause oom, and leaves nothing behind', async () => {
    const { result, notebook } = await new NotebookExecutor({ kernel: { pythonPath: PYTHON }, limits: { memoryBytes: GiB } }).execute(notebookOf(['print("before")', MEMORY_BOMB, 'print("never")']));
    expect(result.status).toBe('kernel-died');
    expect(result.error).toBeInstanceOf(DeadKernelError);
    const error = result.error as DeadKernelError;
    expect(error.deathCause).toBe('oom');
    expect(result.kernelDeathCause).toBe('oom');
    expect(result.memoryLimit).toBe('cgroup');
    expect(error.message).toMatch(/out of memory: the OOM killer ended it at its 1024 MiB memory limit/);
    expect(result.kernelExitSignal).toBe('SIGKILL');
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'kernel-died', 'not-run']);
    expect(result.firstFailingCellIndex).toBe(1);
    // It got going before the limit stopped it, and never got near the end.
    const printed = streamTextOf(notebook.cells[1]);
    expect(printed).toMatch(/^0\n/);
    expect(printed).not.toContain('survived');
    await expectGroupGone(result.kernelPid);
  });

  it('does the same inside the bubblewrap sandbox', async () => {
    const workDir = join(root, 'sandboxed');
    mkdirSync(workDir);
    const { result } = await new NotebookExecutor({
      kernel: { pythonPath: PYTHON },
      sandbox: { environmentDir: TOOLS_ENV, workDir },
      limits: { memoryBytes: GiB, maxProcesses: 512 },
    }).execute(notebookOf([MEMORY_BOMB]));
    expect(result.sandbox).toBe('bwrap');
    expect(result.status).toBe('kernel-died');
    expect(result.kernelDeathCause).toBe('oom');
    expect(result.kernelExitSignal).toBe('SIGKILL');
    await expectGroupGone(result.kernelPid);
  });

  it('applies the limit to the kernel and its children together, and a kernel under it works normally', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON }, limits: { memoryBytes: GiB } });
    try {
      expect(km.memoryLimit).toBe('cgroup');
      expect(km.cgroup?.memoryLimitBytes).toBe(GiB);
      expect(km.oomKills()).toBe(0);
      const { result, notebook } = await new NotebookExecutor(null).execute(
        notebookOf([
          // RLIMIT_AS is not set any more: reserving (not touching) 8 GiB of address space works.
          'import mmap, resource\nprint(resource.getrlimit(resource.RLIMIT_AS)[0] == resource.RLIM_INFINITY)\nm = mmap.mmap(-1, 8 * 1024 ** 3)\nprint("reserved")\nm.close()',
          // A child over the limit is killed, the kernel (small) is not.
          'import subprocess, sys\nchild = subprocess.run([sys.executable, "-c", "b = b\\"x\\" * (3 * 1024 ** 3)"])\nprint(child.returncode)',
        ]),
        { kernel: km },
      );
      expect(result.status).toBe('ok');
      expect(streamTextOf(notebook.cells[0])).toBe('True\nreserved\n');
      expect(streamTextOf(notebook.cells[1])).toBe('-9\n');
      expect(km.oomKills()).toBe(1);
      expect(km.isAlive()).toBe(true);
      expect(km.deathCause()).toBeNull();
    } finally {
      await km.shutdown();
      await expectGroupGone(km.process.pid);
    }
  });
});

describe('memory limit through RLIMIT_AS (the fallback where no memory cgroup can be made)', () => {
  it('makes the allocation raise MemoryError and the kernel survives', async () => {
    const options: KernelStartOptions = { kernel: { pythonPath: PYTHON }, limits: { memoryBytes: 2 * GiB, memoryMechanism: 'rlimit' } };
    const km = await KernelManager.start(options);
    try {
      expect(km.memoryLimit).toBe('rlimit');
      expect(km.oomKills()).toBeNull();
      const { result, notebook } = await new NotebookExecutor(null).execute(notebookOf(['try:\n    block = bytearray(3 * 1024 ** 3)\n    print("allocated")\nexcept MemoryError:\n    print("MemoryError")']), { kernel: km });
      expect(result.status).toBe('ok');
      expect(result.memoryLimit).toBe('rlimit');
      expect(streamTextOf(notebook.cells[0])).toBe('MemoryError\n');
      expect(km.isAlive()).toBe(true);
    } finally {
      await km.shutdown();
    }
  });

  it('records no memory limit when none is asked for', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON } });
    try {
      expect(km.memoryLimit).toBe('none');
      expect(km.cgroup?.memoryDir ?? null).toBeNull();
    } finally {
      await km.shutdown();
    }
  });
});
