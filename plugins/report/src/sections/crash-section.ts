import { crashFamilyChart, crashTypeChart } from '../charts/crash-chart.js';
import { CRASH_FAMILY_LABELS, CRASH_RULES } from '../data/crash-families.js';
import type { ReportData } from '../report-data.js';
import { formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import { experimentLabel, type ReportSection } from './report-section.js';

export function crashSection(data: ReportData): ReportSection {
  const { crashes } = data;
  return {
    id: 'crashes',
    title: 'Crash taxonomy',
    intro: [
      'Crashes are the notebooks whose representative run ended in an error, a timeout, a dead kernel or a failed environment without a score (a run whose cell raised after its submission was graded is not a crash here, as in the funnel). Each is mapped to a crash type and one of the modernization study’s four families (environment; names and resources; shapes and data; Python exceptions) by its exception name and message, with the rules in the last table. Only the first failing cell counts, so errors that merely follow from an earlier one do not inflate NameError.',
    ],
    highlights: crashes.rates.map((r) => {
      const top = crashes.families.filter((f) => f.experiment.id === r.experiment.id).sort((a, b) => b.share.count - a.share.count)[0];
      return `${experimentLabel(r.experiment)}: ${formatProportion(r.crashed)} crashed${top ? `; most often ${CRASH_FAMILY_LABELS[top.family]}: ${formatProportion(top.share)} of crashes` : ''}.`;
    }),
    empty: crashes.missing,
    tables: [
      {
        id: 'crash-rates',
        title: 'Crashed notebooks',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'crashed', label: 'crashed (of attempted)', kind: 'proportion' },
        ],
        rows: crashes.rates.map((r) => row({ experiment: r.experiment.name, crashed: r.crashed })),
      },
      {
        id: 'crash-families',
        title: 'Crash families',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'family', label: 'family', kind: 'text' },
          { key: 'share', label: 'crashes (of crashes)', kind: 'proportion' },
        ],
        rows: crashes.families.map((f) => row({ experiment: f.experiment.name, family: CRASH_FAMILY_LABELS[f.family], share: f.share })),
      },
      {
        id: 'crash-types',
        title: 'Error types',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'family', label: 'family', kind: 'text' },
          { key: 'type', label: 'crash type', kind: 'text' },
          { key: 'error', label: 'error', kind: 'code' },
          { key: 'share', label: 'crashes (of crashes)', kind: 'proportion' },
          { key: 'example', label: 'first message', kind: 'code' },
          { key: 'code', label: 'failing cell (start)', kind: 'code', csv: 'failing_cell' },
          { key: 'notebooks', label: 'notebook ids', kind: 'text' },
        ],
        rows: crashes.types.map((t) =>
          row({ experiment: t.experiment.name, family: CRASH_FAMILY_LABELS[t.family], type: t.type, error: t.errorName, share: t.share, example: t.example, code: t.exampleCode, notebooks: t.notebookIds.join(' ') }),
        ),
      },
      {
        id: 'crash-mapping',
        title: 'How crashes are mapped (first matching rule wins)',
        columns: [
          { key: 'order', label: '#', kind: 'integer' },
          { key: 'family', label: 'family', kind: 'text' },
          { key: 'type', label: 'crash type', kind: 'text' },
          { key: 'rule', label: 'matches', kind: 'text' },
        ],
        rows: CRASH_RULES.map((r, i) => row({ order: i + 1, family: CRASH_FAMILY_LABELS[r.family], type: r.type, rule: r.description })),
      },
    ],
    charts: crashes.missing ? [] : [crashFamilyChart(crashes), crashTypeChart(crashes)],
  };
}
