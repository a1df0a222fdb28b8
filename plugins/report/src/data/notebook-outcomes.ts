import type { Store } from '@mle/core';
import type { ExperimentInfo } from './experiments.js';
import { placeholders } from './store-tables.js';

/** `runs.status` values (0003-execution.sql), plus `not-run` for a notebook with no run row. */
export const OUTCOME_STATUSES = [
  'reproduced',
  'score-mismatch',
  'completed',
  'no-submission',
  'grading-error',
  'error',
  'timeout',
  'kernel-died',
  'env-failed',
  'not-run',
] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

/** Statuses that mean the notebook crashed before it could be graded: the crash taxonomy's input. */
export const CRASH_STATUSES: readonly OutcomeStatus[] = ['error', 'timeout', 'kernel-died', 'env-failed'];

/** The outcome has a graded score, or the verdict over repeats accepted one. */
export function hasScore(outcome: Pick<NotebookOutcome, 'reproducible' | 'score'>): boolean {
  return outcome.reproducible || (outcome.score !== null && Number.isFinite(outcome.score));
}

/**
 * A crash: a crash status without a score. An `error` run can have one (a cell raised after the
 * submission was written, and the notebook has no reported score to compare with: see
 * deriveRunStatus in @mle/runner); it was graded, so it is not a crash "before grading", and the
 * funnel and the crash taxonomy both count it that way.
 */
export function isCrash(outcome: Pick<NotebookOutcome, 'status' | 'reproducible' | 'score'>): boolean {
  return CRASH_STATUSES.includes(outcome.status) && !hasScore(outcome);
}

export function isOutcomeStatus(value: unknown): value is OutcomeStatus {
  return typeof value === 'string' && (OUTCOME_STATUSES as readonly string[]).includes(value);
}

/** `modernizations.status` values (0005-modernize.sql). */
export const MODERNIZATION_STATUSES = ['already-reproducible', 'rescued', 'not-rescued', 'fix-budget-exhausted', 'llm-budget-exhausted', 'failed', 'running'] as const;

export interface ModernizationFacts {
  id: number;
  status: string;
  initialStatus: string | null;
  finalStatus: string | null;
  fixesApplied: number;
  fixesRolledBack: number;
  llmCalls: number;
  costUsd: number;
  wallMs: number | null;
  outputPath: string | null;
  diffPath: string | null;
}

/**
 * What one experiment made of one notebook, from the run that stands for it:
 * - a modernization's best run (`best_run_id`) when the loop recorded one, otherwise
 * - the notebook's last attempt in the experiment.
 * Whether it reproduced is decided, first to last, by the modernization loop's status (rescued or
 * already reproducible, unless its run only `completed`), the experiment's verdict over repeated attempts (`run_verdicts`), and the
 * representative run's own status.
 */
export interface NotebookOutcome {
  experimentId: number;
  notebookId: number;
  /** The status after the verdict: `reproduced` iff reproducible; a run that reproduced alone but failed the verdict is a `score-mismatch`. */
  status: OutcomeStatus;
  /** The representative run's own status. */
  runStatus: OutcomeStatus;
  reproducible: boolean;
  runId: number | null;
  attempts: number;
  errorName: string | null;
  errorValue: string | null;
  failingCell: number | null;
  wallMs: number | null;
  score: number | null;
  reportedScore: number | null;
  relativeError: number | null;
  outputPath: string | null;
  modernization: ModernizationFacts | null;
}

interface RunRecord {
  id: number;
  experimentId: number;
  notebookId: number;
  attempt: number;
  status: string;
  errorName: string | null;
  errorValue: string | null;
  failingCell: number | null;
  wallMs: number | null;
  score: number | null;
  reportedScore: number | null;
  relativeError: number | null;
  outputPath: string | null;
}

interface ModernizationRecord extends ModernizationFacts {
  experimentId: number;
  notebookId: number;
  bestRunId: number | null;
}

/** Error messages are shown one line at a time; a multi-megabyte message is cut in SQLite, not in JS. */
const ERROR_VALUE_CHARS = 2000;

function asStatus(value: string | null | undefined): OutcomeStatus {
  return isOutcomeStatus(value) ? value : 'not-run';
}

function modernizationFacts(record: ModernizationRecord): ModernizationFacts {
  const { id, status, initialStatus, finalStatus, fixesApplied, fixesRolledBack, llmCalls, costUsd, wallMs, outputPath, diffPath } = record;
  return { id, status, initialStatus, finalStatus, fixesApplied, fixesRolledBack, llmCalls, costUsd, wallMs, outputPath, diffPath };
}

export interface OutcomeSources {
  hasRuns: boolean;
  hasVerdicts: boolean;
  hasModernizations: boolean;
}

/** Every (experiment, notebook) outcome of the selected experiments, keyed by experiment id then notebook id. */
export function loadNotebookOutcomes(store: Store, experiments: readonly ExperimentInfo[], sources: OutcomeSources): Map<number, Map<number, NotebookOutcome>> {
  const result = new Map<number, Map<number, NotebookOutcome>>(experiments.map((e) => [e.id, new Map()]));
  if (experiments.length === 0 || !sources.hasRuns) return result;
  const ids = experiments.map((e) => e.id);
  const runs = store.db
    .prepare(
      `SELECT id, experiment_id AS experimentId, notebook_id AS notebookId, attempt, status, error_name AS errorName,
              substr(error_value, 1, ${ERROR_VALUE_CHARS}) AS errorValue, failing_cell AS failingCell, wall_ms AS wallMs, score,
              reported_score AS reportedScore, relative_error AS relativeError, output_path AS outputPath
       FROM runs WHERE experiment_id IN (${placeholders(ids.length)}) ORDER BY experiment_id, notebook_id, attempt`,
    )
    .all(...ids) as RunRecord[];
  const runsById = new Map(runs.map((run) => [run.id, run]));
  const byPair = new Map<string, RunRecord[]>();
  for (const run of runs) {
    const key = `${run.experimentId}:${run.notebookId}`;
    const list = byPair.get(key);
    if (list) list.push(run);
    else byPair.set(key, [run]);
  }
  const verdicts = new Map<string, boolean>();
  if (sources.hasVerdicts) {
    const rows = store.db
      .prepare(`SELECT experiment_id AS experimentId, notebook_id AS notebookId, reproducible FROM run_verdicts WHERE experiment_id IN (${placeholders(ids.length)})`)
      .all(...ids) as { experimentId: number; notebookId: number; reproducible: number }[];
    for (const row of rows) verdicts.set(`${row.experimentId}:${row.notebookId}`, row.reproducible === 1);
  }
  const modernizations = new Map<string, ModernizationRecord>();
  if (sources.hasModernizations) {
    const rows = store.db
      .prepare(
        `SELECT id, experiment_id AS experimentId, notebook_id AS notebookId, status, initial_status AS initialStatus, final_status AS finalStatus,
                best_run_id AS bestRunId, fixes_applied AS fixesApplied, fixes_rolled_back AS fixesRolledBack, llm_calls AS llmCalls,
                cost_usd AS costUsd, wall_ms AS wallMs, output_path AS outputPath, diff_path AS diffPath
         FROM modernizations WHERE experiment_id IN (${placeholders(ids.length)}) ORDER BY id`,
      )
      .all(...ids) as ModernizationRecord[];
    for (const row of rows) modernizations.set(`${row.experimentId}:${row.notebookId}`, row);
  }
  const keys = [...new Set([...byPair.keys(), ...modernizations.keys()])];
  for (const key of keys) {
    const [experimentId, notebookId] = key.split(':').map(Number) as [number, number];
    const attempts = byPair.get(key) ?? [];
    const modernization = modernizations.get(key) ?? null;
    const best = modernization?.bestRunId != null ? runsById.get(modernization.bestRunId) : undefined;
    const run = best ?? attempts[attempts.length - 1];
    const runStatus = run ? asStatus(run.status) : asStatus(modernization?.finalStatus ?? modernization?.initialStatus);
    let reproducible: boolean;
    // The loop also stops at a `completed` run (no reported score to compare with): the notebook
    // then runs, which the loop counts as its goal, but no score was shown to reproduce.
    if (modernization && modernization.status !== 'running') reproducible = (modernization.status === 'rescued' || modernization.status === 'already-reproducible') && runStatus !== 'completed';
    else if (verdicts.has(key)) reproducible = verdicts.get(key)!;
    else reproducible = runStatus === 'reproduced';
    const status: OutcomeStatus = reproducible ? 'reproduced' : runStatus === 'reproduced' ? 'score-mismatch' : runStatus;
    result.get(experimentId)!.set(notebookId, {
      experimentId,
      notebookId,
      status,
      runStatus,
      reproducible,
      runId: run?.id ?? null,
      attempts: attempts.length,
      errorName: run?.errorName ?? null,
      errorValue: run?.errorValue ?? null,
      failingCell: run?.failingCell ?? null,
      wallMs: run?.wallMs ?? null,
      score: run?.score ?? null,
      reportedScore: run?.reportedScore ?? null,
      relativeError: run?.relativeError ?? null,
      outputPath: run?.outputPath ?? null,
      modernization: modernization ? modernizationFacts(modernization) : null,
    });
  }
  for (const [id, outcomes] of result) result.set(id, new Map([...outcomes].sort(([a], [b]) => a - b)));
  return result;
}
