import { FIX_OUTCOMES, FIX_SOURCES, type FixData } from '../data/fix-data.js';
import type { ExperimentInfo } from '../data/experiments.js';
import { CHART_CONFIG, CHART_WIDTH, PERCENT, type ChartDefinition } from './chart-definition.js';

const SOURCE_COLORS = { domain: [...FIX_SOURCES], range: ['#4575b4', '#91bfdb', '#fc8d59'] };

/**
 * One panel per experiment, stacked vertically in report order. Panels are selected by number
 * (`panel`), never by experiment name: a filter on a name would put user text into a Vega
 * expression, and facets would order experiments alphabetically.
 */
function panels(experiments: readonly ExperimentInfo[]): { panel: number; title: string; id: number }[] {
  return experiments.map((experiment, panel) => ({ panel, title: experiment.name, id: experiment.id }));
}

function experimentsOf(rows: readonly { experiment: ExperimentInfo }[]): ExperimentInfo[] {
  const seen = new Map<number, ExperimentInfo>();
  for (const row of rows) if (!seen.has(row.experiment.id)) seen.set(row.experiment.id, row.experiment);
  return [...seen.values()];
}

export function fixesPerNotebookChart(data: FixData): ChartDefinition {
  // A panel per experiment with candidates: an experiment without any would be an empty panel.
  const list = panels(experimentsOf(data.histogram));
  const values = data.histogram.map((row) => ({ panel: list.find((p) => p.id === row.experiment.id)!.panel, experiment: row.experiment.name, fixes: row.fixesApplied, group: row.group, notebooks: row.notebooks }));
  return {
    id: 'fixes-per-notebook',
    title: 'Fixes per notebook',
    description: 'Modernization candidates by the number of fixes the loop kept, rescued or not.',
    spec: {
      config: CHART_CONFIG,
      data: { values },
      vconcat: list.map(({ panel, title }) => ({
        title,
        width: CHART_WIDTH - 80,
        height: 160,
        transform: [{ filter: { field: 'panel', equal: panel } }],
        mark: 'bar' as const,
        encoding: {
          x: { field: 'fixes', type: 'ordinal' as const, title: 'fixes applied', axis: { labelAngle: 0 } },
          y: { field: 'notebooks', type: 'quantitative' as const, title: 'notebooks', axis: { tickMinStep: 1 } },
          color: { field: 'group', type: 'nominal' as const, scale: { domain: ['rescued', 'not rescued'], range: ['#1a9850', '#bababa'] }, title: null },
          tooltip: [
            { field: 'fixes', type: 'ordinal' as const, title: 'fixes applied' },
            { field: 'group', type: 'nominal' as const },
            { field: 'notebooks', type: 'quantitative' as const },
          ],
        },
      })),
    },
  };
}

/** Fix types shown per experiment: the most tried, so a large rule catalogue still fits. */
const TOP_TYPES = 25;

export function fixTypeChart(data: FixData): ChartDefinition {
  const list = panels(experimentsOf(data.perType));
  const values = list.flatMap(({ panel, id }) =>
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
  return {
    id: 'fix-types',
    title: 'Fixes per fix type',
    description: `Fixes tried per fix type (light bar) and those that rescued or improved the notebook (dark bar), colored by source; the ${TOP_TYPES} most tried per experiment.`,
    spec: {
      config: CHART_CONFIG,
      data: { values },
      vconcat: list.map(({ panel, title }) => ({
        title,
        width: CHART_WIDTH - 200,
        height: { step: 18 },
        transform: [{ filter: { field: 'panel', equal: panel } }],
        encoding: {
          // Sorted by rank (most tried first): layered bars cannot share a sort by a summed field.
          y: { field: 'fixType', type: 'nominal' as const, sort: { field: 'rank', op: 'min' as const, order: 'ascending' as const }, title: null, axis: { labelLimit: 280 } },
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
      })),
    },
  };
}

export function fixSourceChart(data: FixData): ChartDefinition {
  const list = panels(experimentsOf(data.perSource.filter((row) => row.tried > 0)));
  const values = data.perSource.flatMap((row) =>
    FIX_OUTCOMES.filter((outcome) => row.outcomes[outcome] > 0).map((outcome) => ({
      panel: list.find((p) => p.id === row.experiment.id)!.panel,
      experiment: row.experiment.name,
      source: row.source,
      outcome,
      order: FIX_OUTCOMES.indexOf(outcome),
      fixes: row.outcomes[outcome],
    })),
  );
  return {
    id: 'fix-sources',
    title: 'Fixes per source and outcome',
    description: 'Fixes from deterministic rules, the fix cache and the LLM, by what applying them did.',
    spec: {
      config: CHART_CONFIG,
      data: { values },
      vconcat: list.map(({ panel, title }) => ({
        title,
        width: CHART_WIDTH - 120,
        transform: [{ filter: { field: 'panel', equal: panel } }],
        mark: 'bar' as const,
        encoding: {
          y: { field: 'source', type: 'nominal' as const, title: null, scale: { domain: [...FIX_SOURCES] } },
          x: { field: 'fixes', type: 'quantitative' as const, title: 'fixes', axis: { tickMinStep: 1 } },
          color: { field: 'outcome', type: 'nominal' as const, scale: { domain: [...FIX_OUTCOMES], range: ['#1a9850', '#a6d96a', '#e0e0e0', '#f46d43', '#878787'] }, title: 'outcome' },
          order: { field: 'order', type: 'quantitative' as const },
          tooltip: [
            { field: 'source', type: 'nominal' as const },
            { field: 'outcome', type: 'nominal' as const },
            { field: 'fixes', type: 'quantitative' as const },
          ],
        },
      })),
    },
  };
}
