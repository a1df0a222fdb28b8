import { proportion, type Proportion } from '../stats/wilson-interval.js';
import type { CostData } from './cost-data.js';
import type { ExperimentInfo } from './experiments.js';
import type { FixData } from './fix-data.js';
import type { NotebookOutcome } from './notebook-outcomes.js';
import { transitionPair } from './transition-data.js';

export interface ComparedExperiment {
  experiment: ExperimentInfo;
  notebooks: number;
  /** Notebooks reproducible at the end of the experiment, out of those it attempted. */
  reproducible: Proportion;
  /** Rescued notebooks out of modernization candidates; null for experiments without loops. */
  rescued: Proportion | null;
  fixesTried: number;
  fixesApplied: number;
  llmCalls: number;
  costUsd: number;
  /** Kernel time: every attempt's wall time, summed. */
  runSeconds: number;
}

export interface PairedTest {
  first: ExperimentInfo;
  second: ExperimentInfo;
  shared: number;
  firstReproducible: Proportion;
  secondReproducible: Proportion;
  bothYes: number;
  firstOnly: number;
  secondOnly: number;
  bothNo: number;
  pValue: number;
}

export interface ComparisonData {
  missing: string | null;
  /** True when the user named the experiments (--experiment); otherwise every experiment is compared. */
  named: boolean;
  experiments: ComparedExperiment[];
  tests: PairedTest[];
}

export function comparisonData(
  experiments: readonly ExperimentInfo[],
  named: boolean,
  outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>,
  fixes: FixData,
  cost: CostData,
  runMsByExperiment: ReadonlyMap<number, number>,
  missing: string | null,
): ComparisonData {
  if (missing) return { missing, named, experiments: [], tests: [] };
  const compared: ComparedExperiment[] = experiments.map((experiment) => {
    const list = [...(outcomes.get(experiment.id)?.values() ?? [])];
    const loops = fixes.perNotebook.find((row) => row.experiment.id === experiment.id);
    const spend = cost.experiments.find((row) => row.experiment.id === experiment.id);
    return {
      experiment,
      notebooks: list.length,
      reproducible: proportion(list.filter((o) => o.reproducible).length, list.length),
      rescued: loops ? loops.rescued : null,
      fixesTried: loops?.tried ?? 0,
      fixesApplied: list.reduce((sum, o) => sum + (o.modernization?.fixesApplied ?? 0), 0),
      llmCalls: spend?.llmCalls ?? 0,
      costUsd: spend?.costUsd ?? 0,
      runSeconds: (runMsByExperiment.get(experiment.id) ?? 0) / 1000,
    };
  });
  const tests: PairedTest[] = [];
  for (let i = 0; i < experiments.length; i++) {
    for (let j = i + 1; j < experiments.length; j++) {
      const pair = transitionPair(experiments[i]!, experiments[j]!, outcomes);
      tests.push({
        first: pair.from,
        second: pair.to,
        shared: pair.shared,
        firstReproducible: pair.fromReproducible,
        secondReproducible: pair.toReproducible,
        bothYes: pair.test.bothYes,
        firstOnly: pair.test.firstOnly,
        secondOnly: pair.test.secondOnly,
        bothNo: pair.test.bothNo,
        pValue: pair.test.pValue,
      });
    }
  }
  const reason = experiments.length === 0 ? 'no experiments in this database' : compared.every((c) => c.notebooks === 0) ? 'the experiments have no runs yet' : null;
  return { missing: reason, named, experiments: compared, tests };
}
