import type { NotebookCell } from '../data/notebook-rows.js';
import type { Proportion } from '../stats/wilson-interval.js';

/**
 * How a column's values are written. Every kind has one text form (HTML, Markdown) and one or
 * more CSV columns; a proportion is one cell on screen and five in CSV (count, total, share,
 * interval bounds), so spreadsheets get numbers and readers get "35.4% (4503/12720, 95% CI 34.6–36.2%)".
 */
export type ColumnKind = 'text' | 'code' | 'integer' | 'number' | 'percent' | 'usd' | 'seconds' | 'p-value' | 'boolean' | 'proportion' | 'notebook';

export interface Column {
  /** Key into the row objects; fixed by code, never derived from data. */
  key: string;
  /** Header text; may contain data (experiment names) and is escaped like any cell. */
  label: string;
  kind: ColumnKind;
  /** Header stem in CSV (defaults to key). */
  csv?: string;
}

export type CellValue = string | number | boolean | null | Proportion | NotebookCell;
export type TableRow = ReadonlyMap<string, CellValue>;

export interface ReportTable {
  /** File stem under tables/ and the table's element id; kebab-case, fixed by code. */
  id: string;
  title: string;
  columns: Column[];
  rows: TableRow[];
  /** A sentence under the table (how rows are counted, what the interval is). */
  note?: string;
  /** Leave out of summary.md (per-notebook tables: they are in CSV and HTML). */
  htmlOnly?: boolean;
}

/**
 * A row from key/value pairs. Rows are Maps rather than objects so that no key, whatever a
 * future column is called, can reach Object.prototype (`__proto__`).
 */
export function row(entries: Record<string, CellValue> | [string, CellValue][]): TableRow {
  return new Map(Array.isArray(entries) ? entries : Object.entries(entries));
}
