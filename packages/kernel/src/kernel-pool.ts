import type { NormalizedNotebook } from '@mle/core';
import type { NotebookExecution } from './execution-result.js';
import type { NotebookExecutorOptions } from './executor-options.js';
import type { KernelStartOptions } from './kernel-manager.js';
import { NotebookExecutor } from './notebook-executor.js';

/** One notebook to run, on its own fresh kernel. */
export interface PoolJob {
  notebook: NormalizedNotebook;
  kernel: KernelStartOptions;
  options?: Partial<NotebookExecutorOptions>;
  /** Lets the caller attach listeners (progress, logging) to this job's executor. */
  setup?: (executor: NotebookExecutor) => void;
}

/** A job's outcome: its execution, or the exception that escaped the executor (a bug or a throwing listener). */
export type PoolResult = { ok: true; execution: NotebookExecution } | { ok: false; error: Error };

export interface KernelPoolOptions {
  /** Notebooks running at once. */
  concurrency: number;
  /** Called as each job finishes, in completion order. */
  onResult?: (jobIndex: number, result: PoolResult) => void;
}

/**
 * Runs many notebooks with bounded concurrency, each on a fresh kernel, and returns one result per
 * job in job order. Jobs are isolated: a kernel that crashes, hangs or floods output affects only
 * its own notebook's result.
 */
export class KernelPool {
  readonly concurrency: number;
  readonly #onResult: KernelPoolOptions['onResult'];

  constructor(options: KernelPoolOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    this.concurrency = options.concurrency;
    this.#onResult = options.onResult;
  }

  async run(jobs: readonly PoolJob[]): Promise<PoolResult[]> {
    const results: PoolResult[] = new Array<PoolResult>(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index] as PoolJob;
        let result: PoolResult;
        try {
          const executor = new NotebookExecutor(job.kernel, job.options);
          job.setup?.(executor);
          result = { ok: true, execution: await executor.execute(job.notebook) };
        } catch (error) {
          result = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        }
        results[index] = result;
        this.#onResult?.(index, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, () => worker()));
    return results;
  }
}
