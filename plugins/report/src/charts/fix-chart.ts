import { FIX_OUTCOMES, FIX_SOURCES, type FixData } from '../data/fix-data.js';
import { CHART_CONFIG, CHART_WIDTH, PERCENT, type ChartDefinition } from './chart-definition.js';

const SOURCE_COLORS = { domain: [...FIX_SOURCES], range: ['#4575b4', '#91bfdb', '#fc8d59'] };

export function fixesPerNotebookChart(data: FixData): ChartDefinition {
  const values = data.histogram.map((row) => ({ experiment: row.experiment.name, fixes: row.fixesApplied, group: row.group, notebooks: row.notebooks }));
  return {
    id: 'fixes-per-notebook',
    title: 'Fixes per notebook',
    description: 'Modernization candidates by the number of fixes the loop kept, rescued or not.',
    spec: {
      config: CHART_CONFIG,
      data: { values },
      facet: { row: { field: 'experiment', type: 'nominal', title: null, sort: null } },
      spec: {
        width: CHART_WIDTH - 80,
        height: 160,
        mark: 'bar',
        encoding: {
          x: { field: 'fixes', type: 'ordinal', title: 'fixes applied', axis: { labelAngle: 0 } },
          y: { field: 'notebooks', type: 'quantitative', title: 'notebooks', axis: { tickMinStep: 1 } },
          color: { field: 'group', type: 'nominal', scale: { domain: ['rescued', 'not rescued'], range: ['#1a9850', '#bababa'] }, title: null },
          tooltip: [
            { field: 'fixes', type: 'ordinal', title: 'fixes applied' },
            { field: 'group', type: 'nominal' },
            { field: 'notebooks', type: 'quantitative' },
          ],
        },
      },
    },
  };
}

/** Fix types shown: the most tried, so a large rule catalogue still fits. */
const TOP_TYPES = 25;

export function fixTypeChart(data: FixData): ChartDefinition {
  const experimentIds = [...new Set(data.perType.map((row) => row.experiment.id))];
  const values = experimentIds.flatMap((id, panel) =>
    data.perType
      .filter((row) => row.experiment.id === id)
      .slice(0, TOP_TYPES)
      .map((row, rank) => ({
    panel,
    rank,
    experiment: row.experiment.name,
    fixType: row.fixCode ? `${row.fixType} (${row.fixCode})` : row.fixType,
    source: row.source,
    kind: row.kind,
    tried: row.tried,
    helped: row.helped.count,
    share: row.helped.share,
  })),
  );
  const panels = experimentIds.map((_, panel) => ({ panel, title: values.find((v) => v.panel === panel)!.experiment }));
  // One panel per experiment, selected by number and sorted by rank (most tried first): data never
  // enters a filter or sort expression, where a crafted name could break the chart.
  const panel = ({ panel, title }: { panel: number; title: string }) => ({
    title,
    width: CHART_WIDTH - 200,
    height: { step: 18 },
    transform: [{ filter: { field: 'panel', equal: panel } }],
    encoding: {
      y: { field: 'fixType', type: 'nominal' as const, sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const }, title: null },
      color: { field: 'source', type: 'nominal' as const, scale: SOURCE_COLORS, title: 'source' },
      tooltip: [
        { field: 'fixType', type: 'nominal' as const, title: 'fix type' },
        { field: 'source', type: 'nominal' as const },
        { field: 'kind', type: 'nominal' as const },
        { field: 'tried', type: 'quantitative' as const },
        { field: 'helped', type: 'quantitative' as const },
        { field: 'share', type: 'quantitative' as const, format: PERCENT, title: 'helped share' },
      ],
    },
    layer: [
      { mark: { type: 'bar' as const, opacity: 0.35 }, encoding: { x: { field: 'tried', type: 'quantitative' as const, title: 'fixes', axis: { tickMinStep: 1 } } } },
      { mark: 'bar' as const, encoding: { x: { field: 'helped', type: 'quantitative' as const } } },
    ],
  });
  return {
    id: 'fix-types',
    title: 'Fixes per fix type',
    description: 'Fixes tried per fix type (light bar) and those that rescued or improved the notebook (dark bar), colored by source.',
    spec: { config: CHART_CONFIG, data: { values }, vconcat: panels.map(panel) },
  };
}

export function fixSourceChart(data: FixData): ChartDefinition {
  const values = data.perSource.flatMap((row) =>
    FIX_OUTCOMES.filter((outcome) => row.outcomes[outcome] > 0).map((outcome) => ({ experiment: row.experiment.name, source: row.source, outcome, fixes: row.outcomes[outcome] })),
  );
  return {
    id: 'fix-sources',
    title: 'Fixes per source and outcome',
    description: 'Fixes from deterministic rules, the fix cache and the LLM, by what applying them did.',
    spec: {
      config: CHART_CONFIG,
      data: { values },
      facet: { row: { field: 'experiment', type: 'nominal', title: null, sort: null } },
      spec: {
        width: CHART_WIDTH - 120,
        mark: 'bar',
        encoding: {
          y: { field: 'source', type: 'nominal', sort: [...FIX_SOURCES], title: null, scale: { domain: [...FIX_SOURCES] } },
          x: { field: 'fixes', type: 'quantitative', title: 'fixes', axis: { tickMinStep: 1 } },
          color: { field: 'outcome', type: 'nominal', scale: { domain: [...FIX_OUTCOMES], range: ['#1a9850', '#a6d96a', '#e0e0e0', '#f46d43', '#878787'] }, title: 'outcome' },
          order: { field: 'outcome', sort: 'ascending' },
          tooltip: [
            { field: 'source', type: 'nominal' },
            { field: 'outcome', type: 'nominal' },
            { field: 'fixes', type: 'quantitative' },
          ],
        },
      },
    },
  };
}
