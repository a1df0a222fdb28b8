import type { WritableStore } from '@mle/core';
import { EnvironmentBuilder } from '@mle/plugin-backport';
import { resolveKernel, type ResolvedKernel } from '@mle/runner';
import { datedKernelFor } from './dated-kernel.js';
import { validateNotebookAssertions, type NotebookValidation, type ValidateOptions } from './validate-assertions.js';

export interface ValidateNotebooksOptions extends Omit<ValidateOptions, 'kernel'> {
  /** `--env`: one kernel for all; default: each notebook's dated environment. */
  env?: string;
  signal?: AbortSignal;
  onNotebook?: (result: NotebookValidation | { notebookId: number; error: string }) => void;
}

/** Validate the proposals of each notebook, in its dated environment unless `env` names one kernel. */
export async function validateNotebooks(store: WritableStore, notebookIds: readonly number[], options: ValidateNotebooksOptions): Promise<(NotebookValidation | { notebookId: number; error: string })[]> {
  const shared: ResolvedKernel | null = options.env ? resolveKernel(store, options.env) : null;
  const builder = shared ? null : new EnvironmentBuilder(store, options.signal ? { signal: options.signal } : {});
  const results: (NotebookValidation | { notebookId: number; error: string })[] = [];
  for (const notebookId of notebookIds) {
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
  return results;
}
