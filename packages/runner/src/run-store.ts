import { prepare, type Store, type WritableStore } from '@mle/core';
import type { Competition } from './competition.js';
import type { GradingErrorCode } from './grading-error.js';
import { judgeReproducibility, type Verdict, type VerdictCriterion, type VerdictOptions } from './reproducibility.js';
import type { RunStatus } from './run-status.js';

// The execution table group (migration 0003-execution.sql): competitions, experiments, runs,
// run_cells and run_verdicts. Rows are facts: a run is written once, whole, with its cells.

// ------------------------------------------------------------------ competitions

export interface CompetitionRow {
  slug: string;
  title: string;
  metric: string;
  metric_options: string;
  higher_is_better: number;
  id_column: string;
  target_columns: string;
  submission_columns: string;
  deadline: string | null;
  runtime_budget_seconds: number;
  description: string;
  dir: string;
  data_dir: string;
  answers_path: string;
  config_sha256: string;
  answers_sha256: string;
  registered_at: string;
}

/**
 * Record (or refresh) a loaded competition. The directory stays the source of truth: the row
 * lets queries join notebooks to metrics and remembers which answers scores were made against;
 * `registered_at` moves only when competition.json or the answers change.
 */
export function recordCompetition(store: WritableStore, competition: Competition, now: Date = new Date()): void {
  prepare(
    store.db,
    `INSERT INTO competitions (slug, title, metric, metric_options, higher_is_better, id_column, target_columns, submission_columns,
       deadline, runtime_budget_seconds, description, dir, data_dir, answers_path, config_sha256, answers_sha256, registered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (slug) DO UPDATE SET
       title = excluded.title, metric = excluded.metric, metric_options = excluded.metric_options,
       higher_is_better = excluded.higher_is_better, id_column = excluded.id_column, target_columns = excluded.target_columns,
       submission_columns = excluded.submission_columns, deadline = excluded.deadline,
       runtime_budget_seconds = excluded.runtime_budget_seconds, description = excluded.description, dir = excluded.dir,
       data_dir = excluded.data_dir, answers_path = excluded.answers_path,
       registered_at = CASE WHEN competitions.config_sha256 = excluded.config_sha256 AND competitions.answers_sha256 = excluded.answers_sha256
                            THEN competitions.registered_at ELSE excluded.registered_at END,
       config_sha256 = excluded.config_sha256, answers_sha256 = excluded.answers_sha256`,
  ).run(
    competition.slug,
    competition.title,
    competition.metric,
    JSON.stringify(competition.metricOptions),
    competition.higherIsBetter ? 1 : 0,
    competition.idColumn,
    JSON.stringify(competition.targetColumns),
    JSON.stringify(competition.submissionColumns),
    competition.deadline,
    competition.runtimeBudgetSeconds,
    competition.description,
    competition.dir,
    competition.dataDir,
    competition.answersPath,
    competition.configSha256,
    competition.answersSha256,
    now.toISOString(),
  );
}

export function getCompetitionRow(store: Store, slug: string): CompetitionRow | undefined {
  return prepare<[string], CompetitionRow>(store.db, 'SELECT * FROM competitions WHERE slug = ?').get(slug);
}

export function listCompetitionRows(store: Store): CompetitionRow[] {
  return prepare<[], CompetitionRow>(store.db, 'SELECT * FROM competitions ORDER BY slug').all();
}

/** The reported scores of a competition's notebooks: the ISSTA normalisation range. */
export function competitionReportedScores(store: Store, slug: string): number[] {
  return prepare<[string], { reported_score: number }>(store.db, 'SELECT reported_score FROM notebooks WHERE competition = ? AND reported_score IS NOT NULL ORDER BY id')
    .all(slug)
    .map((row) => row.reported_score);
}

// ------------------------------------------------------------------ experiments

export const EXPERIMENT_KINDS = ['baseline', 'backport', 'modernize', 'adhoc'] as const;
export type ExperimentKind = (typeof EXPERIMENT_KINDS)[number];

export interface ExperimentRow {
  id: number;
  name: string;
  kind: ExperimentKind;
  config: string;
  started_at: string;
  finished_at: string | null;
}

/** Resuming an experiment with another kind or configuration would mix incomparable runs. */
export class ExperimentConflictError extends Error {
  override name = 'ExperimentConflictError';
  constructor(
    readonly experiment: string,
    message: string,
  ) {
    super(message);
  }
}

/** JSON with object keys sorted, so two equal configurations serialize equally. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
  );
}

export interface ExperimentSpec {
  name: string;
  kind: ExperimentKind;
  /** Everything that shapes the runs (environment, timeouts, repeats, tolerance); JSON-serializable. */
  config: Record<string, unknown>;
}

/**
 * The experiment of that name, created on first use. Re-running with the same name resumes
 * it, which is only sound under the same kind and configuration: anything else is refused
 * with the differing keys named, so the user picks a new name instead of mixing runs.
 */
export function ensureExperiment(store: WritableStore, spec: ExperimentSpec, now: Date = new Date()): ExperimentRow {
  const config = canonicalJson(spec.config);
  const existing = getExperiment(store, spec.name);
  if (existing) {
    if (existing.kind !== spec.kind) throw new ExperimentConflictError(spec.name, `experiment "${spec.name}" is a ${existing.kind} experiment, not ${spec.kind}; choose another --experiment name`);
    if (existing.config !== config) {
      const before = JSON.parse(existing.config) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(before), ...Object.keys(spec.config)])].filter((key) => canonicalJson(before[key]) !== canonicalJson(spec.config[key])).sort();
      throw new ExperimentConflictError(spec.name, `experiment "${spec.name}" was started with other settings (${keys.join(', ')}); resume it with the same ones or choose another --experiment name`);
    }
    return existing;
  }
  prepare(store.db, 'INSERT INTO experiments (name, kind, config, started_at) VALUES (?, ?, ?, ?)').run(spec.name, spec.kind, config, now.toISOString());
  return getExperiment(store, spec.name)!;
}

export function getExperiment(store: Store, name: string): ExperimentRow | undefined {
  return prepare<[string], ExperimentRow>(store.db, 'SELECT * FROM experiments WHERE name = ?').get(name);
}

export function listExperiments(store: Store): ExperimentRow[] {
  return prepare<[], ExperimentRow>(store.db, 'SELECT * FROM experiments ORDER BY id').all();
}

/** Mark an experiment finished (every planned attempt recorded); resuming later clears nothing. */
export function finishExperiment(store: WritableStore, experimentId: number, now: Date = new Date()): void {
  prepare(store.db, 'UPDATE experiments SET finished_at = ? WHERE id = ?').run(now.toISOString(), experimentId);
}

// ------------------------------------------------------------------ runs and their cells

export const RUN_CELL_STATUSES = ['ok', 'error', 'timeout', 'kernel-died', 'skipped', 'not-run'] as const;
export type RunCellStatus = (typeof RUN_CELL_STATUSES)[number];

/** One attempt at one notebook in one experiment, as the executor and grader report it. */
export interface NewRun {
  experimentId: number;
  notebookId: number;
  /** null: a kernelspec that no `mle env` environment made. */
  environmentId?: number | null;
  /** The competition graded against; null when the notebook has none. */
  competition?: string | null;
  /** 1-based; repeats of one notebook are attempts 1..N. */
  attempt: number;
  status: RunStatus;
  errorName?: string | null;
  errorValue?: string | null;
  traceback?: string | null;
  failingCell?: number | null;
  wallMs?: number | null;
  peakMemoryBytes?: number | null;
  score?: number | null;
  reportedScore?: number | null;
  relativeError?: number | null;
  reproducible?: boolean | null;
  gradingErrorCode?: GradingErrorCode | null;
  gradingError?: string | null;
  /** `bubblewrap`, or `none` when the kernel ran unsandboxed. */
  sandbox?: string | null;
  outputPath?: string | null;
  startedAt: string;
  finishedAt: string;
  /** Facts without a column (exit signal, OOM evidence, grading warnings). */
  details?: Record<string, unknown>;
}

export interface NewRunCell {
  cellIdx: number;
  status: RunCellStatus;
  durationMs?: number | null;
  outputDigest?: string | null;
  errorName?: string | null;
  errorValue?: string | null;
}

export interface RunRow {
  id: number;
  experiment_id: number;
  notebook_id: number;
  environment_id: number | null;
  competition: string | null;
  attempt: number;
  status: RunStatus;
  error_name: string | null;
  error_value: string | null;
  traceback: string | null;
  failing_cell: number | null;
  wall_ms: number | null;
  peak_memory_bytes: number | null;
  score: number | null;
  reported_score: number | null;
  relative_error: number | null;
  reproducible: 0 | 1 | null;
  grading_error_code: GradingErrorCode | null;
  grading_error: string | null;
  sandbox: string | null;
  output_path: string | null;
  started_at: string;
  finished_at: string;
  details: string;
}

export interface RunCellRow {
  run_id: number;
  cell_idx: number;
  status: RunCellStatus;
  duration_ms: number | null;
  output_digest: string | null;
  error_name: string | null;
  error_value: string | null;
}

export interface RecordRunResult {
  runId: number;
  /** false: this attempt was already recorded (a resumed run); nothing was written. */
  inserted: boolean;
}

// SQLite stores NaN as NULL and would make a relative error of Infinity an opaque REAL; keep
// only finite numbers.
const finiteOrNull = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Write one attempt and its cells in one transaction. An attempt already recorded (same
 * experiment, notebook and attempt number: a resumed `mle run` redoing work it had finished)
 * is left as it is, so re-running never duplicates rows.
 */
export function recordRun(store: WritableStore, run: NewRun, cells: readonly NewRunCell[] = []): RecordRunResult {
  return store.db.transaction((): RecordRunResult => {
    const result = prepare(
      store.db,
      `INSERT INTO runs (experiment_id, notebook_id, environment_id, competition, attempt, status, error_name, error_value, traceback,
         failing_cell, wall_ms, peak_memory_bytes, score, reported_score, relative_error, reproducible, grading_error_code, grading_error,
         sandbox, output_path, started_at, finished_at, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (experiment_id, notebook_id, attempt) DO NOTHING`,
    ).run(
      run.experimentId,
      run.notebookId,
      run.environmentId ?? null,
      run.competition ?? null,
      run.attempt,
      run.status,
      run.errorName ?? null,
      run.errorValue ?? null,
      run.traceback ?? null,
      run.failingCell ?? null,
      run.wallMs ?? null,
      run.peakMemoryBytes ?? null,
      finiteOrNull(run.score),
      finiteOrNull(run.reportedScore),
      finiteOrNull(run.relativeError),
      run.reproducible === undefined || run.reproducible === null ? null : run.reproducible ? 1 : 0,
      run.gradingErrorCode ?? null,
      run.gradingError ?? null,
      run.sandbox ?? null,
      run.outputPath ?? null,
      run.startedAt,
      run.finishedAt,
      JSON.stringify(run.details ?? {}),
    );
    if (result.changes === 0) {
      const existing = prepare<[number, number, number], { id: number }>(store.db, 'SELECT id FROM runs WHERE experiment_id = ? AND notebook_id = ? AND attempt = ?').get(
        run.experimentId,
        run.notebookId,
        run.attempt,
      )!;
      return { runId: existing.id, inserted: false };
    }
    const runId = Number(result.lastInsertRowid);
    const insertCell = prepare(store.db, 'INSERT INTO run_cells (run_id, cell_idx, status, duration_ms, output_digest, error_name, error_value) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const cell of cells) {
      insertCell.run(runId, cell.cellIdx, cell.status, cell.durationMs ?? null, cell.outputDigest ?? null, cell.errorName ?? null, cell.errorValue ?? null);
    }
    return { runId, inserted: true };
  }).immediate();
}

/** Attempts already recorded per notebook in an experiment: what a resumed run skips. */
export function recordedAttempts(store: Store, experimentId: number): Map<number, Set<number>> {
  const attempts = new Map<number, Set<number>>();
  for (const row of prepare<[number], { notebook_id: number; attempt: number }>(store.db, 'SELECT notebook_id, attempt FROM runs WHERE experiment_id = ?').all(experimentId)) {
    let set = attempts.get(row.notebook_id);
    if (!set) attempts.set(row.notebook_id, (set = new Set()));
    set.add(row.attempt);
  }
  return attempts;
}

export function getRun(store: Store, runId: number): RunRow | undefined {
  return prepare<[number], RunRow>(store.db, 'SELECT * FROM runs WHERE id = ?').get(runId);
}

/** An experiment's runs, by notebook then attempt; optionally of one notebook. */
export function listRuns(store: Store, experimentId: number, notebookId?: number): RunRow[] {
  return prepare<[number, number | null, number | null], RunRow>(store.db, 'SELECT * FROM runs WHERE experiment_id = ? AND (? IS NULL OR notebook_id = ?) ORDER BY notebook_id, attempt').all(
    experimentId,
    notebookId ?? null,
    notebookId ?? null,
  );
}

export function getRunCells(store: Store, runId: number): RunCellRow[] {
  return prepare<[number], RunCellRow>(store.db, 'SELECT * FROM run_cells WHERE run_id = ? ORDER BY cell_idx').all(runId);
}

/** Runs per status in an experiment (every status present, zeros included). */
export function runStatusCounts(store: Store, experimentId: number): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { reproduced: 0, 'score-mismatch': 0, completed: 0, error: 0, timeout: 0, 'kernel-died': 0, 'no-submission': 0, 'grading-error': 0, 'env-failed': 0 };
  for (const row of prepare<[number], { status: RunStatus; n: number }>(store.db, 'SELECT status, COUNT(*) AS n FROM runs WHERE experiment_id = ? GROUP BY status').all(experimentId)) {
    counts[row.status] = row.n;
  }
  return counts;
}

// ------------------------------------------------------------------ verdicts

export interface RunVerdictRow {
  experiment_id: number;
  notebook_id: number;
  criterion: VerdictCriterion;
  runs: number;
  mean_score: number | null;
  reported_score: number | null;
  relative_error: number | null;
  statistic: number | null;
  p_value: number | null;
  reproducible: 0 | 1;
  reason: string;
  decided_at: string;
}

/** Store (replacing any earlier one) the verdict over a notebook's attempts in an experiment. */
export function recordVerdict(store: WritableStore, experimentId: number, notebookId: number, verdict: Verdict, now: Date = new Date()): void {
  prepare(
    store.db,
    `INSERT OR REPLACE INTO run_verdicts (experiment_id, notebook_id, criterion, runs, mean_score, reported_score, relative_error, statistic, p_value, reproducible, reason, decided_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    experimentId,
    notebookId,
    verdict.criterion,
    verdict.runs,
    finiteOrNull(verdict.meanScore),
    finiteOrNull(verdict.reportedScore),
    finiteOrNull(verdict.relativeError),
    finiteOrNull(verdict.statistic),
    finiteOrNull(verdict.pValue),
    verdict.reproducible ? 1 : 0,
    verdict.reason,
    now.toISOString(),
  );
}

export function getVerdict(store: Store, experimentId: number, notebookId: number): RunVerdictRow | undefined {
  return prepare<[number, number], RunVerdictRow>(store.db, 'SELECT * FROM run_verdicts WHERE experiment_id = ? AND notebook_id = ?').get(experimentId, notebookId);
}

export interface JudgeNotebookOptions extends Omit<VerdictOptions, 'issta'> {
  /** For the ISSTA test: the metric's direction (the range comes from the competition's notebooks). */
  higherIsBetter?: boolean;
}

/**
 * Judge a notebook from its recorded attempts in an experiment and store the verdict. The
 * reported score is the one recorded on the runs (the notebook's at run time). Returns
 * undefined, storing nothing, when there is nothing to judge against: no runs, or no reported
 * score (a notebook outside any competition).
 */
export function judgeNotebook(store: WritableStore, experimentId: number, notebookId: number, options: JudgeNotebookOptions = {}): Verdict | undefined {
  const runs = listRuns(store, experimentId, notebookId);
  const reported = runs.find((run) => run.reported_score !== null)?.reported_score;
  if (runs.length === 0 || reported === undefined || reported === null) return undefined;
  const verdictOptions: VerdictOptions = { ...options };
  if (options.test === 't-test-issta') {
    const competition = runs.find((run) => run.competition !== null)?.competition;
    if (!competition) throw new Error(`notebook ${notebookId} has no competition: the ISSTA t-test normalises per competition`);
    const direction = options.higherIsBetter ?? (getCompetitionRow(store, competition)?.higher_is_better === 1 ? true : getCompetitionRow(store, competition) ? false : undefined);
    if (direction === undefined) throw new Error(`competition ${competition} is not recorded and no direction was given: the ISSTA t-test needs it`);
    verdictOptions.issta = { competitionReportedScores: competitionReportedScores(store, competition), higherIsBetter: direction };
  }
  const verdict = judgeReproducibility(
    runs.map((run) => run.score),
    reported,
    verdictOptions,
  );
  recordVerdict(store, experimentId, notebookId, verdict);
  return verdict;
}
