import { mcnemarFromPairs, type McNemarResult } from '../stats/mcnemar-test.js';
import { proportion, type Proportion } from '../stats/wilson-interval.js';
import type { ExperimentInfo } from './experiments.js';
import type { NotebookOutcome, OutcomeStatus } from './notebook-outcomes.js';

export interface TransitionCell {
  from: OutcomeStatus;
  to: OutcomeStatus;
  /** Notebooks that went from `from` to `to`, out of the notebooks the pair shares. */
  share: Proportion;
}

/** Two experiments on the notebooks both ran: where each notebook went, and whether the second reproduced more. */
export interface TransitionPair {
  from: ExperimentInfo;
  to: ExperimentInfo;
  shared: number;
  cells: TransitionCell[];
  fromReproducible: Proportion;
  toReproducible: Proportion;
  test: McNemarResult & { bothYes: number; bothNo: number };
}

export interface TransitionData {
  missing: string | null;
  pairs: TransitionPair[];
}

/** Notebooks both experiments have an outcome for, in notebook id order. */
export function sharedOutcomes(a: ReadonlyMap<number, NotebookOutcome>, b: ReadonlyMap<number, NotebookOutcome>): [NotebookOutcome, NotebookOutcome][] {
  const pairs: [NotebookOutcome, NotebookOutcome][] = [];
  for (const [id, outcome] of a) {
    const other = b.get(id);
    if (other) pairs.push([outcome, other]);
  }
  return pairs;
}

export function transitionPair(from: ExperimentInfo, to: ExperimentInfo, outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>): TransitionPair {
  const shared = sharedOutcomes(outcomes.get(from.id) ?? new Map(), outcomes.get(to.id) ?? new Map());
  const counts = new Map<string, { from: OutcomeStatus; to: OutcomeStatus; n: number }>();
  for (const [a, b] of shared) {
    const key = `${a.status}>${b.status}`;
    const cell = counts.get(key) ?? { from: a.status, to: b.status, n: 0 };
    cell.n++;
    counts.set(key, cell);
  }
  const n = shared.length;
  const cells = [...counts.values()]
    .sort((x, y) => y.n - x.n || x.from.localeCompare(y.from) || x.to.localeCompare(y.to))
    .map((cell) => ({ from: cell.from, to: cell.to, share: proportion(cell.n, n) }));
  return {
    from,
    to,
    shared: n,
    cells,
    fromReproducible: proportion(shared.filter(([a]) => a.reproducible).length, n),
    toReproducible: proportion(shared.filter(([, b]) => b.reproducible).length, n),
    test: mcnemarFromPairs(shared.map(([a, b]) => [a.reproducible, b.reproducible] as const)),
  };
}

/** Every ordered pair of the selected experiments (earlier → later in report order) that shares notebooks. */
export function transitionData(experiments: readonly ExperimentInfo[], outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>, missing: string | null): TransitionData {
  const pairs: TransitionPair[] = [];
  for (let i = 0; i < experiments.length; i++) {
    for (let j = i + 1; j < experiments.length; j++) {
      const pair = transitionPair(experiments[i]!, experiments[j]!, outcomes);
      if (pair.shared > 0) pairs.push(pair);
    }
  }
  const reason = missing ?? (experiments.length < 2 ? 'transitions need at least two experiments' : pairs.length === 0 ? 'no two experiments ran the same notebooks' : null);
  return { missing: reason, pairs };
}
