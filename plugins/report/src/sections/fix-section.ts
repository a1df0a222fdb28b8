import { fixesPerNotebookChart, fixSourceChart, fixTypeChart } from '../charts/fix-chart.js';
import type { ReportData } from '../report-data.js';
import { formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import { experimentLabel, type ReportSection } from './report-section.js';

const fmt = (value: number | null) => (value === null ? '–' : Number.isInteger(value) ? String(value) : value.toFixed(2));

/**
 * Why a fix chart is left out: a chart of nothing would be an empty frame (or a Vega warning about
 * an empty scale), so the section says what there was not instead.
 */
function missingChartNotes(fixes: ReportData['fixes']): string[] {
  if (fixes.missing) return [];
  if (fixes.histogram.length === 0) return ['No fix charts: no modernization loop started from a non-reproducible notebook (every notebook already reproduced or ran to the end), so there was nothing to fix.'];
  if (fixes.perType.length === 0) return ['No chart per fix type or source: the loops tried no fix (no rule, cached fix or LLM answer applied to their errors).'];
  return [];
}

export function fixSection(data: ReportData): ReportSection {
  const { fixes } = data;
  return {
    id: 'fixes',
    title: 'Fixes',
    intro: [
      'The modernization loop tries fixes until the notebook reproduces or the budget is spent: deterministic rules first, fixes cached from other notebooks second, the LLM last. Candidates are the loops that started from a non-reproducible notebook; a fix helped when it rescued the notebook or improved it.',
      ...missingChartNotes(fixes),
    ],
    highlights: fixes.perNotebook.map(
      (r) =>
        `${experimentLabel(r.experiment)}: rescued ${formatProportion(r.rescued)} of candidates; fixes kept per rescued notebook: median ${fmt(r.appliedPerRescued.median)}, mean ${fmt(r.appliedPerRescued.mean)} (n = ${r.appliedPerRescued.n}).${r.running ? ` ${r.running} loop${r.running === 1 ? '' : 's'} still running, not counted.` : ''}`,
    ),
    empty: fixes.missing,
    tables: [
      {
        id: 'fixes-per-notebook',
        title: 'Fixes per notebook',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'loops', label: 'loops', kind: 'integer' },
          { key: 'candidates', label: 'candidates', kind: 'integer' },
          { key: 'rescued', label: 'rescued (of candidates)', kind: 'proportion' },
          { key: 'tried', label: 'fixes tried', kind: 'integer' },
          { key: 'medianRescued', label: 'median fixes per rescued', kind: 'number', csv: 'median_fixes_per_rescued' },
          { key: 'meanRescued', label: 'mean fixes per rescued', kind: 'number', csv: 'mean_fixes_per_rescued' },
          { key: 'meanCandidate', label: 'mean fixes per candidate', kind: 'number', csv: 'mean_fixes_per_candidate' },
          { key: 'maxCandidate', label: 'most fixes on one notebook', kind: 'integer', csv: 'max_fixes' },
        ],
        rows: fixes.perNotebook.map((r) =>
          row({
            experiment: r.experiment.name,
            loops: r.loops,
            candidates: r.candidates,
            rescued: r.rescued,
            tried: r.tried,
            medianRescued: r.appliedPerRescued.median,
            meanRescued: r.appliedPerRescued.mean,
            meanCandidate: r.appliedPerCandidate.mean,
            maxCandidate: r.appliedPerCandidate.max,
          }),
        ),
      },
      {
        id: 'fix-types',
        title: 'Fixes per fix type',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'source', label: 'source', kind: 'text' },
          { key: 'fixType', label: 'fix type', kind: 'code', csv: 'fix_type' },
          { key: 'fixCode', label: 'code', kind: 'text', csv: 'fix_code' },
          { key: 'kind', label: 'kind', kind: 'text' },
          { key: 'tried', label: 'tried', kind: 'integer' },
          { key: 'helped', label: 'helped (of tried)', kind: 'proportion' },
          { key: 'rescued', label: 'rescued', kind: 'integer' },
          { key: 'rolledBack', label: 'rolled back', kind: 'integer', csv: 'rolled_back' },
        ],
        rows: fixes.perType.map((t) =>
          row({ experiment: t.experiment.name, source: t.source, fixType: t.fixType, fixCode: t.fixCode, kind: t.kind, tried: t.tried, helped: t.helped, rescued: t.rescued, rolledBack: t.rolledBack }),
        ),
      },
      {
        id: 'fix-sources',
        title: 'Fixes per source',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'source', label: 'source', kind: 'text' },
          { key: 'tried', label: 'tried', kind: 'integer' },
          { key: 'helped', label: 'helped (of tried)', kind: 'proportion' },
          { key: 'rescuing', label: 'made the rescuing fix (of rescued notebooks)', kind: 'proportion' },
          { key: 'rolledBack', label: 'rolled back', kind: 'integer', csv: 'rolled_back' },
          { key: 'notApplied', label: 'not applied', kind: 'integer', csv: 'not_applied' },
        ],
        rows: fixes.perSource.map((s) =>
          row({ experiment: s.experiment.name, source: s.source, tried: s.tried, helped: s.helped, rescuing: s.rescuing, rolledBack: s.outcomes['rolled-back'], notApplied: s.outcomes['not-applied'] }),
        ),
      },
    ],
    charts: fixes.missing || fixes.histogram.length === 0 ? [] : [fixesPerNotebookChart(fixes), ...(fixes.perType.length ? [fixTypeChart(fixes), fixSourceChart(fixes)] : [])],
  };
}
