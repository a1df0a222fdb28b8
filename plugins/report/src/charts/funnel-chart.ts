import type { FunnelData } from '../data/funnel-data.js';
import { FUNNEL_STAGES } from '../data/funnel-data.js';
import { OUTCOME_STATUSES } from '../data/notebook-outcomes.js';
import { CHART_CONFIG, CHART_WIDTH, EXPERIMENT_ORDER, PERCENT, type ChartDefinition } from './chart-definition.js';

/** Status colors: greens for reproducing, ambers for graded-but-off, reds for crashes, greys for no run. */
export const STATUS_COLORS: Record<(typeof OUTCOME_STATUSES)[number], string> = {
  reproduced: '#1a9850',
  'score-mismatch': '#fdae61',
  completed: '#a6d96a',
  'no-submission': '#fee08b',
  'grading-error': '#f46d43',
  error: '#d73027',
  timeout: '#9e0142',
  'kernel-died': '#5e4fa2',
  'env-failed': '#3288bd',
  'not-run': '#bababa',
};

export function funnelChart(data: FunnelData, experiments: readonly string[]): ChartDefinition {
  const values = data.stages.map((row) => ({
    experiment: row.experiment.name,
    order: experiments.indexOf(row.experiment.name),
    stage: row.stageLabel,
    share: row.share.share,
    low: row.share.low,
    high: row.share.high,
    count: row.share.count,
    total: row.share.total,
  }));
  const x = { field: 'stage', type: 'nominal' as const, sort: FUNNEL_STAGES.map((s) => s.label), title: null, axis: { labelAngle: 0, labelLimit: 240 } };
  return {
    id: 'reproducibility-funnel',
    title: 'Reproducibility funnel per condition',
    description: 'Share of the notebooks each experiment attempted that reached each stage, with 95% Wilson intervals.',
    spec: {
      config: CHART_CONFIG,
      // Five stage labels side by side need about 150 px each.
      width: Math.max(760, FUNNEL_STAGES.length * (experiments.length * 18 + 40)),
      height: 260,
      data: { values },
      encoding: { x, xOffset: { field: 'experiment', type: 'nominal', sort: EXPERIMENT_ORDER } },
      layer: [
        {
          mark: 'bar',
          encoding: {
            y: { field: 'share', type: 'quantitative', axis: { format: '%' }, scale: { domain: [0, 1] }, title: 'share of attempted notebooks' },
            color: { field: 'experiment', type: 'nominal', title: 'experiment', sort: EXPERIMENT_ORDER },
            tooltip: [
              { field: 'experiment', type: 'nominal' },
              { field: 'stage', type: 'nominal' },
              { field: 'count', type: 'quantitative' },
              { field: 'total', type: 'quantitative' },
              { field: 'share', type: 'quantitative', format: PERCENT },
              { field: 'low', type: 'quantitative', format: PERCENT, title: '95% CI low' },
              { field: 'high', type: 'quantitative', format: PERCENT, title: '95% CI high' },
            ],
          },
        },
        { mark: { type: 'rule', color: '#333' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      ],
    },
  };
}

export function statusChart(data: FunnelData): ChartDefinition {
  const values = data.statuses.map((row) => ({ experiment: row.experiment.name, status: row.status, count: row.share.count, share: row.share.share }));
  return {
    id: 'run-statuses',
    title: 'How each experiment ended',
    description: 'Share of attempted notebooks by final status (after the reproducibility verdict).',
    spec: {
      config: CHART_CONFIG,
      width: CHART_WIDTH,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'experiment', type: 'nominal', title: null, sort: null },
        x: { field: 'count', type: 'quantitative', stack: 'normalize', axis: { format: '%' }, title: 'share of attempted notebooks' },
        color: { field: 'status', type: 'nominal', scale: { domain: [...OUTCOME_STATUSES], range: OUTCOME_STATUSES.map((s) => STATUS_COLORS[s]) }, title: 'status' },
        order: { field: 'status', type: 'nominal', sort: 'ascending' },
        tooltip: [
          { field: 'experiment', type: 'nominal' },
          { field: 'status', type: 'nominal' },
          { field: 'count', type: 'quantitative' },
          { field: 'share', type: 'quantitative', format: PERCENT },
        ],
      },
    },
  };
}
