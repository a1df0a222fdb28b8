import { quantiles, type Quantiles } from '../stats/quantiles.js';
import { proportion, type Proportion } from '../stats/wilson-interval.js';
import { binCounts, type Bin, type BinCount } from './distribution-bins.js';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome } from './notebook-outcomes.js';

/** The study's single-run criterion: within 10% of the reported score. */
export const TOLERANCE = 0.1;

export const RELATIVE_ERROR_BINS: readonly Bin[] = [
  { label: '0–1%', upper: 0.01 },
  { label: '1–5%', upper: 0.05 },
  { label: '5–10%', upper: 0.1 },
  { label: '10–25%', upper: 0.25 },
  { label: '25–50%', upper: 0.5 },
  { label: '50–100%', upper: 1 },
  { label: '>100%', upper: Number.POSITIVE_INFINITY },
];

export interface ScoreErrorRow {
  experiment: ExperimentInfo;
  /** Relative error |score − reported| / |reported| of the representative runs that have one. */
  relativeError: Quantiles;
  /** Scored notebooks within 10% of the reported score, out of scored ones. */
  withinTolerance: Proportion;
  bins: BinCount[];
}

export interface ScoreErrorData {
  missing: string | null;
  rows: ScoreErrorRow[];
}

export function scoreErrorData(experiments: readonly ExperimentInfo[], outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>, missing: string | null): ScoreErrorData {
  const rows: ScoreErrorRow[] = [];
  for (const experiment of experiments) {
    const errors = [...(outcomes.get(experiment.id)?.values() ?? [])].map((o) => o.relativeError).filter((e): e is number => e !== null && Number.isFinite(e));
    if (errors.length === 0) continue;
    rows.push({
      experiment,
      relativeError: quantiles(errors),
      withinTolerance: proportion(errors.filter((e) => e <= TOLERANCE + 1e-12).length, errors.length),
      bins: binCounts(errors, RELATIVE_ERROR_BINS),
    });
  }
  return { missing: missing ?? (rows.length === 0 ? 'no run has both a score and a reported score yet' : null), rows };
}
