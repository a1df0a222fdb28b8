import { prepare } from '../store/prepare.js';
import type { Store, WritableStore } from '../store/open-store.js';
import { MECHANISM_FORM, MECHANISMS, type CellScanStatus, type FeedbackForm, type Mechanism, type StudyParse } from './feedback-instance.js';
import type { FeedbackCellInput, NotebookFeedback } from './notebook-feedback.js';

/**
 * Bump when detection or classification changes: `mle feedback scan` then scans every notebook
 * again into new rows (the old ones stay, readers take each notebook's latest scan).
 */
export const FEEDBACK_ANALYZER_VERSION = 'feedback-1';

/** Notebooks without a scan by this analyzer version, in id order. */
export function notebooksToScan(store: Store, version: string = FEEDBACK_ANALYZER_VERSION): number[] {
  return prepare<[string], { id: number }>(
    store.db,
    `SELECT n.id FROM notebooks n
     WHERE NOT EXISTS (SELECT 1 FROM feedback_scans s WHERE s.notebook_id = n.id AND s.analyzer_version = ?)
     ORDER BY n.id`,
  )
    .all(version)
    .map((row) => row.id);
}

/** The code cells of a notebook with their stored outputs (JSON text), in order. */
export function feedbackCellsOf(store: Store, notebookId: number): FeedbackCellInput[] {
  return prepare<[number], { idx: number; source: string; outputs: string }>(
    store.db,
    "SELECT idx, source, outputs FROM cells WHERE notebook_id = ? AND cell_type = 'code' ORDER BY idx",
  )
    .all(notebookId)
    .map((row) => ({ index: row.idx, source: row.source, outputs: row.outputs }));
}

/**
 * Store one notebook's scan: the scan row, one row per code cell, one per instance, and the
 * cells' parse status. Run inside the caller's transaction so a notebook is all or nothing.
 */
export function recordFeedbackScan(store: WritableStore, notebookId: number, result: NotebookFeedback, version: string = FEEDBACK_ANALYZER_VERSION): number {
  const db = store.db;
  const instances = result.cells.reduce((sum, cell) => sum + cell.instances.length, 0);
  const scan = prepare(
    db,
    'INSERT INTO feedback_scans (notebook_id, analyzer_version, scanned_at, study_ml, code_cells, instances) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(notebookId, version, new Date().toISOString(), result.studyMl ? 1 : 0, result.cells.length, instances);
  const scanId = Number(scan.lastInsertRowid);
  const insertCell = prepare(db, 'INSERT INTO feedback_cells (scan_id, notebook_id, cell_idx, status, study_parse, masked_lines, instances) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const updateStatus = prepare(db, 'UPDATE cells SET parse_status = ? WHERE notebook_id = ? AND idx = ?');
  const insertInstance = prepare(
    db,
    `INSERT INTO feedback (scan_id, notebook_id, cell_idx, line, mechanism, form, variant, category, confidence, rule_id, code, output, library, flags, study)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const cell of result.cells) {
    insertCell.run(scanId, notebookId, cell.cell, cell.status, cell.studyParse, cell.maskedLines, cell.instances.length);
    updateStatus.run(cell.status, notebookId, cell.cell);
    for (const i of cell.instances) {
      insertInstance.run(scanId, notebookId, i.cell, i.line, i.mechanism, i.form, i.variant, i.category, i.confidence, i.ruleId, i.code, i.output, i.library, JSON.stringify(i.flags), i.study ? 1 : 0);
    }
  }
  return scanId;
}

export interface StoredFeedback {
  notebook_id: number;
  cell_idx: number;
  line: number;
  mechanism: Mechanism;
  form: FeedbackForm;
  variant: string | null;
  category: string;
  confidence: number;
  rule_id: string;
  code: string;
  output: string | null;
  library: string | null;
  flags: string;
  study: number;
}

/** The instances of a notebook's latest scan, in cell and line order. */
export function feedbackOf(store: Store, notebookId: number): StoredFeedback[] {
  return prepare<[number], StoredFeedback>(
    store.db,
    `SELECT f.notebook_id, f.cell_idx, f.line, f.mechanism, f.form, f.variant, f.category, f.confidence, f.rule_id, f.code, f.output, f.library, f.flags, f.study
     FROM feedback f JOIN feedback_current_scans s ON s.id = f.scan_id
     WHERE s.notebook_id = ? ORDER BY f.cell_idx, f.line, f.id`,
  ).all(notebookId);
}

export interface FeedbackStatsOptions {
  /** Only notebooks the study's ML filter keeps. */
  mlOnly?: boolean;
  /** Only instances the study's method would have counted. */
  studyOnly?: boolean;
}

export interface MechanismStats {
  mechanism: Mechanism;
  form: FeedbackForm;
  instances: number;
  /** Share of all instances counted. */
  share: number;
  /** Notebooks with at least one; their share of the notebooks; mean instances in those notebooks. */
  notebooks: number;
  notebookShare: number;
  perNotebook: number;
  /** Code cells with at least one. */
  cells: number;
  /** Instances the study's method would have counted. */
  study: number;
}

export interface CategoryStats {
  form: FeedbackForm;
  category: string;
  instances: number;
  /** Share within the form (explicit or implicit). */
  share: number;
  notebooks: number;
  meanConfidence: number;
}

export interface FeedbackStats {
  filter: { mlOnly: boolean; studyOnly: boolean };
  notebooks: number;
  codeCells: number;
  instances: number;
  cells: {
    byStatus: Record<CellScanStatus, number>;
    /** Cells the study's method would have dropped, by reason (as far as mle can tell). */
    studyDropped: Record<Exclude<StudyParse, 'ok'>, number>;
    studyDroppedTotal: number;
    /** Of those, cells mle analysed (everything but foreign cell magics), and the instances found in them. */
    studyDroppedAnalysed: number;
    instancesInStudyDropped: number;
    withFeedback: number;
  };
  byForm: Record<FeedbackForm, { instances: number; share: number; notebooks: number; cells: number }>;
  byMechanism: MechanismStats[];
  byCategory: CategoryStats[];
}

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Counts and shares over each notebook's latest scan. */
export function feedbackStats(store: Store, options: FeedbackStatsOptions = {}): FeedbackStats {
  const mlOnly = options.mlOnly ?? false;
  const studyOnly = options.studyOnly ?? false;
  const db = store.db;
  const scans = `SELECT id, notebook_id FROM feedback_current_scans WHERE (? = 0 OR study_ml = 1)`;
  const instanceFilter = `(? = 0 OR f.study = 1)`;
  const ml = mlOnly ? 1 : 0;
  const study = studyOnly ? 1 : 0;

  const totals = prepare<[number], { notebooks: number; code_cells: number | null }>(
    db,
    `SELECT COUNT(*) AS notebooks, SUM(code_cells) AS code_cells FROM feedback_current_scans WHERE (? = 0 OR study_ml = 1)`,
  ).get(ml)!;
  const notebooks = totals.notebooks;

  const byStatus: Record<CellScanStatus, number> = { ok: 0, partial: 0, 'not-python': 0, 'not-parsed': 0 };
  const studyDropped: Record<Exclude<StudyParse, 'ok'>, number> = { magic: 0, python2: 0, 'syntax-error': 0, 'not-python': 0 };
  let studyDroppedAnalysed = 0;
  let instancesInStudyDropped = 0;
  let withFeedback = 0;
  const cellRows = prepare<[number], { status: CellScanStatus; study_parse: StudyParse; n: number; with_feedback: number; instances: number }>(
    db,
    `SELECT c.status, c.study_parse, COUNT(*) AS n, SUM(c.instances > 0) AS with_feedback, SUM(c.instances) AS instances
     FROM feedback_cells c JOIN (${scans}) s ON s.id = c.scan_id GROUP BY c.status, c.study_parse`,
  ).all(ml);
  for (const row of cellRows) {
    byStatus[row.status] += row.n;
    withFeedback += row.with_feedback;
    if (row.study_parse !== 'ok') {
      studyDropped[row.study_parse] += row.n;
      if (row.status !== 'not-python') studyDroppedAnalysed += row.n;
      instancesInStudyDropped += row.instances;
    }
  }

  const mechanismRows = prepare<[number, number], { mechanism: Mechanism; instances: number; notebooks: number; cells: number; study: number }>(
    db,
    `SELECT f.mechanism, COUNT(*) AS instances, COUNT(DISTINCT f.notebook_id) AS notebooks,
            COUNT(DISTINCT f.notebook_id || ':' || f.cell_idx) AS cells, SUM(f.study) AS study
     FROM feedback f JOIN (${scans}) s ON s.id = f.scan_id WHERE ${instanceFilter} GROUP BY f.mechanism`,
  ).all(ml, study);
  const instances = mechanismRows.reduce((sum, row) => sum + row.instances, 0);
  const byMechanism: MechanismStats[] = MECHANISMS.map((mechanism) => {
    const row = mechanismRows.find((r) => r.mechanism === mechanism);
    const count = row?.instances ?? 0;
    const withIt = row?.notebooks ?? 0;
    return {
      mechanism,
      form: MECHANISM_FORM[mechanism],
      instances: count,
      share: instances ? round(count / instances) : 0,
      notebooks: withIt,
      notebookShare: notebooks ? round(withIt / notebooks) : 0,
      perNotebook: withIt ? round(count / withIt, 2) : 0,
      cells: row?.cells ?? 0,
      study: row?.study ?? 0,
    };
  });

  const formRows = prepare<[number, number], { form: FeedbackForm; instances: number; notebooks: number; cells: number }>(
    db,
    `SELECT f.form, COUNT(*) AS instances, COUNT(DISTINCT f.notebook_id) AS notebooks, COUNT(DISTINCT f.notebook_id || ':' || f.cell_idx) AS cells
     FROM feedback f JOIN (${scans}) s ON s.id = f.scan_id WHERE ${instanceFilter} GROUP BY f.form`,
  ).all(ml, study);
  const byForm = {} as FeedbackStats['byForm'];
  for (const form of ['explicit', 'implicit'] as const) {
    const row = formRows.find((r) => r.form === form);
    byForm[form] = { instances: row?.instances ?? 0, share: instances ? round((row?.instances ?? 0) / instances) : 0, notebooks: row?.notebooks ?? 0, cells: row?.cells ?? 0 };
  }

  const categoryRows = prepare<[number, number], { form: FeedbackForm; category: string; instances: number; notebooks: number; confidence: number }>(
    db,
    `SELECT f.form, f.category, COUNT(*) AS instances, COUNT(DISTINCT f.notebook_id) AS notebooks, AVG(f.confidence) AS confidence
     FROM feedback f JOIN (${scans}) s ON s.id = f.scan_id WHERE ${instanceFilter}
     GROUP BY f.form, f.category ORDER BY f.form, instances DESC, f.category`,
  ).all(ml, study);
  const byCategory = categoryRows.map((row) => ({
    form: row.form,
    category: row.category,
    instances: row.instances,
    share: byForm[row.form].instances ? round(row.instances / byForm[row.form].instances) : 0,
    notebooks: row.notebooks,
    meanConfidence: round(row.confidence, 3),
  }));

  return {
    filter: { mlOnly, studyOnly },
    notebooks,
    codeCells: totals.code_cells ?? 0,
    instances,
    cells: {
      byStatus,
      studyDropped,
      studyDroppedTotal: Object.values(studyDropped).reduce((a, b) => a + b, 0),
      studyDroppedAnalysed,
      instancesInStudyDropped,
      withFeedback,
    },
    byForm,
    byMechanism,
    byCategory,
  };
}
