import { createHash } from 'node:crypto';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeNotebook, type NormalizedNotebook } from '@mle/core';
import { NotebookExecutor, type CellRunResult, type NotebookExecutorOptions, type NotebookRunResult } from '@mle/kernel';
import type { Competition } from './competition.js';
import { gradeWorkingDirectory, type AnswersTable } from './grade-submission.js';
import type { NewRun, NewRunCell, RunCellStatus } from './run-store.js';
import { runOutcome, type RunStatusFacts } from './run-status.js';
import { gatewayLauncher, type ResolvedKernel } from './resolve-kernel.js';

export interface AttemptLimits {
  /** Per-cell limit; null = none. */
  cellTimeoutMs: number | null;
  /** Whole-notebook budget. */
  notebookTimeoutMs: number;
  memoryBytes?: number;
  maxProcesses?: number;
}

export interface AttemptInput {
  notebookId: number;
  notebook: NormalizedNotebook;
  reportedScore: number | null;
  competition: Competition | null;
  answers?: AnswersTable;
  kernel: ResolvedKernel;
  experimentId: number;
  attempt: number;
  /** Directory for this notebook's files in the experiment (`<out>/<notebook id>`). */
  outputDir: string;
  sandbox: boolean;
  allowErrors: boolean;
  tolerance: number;
  limits: AttemptLimits;
  executorOptions?: Partial<NotebookExecutorOptions>;
  onWarning?: (message: string) => void;
}

export interface AttemptResult {
  run: NewRun;
  cells: NewRunCell[];
}

const CELL_STATUS: Record<CellRunResult['status'], RunCellStatus> = {
  ok: 'ok',
  error: 'error',
  timeout: 'timeout',
  'kernel-died': 'kernel-died',
  aborted: 'not-run',
  skipped: 'skipped',
  'not-run': 'not-run',
};

function executionOutcome(result: NotebookRunResult): RunStatusFacts['execution'] {
  switch (result.status) {
    case 'timeout':
      return 'timeout';
    case 'kernel-died':
      return 'kernel-died';
    case 'start-failed':
      return 'env-failed';
    default:
      return 'completed';
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

/** What the run's first failure was, in the columns `runs` has for it. */
function firstFailure(result: NotebookRunResult): { name: string | null; value: string | null; traceback: string | null; cell: number | null } {
  const failing = result.cells.find((cell) => cell.index === result.firstFailingCellIndex);
  if (result.status === 'kernel-died') {
    const signal = result.kernelExitSignal;
    // The kernel's memory cgroup counts OOM kills, so an OOM death is named as such (the message
    // says at which limit); a SIGKILL without one came from outside.
    return {
      name: result.kernelDeathCause === 'oom' ? 'OOM' : signal ?? (result.kernelExitCode !== null ? `exit ${result.kernelExitCode}` : 'kernel-died'),
      value: result.error?.message ?? 'the kernel died',
      traceback: result.kernelStderr || null,
      cell: result.firstFailingCellIndex,
    };
  }
  if (failing?.ename) return { name: failing.ename, value: failing.evalue ?? null, traceback: failing.traceback?.join('\n') ?? null, cell: failing.index };
  if (result.error) return { name: result.error.name, value: result.error.message, traceback: result.status === 'start-failed' ? result.kernelStderr || null : null, cell: result.firstFailingCellIndex };
  return { name: null, value: null, traceback: null, cell: null };
}

/**
 * Execute one attempt of one notebook on a fresh kernel (sandboxed, with the competition's
 * data at /kaggle/input/<slug>), grade what it wrote, and return the rows to record. Files:
 * `<outputDir>/attempt-<n>.ipynb` (the executed notebook) and, when one was written,
 * `<outputDir>/attempt-<n>.submission.csv`; the working directory itself is removed.
 */
export async function runAttempt(input: AttemptInput): Promise<AttemptResult> {
  const startedAt = new Date().toISOString();
  const workDir = join(input.outputDir, `attempt-${input.attempt}.working`);
  await rm(workDir, { recursive: true, force: true });
  await mkdir(workDir, { recursive: true });
  const { gateway } = input.kernel;
  const executor = new NotebookExecutor(
    gateway ? gatewayLauncher({ ...input.kernel, gateway }, { competition: input.competition, workDir }) : {
      kernel: input.kernel.kernel,
      cwd: workDir,
      sandbox: input.sandbox
        ? {
            environmentDir: input.kernel.environmentDir,
            workDir,
            inputs: input.competition ? [{ slug: input.competition.slug, path: input.competition.dataDir }] : [],
          }
        : null,
      limits: { ...(input.limits.memoryBytes ? { memoryBytes: input.limits.memoryBytes } : {}), ...(input.limits.maxProcesses ? { maxProcesses: input.limits.maxProcesses } : {}) },
      ...(input.onWarning ? { onWarning: input.onWarning } : {}),
    },
    {
      timeoutMs: input.limits.cellTimeoutMs,
      notebookTimeoutMs: input.limits.notebookTimeoutMs,
      allowErrors: input.allowErrors,
      interruptOnTimeout: true,
      ...input.executorOptions,
    },
  );
  const { notebook, result } = await executor.execute(input.notebook);

  const outputPath = join(input.outputDir, `attempt-${input.attempt}.ipynb`);
  await writeFile(outputPath, writeNotebook(notebook));
  const execution = executionOutcome(result);
  const grading = input.competition && execution === 'completed'
    ? await gradeWorkingDirectory(input.competition, workDir, input.answers ? { answers: input.answers } : {})
    : input.competition
      ? null
      : undefined;
  let submissionPath: string | null = null;
  if (grading) {
    submissionPath = join(input.outputDir, `attempt-${input.attempt}.submission.csv`);
    await copyFile(join(workDir, 'submission.csv'), submissionPath).catch(() => {
      submissionPath = null;
    });
  }
  await rm(workDir, { recursive: true, force: true });

  const cellError = result.cells.some((cell) => cell.status === 'error');
  const outcome = runOutcome({ execution, cellError, grading, reportedScore: input.reportedScore, tolerance: input.tolerance });
  const failure = firstFailure(result);
  const byIndex = new Map(notebook.cells.map((cell) => [cell.index, cell]));
  const cells: NewRunCell[] = result.cells.map((cell) => ({
    cellIdx: cell.index,
    status: CELL_STATUS[cell.status],
    durationMs: Math.round(cell.durationMs),
    outputDigest: digest(byIndex.get(cell.index)?.outputs ?? []),
    errorName: cell.ename ?? null,
    errorValue: cell.evalue ?? null,
  }));
  const run: NewRun = {
    experimentId: input.experimentId,
    notebookId: input.notebookId,
    environmentId: input.kernel.environmentId,
    competition: input.competition?.slug ?? null,
    attempt: input.attempt,
    status: outcome.status,
    errorName: failure.name,
    errorValue: failure.value,
    traceback: failure.traceback,
    failingCell: failure.cell,
    wallMs: Math.round(result.durationMs),
    peakMemoryBytes: result.peakMemoryBytes,
    score: outcome.score,
    reportedScore: outcome.reportedScore,
    relativeError: outcome.relativeError,
    reproducible: outcome.reproducible,
    gradingErrorCode: outcome.gradingErrorCode,
    gradingError: outcome.gradingError,
    sandbox: result.sandbox === 'bwrap' ? 'bubblewrap' : result.sandbox,
    outputPath,
    startedAt,
    finishedAt: new Date().toISOString(),
    details: {
      kernel: input.kernel.label,
      language: result.languageInfo?.version ? `${result.languageInfo.name} ${result.languageInfo.version}` : null,
      startupMs: result.startupMs,
      kernelExitSignal: result.kernelExitSignal,
      kernelExitCode: result.kernelExitCode,
      kernelDeathCause: result.kernelDeathCause,
      memoryLimit: result.memoryLimit,
      processLimitHits: result.processLimitHits,
      rejectedMessages: result.rejectedMessages,
      submission: submissionPath,
      gradingWarnings: outcome.warnings,
    },
  };
  return { run, cells };
}
