import { comparisonChart } from '../charts/interval-chart.js';
import type { ReportData } from '../report-data.js';
import { formatPClause, formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function comparisonSection(data: ReportData): ReportSection {
  const { comparison } = data;
  return {
    id: 'comparison',
    title: comparison.named ? 'Comparison of the named experiments' : 'Comparison of all experiments',
    intro: [
      'Side by side, per experiment: the reproducible share of attempted notebooks, the rescued share of modernization candidates, fixes, LLM calls, cost and kernel time. The paired test is McNemar’s exact test on the notebooks both experiments ran (reproducible or not at the end): it asks whether one configuration rescues notebooks the other does not, more often than the reverse.',
      ...(comparison.named ? [] : ['Pass `--experiment NAME` several times to compare chosen experiments (rules only vs rules + LLM, two models, two corpora) in the order given.']),
    ],
    highlights: comparison.tests
      .filter((t) => t.shared > 0)
      .map(
        (t) =>
          `${t.first.name} vs ${t.second.name} on ${t.shared} shared notebooks: ${formatProportion(t.firstReproducible)} vs ${formatProportion(t.secondReproducible)} reproducible; ${t.firstOnly} only in the first, ${t.secondOnly} only in the second; McNemar exact ${formatPClause(t.pValue)}.`,
      ),
    empty: comparison.missing,
    tables: [
      {
        id: 'comparison',
        title: 'Experiments',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'kind', label: 'condition', kind: 'text' },
          { key: 'notebooks', label: 'notebooks', kind: 'integer' },
          { key: 'reproducible', label: 'reproducible (of attempted)', kind: 'proportion' },
          { key: 'rescued', label: 'rescued (of candidates)', kind: 'proportion' },
          { key: 'tried', label: 'fixes tried', kind: 'integer', csv: 'fixes_tried' },
          { key: 'applied', label: 'fixes kept', kind: 'integer', csv: 'fixes_kept' },
          { key: 'calls', label: 'LLM calls', kind: 'integer', csv: 'llm_calls' },
          { key: 'cost', label: 'cost', kind: 'usd', csv: 'cost_usd' },
          { key: 'time', label: 'kernel time', kind: 'seconds', csv: 'kernel_seconds' },
        ],
        rows: comparison.experiments.map((c) =>
          row({
            experiment: c.experiment.name,
            kind: c.experiment.kind,
            notebooks: c.notebooks,
            reproducible: c.reproducible,
            rescued: c.rescued,
            tried: c.fixesTried,
            applied: c.fixesApplied,
            calls: c.llmCalls,
            cost: c.costUsd,
            time: c.runSeconds,
          }),
        ),
      },
      {
        id: 'comparison-tests',
        title: 'Paired tests on shared notebooks (McNemar exact)',
        columns: [
          { key: 'first', label: 'first', kind: 'text' },
          { key: 'second', label: 'second', kind: 'text' },
          { key: 'shared', label: 'shared notebooks', kind: 'integer' },
          { key: 'firstRep', label: 'first reproducible', kind: 'proportion', csv: 'first_reproducible' },
          { key: 'secondRep', label: 'second reproducible', kind: 'proportion', csv: 'second_reproducible' },
          { key: 'firstOnly', label: 'first only', kind: 'integer', csv: 'first_only' },
          { key: 'secondOnly', label: 'second only', kind: 'integer', csv: 'second_only' },
          { key: 'p', label: 'p', kind: 'p-value', csv: 'mcnemar_p' },
        ],
        rows: comparison.tests.map((t) =>
          row({ first: t.first.name, second: t.second.name, shared: t.shared, firstRep: t.firstReproducible, secondRep: t.secondReproducible, firstOnly: t.firstOnly, secondOnly: t.secondOnly, p: t.shared > 0 ? t.pValue : null }),
        ),
        note: 'A pair without shared notebooks has no test. With many pairs, correct for multiple comparisons before calling one significant.',
      },
    ],
    charts: comparison.missing ? [] : [comparisonChart(comparison)],
  };
}
