import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../test/grader-fixtures.js';
import { loadCompetition, type Competition } from './competition.js';
import { judgeReproducibility } from './reproducibility.js';
import type { RunStatus } from './run-status.js';
import {
  competitionReportedScores,
  ensureExperiment,
  ExperimentConflictError,
  finishExperiment,
  getCompetitionRow,
  getRun,
  getRunCells,
  getVerdict,
  judgeNotebook,
  listCompetitionRows,
  listRuns,
  recordCompetition,
  recordedAttempts,
  recordRun,
  runStatusCounts,
  type NewRun,
  type RunCellStatus,
} from './run-store.js';

const dir = mkdtempSync(join(tmpdir(), 'mle-run-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let store: WritableStore;
let databases = 0;
beforeEach(() => {
  store = openStore(join(dir, `runs-${++databases}.db`));
});
afterEach(() => store.close());

/** A notebooks row (the corpus tables are @mle/core's; only what runs reference is filled). */
function addNotebook(competition: string | null, reportedScore: number | null): number {
  const result = store.db
    .prepare(
      `INSERT INTO notebooks (content_hash, nbformat, nbformat_minor, language, language_evidence, is_ml, cell_count, code_cell_count, competition, reported_score)
       VALUES (?, 4, 5, 'python', 'kernelspec', 1, 3, 3, ?, ?)`,
    )
    .run(`hash-${Math.random()}`, competition, reportedScore);
  return Number(result.lastInsertRowid);
}

const run = (overrides: Partial<NewRun> & Pick<NewRun, 'experimentId' | 'notebookId'>): NewRun => ({
  attempt: 1,
  status: 'reproduced',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: '2026-01-01T00:01:00.000Z',
  ...overrides,
});

describe('migration 0003-execution', () => {
  it('creates the execution tables', () => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['competitions', 'experiments', 'runs', 'run_cells', 'run_verdicts']));
    expect(store.schemaVersion).toBeGreaterThanOrEqual(3);
  });
});

describe('competitions', () => {
  it('records a loaded competition and keeps registered_at until its config or answers change', async () => {
    const competition = await loadCompetition(join(FIXTURES_DIR, 'competitions', 'synthetic-multiclass'));
    recordCompetition(store, competition, new Date('2026-01-01T00:00:00Z'));
    const row = getCompetitionRow(store, 'synthetic-multiclass')!;
    expect(row).toMatchObject({ metric: 'log-loss', higher_is_better: 0, id_column: 'Id', registered_at: '2026-01-01T00:00:00.000Z' });
    expect(JSON.parse(row.target_columns)).toEqual(['species']);
    expect(JSON.parse(row.submission_columns)).toEqual(['setosa', 'versicolor', 'virginica']);
    recordCompetition(store, competition, new Date('2026-02-01T00:00:00Z'));
    expect(getCompetitionRow(store, 'synthetic-multiclass')!.registered_at).toBe('2026-01-01T00:00:00.000Z');
    const changed: Competition = { ...competition, answersSha256: 'f'.repeat(64) };
    recordCompetition(store, changed, new Date('2026-03-01T00:00:00Z'));
    expect(getCompetitionRow(store, 'synthetic-multiclass')).toMatchObject({ registered_at: '2026-03-01T00:00:00.000Z', answers_sha256: 'f'.repeat(64) });
    expect(listCompetitionRows(store)).toHaveLength(1);
  });
});

describe('experiments', () => {
  it('creates once and resumes under the same kind and configuration, whatever the key order', () => {
    const first = ensureExperiment(store, { name: 'baseline-2026', kind: 'baseline', config: { env: 'py312', repeats: 3, timeout: { cell: 60, notebook: 600 } } });
    const again = ensureExperiment(store, { name: 'baseline-2026', kind: 'baseline', config: { timeout: { notebook: 600, cell: 60 }, repeats: 3, env: 'py312' } });
    expect(again.id).toBe(first.id);
    finishExperiment(store, first.id, new Date('2026-01-02T00:00:00Z'));
    expect(ensureExperiment(store, { name: 'baseline-2026', kind: 'baseline', config: { env: 'py312', repeats: 3, timeout: { cell: 60, notebook: 600 } } }).finished_at).toBe('2026-01-02T00:00:00.000Z');
  });

  it('refuses to resume with another kind or other settings, naming them', () => {
    ensureExperiment(store, { name: 'x', kind: 'baseline', config: { env: 'py312', repeats: 3 } });
    expect(() => ensureExperiment(store, { name: 'x', kind: 'backport', config: { env: 'py312', repeats: 3 } })).toThrow(/is a baseline experiment, not backport/);
    let error: unknown;
    try {
      ensureExperiment(store, { name: 'x', kind: 'baseline', config: { env: 'py38', repeats: 3, jobs: 2 } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ExperimentConflictError);
    expect((error as Error).message).toMatch(/other settings \(env, jobs\)/);
  });

  it('accepts only the four kinds', () => {
    expect(() => ensureExperiment(store, { name: 'y', kind: 'weird' as unknown as 'adhoc', config: {} })).toThrow(/CHECK constraint/);
  });
});

describe('runs', () => {
  it('records an attempt with its cells and reads them back', () => {
    const experiment = ensureExperiment(store, { name: 'e', kind: 'baseline', config: {} });
    const notebookId = addNotebook('synthetic-binary', 0.8);
    const { runId, inserted } = recordRun(
      store,
      run({
        experimentId: experiment.id,
        notebookId,
        status: 'score-mismatch',
        competition: 'synthetic-binary',
        errorName: 'ValueError',
        errorValue: 'bad input',
        traceback: 'Traceback...\nValueError: bad input',
        failingCell: 2,
        wallMs: 1234,
        peakMemoryBytes: 5_000_000,
        score: 0.6,
        reportedScore: 0.8,
        relativeError: 0.25,
        reproducible: false,
        sandbox: 'bubblewrap',
        outputPath: '/out/e/1.ipynb',
        details: { warnings: ['ids matched by value'] },
      }),
      [
        { cellIdx: 0, status: 'ok', durationMs: 5, outputDigest: 'a'.repeat(64) },
        { cellIdx: 1, status: 'ok', durationMs: 7 },
        { cellIdx: 2, status: 'error', durationMs: 3, errorName: 'ValueError', errorValue: 'bad input' },
      ],
    );
    expect(inserted).toBe(true);
    expect(getRun(store, runId)).toMatchObject({ status: 'score-mismatch', failing_cell: 2, score: 0.6, reproducible: 0, relative_error: 0.25, sandbox: 'bubblewrap', details: '{"warnings":["ids matched by value"]}' });
    expect(getRunCells(store, runId).map((cell) => [cell.cell_idx, cell.status, cell.error_name])).toEqual([
      [0, 'ok', null],
      [1, 'ok', null],
      [2, 'error', 'ValueError'],
    ]);
  });

  it('never duplicates an attempt: recording it again (a resumed run) writes nothing', () => {
    const experiment = ensureExperiment(store, { name: 'resume', kind: 'baseline', config: {} });
    const notebookId = addNotebook(null, null);
    const first = recordRun(store, run({ experimentId: experiment.id, notebookId, status: 'completed' }), [{ cellIdx: 0, status: 'ok' }]);
    const again = recordRun(store, run({ experimentId: experiment.id, notebookId, status: 'error' }), [{ cellIdx: 0, status: 'error' }, { cellIdx: 1, status: 'not-run' }]);
    expect(again).toEqual({ runId: first.runId, inserted: false });
    expect(listRuns(store, experiment.id)).toHaveLength(1);
    expect(getRun(store, first.runId)!.status).toBe('completed');
    expect(getRunCells(store, first.runId)).toHaveLength(1);
    recordRun(store, run({ experimentId: experiment.id, notebookId, attempt: 2, status: 'timeout' }));
    expect(recordedAttempts(store, experiment.id)).toEqual(new Map([[notebookId, new Set([1, 2])]]));
    expect(runStatusCounts(store, experiment.id)).toMatchObject({ completed: 1, timeout: 1, reproduced: 0 });
  });

  it('writes a run and its cells all or nothing', () => {
    const experiment = ensureExperiment(store, { name: 'atomic', kind: 'baseline', config: {} });
    const notebookId = addNotebook(null, null);
    expect(() => recordRun(store, run({ experimentId: experiment.id, notebookId }), [{ cellIdx: 0, status: 'ok' }, { cellIdx: 1, status: 'exploded' as unknown as RunCellStatus }])).toThrow(/CHECK constraint/);
    expect(listRuns(store, experiment.id)).toEqual([]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM run_cells').get()).toEqual({ n: 0 });
  });

  it('refuses unknown statuses, notebooks and environments, and stores non-finite numbers as NULL', () => {
    const experiment = ensureExperiment(store, { name: 'checks', kind: 'adhoc', config: {} });
    const notebookId = addNotebook(null, null);
    expect(() => recordRun(store, run({ experimentId: experiment.id, notebookId, status: 'fine' as unknown as RunStatus }))).toThrow(/CHECK constraint/);
    expect(() => recordRun(store, run({ experimentId: experiment.id, notebookId: 999_999 }))).toThrow(/FOREIGN KEY/);
    expect(() => recordRun(store, run({ experimentId: experiment.id, notebookId, environmentId: 424_242 }))).toThrow(/FOREIGN KEY/);
    const { runId } = recordRun(store, run({ experimentId: experiment.id, notebookId, status: 'grading-error', score: Number.NaN, relativeError: Number.POSITIVE_INFINITY, gradingErrorCode: 'missing-ids', gradingError: '3 of 10 ids are missing' }));
    expect(getRun(store, runId)).toMatchObject({ score: null, relative_error: null, grading_error_code: 'missing-ids' });
  });
});

describe('verdicts', () => {
  it('judges a notebook from its attempts, stores the verdict and replaces it as attempts arrive', () => {
    const experiment = ensureExperiment(store, { name: 'repeats', kind: 'baseline', config: { repeats: 3 } });
    const notebookId = addNotebook('comp', 0.8);
    recordRun(store, run({ experimentId: experiment.id, notebookId, attempt: 1, score: 0.85, reportedScore: 0.8 }));
    expect(judgeNotebook(store, experiment.id, notebookId)).toMatchObject({ criterion: 'relative-error', runs: 1, reproducible: true });
    expect(getVerdict(store, experiment.id, notebookId)).toMatchObject({ criterion: 'relative-error', runs: 1, reproducible: 1, p_value: null });
    recordRun(store, run({ experimentId: experiment.id, notebookId, attempt: 2, score: 0.83, reportedScore: 0.8 }));
    recordRun(store, run({ experimentId: experiment.id, notebookId, attempt: 3, status: 'timeout', score: null, reportedScore: 0.8 }));
    const verdict = judgeNotebook(store, experiment.id, notebookId)!;
    expect(verdict).toEqual(judgeReproducibility([0.85, 0.83], 0.8));
    expect(getVerdict(store, experiment.id, notebookId)).toMatchObject({ criterion: 't-test', runs: 2, p_value: verdict.pValue, reproducible: verdict.reproducible ? 1 : 0 });
  });

  it('normalises over the competition for the ISSTA test and judges nothing without a reported score', async () => {
    const competition = await loadCompetition(join(FIXTURES_DIR, 'competitions', 'synthetic-binary'));
    recordCompetition(store, competition);
    const experiment = ensureExperiment(store, { name: 'issta', kind: 'baseline', config: {} });
    const notebookId = addNotebook('synthetic-binary', 0.9);
    addNotebook('synthetic-binary', 0.7);
    addNotebook('synthetic-binary', 0.95);
    expect(competitionReportedScores(store, 'synthetic-binary')).toEqual([0.9, 0.7, 0.95]);
    for (const [attempt, score] of [[1, 0.88], [2, 0.91], [3, 0.86]] as const) {
      recordRun(store, run({ experimentId: experiment.id, notebookId, attempt, score, reportedScore: 0.9, competition: 'synthetic-binary' }));
    }
    const verdict = judgeNotebook(store, experiment.id, notebookId, { test: 't-test-issta' })!;
    expect(verdict).toEqual(judgeReproducibility([0.88, 0.91, 0.86], 0.9, { test: 't-test-issta', issta: { competitionReportedScores: [0.9, 0.7, 0.95], higherIsBetter: true } }));
    const plain = addNotebook(null, null);
    recordRun(store, run({ experimentId: experiment.id, notebookId: plain, status: 'completed' }));
    expect(judgeNotebook(store, experiment.id, plain)).toBeUndefined();
    expect(getVerdict(store, experiment.id, plain)).toBeUndefined();
  });
});
