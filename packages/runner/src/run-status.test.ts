import { describe, expect, it } from 'vitest';
import type { GradeOutcome } from './grade-submission.js';
import { deriveRunStatus, isRunStatus, RUN_STATUSES, runOutcome, type RunStatusFacts } from './run-status.js';

const scored: GradeOutcome = { ok: true, score: 0.8, metric: 'accuracy', higherIsBetter: true, rows: 10, warnings: [] };
const broken: GradeOutcome = { ok: false, code: 'missing-ids', message: '3 of 10 ids are missing', metric: 'accuracy' };
const facts = (overrides: Partial<RunStatusFacts>): RunStatusFacts => ({ execution: 'completed', cellError: false, grading: scored, reproducible: true, ...overrides });

describe('deriveRunStatus', () => {
  it('lets failures of the run itself win over anything graded', () => {
    expect(deriveRunStatus(facts({ execution: 'timeout' }))).toBe('timeout');
    expect(deriveRunStatus(facts({ execution: 'kernel-died', cellError: true }))).toBe('kernel-died');
    expect(deriveRunStatus(facts({ execution: 'env-failed', grading: null }))).toBe('env-failed');
  });

  it('decides by the verdict when there is a score, even after a cell error', () => {
    expect(deriveRunStatus(facts({}))).toBe('reproduced');
    expect(deriveRunStatus(facts({ cellError: true }))).toBe('reproduced');
    expect(deriveRunStatus(facts({ reproducible: false }))).toBe('score-mismatch');
  });

  it('reports the error, a missing or ungradable submission, or plain completion otherwise', () => {
    expect(deriveRunStatus(facts({ grading: broken, cellError: true }))).toBe('grading-error');
    expect(deriveRunStatus(facts({ grading: null }))).toBe('no-submission');
    expect(deriveRunStatus(facts({ grading: null, cellError: true }))).toBe('error');
    expect(deriveRunStatus(facts({ grading: undefined, reproducible: null }))).toBe('completed');
    expect(deriveRunStatus(facts({ grading: undefined, cellError: true, reproducible: null }))).toBe('error');
    expect(deriveRunStatus(facts({ reproducible: null }))).toBe('completed');
  });

  it('only produces statuses the runs table accepts', () => {
    expect(RUN_STATUSES).toHaveLength(9);
    expect(isRunStatus('reproduced')).toBe(true);
    expect(isRunStatus('ok')).toBe(false);
  });
});

describe('runOutcome', () => {
  it('fills the grading columns and the per-run verdict from a score', () => {
    expect(runOutcome({ execution: 'completed', cellError: false, grading: scored, reportedScore: 0.75 })).toEqual({
      status: 'reproduced',
      score: 0.8,
      reportedScore: 0.75,
      relativeError: Math.abs(0.8 - 0.75) / 0.75,
      reproducible: true,
      gradingErrorCode: null,
      gradingError: null,
      warnings: [],
    });
    expect(runOutcome({ execution: 'completed', cellError: false, grading: scored, reportedScore: 0.75, tolerance: 0.05 })).toMatchObject({ status: 'score-mismatch', reproducible: false });
  });

  it('records the grading error, and no verdict without a reported score', () => {
    expect(runOutcome({ execution: 'completed', cellError: false, grading: broken, reportedScore: 0.75 })).toMatchObject({
      status: 'grading-error',
      score: null,
      relativeError: null,
      reproducible: null,
      gradingErrorCode: 'missing-ids',
      gradingError: '3 of 10 ids are missing',
    });
    expect(runOutcome({ execution: 'completed', cellError: false, grading: scored, reportedScore: null })).toMatchObject({ status: 'completed', score: 0.8, reproducible: null });
    expect(runOutcome({ execution: 'kernel-died', cellError: false, grading: null, reportedScore: 0.75 })).toMatchObject({ status: 'kernel-died', score: null });
  });
});
