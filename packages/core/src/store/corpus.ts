import type { AnalyzedNotebook } from '../corpus/analyze-notebook.js';
import type { NormalizedCell, NormalizedNotebook } from '../notebook/types.js';
import type { NotebookCandidate } from '../plugin-api/notebook-source.js';
import type { Store, WritableStore } from './open-store.js';
import { prepare } from './prepare.js';

export type OriginStatus = 'stored' | 'duplicate' | 'rejected' | 'filtered';

/** The parts of a candidate that are stored with its origin row. */
export type OriginFacts = Omit<NotebookCandidate, 'read'>;

export interface SourceRow {
  id: number;
  kind: string;
  location: string;
  options: string;
  created_at: string;
}

export interface NotebookRow {
  id: number;
  content_hash: string;
  nbformat: number;
  nbformat_minor: number;
  language: string;
  language_evidence: string;
  python_major: number | null;
  is_ml: number;
  ml_libraries: string;
  cell_count: number;
  code_cell_count: number;
  primary_origin_id: number | null;
  date: string | null;
  competition: string | null;
  reported_score: number | null;
  reported_score_kind: string | null;
  metadata: string;
}

export interface CellRow {
  notebook_id: number;
  idx: number;
  cell_type: string;
  source: string;
  execution_count: number | null;
  outputs: string;
  parse_status: string | null;
  metadata: string;
}

/** The source row for (kind, location), created on first use. */
export function ensureSource(store: WritableStore, kind: string, location: string, options: Record<string, unknown>): number {
  const existing = prepare<[string, string], { id: number }>(store.db, 'SELECT id FROM sources WHERE kind = ? AND location = ?').get(kind, location);
  if (existing) return existing.id;
  const result = prepare(store.db, 'INSERT INTO sources (kind, location, options, created_at) VALUES (?, ?, ?, ?)').run(
    kind,
    location,
    JSON.stringify(options),
    new Date().toISOString(),
  );
  return Number(result.lastInsertRowid);
}

/** Keys of every origin already recorded for a source: those are skipped on resume. */
export function recordedOriginKeys(store: Store, sourceId: number): Set<string> {
  const rows = prepare<[number], { origin_key: string }>(store.db, 'SELECT origin_key FROM origins WHERE source_id = ?').all(sourceId);
  return new Set(rows.map((row) => row.origin_key));
}

function insertOrigin(store: WritableStore, sourceId: number, facts: OriginFacts, status: OriginStatus, extra: { reasonCode?: string; reason?: string; notebookId?: number }): number {
  const result = prepare(
    store.db,
    `INSERT INTO origins (source_id, origin_key, path, commit_id, kernel_version_id, date, status, reason_code, reason, notebook_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    sourceId,
    facts.originKey,
    facts.path ?? null,
    facts.commitId ?? null,
    facts.kernelVersionId ?? null,
    facts.date ?? null,
    status,
    extra.reasonCode ?? null,
    extra.reason ?? null,
    extra.notebookId ?? null,
    JSON.stringify({
      ...(facts.details ?? {}),
      ...(facts.competition !== undefined ? { competition: facts.competition } : {}),
      ...(facts.reportedScore !== undefined ? { reportedScore: facts.reportedScore, reportedScoreKind: facts.reportedScoreKind } : {}),
    }),
  );
  return Number(result.lastInsertRowid);
}

/** Record a file that was not stored: unreadable, not a notebook, or filtered out. */
export function recordSkippedOrigin(store: WritableStore, sourceId: number, facts: OriginFacts, status: 'rejected' | 'filtered', reasonCode: string, reason: string): void {
  insertOrigin(store, sourceId, facts, status, { reasonCode, reason });
}

/**
 * Whether origin `a` should be the notebook's primary origin rather than `b`: the earliest
 * date wins, a dated origin beats an undated one, and ties go to the smaller key, so the
 * outcome does not depend on the order files were mined in.
 */
function isEarlier(a: { date: string | null; key: string }, b: { date: string | null; key: string }): boolean {
  if (a.date !== b.date) {
    if (a.date === null) return false;
    if (b.date === null) return true;
    return a.date < b.date;
  }
  return a.key < b.key;
}

export interface RecordNotebookResult {
  notebookId: number;
  /** `duplicate` when the code was already stored, whichever origin ends up primary. */
  status: 'stored' | 'duplicate';
  /** The new origin replaced a later one as the notebook's primary origin. */
  becamePrimary: boolean;
}

/**
 * Store an analyzed notebook with its origin. A notebook whose content hash is known already
 * becomes a `duplicate` origin of it; if the new origin is earlier, it takes over as primary
 * (and the notebook's date, competition and reported score follow it).
 */
export function recordNotebook(store: WritableStore, sourceId: number, facts: OriginFacts, notebook: AnalyzedNotebook): RecordNotebookResult {
  const db = store.db;
  const existing = prepare<[string], { id: number; primary_origin_id: number | null }>(db, 'SELECT id, primary_origin_id FROM notebooks WHERE content_hash = ?').get(notebook.contentHash);
  if (existing) {
    const primary = prepare<[number], { id: number; date: string | null; origin_key: string; source_id: number }>(db, 'SELECT id, date, origin_key, source_id FROM origins WHERE id = ?').get(existing.primary_origin_id ?? -1);
    const newer = { date: facts.date ?? null, key: `${sourceId}\u0000${facts.originKey}` };
    const takesOver = primary !== undefined && isEarlier(newer, { date: primary.date, key: `${primary.source_id}\u0000${primary.origin_key}` });
    if (!takesOver) {
      insertOrigin(store, sourceId, facts, 'duplicate', { notebookId: existing.id, reasonCode: 'duplicate', reason: `same code as notebook ${existing.id}` });
      return { notebookId: existing.id, status: 'duplicate', becamePrimary: false };
    }
    prepare(db, `UPDATE origins SET status = 'duplicate', reason_code = 'duplicate', reason = ? WHERE id = ?`).run(`same code as notebook ${existing.id}`, primary.id);
    const originId = insertOrigin(store, sourceId, facts, 'stored', { notebookId: existing.id });
    prepare(db, 'UPDATE notebooks SET primary_origin_id = ?, date = ?, competition = ?, reported_score = ?, reported_score_kind = ? WHERE id = ?').run(
      originId,
      facts.date ?? null,
      facts.competition ?? null,
      facts.reportedScore ?? null,
      facts.reportedScoreKind ?? null,
      existing.id,
    );
    return { notebookId: existing.id, status: 'duplicate', becamePrimary: true };
  }

  const inserted = prepare(
    db,
    `INSERT INTO notebooks (content_hash, nbformat, nbformat_minor, language, language_evidence, python_major, is_ml, ml_libraries,
       cell_count, code_cell_count, date, competition, reported_score, reported_score_kind, metadata)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    notebook.contentHash,
    notebook.nbformat,
    notebook.nbformatMinor,
    notebook.language,
    notebook.languageEvidence,
    notebook.pythonMajor,
    notebook.mlLibraries.length > 0 ? 1 : 0,
    JSON.stringify(notebook.mlLibraries),
    notebook.cells.length,
    notebook.cells.filter((cell) => cell.cellType === 'code').length,
    facts.date ?? null,
    facts.competition ?? null,
    facts.reportedScore ?? null,
    facts.reportedScoreKind ?? null,
    notebook.metadataJson,
  );
  const notebookId = Number(inserted.lastInsertRowid);
  const insertCell = prepare(db, 'INSERT INTO cells (notebook_id, idx, cell_type, source, execution_count, outputs, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const cell of notebook.cells) insertCell.run(notebookId, cell.index, cell.cellType, cell.source, cell.executionCount, cell.outputsJson, cell.metadataJson);
  const insertImport = prepare(db, 'INSERT INTO imports (notebook_id, cell_idx, line, module, name, alias, nested) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const record of notebook.imports) {
    insertImport.run(notebookId, record.cellIndex, record.line, record.module, record.name, record.alias, record.nested ? 1 : 0);
  }
  const originId = insertOrigin(store, sourceId, facts, 'stored', { notebookId });
  prepare(db, 'UPDATE notebooks SET primary_origin_id = ? WHERE id = ?').run(originId, notebookId);
  return { notebookId, status: 'stored', becamePrimary: true };
}

export function getNotebook(store: Store, id: number): NotebookRow | undefined {
  return prepare<[number], NotebookRow>(store.db, 'SELECT * FROM notebooks WHERE id = ?').get(id);
}

export function getCells(store: Store, notebookId: number): CellRow[] {
  return prepare<[number], CellRow>(store.db, 'SELECT * FROM cells WHERE notebook_id = ? ORDER BY idx').all(notebookId);
}

/** Rebuild a stored notebook as the normalized model (what `mle run` executes and writes back). */
export function loadNotebook(store: Store, notebookId: number): NormalizedNotebook | undefined {
  const row = getNotebook(store, notebookId);
  if (!row) return undefined;
  const cells: NormalizedCell[] = getCells(store, notebookId).map((cell) => ({
    index: cell.idx,
    cellType: cell.cell_type === 'code' || cell.cell_type === 'markdown' ? cell.cell_type : 'raw',
    source: cell.source,
    executionCount: cell.execution_count,
    outputs: JSON.parse(cell.outputs) as NormalizedCell['outputs'],
    metadata: JSON.parse(cell.metadata) as Record<string, unknown>,
  }));
  return { nbformat: 4, nbformatMinor: 5, metadata: JSON.parse(row.metadata) as NormalizedNotebook['metadata'], cells };
}

export interface OriginCounts {
  stored: number;
  duplicate: number;
  rejected: number;
  filtered: number;
}

/** Origin counts by status, for one source or all. */
export function originCounts(store: Store, sourceId?: number): OriginCounts {
  const rows = prepare<[number | null, number | null], { status: OriginStatus; n: number }>(
    store.db,
    'SELECT status, COUNT(*) AS n FROM origins WHERE (? IS NULL OR source_id = ?) GROUP BY status',
  ).all(sourceId ?? null, sourceId ?? null);
  const counts: OriginCounts = { stored: 0, duplicate: 0, rejected: 0, filtered: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
