import { feedbackChart } from '../charts/feedback-chart.js';
import type { ReportData } from '../report-data.js';
import type { MadeExplicitRow } from '../data/feedback-data.js';
import { proportion } from '../stats/wilson-interval.js';
import { formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function feedbackSection(data: ReportData): ReportSection {
  const { feedback } = data;
  const topOf = (form: 'explicit' | 'implicit') => feedback.categories.find((c) => c.form === form);
  const highlights = feedback.missing
    ? []
    : [
        `${feedback.scanned} notebooks scanned, ${feedback.instances} feedback instances; the study’s ML filter keeps ${formatProportion(feedback.studyMl)}.`,
        ...feedback.studyPrevalence.map((p) => `Notebooks with at least one ${p.label} (the study’s way of counting): ${formatProportion(p.notebooks)}.`),
        ...(['explicit', 'implicit'] as const).flatMap((form) => {
          const top = topOf(form);
          return top ? [`Most frequent ${form} category: ${top.category}, ${formatProportion(top.share)} of ${form} instances.`] : [];
        }),
        ...madeExplicitHighlight(feedback.madeExplicit),
      ];
  return {
    id: 'feedback',
    title: 'Feedback mechanisms',
    intro: [
      'How notebooks check themselves, from each notebook’s latest `mle feedback scan`: explicit feedback stops execution when a check fails (assertions, guards that raise), implicit feedback is output a person reads (prints, displays, logging, the last expression of a cell). Categories follow the feedback study’s taxonomy; these counts are not restricted to the experiments above.',
    ],
    highlights,
    empty: feedback.missing,
    tables: [
      {
        id: 'feedback-mechanisms',
        title: 'Mechanisms',
        columns: [
          { key: 'mechanism', label: 'mechanism', kind: 'text' },
          { key: 'form', label: 'form', kind: 'text' },
          { key: 'instances', label: 'instances', kind: 'integer' },
          { key: 'notebooks', label: 'notebooks with one (of scanned)', kind: 'proportion' },
        ],
        rows: feedback.mechanisms.map((m) => row({ mechanism: m.mechanism, form: m.form, instances: m.instances, notebooks: m.notebooks })),
      },
      {
        id: 'feedback-categories',
        title: 'Categories',
        columns: [
          { key: 'form', label: 'form', kind: 'text' },
          { key: 'category', label: 'category', kind: 'text' },
          { key: 'share', label: 'instances (of the form’s instances)', kind: 'proportion' },
        ],
        rows: feedback.categories.map((c) => row({ form: c.form, category: c.category, share: c.share })),
      },
      ...(feedback.madeExplicit.length === 0
        ? []
        : [
            {
              id: 'feedback-made-explicit',
              title: 'Implicit checks made explicit',
              columns: [
                { key: 'category', label: 'category', kind: 'text' as const },
                { key: 'withOutput', label: 'implicit checks with a stored output', kind: 'integer' as const },
                { key: 'proposed', label: 'assertions proposed', kind: 'integer' as const },
                { key: 'validated', label: 'assertions validated', kind: 'integer' as const },
                { key: 'madeExplicit', label: 'checks made explicit (of those with an output)', kind: 'proportion' as const },
              ],
              rows: feedback.madeExplicit.map((m) => row({ category: m.category, withOutput: m.withOutput, proposed: m.proposed, validated: m.validated, madeExplicit: m.madeExplicit })),
            },
          ]),
    ],
    charts: feedback.missing || feedback.categories.length === 0 ? [] : [feedbackChart(feedback)],
  };
}

function madeExplicitHighlight(rows: readonly MadeExplicitRow[]): string[] {
  if (rows.length === 0) return [];
  const withOutput = rows.reduce((sum, r) => sum + r.withOutput, 0);
  const madeExplicit = rows.reduce((sum, r) => sum + r.madeExplicit.count, 0);
  const validated = rows.reduce((sum, r) => sum + r.validated, 0);
  return [`Implicit checks made explicit (\`mle feedback synthesize --validate\`): ${formatProportion(proportion(madeExplicit, withOutput))} of the prints and last-cell values with a stored output, by ${validated} assertions that pass when the notebook runs in its own environment.`];
}
