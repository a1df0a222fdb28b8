import { CRASH_FAMILIES, CRASH_FAMILY_LABELS } from '../data/crash-families.js';
import type { CrashData } from '../data/crash-data.js';
import { CHART_CONFIG, CHART_WIDTH, PERCENT, type ChartDefinition } from './chart-definition.js';

const FAMILY_COLORS = ['#3288bd', '#fdae61', '#66c2a5', '#d53e4f'];
const family = {
  field: 'family',
  type: 'nominal' as const,
  scale: { domain: CRASH_FAMILIES.map((f) => CRASH_FAMILY_LABELS[f]), range: FAMILY_COLORS },
  title: 'family',
};

export function crashFamilyChart(data: CrashData): ChartDefinition {
  const values = data.families.map((row) => ({ experiment: row.experiment.name, family: CRASH_FAMILY_LABELS[row.family], count: row.share.count, share: row.share.share }));
  return {
    id: 'crash-families',
    title: 'Crash families per experiment',
    description: 'Crashed notebooks (error, timeout, kernel died, environment failed) by the study’s crash family.',
    spec: {
      config: CHART_CONFIG,
      width: CHART_WIDTH,
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'experiment', type: 'nominal', title: null, sort: null },
        x: { field: 'count', type: 'quantitative', stack: 'normalize', axis: { format: '%' }, title: 'share of crashes' },
        color: family,
        tooltip: [
          { field: 'experiment', type: 'nominal' },
          { field: 'family', type: 'nominal' },
          { field: 'count', type: 'quantitative' },
          { field: 'share', type: 'quantitative', format: PERCENT },
        ],
      },
    },
  };
}

/** The most frequent error names, so the matrix stays readable on a large corpus. */
const TOP_ERRORS = 20;

export function crashTypeChart(data: CrashData): ChartDefinition {
  // One cell per (error, family): a ValueError can be two types of the same family (a shape
  // mismatch, a data-value violation), and two rectangles in one cell would hide each other.
  const totals = new Map<string, { errorName: string; family: string; type: string; count: number }>();
  for (const row of data.types) {
    const key = `${row.errorName}\u0000${row.family}`;
    const entry = totals.get(key) ?? { errorName: row.errorName, family: CRASH_FAMILY_LABELS[row.family], type: '', count: 0 };
    entry.count += row.share.count;
    if (!entry.type.split(', ').includes(row.type)) entry.type = entry.type ? `${entry.type}, ${row.type}` : row.type;
    totals.set(key, entry);
  }
  const top = [...totals.values()].sort((a, b) => b.count - a.count || a.errorName.localeCompare(b.errorName)).slice(0, TOP_ERRORS);
  // Error names are data: rows are ordered by a rank field rather than a list of names, which
  // Vega-Lite would compile into an expression.
  const firstRank = new Map<string, number>();
  for (const entry of top) if (!firstRank.has(entry.errorName)) firstRank.set(entry.errorName, firstRank.size);
  const values = top.map((entry) => ({ ...entry, rank: firstRank.get(entry.errorName)! }));
  return {
    id: 'crash-types',
    title: 'Error types × crash families',
    description: `Crashes by exception (or status) and the family and type it maps to, all selected experiments together; the ${TOP_ERRORS} most frequent.`,
    spec: {
      config: CHART_CONFIG,
      data: { values },
      width: { step: 130 },
      height: { step: 22 },
      encoding: {
        x: { field: 'family', type: 'nominal', sort: CRASH_FAMILIES.map((f) => CRASH_FAMILY_LABELS[f]), title: 'family', axis: { labelAngle: 0 } },
        y: { field: 'errorName', type: 'nominal', sort: { field: 'rank', op: 'min', order: 'ascending' }, title: 'error' },
      },
      layer: [
        {
          mark: 'rect',
          encoding: {
            color: family,
            opacity: { field: 'count', type: 'quantitative', legend: null, scale: { range: [0.35, 1] } },
            tooltip: [
              { field: 'errorName', type: 'nominal', title: 'error' },
              { field: 'family', type: 'nominal' },
              { field: 'type', type: 'nominal' },
              { field: 'count', type: 'quantitative' },
            ],
          },
        },
        { mark: { type: 'text', fontSize: 11 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: '#111' } } },
      ],
    },
  };
}
