import { proportion, type Proportion } from '../stats/wilson-interval.js';
import { CRASH_FAMILIES, classifyCrash, type CrashFamily } from './crash-families.js';
import type { ExperimentInfo } from './experiments.js';
import { isCrash, type NotebookOutcome } from './notebook-outcomes.js';

export interface CrashFamilyRow {
  experiment: ExperimentInfo;
  family: CrashFamily;
  /** Crashes of this family, out of the experiment's crashes. */
  share: Proportion;
}

export interface CrashTypeRow {
  experiment: ExperimentInfo;
  family: CrashFamily;
  type: string;
  errorName: string;
  share: Proportion;
  /** The first message seen (by notebook id), one line, for a reader to recognize the crash. */
  example: string;
  /** The start of the failing cell's source in that same notebook, when the cell is stored. */
  exampleCode: string;
  /** Notebook ids, for tracing the count back to rows. */
  notebookIds: number[];
}

export interface CrashData {
  missing: string | null;
  /** Crashed notebooks out of attempted ones, per experiment. */
  rates: { experiment: ExperimentInfo; crashed: Proportion }[];
  families: CrashFamilyRow[];
  types: CrashTypeRow[];
}

const EXAMPLE_CHARS = 160;

function oneLine(text: string | null): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > EXAMPLE_CHARS ? `${line.slice(0, EXAMPLE_CHARS - 1)}…` : line;
}

/** Crashes are the outcomes that ended error, timeout, kernel-died or env-failed without a score (isCrash). */
/** The source of a notebook's cell, or null when the corpus does not have it. */
export type CellSource = (notebookId: number, cellIndex: number) => string | null;

export function crashData(
  experiments: readonly ExperimentInfo[],
  outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>,
  cellSource: CellSource,
  missing: string | null,
): CrashData {
  const rates: CrashData['rates'] = [];
  const families: CrashFamilyRow[] = [];
  const types: CrashTypeRow[] = [];
  for (const experiment of experiments) {
    const list = [...(outcomes.get(experiment.id)?.values() ?? [])];
    if (list.length === 0) continue;
    const crashes = list.filter(isCrash);
    rates.push({ experiment, crashed: proportion(crashes.length, list.length) });
    const byType = new Map<string, { family: CrashFamily; type: string; errorName: string; example: string; exampleCode: string; notebookIds: number[] }>();
    const byFamily = new Map<CrashFamily, number>();
    for (const outcome of crashes) {
      const crash = classifyCrash({ status: outcome.status, errorName: outcome.errorName, errorValue: outcome.errorValue });
      byFamily.set(crash.family, (byFamily.get(crash.family) ?? 0) + 1);
      const key = `${crash.family}\u0000${crash.type}\u0000${crash.errorName}`;
      const entry = byType.get(key) ?? {
        ...crash,
        example: oneLine(outcome.errorValue),
        exampleCode: outcome.failingCell === null ? '' : oneLine(cellSource(outcome.notebookId, outcome.failingCell)),
        notebookIds: [],
      };
      entry.notebookIds.push(outcome.notebookId);
      byType.set(key, entry);
    }
    for (const family of CRASH_FAMILIES) {
      const count = byFamily.get(family) ?? 0;
      if (count > 0) families.push({ experiment, family, share: proportion(count, crashes.length) });
    }
    const rows = [...byType.values()].map((entry) => ({ experiment, ...entry, share: proportion(entry.notebookIds.length, crashes.length) }));
    rows.sort((a, b) => b.share.count - a.share.count || CRASH_FAMILIES.indexOf(a.family) - CRASH_FAMILIES.indexOf(b.family) || a.type.localeCompare(b.type) || a.errorName.localeCompare(b.errorName));
    types.push(...rows);
  }
  const reason = missing ?? (rates.length === 0 ? 'the experiments have no runs yet' : families.length === 0 ? 'no crashes: every attempted notebook ran to the end' : null);
  return { missing: reason, rates, families, types };
}
