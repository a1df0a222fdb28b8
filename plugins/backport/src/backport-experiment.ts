import { prepare, type WritableStore } from '@mle/core';
import { environmentKernel, runExperiment, type KernelChoice, type RunExperimentOptions, type RunExperimentSummary } from '@mle/runner';
import type { EnvironmentBuilder } from './create-environment.js';
import { createNotebookEnvironment } from './notebook-environment.js';

export interface BackportOptions extends Omit<RunExperimentOptions, 'kind' | 'kernel'> {
  builder: EnvironmentBuilder;
  /** The experiment whose statuses the transitions start from (default `baseline`). */
  baseline?: string;
}

export interface BackportSummary extends RunExperimentSummary {
  baseline: string;
  /** `baseline status → backport status` counts over notebooks both experiments ran. */
  transitions: Record<string, number>;
  environments: { built: number; reused: number; failed: number; skipped: number };
}

/**
 * The backporting experiment: for each notebook, build (or reuse) the environment of its date —
 * Python by the date rule, packages as uploaded before it — and run the notebook there with the
 * same grading as `mle run`. A notebook whose environment cannot be made gets an `env-failed`
 * run that names the failure mode; nothing stops the batch.
 */
export async function backportExperiment(store: WritableStore, options: BackportOptions): Promise<BackportSummary> {
  const environments = { built: 0, reused: 0, failed: 0, skipped: 0 };
  // Environments are built one at a time (uv parallelizes downloads itself) while kernels run in parallel.
  let building: Promise<unknown> = Promise.resolve();
  const forNotebook = (notebookId: number): Promise<KernelChoice> => {
    const next = building.then(async (): Promise<KernelChoice> => {
      const result = await createNotebookEnvironment(options.builder, store, String(notebookId));
      if ('skipped' in result) {
        environments.skipped++;
        return { ok: false, environmentId: null, failureMode: 'not-attempted', message: result.skipped };
      }
      const { outcome } = result;
      if (outcome.status === 'failed') {
        environments.failed++;
        const env = outcome.environment;
        return { ok: false, environmentId: env.id, failureMode: env.failureMode ?? 'install-failed', message: env.failureMessage ?? 'the environment could not be built' };
      }
      environments[outcome.action]++;
      const env = outcome.environment;
      return {
        ok: true,
        kernel: environmentKernel(env.id, env.path!),
      };
    });
    building = next.catch(() => undefined);
    return next;
  };
  const { builder: _builder, baseline: _baseline, ...runOptions } = options;
  const summary = await runExperiment(store, { ...runOptions, kind: 'backport', kernel: { label: 'backport: each notebook in the environment of its date', forNotebook } });
  const baseline = options.baseline ?? 'baseline';
  return { ...summary, baseline, transitions: transitions(store, baseline, options.experiment), environments };
}

/** Status transitions between two experiments, over the notebooks both ran (first attempt each). */
export function transitions(store: WritableStore, from: string, to: string): Record<string, number> {
  const rows = prepare<[string, string], { before: string; after: string; n: number }>(
    store.db,
    `SELECT a.status AS before, b.status AS after, COUNT(*) AS n
       FROM runs a JOIN experiments ea ON ea.id = a.experiment_id AND ea.name = ?
       JOIN runs b ON b.notebook_id = a.notebook_id AND b.attempt = 1
       JOIN experiments eb ON eb.id = b.experiment_id AND eb.name = ?
      WHERE a.attempt = 1
      GROUP BY a.status, b.status ORDER BY a.status, b.status`,
  ).all(from, to);
  return Object.fromEntries(rows.map((row) => [`${row.before} → ${row.after}`, row.n]));
}
