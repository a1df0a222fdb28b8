import { runtimeChart, scoreErrorChart } from '../charts/distribution-chart.js';
import type { Quantiles } from '../stats/quantiles.js';
import type { ReportData } from '../report-data.js';
import { formatPercent, formatProportion, formatSeconds } from '../tables/format-cell.js';
import { row, type Column } from '../tables/report-table.js';
import { experimentLabel, type ReportSection } from './report-section.js';

function quantileColumns(kind: Column['kind']): Column[] {
  return [
    { key: 'n', label: 'n', kind: 'integer' },
    { key: 'p25', label: '25th percentile', kind, csv: 'p25' },
    { key: 'median', label: 'median', kind },
    { key: 'p75', label: '75th percentile', kind, csv: 'p75' },
    { key: 'p90', label: '90th percentile', kind, csv: 'p90' },
    { key: 'max', label: 'max', kind },
    { key: 'mean', label: 'mean', kind },
  ];
}

const quantileCells = (q: Quantiles) => ({ n: q.n, p25: q.p25, median: q.median, p75: q.p75, p90: q.p90, max: q.max, mean: q.mean });

export function scoreErrorSection(data: ReportData): ReportSection {
  const { scoreError } = data;
  return {
    id: 'score-error',
    title: 'Score relative error',
    intro: ['|score − reported| / |reported| for every notebook whose representative run was graded and has a reported score. The study’s criterion accepts up to 10%.'],
    highlights: scoreError.rows.map(
      (r) => `${experimentLabel(r.experiment)}: median relative error ${formatPercent(r.relativeError.median)}; within 10%: ${formatProportion(r.withinTolerance)} of scored notebooks.`,
    ),
    empty: scoreError.missing,
    tables: [
      {
        id: 'score-error',
        title: 'Relative error of the score',
        columns: [{ key: 'experiment', label: 'experiment', kind: 'text' }, ...quantileColumns('percent'), { key: 'within', label: 'within 10% (of scored)', kind: 'proportion', csv: 'within_10pct' }],
        rows: scoreError.rows.map((r) => row({ experiment: r.experiment.name, ...quantileCells(r.relativeError), within: r.withinTolerance })),
        note: 'Percentiles interpolate linearly between order statistics, as numpy.quantile does.',
      },
    ],
    charts: scoreError.missing ? [] : [scoreErrorChart(scoreError, data.experiments.map((e) => e.name))],
  };
}

export function runtimeSection(data: ReportData): ReportSection {
  const { runtime } = data;
  return {
    id: 'runtime',
    title: 'Runtime',
    intro: ['Wall time of each notebook’s representative run, from kernel start to the last cell (environment failures excluded); kernel time sums every attempt, retries and repair steps included.'],
    highlights: runtime.rows.map((r) => `${experimentLabel(r.experiment)}: median ${formatSeconds(r.seconds.median)} per notebook (n = ${r.seconds.n}); ${formatSeconds(r.totalSeconds)} of kernel time in all.`),
    empty: runtime.missing,
    tables: [
      {
        id: 'runtime',
        title: 'Wall time per notebook',
        columns: [{ key: 'experiment', label: 'experiment', kind: 'text' }, ...quantileColumns('seconds'), { key: 'total', label: 'kernel time, all attempts', kind: 'seconds', csv: 'total_seconds' }],
        rows: runtime.rows.map((r) => row({ experiment: r.experiment.name, ...quantileCells(r.seconds), total: r.totalSeconds })),
      },
    ],
    charts: runtime.missing ? [] : [runtimeChart(runtime, data.experiments.map((e) => e.name))],
  };
}
