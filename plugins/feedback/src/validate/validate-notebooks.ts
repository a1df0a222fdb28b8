import type { WritableStore } from '@mle/core';
import { EnvironmentBuilder } from '@mle/plugin-backport';
import { resolveKernel, type ResolvedKernel } from '@mle/runner';
import { assertionsOf } from '../synthesize/assertion-store.js';
import { datedKernelFor } from './dated-kernel.js';
import { validateNotebookAssertions, type NotebookValidation, type ValidateOptions } from './validate-assertions.js';

export interface ValidateNotebooksOptions extends Omit<ValidateOptions, 'kernel'> {
  /** `--env`: one kernel for all; default: each notebook's dated environment. */
  env?: string;
  signal?: AbortSignal;
  /** Leave out notebooks whose every assertion was validated before (resuming an interrupted pass). */
  skipValidated?: boolean;
  /** Notebooks validated at the same time, each on its own kernel (default 1). */
  jobs?: number;
  onNotebook?: (result: NotebookValidation | { notebookId: number; error: string }) => void;
}

/** Validate the proposals of each notebook, in its dated environment unless `env` names one kernel. */
export async function validateNotebooks(store: WritableStore, notebookIds: readonly number[], options: ValidateNotebooksOptions): Promise<(NotebookValidation | { notebookId: number; error: string })[]> {
  const shared: ResolvedKernel | null = options.env ? resolveKernel(store, options.env) : null;
  const builder = shared ? null : new EnvironmentBuilder(store, options.signal ? { signal: options.signal } : {});
  const results: (NotebookValidation | { notebookId: number; error: string })[] = [];
  const queue = notebookIds.filter((id) => {
    if (!options.skipValidated) return true;
    const assertions = assertionsOf(store, id);
    return assertions.length > 0 && assertions.some((a) => a.validation === null);
  });
  const worker = async () => {
    for (let notebookId = queue.shift(); notebookId !== undefined; notebookId = queue.shift()) {
      if (options.signal?.aborted) break;
      let result: NotebookValidation | { notebookId: number; error: string };
      try {
        const kernel = shared ?? (await datedKernelFor(store, notebookId, builder!));
        result = await validateNotebookAssertions(store, notebookId, { ...options, kernel });
      } catch (error) {
        result = { notebookId, error: (error as Error).message };
      }
      results.push(result);
      options.onNotebook?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs ?? 1) }, worker));
  return results.sort((a, b) => a.notebookId - b.notebookId);
}
