import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getNotebook, loadNotebook, prepare, type NormalizedNotebook, type WritableStore } from '@mle/core';
import { redactedUrl } from '@mle/kernel';
import { loadCompetition, type Competition } from './competition.js';
import { loadAnswers, type AnswersTable } from './grade-submission.js';
import { DEFAULT_TOLERANCE } from './reproducibility.js';
import { runAttempt, type AttemptLimits } from './run-attempt.js';
import { ensureExperiment, finishExperiment, judgeNotebook, recordCompetition, recordedAttempts, recordRun, type ExperimentKind } from './run-store.js';
import type { RunStatus } from './run-status.js';
import { onGateway, type GatewayTarget, type ResolvedKernel } from './resolve-kernel.js';

/** A notebook's own kernel (backporting), or why it has none. */
export type KernelChoice =
  | { ok: true; kernel: ResolvedKernel }
  | { ok: false; environmentId: number | null; failureMode: string; message: string };

/** Chooses a kernel per notebook; `label` stands for all of them in the experiment's configuration. */
export interface KernelPerNotebook {
  label: string;
  forNotebook(notebookId: number): Promise<KernelChoice>;
}

export interface RunExperimentOptions {
  experiment: string;
  kind: ExperimentKind;
  /** One kernel for every notebook, or one chosen per notebook (env-failed when there is none). */
  kernel: ResolvedKernel | KernelPerNotebook;
  /** Notebooks to run (ids in the database). */
  notebookIds: number[];
  /** Where competition directories live (`<dir>/<slug>/competition.json`). */
  competitionsDir: string;
  /** Executed notebooks go to `<outputDir>/<experiment>/<notebook id>/`. */
  outputDir: string;
  repeats?: number;
  jobs?: number;
  sandbox?: boolean;
  /** Run every kernel on this Jupyter gateway (the database stays here). */
  gateway?: GatewayTarget | null;
  allowErrors?: boolean;
  tolerance?: number;
  /** Per-cell limit in ms (default none). */
  cellTimeoutMs?: number | null;
  /** Whole-notebook budget in ms; default: the competition's runtime budget, else 600 s. */
  notebookTimeoutMs?: number | null;
  memoryBytes?: number;
  maxProcesses?: number;
  /** Always add a new attempt instead of skipping notebooks already run (ad-hoc runs). */
  rerun?: boolean;
  signal?: AbortSignal;
  /** Compares each newly recorded attempt with the notebook's stored outputs (`mle run --oracle outputs`). */
  oracle?: RunOracle;
  onProgress?: (progress: RunProgress) => void;
  onWarning?: (message: string) => void;
}

/** Checks a recorded attempt (stores what it finds itself); returns a one-line finding shown with the run, or null. */
export interface RunOracle {
  name: string;
  check(input: { store: WritableStore; runId: number; notebookId: number; notebook: NormalizedNotebook; outputPath: string | null }): Promise<string | null>;
}

export interface RunProgress {
  done: number;
  total: number;
  notebookId: number;
  status: RunStatus;
}

export interface RunSummaryRow {
  notebookId: number;
  attempt: number;
  status: RunStatus;
  score: number | null;
  reportedScore: number | null;
  relativeError: number | null;
  errorName: string | null;
  failingCell: number | null;
  wallMs: number | null;
  outputPath: string | null;
  /** The oracle's finding (with `oracle`): where the outputs first diverge, null when they do not. */
  divergence?: string | null;
}

export interface RunExperimentSummary {
  experiment: string;
  experimentId: number;
  kernel: string;
  /** Attempts run now. */
  ran: number;
  /** Attempts recorded by an earlier run and skipped. */
  alreadyRun: number;
  statuses: Partial<Record<RunStatus, number>>;
  /** Notebooks judged reproducible over their attempts (relative error, or t-test with repeats). */
  reproducible: number;
  judged: number;
  runs: RunSummaryRow[];
  interrupted: boolean;
}

/** A small promise pool: at most `jobs` tasks in flight; stops taking new work once aborted. */
async function pool<T>(items: T[], jobs: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++]!;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

/**
 * Run notebooks of the database as one experiment: each attempt on a fresh kernel, graded
 * against its competition, recorded with its cells in one transaction. Attempts recorded by an
 * earlier (interrupted) run are skipped, so re-running the same command resumes it.
 */
export async function runExperiment(store: WritableStore, options: RunExperimentOptions): Promise<RunExperimentSummary> {
  const repeats = Math.max(1, options.repeats ?? 1);
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const experiment = ensureExperiment(store, {
    name: options.experiment,
    kind: options.kind,
    config: {
      kernel: options.kernel.label,
      // Only when used, so the configuration of experiments run locally is unchanged.
      ...(options.gateway ? { gateway: redactedUrl(options.gateway.connection) } : {}),
      repeats,
      tolerance,
      sandbox: options.sandbox ?? true,
      allowErrors: options.allowErrors ?? false,
      cellTimeoutMs: options.cellTimeoutMs ?? null,
      notebookTimeoutMs: options.notebookTimeoutMs ?? null,
      memoryBytes: options.memoryBytes ?? null,
      maxProcesses: options.maxProcesses ?? null,
    },
  });
  const done = recordedAttempts(store, experiment.id);
  const competitions = new Map<string, { competition: Competition; answers: AnswersTable } | null>();
  const competitionFor = async (slug: string | null) => {
    if (!slug) return null;
    if (!competitions.has(slug)) {
      const competition = await loadCompetition(join(options.competitionsDir, slug)).catch((error: Error) => {
        options.onWarning?.(`competition ${slug}: ${error.message}; its notebooks run ungraded`);
        return null;
      });
      if (competition) recordCompetition(store, competition);
      competitions.set(slug, competition ? { competition, answers: await loadAnswers(competition) } : null);
    }
    return competitions.get(slug) ?? null;
  };

  const tasks: { notebookId: number; attempt: number }[] = [];
  let alreadyRun = 0;
  for (const notebookId of options.notebookIds) {
    const attempts = done.get(notebookId) ?? new Set<number>();
    if (options.rerun) {
      tasks.push({ notebookId, attempt: Math.max(0, ...attempts) + 1 });
      continue;
    }
    for (let attempt = 1; attempt <= repeats; attempt++) {
      if (attempts.has(attempt)) alreadyRun++;
      else tasks.push({ notebookId, attempt });
    }
  }

  const runs: RunSummaryRow[] = [];
  const statuses: Partial<Record<RunStatus, number>> = {};
  let finished = 0;
  await pool(tasks, options.jobs ?? 1, options.signal, async ({ notebookId, attempt }) => {
    const row = getNotebook(store, notebookId);
    const notebook = loadNotebook(store, notebookId);
    if (!row || !notebook) throw new Error(`notebook ${notebookId} is not in ${store.path}`);
    const graded = await competitionFor(row.competition);
    const budgetMs = options.notebookTimeoutMs ?? (graded ? graded.competition.runtimeBudgetSeconds * 1000 : 600_000);
    const limits: AttemptLimits = {
      cellTimeoutMs: options.cellTimeoutMs ?? null,
      notebookTimeoutMs: budgetMs,
      ...(options.memoryBytes ? { memoryBytes: options.memoryBytes } : {}),
      ...(options.maxProcesses ? { maxProcesses: options.maxProcesses } : {}),
    };
    const outputDir = join(resolve(options.outputDir), options.experiment, String(notebookId));
    await mkdir(outputDir, { recursive: true });
    const chosen: KernelChoice = 'forNotebook' in options.kernel ? await options.kernel.forNotebook(notebookId) : { ok: true, kernel: options.kernel };
    const choice: KernelChoice = chosen.ok && options.gateway && !chosen.kernel.gateway ? { ok: true, kernel: onGateway(chosen.kernel, options.gateway) } : chosen;
    const { run, cells } = !choice.ok
      ? {
          run: {
            experimentId: experiment.id,
            notebookId,
            environmentId: choice.environmentId,
            competition: graded?.competition.slug ?? null,
            attempt,
            status: 'env-failed' as const,
            errorName: choice.failureMode,
            errorValue: choice.message,
            reportedScore: row.reported_score,
            startedAt: new Date().toISOString(),
            finishedAt: new Date().toISOString(),
          },
          cells: [],
        }
      : await runAttempt({
          notebookId,
          notebook,
          reportedScore: row.reported_score,
          competition: graded?.competition ?? null,
          ...(graded ? { answers: graded.answers } : {}),
          kernel: choice.kernel,
          experimentId: experiment.id,
          attempt,
          outputDir,
          sandbox: options.sandbox ?? true,
          allowErrors: options.allowErrors ?? false,
          tolerance,
          limits,
          ...(options.onWarning ? { onWarning: options.onWarning } : {}),
        });
    const recorded = recordRun(store, run, cells);
    const divergence = options.oracle && recorded.inserted
      ? await options.oracle.check({ store, runId: recorded.runId, notebookId, notebook, outputPath: run.outputPath ?? null }).catch((error: Error) => {
          options.onWarning?.(`oracle ${options.oracle!.name} on notebook ${notebookId}: ${error.message}`);
          return null;
        })
      : undefined;
    statuses[run.status] = (statuses[run.status] ?? 0) + 1;
    runs.push({
      notebookId,
      attempt,
      status: run.status,
      score: run.score ?? null,
      reportedScore: run.reportedScore ?? null,
      relativeError: run.relativeError ?? null,
      errorName: run.errorName ?? null,
      failingCell: run.failingCell ?? null,
      wallMs: run.wallMs ?? null,
      outputPath: run.outputPath ?? null,
      ...(divergence !== undefined ? { divergence } : {}),
    });
    finished++;
    options.onProgress?.({ done: finished, total: tasks.length, notebookId, status: run.status });
  });

  let reproducible = 0;
  let judged = 0;
  for (const notebookId of new Set(options.notebookIds)) {
    const verdict = judgeNotebook(store, experiment.id, notebookId, { tolerance });
    if (!verdict) continue;
    judged++;
    if (verdict.reproducible) reproducible++;
  }
  const interrupted = Boolean(options.signal?.aborted) && finished < tasks.length;
  if (!interrupted) finishExperiment(store, experiment.id);
  runs.sort((a, b) => a.notebookId - b.notebookId || a.attempt - b.attempt);
  return { experiment: options.experiment, experimentId: experiment.id, kernel: options.kernel.label, ran: finished, alreadyRun, statuses, reproducible, judged, runs, interrupted };
}

/** Ids of the notebooks `--all` means: every stored notebook, optionally of some competitions. */
export function allNotebookIds(store: WritableStore, competitions?: string[]): number[] {
  const rows = prepare<[], { id: number; competition: string | null }>(store.db, 'SELECT id, competition FROM notebooks ORDER BY id').all();
  return rows.filter((row) => !competitions || competitions.length === 0 || (row.competition !== null && competitions.includes(row.competition))).map((row) => row.id);
}
