import type { WritableStore } from '@mle/core';
import { createNotebookEnvironment, EnvironmentBuilder } from '@mle/plugin-backport';
import { environmentKernel, type ResolvedKernel } from '@mle/runner';

/**
 * The kernel of the notebook's own dated environment (built or reused by the backport plugin), so
 * that assertions are validated against what its author's libraries produced. Throws with the
 * environment's failure when there is none.
 */
export async function datedKernelFor(store: WritableStore, notebookId: number, builder: EnvironmentBuilder = new EnvironmentBuilder(store)): Promise<ResolvedKernel> {
  const result = await createNotebookEnvironment(builder, store, String(notebookId));
  if ('skipped' in result) throw new Error(`notebook ${notebookId}: no dated environment (${result.skipped})`);
  const env = result.outcome.environment;
  if (result.outcome.status !== 'ready' || !env.path) throw new Error(`notebook ${notebookId}: its dated environment failed (${env.failureMode ?? 'failed'}): ${env.failureMessage ?? ''}`.trim());
  return environmentKernel(env.id, env.path);
}
