import { proportion, type Proportion } from '../stats/wilson-interval.js';
import type { CostData } from './cost-data.js';
import type { ExperimentInfo } from './experiments.js';
import type { FeedbackData } from './feedback-data.js';
import type { FixData } from './fix-data.js';
import type { NotebookOutcome } from './notebook-outcomes.js';
import {
  PUBLISHED_BACKPORT_FINDING,
  PUBLISHED_CATEGORIES,
  PUBLISHED_COST_PER_NOTEBOOK_USD,
  PUBLISHED_FEEDBACK_PREVALENCE,
  PUBLISHED_FIXES_PER_RESCUED,
  PUBLISHED_REPRODUCIBLE,
  PUBLISHED_RESCUED,
  type PublishedShare,
} from './published-figures.js';
import { transitionPair } from './transition-data.js';

export interface PublishedShareRow {
  figure: string;
  source: string;
  published: Proportion;
  /** What the figure is computed from in this database (an experiment name, "scanned notebooks"). */
  scope: string;
  ours: Proportion;
  /** Whether the published share lies inside our 95% interval; null without our share. */
  publishedInsideOurInterval: boolean | null;
}

export interface BackportFinding {
  baseline: ExperimentInfo;
  backport: ExperimentInfo;
  shared: number;
  baselineReproducible: Proportion;
  backportReproducible: Proportion;
  pValue: number;
  verdict: 'backport reproduces more' | 'backport reproduces less' | 'no significant difference';
  /** The study found backporting does not help: true unless backport reproduces significantly more. */
  agreesWithStudy: boolean;
}

export interface PublishedData {
  missing: string | null;
  shares: PublishedShareRow[];
  backport: BackportFinding[];
  backportFinding: string;
  cost: { experiment: ExperimentInfo; ourPerNotebookUsd: number | null; publishedPerNotebookUsd: number }[];
  fixes: { experiment: ExperimentInfo; n: number; median: number | null; mean: number | null; published: typeof PUBLISHED_FIXES_PER_RESCUED }[];
  categories: { form: 'explicit' | 'implicit'; category: string; published: Proportion; ours: Proportion }[];
}

const ALPHA = 0.05;

function shareRow(published: PublishedShare, scope: string, ours: Proportion, figure = published.label): PublishedShareRow {
  const p = proportion(published.count, published.total);
  return {
    figure,
    source: published.source,
    published: p,
    scope,
    ours,
    publishedInsideOurInterval: ours.low === null || ours.high === null ? null : p.share! >= ours.low && p.share! <= ours.high,
  };
}

/**
 * The published headline figures beside the same quantities computed on this database. These are
 * different corpora, different environments and different graders: the comparison shows where a
 * corpus stands, it is not a replication test.
 */
export function publishedData(
  experiments: readonly ExperimentInfo[],
  outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>,
  fixes: FixData,
  cost: CostData,
  feedback: FeedbackData,
): PublishedData {
  const shares: PublishedShareRow[] = [];
  for (const experiment of experiments.filter((e) => e.kind === 'baseline')) {
    const list = [...(outcomes.get(experiment.id)?.values() ?? [])];
    if (list.length > 0) shares.push(shareRow(PUBLISHED_REPRODUCIBLE, experiment.name, proportion(list.filter((o) => o.reproducible).length, list.length)));
  }
  for (const row of fixes.perNotebook) if (row.candidates > 0) shares.push(shareRow(PUBLISHED_RESCUED, row.experiment.name, row.rescued));
  if (!feedback.missing) {
    for (const row of feedback.studyPrevalence) shares.push(shareRow(PUBLISHED_FEEDBACK_PREVALENCE[row.group], 'scanned notebooks', row.notebooks));
  }
  const backport: BackportFinding[] = [];
  for (const baseline of experiments.filter((e) => e.kind === 'baseline')) {
    for (const other of experiments.filter((e) => e.kind === 'backport')) {
      const pair = transitionPair(baseline, other, outcomes);
      if (pair.shared === 0) continue;
      const better = pair.test.secondOnly > pair.test.firstOnly;
      const significant = pair.test.pValue < ALPHA;
      const verdict = !significant ? 'no significant difference' : better ? 'backport reproduces more' : 'backport reproduces less';
      backport.push({
        baseline,
        backport: other,
        shared: pair.shared,
        baselineReproducible: pair.fromReproducible,
        backportReproducible: pair.toReproducible,
        pValue: pair.test.pValue,
        verdict,
        agreesWithStudy: verdict !== 'backport reproduces more',
      });
    }
  }
  const categories: PublishedData['categories'] = [];
  if (!feedback.missing) {
    for (const form of ['explicit', 'implicit'] as const) {
      const published = PUBLISHED_CATEGORIES[form];
      const ourTotal = feedback.studyCategories.filter((row) => row.form === form).reduce((sum, row) => sum + row.share.count, 0);
      for (const [category, count] of Object.entries(published.counts)) {
        const ours = feedback.studyCategories.find((row) => row.form === form && row.category === category)?.share.count ?? 0;
        categories.push({ form, category, published: proportion(count, published.total), ours: proportion(ours, ourTotal) });
      }
    }
  }
  const result: PublishedData = {
    missing: null,
    shares,
    backport,
    backportFinding: PUBLISHED_BACKPORT_FINDING,
    cost: cost.experiments.map((row) => ({ experiment: row.experiment, ourPerNotebookUsd: row.costPerCandidateUsd, publishedPerNotebookUsd: PUBLISHED_COST_PER_NOTEBOOK_USD })),
    fixes: fixes.perNotebook.map((row) => ({ experiment: row.experiment, n: row.appliedPerRescued.n, median: row.appliedPerRescued.median, mean: row.appliedPerRescued.mean, published: PUBLISHED_FIXES_PER_RESCUED })),
    categories,
  };
  if (shares.length === 0 && backport.length === 0 && categories.length === 0) result.missing = 'nothing to compare yet: no baseline, backport or modernize results and no feedback scan';
  return result;
}
