import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { getNotebook, loadNotebook, readNotebook, type WritableStore } from '@mle/core';
import { loadAnswers, loadCompetition, runAttempt, type ResolvedKernel } from '@mle/runner';
import { assertionsOf, recordValidations, type ValidationRecord } from '../synthesize/assertion-store.js';
import { instrumentNotebook, readMarkers } from './instrument-notebook.js';

export interface ValidateOptions {
  kernel: ResolvedKernel;
  /** `<dir>/<slug>/competition.json`: the notebook's data is mounted from there. */
  competitionsDir: string;
  /** Executed, instrumented notebooks go to `<outputDir>/validate/<notebook id>/`. */
  outputDir: string;
  sandbox?: boolean;
  /** Whole-notebook budget; default twice the competition's runtime budget, else 600 s. */
  notebookTimeoutMs?: number;
  memoryBytes?: number;
  onWarning?: (message: string) => void;
}

export interface NotebookValidation {
  notebookId: number;
  kernel: string;
  proposals: number;
  passed: number;
  failed: number;
  errors: number;
  notRun: number;
  /** Run status of the instrumented notebook (error when a cell of the notebook itself raised). */
  runStatus: string;
  /** The run's first error (a notebook cell's, or the kernel's when it did not start). */
  runError: string | null;
  outputPath: string | null;
}

/**
 * Run the notebook with every proposal of it inserted after its statement, in the given kernel
 * (its dated environment, for the assertions to encode what its author saw), and record which
 * passed. Only passing assertions count as validated.
 */
export async function validateNotebookAssertions(store: WritableStore, notebookId: number, options: ValidateOptions): Promise<NotebookValidation> {
  const row = getNotebook(store, notebookId);
  const notebook = loadNotebook(store, notebookId);
  if (!row || !notebook) throw new Error(`notebook ${notebookId} is not in ${store.path}`);
  const assertions = assertionsOf(store, notebookId);
  const summary: NotebookValidation = { notebookId, kernel: options.kernel.label, proposals: assertions.length, passed: 0, failed: 0, errors: 0, notRun: 0, runStatus: 'not-run', runError: null, outputPath: null };
  if (assertions.length === 0) return summary;
  const competition = row.competition ? await loadCompetition(join(options.competitionsDir, row.competition)).catch(() => null) : null;
  const outputDir = join(resolve(options.outputDir), 'validate', String(notebookId));
  await mkdir(outputDir, { recursive: true });
  const instrumented = instrumentNotebook(notebook, assertions.map((a) => ({ id: a.id, cell: a.cell, line: a.line, code: a.code })));
  const answers = competition ? await loadAnswers(competition) : null;
  const attemptOnce = () => runAttempt({
    notebookId,
    notebook: instrumented,
    reportedScore: row.reported_score,
    competition,
    ...(answers ? { answers } : {}),
    kernel: options.kernel,
    experimentId: 0,
    attempt: 1,
    outputDir,
    sandbox: options.sandbox ?? true,
    // Every cell runs, so that an error in one cell leaves the later assertions checked.
    allowErrors: true,
    tolerance: 0.1,
    limits: {
      cellTimeoutMs: null,
      notebookTimeoutMs: options.notebookTimeoutMs ?? (competition ? competition.runtimeBudgetSeconds * 2000 : 600_000),
      ...(options.memoryBytes ? { memoryBytes: options.memoryBytes } : {}),
    },
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  let { run } = await attemptOnce();
  // A kernel that did not start (a loaded machine) is tried once more; the notebook never ran.
  if (run.status === 'env-failed') {
    options.onWarning?.(`notebook ${notebookId}: the kernel did not start (${run.errorName ?? ''}: ${run.errorValue ?? ''}); trying once more`);
    ({ run } = await attemptOnce());
  }
  summary.runStatus = run.status;
  summary.runError = run.errorName ? `${run.errorName}: ${(run.errorValue ?? '').split('\n')[0]}` : null;
  summary.outputPath = run.outputPath ?? null;
  const executed = run.outputPath ? readNotebook(await readFile(run.outputPath, 'utf8')) : null;
  const markers = executed?.ok ? readMarkers(executed.notebook) : new Map();
  const records: ValidationRecord[] = assertions.map((a) => {
    const marker = markers.get(a.id);
    if (!marker) return { assertionId: a.id, outcome: 'not-run', detail: `the cell did not run (${run.status}${run.errorName ? `: ${run.errorName}` : ''})` };
    return { assertionId: a.id, outcome: marker.outcome, detail: marker.detail };
  });
  for (const r of records) {
    if (r.outcome === 'pass') summary.passed++;
    else if (r.outcome === 'fail') summary.failed++;
    else if (r.outcome === 'error') summary.errors++;
    else summary.notRun++;
  }
  recordValidations(store, records, { label: options.kernel.label, environmentId: options.kernel.environmentId }, summary.outputPath);
  return summary;
}
