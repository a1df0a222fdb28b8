import { publishedChart } from '../charts/interval-chart.js';
import type { ReportData } from '../report-data.js';
import { formatPClause, formatProportion, formatUsd } from '../tables/format-cell.js';
import { row } from '../tables/report-table.js';
import type { ReportSection } from './report-section.js';

export function publishedSection(data: ReportData): ReportSection {
  const { published } = data;
  return {
    id: 'published',
    title: 'Beside the published figures (different corpora)',
    intro: [
      'The published studies’ headline figures set beside the same quantities computed on this database. These are different corpora, environments, graders and dates: the comparison shows where this corpus stands, it is not a replication and agreement is not expected. Published intervals are computed from the published counts.',
      `The modernization study (MLEModernizer, arXiv 2602.07195 v1) reports 35.4% of 12,720 notebooks reproducible as found, 74.2% of 7,402 candidates rescued, about $0.31 per notebook, and that ${published.backportFinding}.`,
    ],
    highlights: [
      ...published.shares.map((s) => `${s.figure} — ${s.scope}: ${formatProportion(s.ours)} here vs ${formatProportion(s.published)} published.`),
      ...published.backport.map(
        (b) =>
          `Backporting (${b.baseline.name} → ${b.backport.name}, ${b.shared} shared): ${formatProportion(b.baselineReproducible)} → ${formatProportion(b.backportReproducible)}, McNemar ${formatPClause(b.pValue)}: ${b.verdict} — ${b.agreesWithStudy ? 'consistent with' : 'unlike'} the study.`,
      ),
    ],
    empty: published.missing,
    tables: [
      {
        id: 'published-shares',
        title: 'Shares',
        columns: [
          { key: 'figure', label: 'figure', kind: 'text' },
          { key: 'scope', label: 'computed here on', kind: 'text' },
          { key: 'ours', label: 'this database', kind: 'proportion' },
          { key: 'published', label: 'published', kind: 'proportion' },
          { key: 'inside', label: 'published value inside our 95% CI', kind: 'boolean', csv: 'published_inside_our_ci' },
          { key: 'source', label: 'source', kind: 'text' },
        ],
        rows: published.shares.map((s) => row({ figure: s.figure, scope: s.scope, ours: s.ours, published: s.published, inside: s.publishedInsideOurInterval, source: s.source })),
      },
      {
        id: 'published-backport',
        title: 'Does backporting help? (study: no)',
        columns: [
          { key: 'baseline', label: 'baseline', kind: 'text' },
          { key: 'backport', label: 'backport', kind: 'text' },
          { key: 'shared', label: 'shared notebooks', kind: 'integer' },
          { key: 'baseRep', label: 'baseline reproducible', kind: 'proportion', csv: 'baseline_reproducible' },
          { key: 'backRep', label: 'backport reproducible', kind: 'proportion', csv: 'backport_reproducible' },
          { key: 'p', label: 'McNemar exact p', kind: 'p-value', csv: 'mcnemar_p' },
          { key: 'verdict', label: 'here', kind: 'text' },
          { key: 'agrees', label: 'consistent with the study', kind: 'boolean', csv: 'consistent_with_study' },
        ],
        rows: published.backport.map((b) =>
          row({ baseline: b.baseline.name, backport: b.backport.name, shared: b.shared, baseRep: b.baselineReproducible, backRep: b.backportReproducible, p: b.pValue, verdict: b.verdict, agrees: b.agreesWithStudy }),
        ),
      },
      {
        id: 'published-cost-and-fixes',
        title: 'Cost and fixes per notebook',
        columns: [
          { key: 'experiment', label: 'experiment', kind: 'text' },
          { key: 'cost', label: 'cost per candidate here', kind: 'usd', csv: 'cost_per_candidate_usd' },
          { key: 'publishedCost', label: 'published cost per notebook', kind: 'usd', csv: 'published_cost_per_notebook_usd' },
          { key: 'n', label: 'rescued notebooks here', kind: 'integer', csv: 'rescued' },
          { key: 'median', label: 'median fixes per rescued here', kind: 'number', csv: 'median_fixes_per_rescued' },
          { key: 'mean', label: 'mean fixes per rescued here', kind: 'number', csv: 'mean_fixes_per_rescued' },
          { key: 'publishedFixes', label: 'published (n = 3,292)', kind: 'text', csv: 'published_fixes_per_rescued' },
        ],
        rows: published.fixes.map((f) => {
          const cost = published.cost.find((c) => c.experiment.id === f.experiment.id);
          return row({
            experiment: f.experiment.name,
            cost: cost?.ourPerNotebookUsd ?? null,
            publishedCost: cost?.publishedPerNotebookUsd ?? null,
            n: f.n,
            median: f.median,
            mean: f.mean,
            publishedFixes: `median ${f.published.median}, mean ${f.published.mean}`,
          });
        }),
        note: `Published cost: about ${formatUsd(0.31)} per notebook (v1); the ISSTA run with GPT-5.2 reports $0.6453 per notebook.`,
      },
      {
        id: 'published-feedback-categories',
        title: 'Feedback categories (study: coded samples of 82 assertions and 68 implicit statements)',
        columns: [
          { key: 'form', label: 'form', kind: 'text' },
          { key: 'category', label: 'category', kind: 'text' },
          { key: 'ours', label: 'this database (study’s mechanisms)', kind: 'proportion' },
          { key: 'published', label: 'published sample', kind: 'proportion' },
        ],
        rows: published.categories.map((c) => row({ form: c.form, category: c.category, ours: c.ours, published: c.published })),
        note: 'The study coded a small sample by hand; here every instance is classified by rules. Only the mechanisms the study counted (assert, assertion calls, print calls, last-cell values) enter these shares.',
      },
    ],
    charts: published.shares.length ? [publishedChart(published)] : [],
  };
}
