import { explicitChecksByCategory, type Store } from '@mle/core';
import { proportion, type Proportion } from '../stats/wilson-interval.js';

export type FeedbackForm = 'explicit' | 'implicit';

export interface FeedbackCategoryRow {
  form: FeedbackForm;
  category: string;
  /** Instances of this category, out of the instances of its form. */
  share: Proportion;
}

export interface FeedbackMechanismRow {
  mechanism: string;
  form: FeedbackForm;
  instances: number;
  /** Scanned notebooks with at least one instance, out of scanned notebooks. */
  notebooks: Proportion;
}

/** The study's three mechanism groups (feedback-taxonomy.md §4). */
export const STUDY_MECHANISM_GROUPS = [
  { id: 'assertion', label: 'assertion', mechanisms: ['assert', 'assert_call'] },
  { id: 'print', label: 'print', mechanisms: ['print'] },
  { id: 'last-cell', label: 'last-cell statement', mechanisms: ['last_cell'] },
] as const;

export interface FeedbackData {
  missing: string | null;
  scanned: number;
  /** Scanned notebooks the study's ML filter keeps. */
  studyMl: Proportion;
  instances: number;
  categories: FeedbackCategoryRow[];
  mechanisms: FeedbackMechanismRow[];
  /** As the study's method would count (`feedback.study = 1`): notebooks with each group, out of scanned notebooks. */
  studyPrevalence: { group: (typeof STUDY_MECHANISM_GROUPS)[number]['id']; label: string; notebooks: Proportion }[];
  /** Category shares among the instances the study's method would count. */
  studyCategories: FeedbackCategoryRow[];
  /** Implicit checks made explicit by `mle feedback synthesize --validate`, per category (empty when never run). */
  madeExplicit: MadeExplicitRow[];
}

export interface MadeExplicitRow {
  category: string;
  /** Implicit instances (print or last-cell statements) with a stored output. */
  withOutput: number;
  /** Assertions proposed for them, and those whose latest validation passed. */
  proposed: number;
  validated: number;
  /** Instances with at least one validated assertion, out of those with an output. */
  madeExplicit: Proportion;
}

function categoryRows(rows: { form: string; category: string; n: number }[]): FeedbackCategoryRow[] {
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.form, (totals.get(row.form) ?? 0) + row.n);
  return rows
    .filter((row): row is { form: FeedbackForm; category: string; n: number } => row.form === 'explicit' || row.form === 'implicit')
    .map((row) => ({ form: row.form, category: row.category, share: proportion(row.n, totals.get(row.form)!) }))
    .sort((a, b) => a.form.localeCompare(b.form) || b.share.count - a.share.count || a.category.localeCompare(b.category));
}

/** Feedback mechanisms of each notebook's latest scan (`feedback_current_scans`), whatever the report's experiments. */
export function feedbackData(store: Store, tables: ReadonlySet<string>): FeedbackData {
  const empty: FeedbackData = { missing: null, scanned: 0, studyMl: proportion(0, 0), instances: 0, categories: [], mechanisms: [], studyPrevalence: [], studyCategories: [], madeExplicit: [] };
  if (!tables.has('feedback') || !tables.has('feedback_current_scans')) return { ...empty, missing: 'this database has no feedback tables (it predates `mle feedback`)' };
  const scans = store.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(study_ml), 0) AS ml, COALESCE(SUM(instances), 0) AS instances FROM feedback_current_scans').get() as { n: number; ml: number; instances: number };
  if (scans.n === 0) return { ...empty, missing: 'no notebook has been scanned: run `mle feedback scan` first' };
  const current = 'JOIN feedback_current_scans s ON s.id = f.scan_id';
  const byCategory = (where: string) =>
    store.db.prepare(`SELECT f.form, f.category, COUNT(*) AS n FROM feedback f ${current} ${where} GROUP BY f.form, f.category`).all() as { form: string; category: string; n: number }[];
  const mechanisms = store.db
    .prepare(`SELECT f.mechanism, f.form, COUNT(*) AS instances, COUNT(DISTINCT f.notebook_id) AS notebooks FROM feedback f ${current} GROUP BY f.mechanism, f.form ORDER BY instances DESC, f.mechanism`)
    .all() as { mechanism: string; form: string; instances: number; notebooks: number }[];
  const notebooksWith = (list: readonly string[]) =>
    (
      store.db
        .prepare(`SELECT COUNT(DISTINCT f.notebook_id) AS n FROM feedback f ${current} WHERE f.study = 1 AND f.mechanism IN (${list.map(() => '?').join(', ')})`)
        .get(...list) as { n: number }
    ).n;
  return {
    missing: null,
    scanned: scans.n,
    studyMl: proportion(scans.ml, scans.n),
    instances: scans.instances,
    categories: categoryRows(byCategory('')),
    mechanisms: mechanisms.map((row) => ({ mechanism: row.mechanism, form: row.form === 'explicit' ? 'explicit' : 'implicit', instances: row.instances, notebooks: proportion(row.notebooks, scans.n) })),
    studyPrevalence: STUDY_MECHANISM_GROUPS.map((group) => ({ group: group.id, label: group.label, notebooks: proportion(notebooksWith(group.mechanisms), scans.n) })),
    studyCategories: categoryRows(byCategory('WHERE f.study = 1')),
    madeExplicit: tables.has('synthesis_runs')
      ? explicitChecksByCategory(store).map((row) => ({ category: row.category, withOutput: row.withOutput, proposed: row.proposed, validated: row.validated, madeExplicit: proportion(row.instancesMadeExplicit, row.withOutput) }))
      : [],
  };
}
