import { quantiles, type Quantiles } from '../stats/quantiles.js';
import { binCounts, type Bin, type BinCount } from './distribution-bins.js';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome, OutcomeStatus } from './notebook-outcomes.js';

export const RUNTIME_BINS: readonly Bin[] = [
  { label: '≤1 s', upper: 1 },
  { label: '1–10 s', upper: 10 },
  { label: '10–60 s', upper: 60 },
  { label: '1–5 min', upper: 300 },
  { label: '5–10 min', upper: 600 },
  { label: '10–30 min', upper: 1800 },
  { label: '>30 min', upper: Number.POSITIVE_INFINITY },
];

export interface RuntimeRow {
  experiment: ExperimentInfo;
  /** Wall time in seconds of the representative runs that executed (env-failed runs did not). */
  seconds: Quantiles;
  /** Seconds summed over every attempt of the experiment, retries and repair steps included. */
  totalSeconds: number;
  bins: BinCount[];
}

export interface RuntimeData {
  missing: string | null;
  rows: RuntimeRow[];
}

const NOT_EXECUTED: readonly OutcomeStatus[] = ['env-failed', 'not-run'];

export function runtimeData(
  experiments: readonly ExperimentInfo[],
  outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>,
  totalMsByExperiment: ReadonlyMap<number, number>,
  missing: string | null,
): RuntimeData {
  const rows: RuntimeRow[] = [];
  for (const experiment of experiments) {
    const seconds = [...(outcomes.get(experiment.id)?.values() ?? [])]
      .filter((o) => !NOT_EXECUTED.includes(o.runStatus) && o.wallMs !== null)
      .map((o) => o.wallMs! / 1000);
    if (seconds.length === 0) continue;
    rows.push({ experiment, seconds: quantiles(seconds), totalSeconds: (totalMsByExperiment.get(experiment.id) ?? 0) / 1000, bins: binCounts(seconds, RUNTIME_BINS) });
  }
  return { missing: missing ?? (rows.length === 0 ? 'no run has a recorded wall time yet' : null), rows };
}
