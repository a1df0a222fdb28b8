import { describe, expect, it } from 'vitest';
import { defaultEnvDir, InvalidEnvironmentDateError, parseEnvironmentDate, snapDate, summaryLine } from './create-environment.js';

describe('parseEnvironmentDate', () => {
  const now = new Date('2026-11-23T12:00:00Z');

  it('reads a bare date as midnight UTC and a timestamp as given', () => {
    expect(parseEnvironmentDate('2023-03-01', now).toISOString()).toBe('2023-03-01T00:00:00.000Z');
    expect(parseEnvironmentDate('2023-03-01T12:30:00+02:00', now).toISOString()).toBe('2023-03-01T10:30:00.000Z');
  });

  it('rejects nonsense and the future', () => {
    expect(() => parseEnvironmentDate('yesterday', now)).toThrow(InvalidEnvironmentDateError);
    expect(() => parseEnvironmentDate('2027-01-01', now)).toThrow(/in the future/);
  });
});

describe('snapDate', () => {
  const date = new Date('2023-03-09T17:45:00Z'); // a Thursday
  it.each([
    ['exact', '2023-03-09T17:45:00.000Z'],
    ['day', '2023-03-09T00:00:00.000Z'],
    ['week', '2023-03-06T00:00:00.000Z'],
    ['month', '2023-03-01T00:00:00.000Z'],
  ] as const)('%s', (granularity, expected) => {
    expect(snapDate(date, granularity).toISOString()).toBe(expected);
  });

  it('keeps a Monday in its own week', () => {
    expect(snapDate(new Date('2023-03-06T01:00:00Z'), 'week').toISOString()).toBe('2023-03-06T00:00:00.000Z');
  });
});

describe('defaultEnvDir', () => {
  it('prefers MLE_ENV_DIR, then the XDG cache', () => {
    expect(defaultEnvDir({ MLE_ENV_DIR: '/srv/envs' })).toBe('/srv/envs');
    expect(defaultEnvDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/mle/envs');
  });
});

describe('summaryLine', () => {
  it("takes a traceback's last line, else the first", () => {
    expect(summaryLine('Traceback (most recent call last):\n  File "x", line 1\nModuleNotFoundError: No module named \'IPython.paths\'\n')).toBe("ModuleNotFoundError: No module named 'IPython.paths'");
    expect(summaryLine('\nerror: No solution found\n  cause: ...')).toBe('error: No solution found');
  });
});
