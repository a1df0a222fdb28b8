import type { EnvironmentData } from '../data/environment-data.js';
import { CHART_CONFIG, PERCENT, type ChartDefinition } from './chart-definition.js';

export function environmentChart(data: EnvironmentData): ChartDefinition {
  const values = data.failureModes.map((row) => ({ mode: `${row.failureMode} (${row.failureStep})`, kind: row.kind, count: row.share.count, share: row.share.share }));
  return {
    id: 'environment-failure-modes',
    title: 'Environment build failure modes',
    description: 'Environments that could not be built, by failure mode and the step that failed.',
    spec: {
      config: CHART_CONFIG,
      width: 380,
      height: { step: 22 },
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'mode', type: 'nominal', sort: { field: 'count', op: 'sum', order: 'descending' }, title: null },
        x: { field: 'count', type: 'quantitative', title: 'environments', axis: { tickMinStep: 1 } },
        color: { field: 'kind', type: 'nominal', scale: { domain: ['contemporary', 'backport', 'lock'], range: ['#66c2a5', '#fc8d59', '#8da0cb'] }, title: 'kind' },
        tooltip: [
          { field: 'mode', type: 'nominal', title: 'failure mode' },
          { field: 'kind', type: 'nominal' },
          { field: 'count', type: 'quantitative' },
          { field: 'share', type: 'quantitative', format: PERCENT, title: 'share of failures' },
        ],
      },
    },
  };
}
