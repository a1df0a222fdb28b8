import { afterAll, describe, expect, it } from 'vitest';
import { DeadKernelError } from './errors.js';
import { KernelPool, type PoolJob } from './kernel-pool.js';
import { liveKernelGroups } from './kernel-registry.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON, streamTextOf } from './test-support/kernels.js';


// Whatever happened in the tests, nothing of a kernel may survive them.
afterAll(() => expectNothingLeft());

describe('KernelPool', () => {
  it('runs notebooks concurrently on fresh kernels; a crash in one leaves the others intact', async () => {
    let running = 0;
    let peak = 0;
    const job = (cells: string[]): PoolJob => ({
      notebook: notebookOf(cells),
      kernel: { kernel: { pythonPath: PYTHON } },
      // Counts jobs in flight, from handing the job to an executor to its completion.
      setup: (executor) => {
        peak = Math.max(peak, ++running);
        executor.on('notebookComplete', () => running--);
      },
    });
    const finished: number[] = [];
    const pool = new KernelPool({ concurrency: 2, onResult: (index) => finished.push(index) });
    const results = await pool.run([
      job(['import os\nprint(os.getpid())']),
      job(['import os\nos._exit(7)']),
      job(['import os\nprint(os.getpid())']),
    ]);

    expect(results).toHaveLength(3);
    expect(finished.sort()).toEqual([0, 1, 2]);
    expect(peak).toBe(2);
    const executions = results.map((result) => {
      if (!result.ok) throw result.error;
      return result.execution;
    });
    expect(executions.map((execution) => execution.result.status)).toEqual(['ok', 'kernel-died', 'ok']);
    expect(executions[1]?.result.error).toBeInstanceOf(DeadKernelError);
    expect(executions[1]?.result.kernelExitCode).toBe(7);
    // Each notebook had its own kernel process.
    const pids = [streamTextOf(executions[0]?.notebook.cells[0]), streamTextOf(executions[2]?.notebook.cells[0])];
    expect(pids[0]).not.toBe(pids[1]);
    for (const execution of executions) await expectGroupGone(execution.result.kernelPid);
    expect(liveKernelGroups()).toEqual([]);
  });

  it('with reuseKernels, restarts one kernel per worker between notebooks on the same connection, state cleared', async () => {
    const kernel = { kernel: { pythonPath: PYTHON } };
    const probe = 'import os\nprint(os.getpid(), os.environ["IPYTHONDIR"], "leftover" in globals())\nleftover = 1';
    const pool = new KernelPool({ concurrency: 1, reuseKernels: true });
    const results = await pool.run([
      { notebook: notebookOf([probe]), kernel },
      { notebook: notebookOf([probe]), kernel },
      // A kernel lost mid-notebook is started again for the next one.
      { notebook: notebookOf(['import os\nos._exit(3)']), kernel },
      { notebook: notebookOf([probe]), kernel },
      // Other options: a kernel of its own.
      { notebook: notebookOf([probe]), kernel: { kernel: { pythonPath: PYTHON } } },
    ]);
    const executions = results.map((result) => {
      if (!result.ok) throw result.error;
      return result.execution;
    });
    expect(executions.map((execution) => execution.result.status)).toEqual(['ok', 'ok', 'kernel-died', 'ok', 'ok']);
    expect(executions[2]?.result.kernelExitCode).toBe(3);
    const seen = [0, 1, 3, 4].map((index) => (streamTextOf(executions[index]?.notebook.cells[0]).trim().split(' ') as [string, string, string]));
    // A new process each time, nothing of the previous notebook in it.
    expect(new Set(seen.map(([pid]) => pid)).size).toBe(4);
    expect(seen.map(([, , leftover]) => leftover)).toEqual(['False', 'False', 'False', 'False']);
    // The same connection (socket directory) for the restarted kernels, a new one for other options.
    expect(seen[1]?.[1]).toBe(seen[0]?.[1]);
    expect(seen[2]?.[1]).toBe(seen[0]?.[1]);
    expect(seen[3]?.[1]).not.toBe(seen[0]?.[1]);
    for (const execution of executions) await expectGroupGone(execution.result.kernelPid);
    expect(liveKernelGroups()).toEqual([]);
  });

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new KernelPool({ concurrency: 0 })).toThrow(RangeError);
  });
});
