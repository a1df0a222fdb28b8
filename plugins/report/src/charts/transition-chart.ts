import { OUTCOME_STATUSES } from '../data/notebook-outcomes.js';
import type { TransitionData } from '../data/transition-data.js';
import { CHART_CONFIG, PERCENT, type ChartDefinition } from './chart-definition.js';

/**
 * Transitions as a from × to matrix per pair of experiments: a grouped view that reads like a
 * Sankey diagram's flows (Vega-Lite has no Sankey mark), with counts printed in the cells.
 */
export function transitionChart(data: TransitionData): ChartDefinition {
  const values = data.pairs.flatMap((pair) =>
    pair.cells.map((cell) => ({ pair: `${pair.from.name} → ${pair.to.name}`, from: cell.from, to: cell.to, count: cell.share.count, share: cell.share.share })),
  );
  const present = OUTCOME_STATUSES.filter((s) => values.some((v) => v.from === s || v.to === s));
  return {
    id: 'status-transitions',
    title: 'Status transitions between conditions',
    description: 'For each pair of experiments, how many shared notebooks moved from each status (rows) to each status (columns).',
    spec: {
      config: CHART_CONFIG,
      data: { values },
      facet: { field: 'pair', type: 'nominal', title: null, sort: null },
      columns: 2,
      spec: {
        width: { step: 44 },
        height: { step: 24 },
        encoding: {
          x: { field: 'to', type: 'nominal', sort: present, title: 'to', axis: { labelAngle: -40 } },
          y: { field: 'from', type: 'nominal', sort: present, title: 'from' },
        },
        layer: [
          {
            mark: 'rect',
            encoding: {
              color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues' }, title: 'notebooks' },
              tooltip: [
                { field: 'pair', type: 'nominal' },
                { field: 'from', type: 'nominal' },
                { field: 'to', type: 'nominal' },
                { field: 'count', type: 'quantitative' },
                { field: 'share', type: 'quantitative', format: PERCENT },
              ],
            },
          },
          { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: '#111' } } },
        ],
      },
      resolve: { scale: { x: 'independent', y: 'independent' } },
    },
  };
}
