import type { FeedbackData } from '../data/feedback-data.js';
import { CHART_CONFIG, PERCENT, type ChartDefinition } from './chart-definition.js';

export function feedbackChart(data: FeedbackData): ChartDefinition {
  const values = data.categories.map((row, rank) => ({ rank, form: row.form, category: row.category, count: row.share.count, total: row.share.total, share: row.share.share, low: row.share.low, high: row.share.high }));
  const panel = (form: 'explicit' | 'implicit', color: string) => ({
    title: `${form} feedback (${form === 'explicit' ? 'assertions, guards' : 'prints, displays, logging, last-cell values'})`,
    width: 420,
    height: { step: 18 },
    transform: [{ filter: { field: 'form', equal: form } }],
    // Rows arrive sorted by count; sorting by that rank keeps the order across the two layers
    // without putting category names into a sort expression.
    encoding: { y: { field: 'category', type: 'nominal' as const, sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const }, title: null } },
    layer: [
      {
        mark: { type: 'bar' as const, color },
        encoding: {
          x: { field: 'share', type: 'quantitative' as const, axis: { format: '%' }, title: `share of ${form} instances`, scale: { domain: [0, 1] } },
          tooltip: [
            { field: 'category', type: 'nominal' as const },
            { field: 'count', type: 'quantitative' as const },
            { field: 'total', type: 'quantitative' as const },
            { field: 'share', type: 'quantitative' as const, format: PERCENT },
            { field: 'low', type: 'quantitative' as const, format: PERCENT, title: '95% CI low' },
            { field: 'high', type: 'quantitative' as const, format: PERCENT, title: '95% CI high' },
          ],
        },
      },
      { mark: { type: 'rule' as const, color: '#333' }, encoding: { x: { field: 'low', type: 'quantitative' as const }, x2: { field: 'high' } } },
    ],
  });
  const forms = (['explicit', 'implicit'] as const).filter((form) => values.some((v) => v.form === form));
  return {
    id: 'feedback-categories',
    title: 'Feedback mechanisms by category',
    description: 'Share of each form’s feedback instances per category (latest scan of every notebook), with 95% Wilson intervals.',
    spec: { config: CHART_CONFIG, data: { values }, vconcat: forms.map((form) => panel(form, form === 'explicit' ? '#4575b4' : '#fc8d59')) },
  };
}
