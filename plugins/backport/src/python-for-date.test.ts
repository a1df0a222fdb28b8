import type { PythonInterpreter } from '@mle/core';
import { describe, expect, it } from 'vitest';
import { findInterpreters } from './find-interpreters.js';
import { choosePython, idealPythonFor, newestMinorAt, PYTHON_MINOR_RELEASES } from './python-for-date.js';

const interpreter = (version: string): PythonInterpreter => ({
  path: `/py/${version}/bin/python`,
  realPath: `/py/${version}/bin/python`,
  version,
  minor: version.split('.').slice(0, 2).join('.'),
  hasVenv: true,
});
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('PYTHON_MINOR_RELEASES', () => {
  it('lists every minor from 3.0 to 3.14 once, in release order', () => {
    expect(PYTHON_MINOR_RELEASES.map((r) => r.minor)).toEqual(Array.from({ length: 15 }, (_, i) => `3.${i}`));
    const dates = PYTHON_MINOR_RELEASES.map((r) => r.released);
    expect([...dates].sort()).toEqual(dates);
    for (const date of dates) expect(Number.isNaN(Date.parse(date))).toBe(false);
  });
});

describe('idealPythonFor', () => {
  it('takes the newest minor released before the date, minus one', () => {
    expect(idealPythonFor(day('2023-03-01'))).toEqual({ newestAtDate: '3.11', ideal: '3.10' });
    expect(idealPythonFor(day('2024-06-01'))).toEqual({ newestAtDate: '3.12', ideal: '3.11' });
    expect(idealPythonFor(day('2019-01-01'))).toEqual({ newestAtDate: '3.7', ideal: '3.6' });
  });

  it('counts a minor only from the day after its release', () => {
    expect(newestMinorAt(day('2023-10-02'))).toBe('3.11');
    expect(newestMinorAt(day('2023-10-03'))).toBe('3.12');
  });

  it('gives 2.7 to Python 2 notebooks and to dates before a usable Python 3', () => {
    expect(idealPythonFor(day('2021-01-01'), 2).ideal).toBe('2.7');
    expect(idealPythonFor(day('2009-03-01'))).toEqual({ newestAtDate: '3.0', ideal: '2.7' });
    expect(idealPythonFor(day('2008-01-01'))).toEqual({ newestAtDate: null, ideal: '2.7' });
  });
});

describe('choosePython', () => {
  const machine = ['3.13.0', '3.11.7', '3.10.13', '3.10.2', '3.8.18', '3.6.15'].map(interpreter);

  it('uses the ideal minor when present, at its newest patch', () => {
    const choice = choosePython(day('2023-03-01'), machine);
    expect(choice).toMatchObject({ ideal: '3.10', reason: 'exact', chosen: { version: '3.10.13', path: '/py/3.10.13/bin/python' } });
    expect(choice.available).toEqual(['3.13', '3.11', '3.10', '3.8', '3.6']);
  });

  it('falls back to the nearest minor, ties to the older, and records why', () => {
    // 2020-12-01: newest 3.9, ideal 3.8 → exact; 2021-12-01: ideal 3.9 → 3.8 and 3.10 tie → 3.8.
    expect(choosePython(day('2021-12-01'), machine)).toMatchObject({ ideal: '3.9', reason: 'nearest-available', chosen: { minor: '3.8' } });
    const early = choosePython(day('2016-10-01'), machine);
    expect(early).toMatchObject({ newestAtDate: '3.5', ideal: '3.4', reason: 'nearest-available', chosen: { minor: '3.6' } });
    expect(early.explanation).toMatch(/3\.4 .*not on this machine; 3\.6 is the nearest/);
  });

  it('honours a requested version and still records the rule', () => {
    expect(choosePython(day('2023-03-01'), machine, { requested: '3.13' })).toMatchObject({ ideal: '3.10', reason: 'requested', chosen: { version: '3.13.0' } });
    expect(choosePython(day('2023-03-01'), machine, { requested: '3.10.2' })).toMatchObject({ chosen: { version: '3.10.2' } });
    expect(choosePython(day('2023-03-01'), machine, { requested: '3.99' })).toMatchObject({ reason: 'none-available', chosen: null });
  });

  it('finds no interpreter for Python 2 when the machine has none, or none at all', () => {
    expect(choosePython(day('2016-01-01'), machine, { pythonMajor: 2 })).toMatchObject({ ideal: '2.7', reason: 'none-available', chosen: null });
    expect(choosePython(day('2016-01-01'), [...machine, interpreter('2.7.18')], { pythonMajor: 2 })).toMatchObject({ reason: 'python2', chosen: { version: '2.7.18' } });
    expect(choosePython(day('2023-03-01'), [])).toMatchObject({ reason: 'none-available', chosen: null });
  });

  it("sees this machine's pyenv interpreters, Python 2.7 included", async () => {
    const found = await findInterpreters({ refresh: true });
    const minors = new Set(found.map((i) => i.minor));
    for (const minor of ['2.7', '3.6', '3.10', '3.11', '3.13']) expect(minors.has(minor), minor).toBe(true);
    expect(choosePython(day('2024-06-01'), found).chosen?.minor).toBe('3.11');
  });
});
