import { transitionChart } from '../charts/transition-chart.js';
import type { ReportData } from '../report-data.js';
import { formatPClause, formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function transitionsSection(data: ReportData): ReportSection {
  const { transitions } = data;
  return {
    id: 'transitions',
    title: 'Status transitions between conditions',
    intro: [
      'For every pair of experiments, the notebooks both attempted: the status each had in the first and in the second. The paired test is McNemar’s exact test on reproducible / not reproducible; it uses only the notebooks whose verdict changed.',
    ],
    highlights: transitions.pairs.map(
      (p) =>
        `${p.from.name} → ${p.to.name} (${p.shared} shared notebooks): reproducible ${formatProportion(p.fromReproducible)} → ${formatProportion(p.toReproducible)}; ${p.test.secondOnly} gained, ${p.test.firstOnly} lost, McNemar exact ${formatPClause(p.test.pValue)}.`,
    ),
    empty: transitions.missing,
    tables: [
      {
        id: 'transitions',
        title: 'Transitions',
        columns: [
          { key: 'first', label: 'from experiment', kind: 'text' },
          { key: 'second', label: 'to experiment', kind: 'text' },
          { key: 'from', label: 'from status', kind: 'text' },
          { key: 'to', label: 'to status', kind: 'text' },
          { key: 'share', label: 'notebooks (of shared)', kind: 'proportion' },
        ],
        rows: transitions.pairs.flatMap((p) => p.cells.map((c) => row({ first: p.from.name, second: p.to.name, from: c.from, to: c.to, share: c.share }))),
      },
      {
        id: 'transition-tests',
        title: 'Paired reproducibility (McNemar)',
        columns: [
          { key: 'first', label: 'first', kind: 'text' },
          { key: 'second', label: 'second', kind: 'text' },
          { key: 'shared', label: 'shared notebooks', kind: 'integer' },
          { key: 'firstRep', label: 'reproducible in first', kind: 'proportion', csv: 'first_reproducible' },
          { key: 'secondRep', label: 'reproducible in second', kind: 'proportion', csv: 'second_reproducible' },
          { key: 'both', label: 'both', kind: 'integer' },
          { key: 'firstOnly', label: 'first only', kind: 'integer', csv: 'first_only' },
          { key: 'secondOnly', label: 'second only', kind: 'integer', csv: 'second_only' },
          { key: 'neither', label: 'neither', kind: 'integer' },
          { key: 'p', label: 'McNemar exact p', kind: 'p-value', csv: 'mcnemar_p' },
        ],
        rows: transitions.pairs.map((p) =>
          row({
            first: p.from.name,
            second: p.to.name,
            shared: p.shared,
            firstRep: p.fromReproducible,
            secondRep: p.toReproducible,
            both: p.test.bothYes,
            firstOnly: p.test.firstOnly,
            secondOnly: p.test.secondOnly,
            neither: p.test.bothNo,
            p: p.test.pValue,
          }),
        ),
      },
    ],
    charts: transitions.missing ? [] : [transitionChart(transitions)],
  };
}
