import type { PythonInterpreter } from '@mle/core';

/**
 * Release dates of each CPython minor's x.y.0, from python.org's release pages (UTC dates).
 * 3.15 is left out until it has shipped: a scheduled date is not a release.
 */
export const PYTHON_MINOR_RELEASES: readonly { minor: string; released: string }[] = [
  { minor: '3.0', released: '2008-12-03' },
  { minor: '3.1', released: '2009-06-27' },
  { minor: '3.2', released: '2011-02-20' },
  { minor: '3.3', released: '2012-09-29' },
  { minor: '3.4', released: '2014-03-16' },
  { minor: '3.5', released: '2015-09-13' },
  { minor: '3.6', released: '2016-12-23' },
  { minor: '3.7', released: '2018-06-27' },
  { minor: '3.8', released: '2019-10-14' },
  { minor: '3.9', released: '2020-10-05' },
  { minor: '3.10', released: '2021-10-04' },
  { minor: '3.11', released: '2022-10-24' },
  { minor: '3.12', released: '2023-10-02' },
  { minor: '3.13', released: '2024-10-07' },
  { minor: '3.14', released: '2025-10-07' },
];

/** Why the chosen interpreter differs from the rule's ideal, or that it does not. */
export type PythonChoiceReason =
  /** An interpreter of the ideal minor is on the machine. */
  | 'exact'
  /** None of the ideal minor; the nearest minor on the machine (ties go to the older). */
  | 'nearest-available'
  /** The caller named a version (`--python`); the rule's ideal is still recorded. */
  | 'requested'
  /** The notebook is Python 2 (or the date predates usable Python 3): the study kept 2.7. */
  | 'python2'
  /** No interpreter usable at all. */
  | 'none-available';

/** The Python rule's record, stored as `environments.python_rule`. */
export interface PythonChoice {
  rule: 'newest-minor-before-date-minus-one';
  targetDate: string;
  /** Newest minor released before the date, per PYTHON_MINOR_RELEASES. */
  newestAtDate: string | null;
  /** What the rule asks for. */
  ideal: string;
  /** The interpreter picked, or null when none fits (failure mode `no-interpreter`). */
  chosen: { version: string; minor: string; path: string } | null;
  reason: PythonChoiceReason;
  /** One sentence a person can read. */
  explanation: string;
  /** Minors found on the machine, newest first. */
  available: string[];
}

export interface ChoosePythonOptions {
  /** A minor (`3.10`) or full version (`3.10.13`) that overrides the rule. */
  requested?: string;
  /** The notebook's Python major when its metadata says (2 or 3). */
  pythonMajor?: 2 | 3 | null;
}

function minorKey(minor: string): number {
  const [major = '0', rest = '0'] = minor.split('.');
  return Number(major) * 100 + Number(rest);
}

function versionKey(version: string): string {
  return version.split('.').map((part) => part.padStart(4, '0')).join('.');
}

/** `newest minor released before date`, or null before 3.0. Dates are compared as UTC days. */
export function newestMinorAt(date: Date): string | null {
  const day = date.toISOString().slice(0, 10);
  let newest: string | null = null;
  for (const release of PYTHON_MINOR_RELEASES) if (release.released < day) newest = release.minor;
  return newest;
}

/**
 * The study's rule: the newest minor out before the date, minus one minor (3.9 newest → 3.8),
 * because a just-released minor rarely had wheels yet. 3.0/3.1-era dates fall back to 2.7.
 */
export function idealPythonFor(date: Date, pythonMajor?: 2 | 3 | null): { newestAtDate: string | null; ideal: string } {
  const newestAtDate = newestMinorAt(date);
  if (pythonMajor === 2) return { newestAtDate, ideal: '2.7' };
  if (newestAtDate === null) return { newestAtDate, ideal: '2.7' };
  const minor = Number(newestAtDate.split('.')[1]);
  return { newestAtDate, ideal: minor === 0 ? '2.7' : `3.${minor - 1}` };
}

/**
 * Choose an interpreter for a date among those on the machine: the rule's ideal minor when
 * present, else the nearest minor (ties to the older one, which the date's packages are more
 * likely to have wheels for). Python 2 interpreters are listed as candidates only for Python 2
 * requests, where uv then refuses them with its own message (recorded as `no-interpreter`).
 */
export function choosePython(date: Date, interpreters: readonly PythonInterpreter[], options: ChoosePythonOptions = {}): PythonChoice {
  const { newestAtDate, ideal } = idealPythonFor(date, options.pythonMajor);
  // The newest patch of each minor stands for that minor.
  const byMinor = new Map<string, PythonInterpreter>();
  for (const interpreter of interpreters) {
    const current = byMinor.get(interpreter.minor);
    if (!current || versionKey(interpreter.version) > versionKey(current.version)) byMinor.set(interpreter.minor, interpreter);
  }
  const available = [...byMinor.keys()].sort((a, b) => minorKey(b) - minorKey(a));
  const base = { rule: 'newest-minor-before-date-minus-one' as const, targetDate: date.toISOString(), newestAtDate, ideal, available };
  const pick = (interpreter: PythonInterpreter) => ({ version: interpreter.version, minor: interpreter.minor, path: interpreter.path });

  if (options.requested) {
    const wanted = options.requested;
    const match = interpreters
      .filter((i) => i.version === wanted || i.minor === wanted)
      .sort((a, b) => (versionKey(a.version) < versionKey(b.version) ? 1 : -1))[0];
    if (!match) return { ...base, chosen: null, reason: 'none-available', explanation: `Python ${wanted} was requested but is not on this machine (found ${available.join(', ') || 'none'})` };
    return { ...base, chosen: pick(match), reason: 'requested', explanation: `Python ${match.version} as requested; the date rule would choose ${ideal}` };
  }

  if (ideal.startsWith('2.')) {
    const python2 = byMinor.get(ideal);
    const why = options.pythonMajor === 2 ? 'the notebook is Python 2' : `no Python 3 minor before ${newestAtDate ?? '3.0'} was usable at that date`;
    if (!python2) return { ...base, chosen: null, reason: 'none-available', explanation: `${why}, and no Python ${ideal} is on this machine` };
    return { ...base, chosen: pick(python2), reason: 'python2', explanation: `${why}; Python ${python2.version} is on this machine` };
  }

  const exact = byMinor.get(ideal);
  if (exact) return { ...base, chosen: pick(exact), reason: 'exact', explanation: `newest minor before the date is ${newestAtDate}; the rule takes one older, ${ideal}, which is on this machine` };
  const python3 = available.filter((minor) => minor.startsWith('3.'));
  if (python3.length === 0) return { ...base, chosen: null, reason: 'none-available', explanation: `no Python 3 interpreter on this machine (the rule asks for ${ideal})` };
  const target = minorKey(ideal);
  const nearest = [...python3].sort((a, b) => Math.abs(minorKey(a) - target) - Math.abs(minorKey(b) - target) || minorKey(a) - minorKey(b))[0]!;
  const interpreter = byMinor.get(nearest)!;
  return {
    ...base,
    chosen: pick(interpreter),
    reason: 'nearest-available',
    explanation: `the rule asks for ${ideal} (newest before the date: ${newestAtDate}, minus one), which is not on this machine; ${nearest} is the nearest available`,
  };
}
