import type { Store } from '@mle/core';
import { loadCorpusSummary, type CorpusSummary } from './data/corpus-summary.js';
import { comparisonData, type ComparisonData } from './data/comparison-data.js';
import { costData, type CostData } from './data/cost-data.js';
import { crashData, type CellSource, type CrashData } from './data/crash-data.js';
import { environmentData, type EnvironmentData } from './data/environment-data.js';
import { selectExperiments, type ExperimentInfo } from './data/experiments.js';
import { feedbackData, type FeedbackData } from './data/feedback-data.js';
import { fixData, type FixData } from './data/fix-data.js';
import { funnelData, type FunnelData } from './data/funnel-data.js';
import { loadNotebookOutcomes, type NotebookOutcome } from './data/notebook-outcomes.js';
import { notebookRows, type NotebookRow } from './data/notebook-rows.js';
import { publishedData, type PublishedData } from './data/published-data.js';
import { runtimeData, type RuntimeData } from './data/runtime-data.js';
import { scoreErrorData, type ScoreErrorData } from './data/score-error-data.js';
import { existingTables, missingTableReason, placeholders } from './data/store-tables.js';
import { transitionData, type TransitionData } from './data/transition-data.js';
import { proportion, type Proportion } from './stats/wilson-interval.js';

export interface ReportDataOptions {
  /** Experiment names to report on and compare, in this order; all experiments when empty. */
  experiments?: readonly string[];
}

/** The figures a script or `--json` wants without reading the report. */
export interface Headline {
  notebooks: number;
  experiments: {
    name: string;
    kind: string;
    notebooks: number;
    reproducible: Proportion;
    rescued: Proportion | null;
    costUsd: number;
    costPerRescuedUsd: number | null;
  }[];
  feedback: { scanned: number; assertion: Proportion; print: Proportion; lastCell: Proportion } | null;
  environments: { failed: Proportion } | null;
}

/** Everything the report shows, computed from the database alone. */
export interface ReportData {
  schemaVersion: number;
  experiments: ExperimentInfo[];
  /** True when the user named the experiments. */
  named: boolean;
  corpus: CorpusSummary;
  funnel: FunnelData;
  transitions: TransitionData;
  crashes: CrashData;
  fixes: FixData;
  cost: CostData;
  scoreError: ScoreErrorData;
  runtime: RuntimeData;
  feedback: FeedbackData;
  environments: EnvironmentData;
  comparison: ComparisonData;
  published: PublishedData;
  notebooks: NotebookRow[];
  headline: Headline;
}

function runMsByExperiment(store: Store, experiments: readonly ExperimentInfo[], hasRuns: boolean): Map<number, number> {
  if (!hasRuns || experiments.length === 0) return new Map();
  const ids = experiments.map((e) => e.id);
  const rows = store.db
    .prepare(`SELECT experiment_id AS id, COALESCE(SUM(wall_ms), 0) AS ms FROM runs WHERE experiment_id IN (${placeholders(ids.length)}) GROUP BY experiment_id`)
    .all(...ids) as { id: number; ms: number }[];
  return new Map(rows.map((row) => [row.id, row.ms]));
}

function cellSource(store: Store, tables: ReadonlySet<string>): CellSource {
  if (!tables.has('cells')) return () => null;
  const statement = store.db.prepare('SELECT substr(source, 1, 400) AS source FROM cells WHERE notebook_id = ? AND idx = ?');
  return (notebookId, index) => (statement.get(notebookId, index) as { source: string } | undefined)?.source ?? null;
}

function headline(data: Omit<ReportData, 'headline'>, outcomes: ReadonlyMap<number, ReadonlyMap<number, NotebookOutcome>>): Headline {
  const prevalence = (group: string) => data.feedback.studyPrevalence.find((row) => row.group === group)?.notebooks ?? proportion(0, 0);
  return {
    notebooks: data.corpus.notebooks,
    experiments: data.experiments.map((experiment) => {
      const list = [...(outcomes.get(experiment.id)?.values() ?? [])];
      const spend = data.cost.experiments.find((row) => row.experiment.id === experiment.id);
      return {
        name: experiment.name,
        kind: experiment.kind,
        notebooks: list.length,
        reproducible: proportion(list.filter((o) => o.reproducible).length, list.length),
        rescued: data.fixes.perNotebook.find((row) => row.experiment.id === experiment.id)?.rescued ?? null,
        costUsd: spend?.costUsd ?? 0,
        costPerRescuedUsd: spend?.costPerRescuedUsd ?? null,
      };
    }),
    feedback: data.feedback.missing ? null : { scanned: data.feedback.scanned, assertion: prevalence('assertion'), print: prevalence('print'), lastCell: prevalence('last-cell') },
    environments: data.environments.missing ? null : { failed: data.environments.failed },
  };
}

/**
 * Read every section's figures from an mle database. Works on any schema version the store
 * opens: a section whose tables are missing or empty says why instead of failing.
 */
export function loadReportData(store: Store, options: ReportDataOptions = {}): ReportData {
  const tables = existingTables(store);
  const names = options.experiments ?? [];
  const experiments = selectExperiments(store, tables.has('experiments'), names);
  const runsMissing = missingTableReason(tables, ['experiments', 'runs']);
  const outcomes = loadNotebookOutcomes(store, experiments, { hasRuns: tables.has('runs'), hasVerdicts: tables.has('run_verdicts'), hasModernizations: tables.has('modernizations') });
  const corpus = loadCorpusSummary(store, tables);
  const modernizeMissing = missingTableReason(tables, ['modernizations']);
  const fixes = fixData(store, experiments, outcomes, tables, runsMissing ?? modernizeMissing);
  const cost = costData(store, experiments, outcomes, tables, runsMissing ?? modernizeMissing);
  const feedback = feedbackData(store, tables);
  const runMs = runMsByExperiment(store, experiments, tables.has('runs'));
  const data: Omit<ReportData, 'headline'> = {
    schemaVersion: store.schemaVersion,
    experiments,
    named: names.length > 0,
    corpus,
    funnel: funnelData(experiments, outcomes, corpus.notebooks, runsMissing),
    transitions: transitionData(experiments, outcomes, runsMissing),
    crashes: crashData(experiments, outcomes, cellSource(store, tables), runsMissing),
    fixes,
    cost,
    scoreError: scoreErrorData(experiments, outcomes, runsMissing),
    runtime: runtimeData(experiments, outcomes, runMs, runsMissing),
    feedback,
    environments: environmentData(store, tables),
    comparison: comparisonData(experiments, names.length > 0, outcomes, fixes, cost, runMs, runsMissing),
    published: publishedData(experiments, outcomes, fixes, cost, feedback),
    notebooks: notebookRows(store, experiments, outcomes, tables),
  };
  return { ...data, headline: headline(data, outcomes) };
}
