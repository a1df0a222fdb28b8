import type { ReportData } from '../report-data.js';
import { row, type Column } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function notebookSection(data: ReportData): ReportSection {
  const columns: Column[] = [
    { key: 'id', label: 'notebook', kind: 'integer', csv: 'notebook_id' },
    { key: 'origin', label: 'origin', kind: 'code' },
    { key: 'competition', label: 'competition', kind: 'text' },
    // Experiment columns are keyed by position, never by name: names are data.
    ...data.experiments.map((experiment, i): Column => ({ key: `e${i}`, label: experiment.name, kind: 'notebook', csv: `experiment_${i + 1}` })),
  ];
  return {
    id: 'notebooks',
    title: 'Notebooks',
    intro: ['Every notebook the experiments ran, with its final status in each. Links open the executed notebook and the modernization diff when those files exist next to the report’s inputs.'],
    highlights: [],
    empty: data.notebooks.length === 0 ? 'no notebook has been run yet' : null,
    tables: [
      {
        id: 'notebooks',
        title: 'Notebooks',
        columns,
        rows: data.notebooks.map((nb) =>
          row([['id', nb.notebookId], ['origin', nb.origin], ['competition', nb.competition], ...nb.cells.map((cell, i): [string, typeof cell] => [`e${i}`, cell])]),
        ),
        note: `CSV columns experiment_N_* follow the experiment order: ${data.experiments.map((e, i) => `${i + 1} = ${e.name}`).join(', ') || 'none'}.`,
        htmlOnly: true,
      },
    ],
    charts: [],
  };
}
