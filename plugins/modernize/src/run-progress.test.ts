import type { RunCellStatus, RunStatus } from '@mle/runner';
import { describe, expect, it } from 'vitest';
import { compareProgress, describeRun, dispatchKind, findRegression, isGoal, runProgress, type ObservedRun } from './run-progress.js';

function run(status: RunStatus, cells: RunCellStatus[], extra: Partial<ObservedRun> = {}): ObservedRun {
  return {
    runId: 1,
    status,
    errorName: null,
    errorValue: null,
    traceback: [],
    failingCell: null,
    score: null,
    reportedScore: 0.9,
    relativeError: null,
    wallMs: 100,
    outputPath: null,
    cells: new Map(cells.map((s, i) => [i, s])),
    ...extra,
  };
}
const error = (cells: RunCellStatus[], name: string, line: number | null, failingCell = cells.indexOf('error')) =>
  run('error', cells, { errorName: name, errorValue: 'x', failingCell, traceback: line === null ? [] : [`\u001b[0;31mCell In[3], line ${line}\u001b[0m`] });
const ids = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('dispatchKind', () => {
  it('maps outcomes to fix kinds, a graded run with a cell error to error repair', () => {
    expect(dispatchKind(run('timeout', ['ok', 'timeout']))).toBe('runtime-reduction');
    expect(dispatchKind(error(['ok', 'error'], 'NameError', 1))).toBe('error-repair');
    expect(dispatchKind(run('kernel-died', ['kernel-died'], { errorName: 'SIGKILL', failingCell: 0 }))).toBe('error-repair');
    expect(dispatchKind(run('score-mismatch', ['ok', 'error'], { errorName: 'ValueError', failingCell: 1, score: 0.5 }))).toBe('error-repair');
    expect(dispatchKind(run('score-mismatch', ['ok', 'ok'], { score: 0.5 }))).toBe('score-calibration');
    expect(dispatchKind(run('no-submission', ['ok']))).toBe('score-calibration');
    expect(dispatchKind(run('grading-error', ['ok']))).toBe('score-calibration');
    expect(dispatchKind(run('reproduced', ['ok']))).toBeNull();
    expect(dispatchKind(run('env-failed', []))).toBeNull();
    expect(isGoal(run('completed', ['ok']))).toBe(true);
  });
});

describe('compareProgress', () => {
  const sources = ['a', 'b', 'x = 1\ny = 2\nz = 3\nw = 4'];
  const progress = (r: ObservedRun) => runProgress(r, ids(3), sources);
  it('orders by tier, then relative error, then cells passed, compile before runtime, lines left', () => {
    const order = [
      run('reproduced', ['ok', 'ok', 'ok'], { relativeError: 0.05, score: 0.9 }),
      run('score-mismatch', ['ok', 'ok', 'ok'], { relativeError: 0.2, score: 0.7 }),
      run('score-mismatch', ['ok', 'ok', 'ok'], { relativeError: 0.5, score: 0.4 }),
      run('grading-error', ['ok', 'ok', 'ok']),
      run('no-submission', ['ok', 'ok', 'ok']),
      error(['ok', 'ok', 'error'], 'TypeError', 4),
      error(['ok', 'ok', 'error'], 'TypeError', 2),
      error(['ok', 'ok', 'error'], 'SyntaxError', 4),
      error(['ok', 'error', 'not-run'], 'NameError', 1),
    ];
    for (let i = 0; i + 1 < order.length; i++) {
      expect(compareProgress(progress(order[i]!), progress(order[i + 1]!)), `${i} vs ${i + 1}`).toBeGreaterThan(0);
      expect(compareProgress(progress(order[i + 1]!), progress(order[i]!))).toBeLessThan(0);
    }
    // The same failure at the same place is a tie (no change); a timeout there too.
    expect(compareProgress(progress(error(['ok', 'error', 'not-run'], 'NameError', 1)), progress(error(['ok', 'error', 'not-run'], 'KeyError', 1)))).toBe(0);
    expect(compareProgress(progress(error(['ok', 'error', 'not-run'], 'NameError', null)), progress(run('timeout', ['ok', 'timeout', 'not-run'], { failingCell: 1 })))).toBe(0);
  });

  it('does not count an inserted cell as progress, and counts lines left from the end of the cell', () => {
    // A fix inserted a passing cell before the failing one: same original cells passed.
    const before = runProgress(error(['ok', 'error', 'not-run'], 'NameError', 1), [0, 1, 2], ['a', 'b', 'c']);
    const after = runProgress(error(['ok', 'ok', 'error', 'not-run'], 'NameError', 1), [0, null, 1, 2], ['a', 'import x', 'b', 'c']);
    expect(compareProgress(after, before)).toBe(0);
    // Two lines inserted above the failing line move the line number, not the lines left.
    const same = runProgress(error(['error'], 'TypeError', 4, 0), [0], ['import a\nimport b\nx = 1\nf(x)\ng()']);
    const shifted = runProgress(error(['error'], 'TypeError', 2, 0), [0], ['x = 1\nf(x)\ng()']);
    expect(compareProgress(same, shifted)).toBe(0);
  });
});

describe('findRegression', () => {
  it('names the first original cell that passed before and fails after, through inserted cells', () => {
    const before = error(['ok', 'ok', 'error'], 'NameError', 1);
    expect(findRegression(before, [0, 1, 2], error(['ok', 'error', 'not-run'], 'ValueError', 1), [0, 1, 2])).toEqual({ originalCell: 1, status: 'error' });
    expect(findRegression(before, [0, 1, 2], error(['ok', 'ok', 'ok', 'error'], 'KeyError', 1), [0, 1, null, 2])).toBeNull();
    expect(findRegression(before, [0, 1, 2], run('timeout', ['timeout', 'not-run', 'not-run'], { failingCell: 0 }), [0, 1, 2])).toEqual({ originalCell: 0, status: 'timeout' });
    // A cell that failed before may fail again: not a regression.
    expect(findRegression(before, [0, 1, 2], error(['ok', 'ok', 'error'], 'TypeError', 3), [0, 1, 2])).toBeNull();
  });
});

it('describeRun says status, score and error in one line', () => {
  expect(describeRun(run('score-mismatch', ['ok'], { score: 0.712345678, reportedScore: 0.9, relativeError: 0.2086 }))).toBe('score-mismatch score 0.712346 vs reported 0.9 (relative error 20.9%)');
  expect(describeRun(error(['error'], 'NameError', 1, 0))).toBe('error NameError: x (cell 0)');
});
