import { funnelChart, statusChart } from '../charts/funnel-chart.js';
import type { ReportData } from '../report-data.js';
import { formatProportion } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import { experimentLabel, type ReportSection } from './report-section.js';

export function funnelSection(data: ReportData): ReportSection {
  const { funnel } = data;
  const reproduced = funnel.stages.filter((s) => s.stage === 'reproduced');
  return {
    id: 'funnel',
    title: 'Reproducibility per condition',
    intro: [
      'Each experiment is one condition: baseline (today’s environment), backport (an environment rebuilt as of the notebook’s date), modernize (code repaired by rules, cached fixes and the LLM). The funnel counts, out of the notebooks the experiment attempted, those that got an environment, ran without a crash, were graded with a score (any run with a score, also one whose notebook has no reported score to compare with), and reproduced. Each stage is inside the one before: a notebook that reached a stage counts at every earlier one.',
    ],
    highlights: reproduced.map((s) => `${experimentLabel(s.experiment)}: ${formatProportion(s.share)} reproduced.`),
    empty: funnel.missing,
    tables: [
      {
        id: 'funnel',
        title: 'Reproducibility funnel',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'kind', label: 'condition', kind: 'text' },
          { key: 'stage', label: 'stage', kind: 'text' },
          { key: 'share', label: 'notebooks (of attempted)', kind: 'proportion' },
        ],
        rows: funnel.stages.map((s) => row({ experiment: s.experiment.name, kind: s.experiment.kind, stage: s.stageLabel, share: s.share })),
      },
      {
        id: 'statuses',
        title: 'Final status per experiment',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'status', label: 'status', kind: 'text' },
          { key: 'share', label: 'notebooks (of attempted)', kind: 'proportion' },
        ],
        rows: funnel.statuses.map((s) => row({ experiment: s.experiment.name, status: s.status, share: s.share })),
      },
    ],
    charts: funnel.missing ? [] : [funnelChart(funnel, data.experiments.map((e) => e.name)), statusChart(funnel)],
  };
}
