import { OUTCOME_STATUSES } from '../data/notebook-outcomes.js';
import type { TransitionData } from '../data/transition-data.js';
import { CHART_CONFIG, PERCENT, type ChartDefinition } from './chart-definition.js';

/**
 * Transitions as a from × to matrix per pair of experiments: a grouped view that reads like a
 * Sankey diagram's flows (Vega-Lite has no Sankey mark), with counts printed in the cells.
 */
export function transitionChart(data: TransitionData): ChartDefinition {
  const values = data.pairs.flatMap((pair, panel) =>
    pair.cells.map((cell) => ({ panel, pair: `${pair.from.name} → ${pair.to.name}`, from: cell.from, to: cell.to, count: cell.share.count, share: cell.share.share })),
  );
  const present = OUTCOME_STATUSES.filter((s) => values.some((v) => v.from === s || v.to === s));
  const pairs = data.pairs.map((pair, panel) => ({ panel, title: `${pair.from.name} → ${pair.to.name}` }));
  // One panel per pair (concat, not facet): each pair has its own statuses, and Vega-Lite cannot
  // size faceted layers with independent step-sized scales.
  // Panels are selected by number: a filter on the (user-named) pair would put data into a Vega
  // expression, which a name containing U+2028 or quotes could break.
  const panel = ({ panel, title }: { panel: number; title: string }) => {
    const mine = values.filter((v) => v.panel === panel);
    const from = present.filter((s) => mine.some((v) => v.from === s));
    const to = present.filter((s) => mine.some((v) => v.to === s));
    return {
      title,
      width: Math.max(120, to.length * 44),
      height: Math.max(60, from.length * 24),
      transform: [{ filter: { field: 'panel', equal: panel } }],
      encoding: {
        x: { field: 'to', type: 'nominal' as const, sort: to, title: 'to', axis: { labelAngle: -40 } },
        y: { field: 'from', type: 'nominal' as const, sort: from, title: 'from' },
      },
      layer: [
        {
          mark: 'rect' as const,
          encoding: {
            color: { field: 'count', type: 'quantitative' as const, scale: { scheme: 'blues' }, title: 'notebooks' },
            tooltip: [
              { field: 'pair', type: 'nominal' as const },
              { field: 'from', type: 'nominal' as const },
              { field: 'to', type: 'nominal' as const },
              { field: 'count', type: 'quantitative' as const },
              { field: 'share', type: 'quantitative' as const, format: PERCENT },
            ],
          },
        },
        { mark: { type: 'text' as const, fontSize: 11 }, encoding: { text: { field: 'count', type: 'quantitative' as const }, color: { value: '#111' } } },
      ],
    };
  };
  return {
    id: 'status-transitions',
    title: 'Status transitions between conditions',
    description: 'For each pair of experiments, how many shared notebooks moved from each status (rows) to each status (columns).',
    // Rows of two panels as vconcat of hconcat: a wrapped `concat` with `columns` draws nothing in
    // the browser's SVG renderer (Vega 6.4, seen in Chromium), though it renders headless.
    spec: {
      config: CHART_CONFIG,
      data: { values },
      vconcat: Array.from({ length: Math.ceil(pairs.length / 2) }, (_, row) => ({ hconcat: pairs.slice(row * 2, row * 2 + 2).map(panel) })),
      resolve: { scale: { color: 'shared' } },
    },
  };
}
