import { proportion, type Proportion } from '../stats/wilson-interval.js';
import type { ExperimentInfo } from './experiments.js';
import { hasScore, isCrash, OUTCOME_STATUSES, type NotebookOutcome, type OutcomeStatus } from './notebook-outcomes.js';

const ranWithoutCrash = (o: NotebookOutcome): boolean => o.status !== 'not-run' && !isCrash(o);
const environmentReady = (o: NotebookOutcome): boolean => hasScore(o) || (o.status !== 'env-failed' && o.status !== 'not-run');

/**
 * The stages a notebook passes on its way to reproducing, each a subset of the one before:
 * an environment to run in, no crash, a graded score, and a score the verdict accepts.
 * "Graded with a score" is every representative run with a score, whatever its status: a
 * `completed` run (no reported score to compare with) and an `error` run whose cells raised after
 * the submission was written both have one. Reaching a stage implies the earlier ones, so such a
 * scored `error` run is no crash (isCrash: it ran far enough to be graded), and a notebook the
 * verdict over repeats accepts counts as scored even when its last attempt was not: the funnel
 * stays nested.
 */
export const FUNNEL_STAGES = [
  { id: 'attempted', label: 'attempted', passes: (_o: NotebookOutcome) => true },
  { id: 'environment', label: 'environment ready', passes: environmentReady },
  { id: 'no-crash', label: 'ran without a crash', passes: ranWithoutCrash },
  { id: 'scored', label: 'graded with a score', passes: hasScore },
  { id: 'reproduced', label: 'reproduced', passes: (o: NotebookOutcome) => o.reproducible },
] as const;

export interface FunnelRow {
  experiment: ExperimentInfo;
  stage: (typeof FUNNEL_STAGES)[number]['id'];
  stageLabel: string;
  /** Notebooks that reached the stage, out of those the experiment attempted. */
  share: Proportion;
}

export interface StatusRow {
  experiment: ExperimentInfo;
  status: OutcomeStatus;
  share: Proportion;
}

export interface FunnelData {
  missing: string | null;
  /** Notebooks each experiment attempted, out of the corpus. */
  coverage: { experiment: ExperimentInfo; attempted: Proportion }[];
  stages: FunnelRow[];
  statuses: StatusRow[];
}

export function funnelData(experiments: readonly ExperimentInfo[], outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>, corpusNotebooks: number, missing: string | null): FunnelData {
  const coverage: FunnelData['coverage'] = [];
  const stages: FunnelRow[] = [];
  const statuses: StatusRow[] = [];
  for (const experiment of experiments) {
    const list = [...(outcomes.get(experiment.id)?.values() ?? [])];
    const n = list.length;
    coverage.push({ experiment, attempted: proportion(Math.min(n, corpusNotebooks), corpusNotebooks) });
    if (n === 0) continue;
    for (const stage of FUNNEL_STAGES) {
      stages.push({ experiment, stage: stage.id, stageLabel: stage.label, share: proportion(list.filter((o) => stage.passes(o)).length, n) });
    }
    for (const status of OUTCOME_STATUSES) {
      const count = list.filter((o) => o.status === status).length;
      if (count > 0) statuses.push({ experiment, status, share: proportion(count, n) });
    }
  }
  const reason = missing ?? (experiments.length === 0 ? 'no experiments in this database: run `mle run` first' : stages.length === 0 ? 'the experiments have no runs yet' : null);
  return { missing: reason, coverage, stages, statuses };
}
