import { csvDocument, type CsvValue } from '../escape/csv-escape.js';
import { isProportion } from '../stats/wilson-interval.js';
import { isNotebookCell } from './format-cell.js';
import type { CellValue, Column, ReportTable } from './report-table.js';

/** CSV header names a column expands to. */
function headers(column: Column): string[] {
  const stem = column.csv ?? column.key;
  if (column.kind === 'proportion') return [`${stem}_count`, `${stem}_total`, `${stem}_share`, `${stem}_ci95_low`, `${stem}_ci95_high`];
  if (column.kind === 'notebook') return [`${stem}_status`, `${stem}_reproducible`, `${stem}_fixes_applied`, `${stem}_executed_notebook`, `${stem}_diff`];
  return [stem];
}

/** The CSV fields of one cell: numbers stay numbers, missing values are empty. */
function fields(column: Column, value: CellValue): CsvValue[] {
  if (column.kind === 'proportion') {
    if (!isProportion(value)) return [null, null, null, null, null];
    return [value.count, value.total, value.share, value.low, value.high];
  }
  if (column.kind === 'notebook') {
    if (value === null || !isNotebookCell(value)) return [null, null, null, null, null];
    return [value.status, value.reproducible, value.fixesApplied, value.executedPath, value.diffPath];
  }
  if (isProportion(value) || (value !== null && typeof value === 'object')) return [null];
  return [value];
}

/** A report table as CSV: machine-readable values (shares as fractions, seconds as numbers). */
export function tableCsv(table: ReportTable): string {
  return csvDocument(
    table.columns.flatMap(headers),
    table.rows.map((r) => table.columns.flatMap((column) => fields(column, r.get(column.key) ?? null))),
  );
}
