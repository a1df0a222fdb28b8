import type { ComparisonData } from '../data/comparison-data.js';
import type { PublishedData } from '../data/published-data.js';
import { CHART_CONFIG, PERCENT, type ChartDefinition } from './chart-definition.js';

interface IntervalPoint {
  label: string;
  series: string;
  share: number | null;
  low: number | null;
  high: number | null;
  count: number;
  total: number;
}

/** Points with 95% interval whiskers, one row per label: the shape of every "share ± CI" comparison. */
function intervalSpec(values: IntervalPoint[], seriesDomain: string[], seriesRange: string[]): ChartDefinition['spec'] {
  const y = { field: 'label', type: 'nominal' as const, sort: null, title: null, axis: { labelLimit: 420 } };
  const tooltip = [
    { field: 'label', type: 'nominal' as const, title: 'figure' },
    { field: 'series', type: 'nominal' as const },
    { field: 'count', type: 'quantitative' as const },
    { field: 'total', type: 'quantitative' as const },
    { field: 'share', type: 'quantitative' as const, format: PERCENT },
    { field: 'low', type: 'quantitative' as const, format: PERCENT, title: '95% CI low' },
    { field: 'high', type: 'quantitative' as const, format: PERCENT, title: '95% CI high' },
  ];
  const color = { field: 'series', type: 'nominal' as const, scale: { domain: seriesDomain, range: seriesRange }, title: null };
  return {
    config: CHART_CONFIG,
    width: 420,
    height: { step: 34 },
    data: { values: values.filter((v) => v.share !== null) },
    encoding: { y, yOffset: { field: 'series', type: 'nominal', scale: { domain: seriesDomain } } },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'low', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' }, title: 'share (95% CI)' }, x2: { field: 'high' }, color } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { x: { field: 'share', type: 'quantitative' }, color, tooltip } },
    ],
  };
}

export function comparisonChart(data: ComparisonData): ChartDefinition {
  const values: IntervalPoint[] = data.experiments.flatMap((row) => [
    { label: row.experiment.name, series: 'reproducible', ...row.reproducible },
    ...(row.rescued ? [{ label: row.experiment.name, series: 'rescued (of candidates)', ...row.rescued }] : []),
  ]);
  return {
    id: 'experiment-comparison',
    title: 'Experiments side by side',
    description: 'Reproducible share of attempted notebooks and rescued share of modernization candidates, with 95% Wilson intervals.',
    spec: intervalSpec(values, ['reproducible', 'rescued (of candidates)'], ['#1a9850', '#4575b4']),
  };
}

export function publishedChart(data: PublishedData): ChartDefinition {
  const values: IntervalPoint[] = data.shares.flatMap((row) => [
    { label: `${row.figure} — ${row.scope}`, series: 'this database', ...row.ours },
    { label: `${row.figure} — ${row.scope}`, series: 'published (another corpus)', ...row.published },
  ]);
  return {
    id: 'published-comparison',
    title: 'This corpus beside the published figures',
    description: 'Each published share (from another corpus) beside the same quantity computed here, both with 95% Wilson intervals.',
    spec: intervalSpec(values, ['this database', 'published (another corpus)'], ['#d73027', '#878787']),
  };
}
