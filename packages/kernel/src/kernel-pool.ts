import type { NormalizedNotebook } from '@mle/core';
import type { NotebookExecution } from './execution-result.js';
import { DEFAULT_EXECUTOR_OPTIONS, type NotebookExecutorOptions } from './executor-options.js';
import { KernelManager, type KernelStartOptions } from './kernel-manager.js';
import { NotebookExecutor } from './notebook-executor.js';

/** One notebook to run, on its own fresh kernel (or a restarted one: `reuseKernels`). */
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
  /**
   * Keep each worker's kernel between notebooks and restart it in between (shutdown_request with
   * restart=true, then a new process on the same connection), as Jupyter's restart does, instead
   * of starting a fresh kernel with a new connection for every notebook. Only jobs that pass the
   * same `kernel` options object share a kernel; the state of one notebook never reaches the next.
   */
  reuseKernels?: boolean;
}

/** A worker's kernel kept for the next job, with the options it was started with. */
interface HeldKernel {
  km: KernelManager;
  options: KernelStartOptions;
}

/**
 * Runs many notebooks with bounded concurrency, each on a fresh kernel, and returns one result per
 * job in job order. Jobs are isolated: a kernel that crashes, hangs or floods output affects only
 * its own notebook's result.
 */
export class KernelPool {
  readonly concurrency: number;
  readonly reuseKernels: boolean;
  readonly #onResult: KernelPoolOptions['onResult'];

  constructor(options: KernelPoolOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    this.concurrency = options.concurrency;
    this.reuseKernels = options.reuseKernels ?? false;
    this.#onResult = options.onResult;
  }

  async run(jobs: readonly PoolJob[]): Promise<PoolResult[]> {
    const results: PoolResult[] = new Array<PoolResult>(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      let held: HeldKernel | null = null;
      try {
        while (next < jobs.length) {
          const index = next++;
          const job = jobs[index] as PoolJob;
          let result: PoolResult;
          try {
            const executor = new NotebookExecutor(job.kernel, job.options);
            job.setup?.(executor);
            if (this.reuseKernels) {
              held = await this.#kernelFor(job, held);
              // A kernel that could not be (re)started: the executor starts one itself and
              // reports the failure as the notebook's start-failed status.
              result = { ok: true, execution: held ? await executor.execute(job.notebook, { kernel: held.km }) : await executor.execute(job.notebook) };
            } else {
              result = { ok: true, execution: await executor.execute(job.notebook) };
            }
          } catch (error) {
            result = { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
          }
          results[index] = result;
          this.#onResult?.(index, result);
        }
      } finally {
        await held?.km.shutdown();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, () => worker()));
    return results;
  }

  /** The kernel for a job: the held one restarted when the job uses the same options, else a new one (the held one shut down). */
  async #kernelFor(job: PoolJob, held: HeldKernel | null): Promise<HeldKernel | null> {
    try {
      if (held && held.options === job.kernel) return { km: await held.km.restart(), options: job.kernel };
      await held?.km.shutdown();
      const startupTimeoutMs = job.options?.startupTimeoutMs ?? DEFAULT_EXECUTOR_OPTIONS.startupTimeoutMs;
      return { km: await KernelManager.start({ startupTimeoutMs, ...job.kernel }), options: job.kernel };
    } catch {
      return null;
    }
  }
}
