import type { ChartDefinition } from '../charts/chart-definition.js';
import type { ExperimentInfo } from '../data/experiments.js';
import type { ReportTable } from '../tables/report-table.js';

/** One section of the report, in the form every writer (HTML, Markdown, CSV, figures) reads. */
export interface ReportSection {
  /** Anchor id; kebab-case, fixed by code. */
  id: string;
  title: string;
  /** Plain-text paragraphs saying what the section counts and how. */
  intro: string[];
  /** Sentences with the section's key numbers (each with its denominator and interval). */
  highlights: string[];
  /** Why the section has nothing to show, or null. A section with a reason draws no chart. */
  empty: string | null;
  tables: ReportTable[];
  charts: ChartDefinition[];
}

export function experimentLabel(experiment: ExperimentInfo): string {
  return `${experiment.name} (${experiment.kind})`;
}
