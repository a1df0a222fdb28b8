import type { CostData } from '../data/cost-data.js';
import { PUBLISHED_COST_PER_NOTEBOOK_USD } from '../data/published-figures.js';
import { CHART_CONFIG, CHART_WIDTH, type ChartDefinition } from './chart-definition.js';

export function costChart(data: CostData): ChartDefinition {
  const values = data.experiments.flatMap((row) => [
    ...(row.costPerCandidateUsd === null ? [] : [{ experiment: row.experiment.name, measure: 'per candidate notebook', usd: row.costPerCandidateUsd }]),
    ...(row.costPerRescuedUsd === null ? [] : [{ experiment: row.experiment.name, measure: 'per rescued notebook', usd: row.costPerRescuedUsd }]),
  ]);
  return {
    id: 'cost-per-rescued-notebook',
    title: 'LLM cost per notebook',
    description: `LLM spend divided by modernization candidates and by rescued notebooks; the dashed line is the study’s $${PUBLISHED_COST_PER_NOTEBOOK_USD} per notebook (another corpus).`,
    spec: {
      config: CHART_CONFIG,
      width: CHART_WIDTH,
      height: 220,
      layer: [
        {
          data: { values },
          mark: 'bar',
          encoding: {
            x: { field: 'experiment', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0, labelLimit: 200 } },
            xOffset: { field: 'measure', type: 'nominal' },
            y: { field: 'usd', type: 'quantitative', title: 'US$', axis: { format: '$.2f' } },
            color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['per candidate notebook', 'per rescued notebook'], range: ['#91bfdb', '#4575b4'] } },
            tooltip: [
              { field: 'experiment', type: 'nominal' },
              { field: 'measure', type: 'nominal' },
              { field: 'usd', type: 'quantitative', format: '$.4f' },
            ],
          },
        },
        {
          data: { values: [{ usd: PUBLISHED_COST_PER_NOTEBOOK_USD }] },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#555' },
          encoding: { y: { field: 'usd', type: 'quantitative' } },
        },
      ],
    },
  };
}
