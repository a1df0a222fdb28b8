import type { BinCount } from '../data/distribution-bins.js';
import type { RuntimeData } from '../data/runtime-data.js';
import type { ScoreErrorData } from '../data/score-error-data.js';
import { RELATIVE_ERROR_BINS } from '../data/score-error-data.js';
import { RUNTIME_BINS } from '../data/runtime-data.js';
import { CHART_CONFIG, CHART_WIDTH, EXPERIMENT_ORDER, type ChartDefinition } from './chart-definition.js';

function histogram(id: string, title: string, description: string, xTitle: string, order: readonly string[], rows: { experiment: string; bins: BinCount[] }[], experiments: readonly string[]): ChartDefinition {
  const values = rows.flatMap((row) => row.bins.map((bin) => ({ experiment: row.experiment, order: experiments.indexOf(row.experiment), bin: bin.bin, notebooks: bin.count })));
  return {
    id,
    title,
    description,
    spec: {
      config: CHART_CONFIG,
      width: CHART_WIDTH,
      height: 220,
      data: { values },
      mark: 'bar',
      encoding: {
        x: { field: 'bin', type: 'ordinal', sort: [...order], title: xTitle, axis: { labelAngle: 0 } },
        xOffset: { field: 'experiment', type: 'nominal', sort: EXPERIMENT_ORDER },
        y: { field: 'notebooks', type: 'quantitative', title: 'notebooks', axis: { tickMinStep: 1 } },
        color: { field: 'experiment', type: 'nominal', title: 'experiment', sort: EXPERIMENT_ORDER },
        tooltip: [
          { field: 'experiment', type: 'nominal' },
          { field: 'bin', type: 'ordinal' },
          { field: 'notebooks', type: 'quantitative' },
        ],
      },
    },
  };
}

export function scoreErrorChart(data: ScoreErrorData, experiments: readonly string[]): ChartDefinition {
  return histogram(
    'score-relative-error',
    'Score relative error',
    '|score − reported| / |reported| of the scored notebooks; up to 10% reproduces under the study’s criterion.',
    'relative error',
    RELATIVE_ERROR_BINS.map((b) => b.label),
    data.rows.map((row) => ({ experiment: row.experiment.name, bins: row.bins })),
    experiments,
  );
}

export function runtimeChart(data: RuntimeData, experiments: readonly string[]): ChartDefinition {
  return histogram(
    'runtime',
    'Runtime',
    'Wall time of each notebook’s representative run (environment failures excluded).',
    'wall time',
    RUNTIME_BINS.map((b) => b.label),
    data.rows.map((row) => ({ experiment: row.experiment.name, bins: row.bins })),
    experiments,
  );
}
