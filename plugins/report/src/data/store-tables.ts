import type { Store } from '@mle/core';

/**
 * The tables and views present in the database. The report opens databases read-only, so no
 * migration runs: a database made before the execution or modernization migrations simply lacks
 * those tables, and each section says so instead of failing on a missing table.
 */
export function existingTables(store: Store): Set<string> {
  const rows = store.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all() as { name: string }[];
  return new Set(rows.map((row) => row.name));
}

/** The first of `tables` missing from `present`, as the sentence a section shows in its place. */
export function missingTableReason(present: ReadonlySet<string>, tables: readonly string[]): string | null {
  const missing = tables.filter((table) => !present.has(table));
  if (missing.length === 0) return null;
  return `this database has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''} (it predates the migration that adds ${missing.length > 1 ? 'them' : 'it'})`;
}

/** `?, ?, ?` for an IN list of `n` values (experiment ids: a handful, far below SQLite's limit). */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
