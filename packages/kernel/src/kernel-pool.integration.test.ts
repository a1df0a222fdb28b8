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

  it('rejects a concurrency that is not a positive integer', () => {
    expect(() => new KernelPool({ concurrency: 0 })).toThrow(RangeError);
  });
});
