import { describe, expect, it } from 'vitest';
import type { ExperimentInfo } from './experiments.js';
import { funnelData } from './funnel-data.js';
import { isCrash, type NotebookOutcome, type OutcomeStatus } from './notebook-outcomes.js';

const EXPERIMENT: ExperimentInfo = { id: 1, name: 'baseline', kind: 'baseline', startedAt: '2025-01-01T00:00:00Z', finishedAt: null };

let nextId = 0;
function outcome(status: OutcomeStatus, score: number | null, reproducible = status === 'reproduced'): NotebookOutcome {
  const notebookId = ++nextId;
  return {
    experimentId: EXPERIMENT.id,
    notebookId,
    status,
    runStatus: status,
    reproducible,
    runId: notebookId,
    attempts: 1,
    errorName: status === 'error' ? 'ValueError' : null,
    errorValue: null,
    failingCell: null,
    wallMs: 1000,
    score,
    reportedScore: null,
    relativeError: null,
    outputPath: null,
    modernization: null,
  };
}

function stages(list: NotebookOutcome[]): Record<string, number> {
  const data = funnelData([EXPERIMENT], new Map([[EXPERIMENT.id, new Map(list.map((o) => [o.notebookId, o]))]]), list.length, null);
  return Object.fromEntries(data.stages.map((s) => [s.stage, s.share.count]));
}

describe('funnelData', () => {
  it('counts every run with a score as graded, completed runs without a reported score included', () => {
    const counts = stages([outcome('reproduced', 0.8), outcome('score-mismatch', 0.5), outcome('completed', 0.7), outcome('completed', null), outcome('no-submission', null), outcome('grading-error', null)]);
    expect(counts).toEqual({ attempted: 6, environment: 6, 'no-crash': 6, scored: 3, reproduced: 1 });
  });

  it('keeps the stages nested when an error run was graded or the verdict over repeats accepted a failed last attempt', () => {
    // A cell raised after the submission was written: a score, and status `error`.
    const scoredError = outcome('error', 0.6);
    // The verdict over three attempts says reproducible; the last attempt timed out without a score.
    const verdict = outcome('reproduced', null, true);
    const counts = stages([scoredError, verdict, outcome('error', null), outcome('timeout', null), outcome('env-failed', null), outcome('not-run', null)]);
    expect(counts).toEqual({ attempted: 6, environment: 4, 'no-crash': 2, scored: 2, reproduced: 1 });
    // The crash taxonomy agrees: the scored error run is no crash, the unscored one is.
    expect(isCrash(scoredError)).toBe(false);
    expect(isCrash(outcome('error', null))).toBe(true);
    expect(isCrash(outcome('completed', null))).toBe(false);
  });

  it('lists each final status once with its share', () => {
    const data = funnelData([EXPERIMENT], new Map([[EXPERIMENT.id, new Map([outcome('completed', 1), outcome('completed', null), outcome('kernel-died', null)].map((o) => [o.notebookId, o]))]]), 5, null);
    expect(data.statuses.map((s) => [s.status, s.share.count, s.share.total])).toEqual([
      ['completed', 2, 3],
      ['kernel-died', 1, 3],
    ]);
    expect(data.coverage[0]!.attempted).toMatchObject({ count: 3, total: 5 });
  });
});
