import type { NotebookCell } from '../data/notebook-rows.js';
import { isProportion, type Proportion } from '../stats/wilson-interval.js';
import type { CellValue, Column } from './report-table.js';

/** 0.354 → "35.4%"; shares keep one decimal, the precision of the study's figures. */
export function formatPercent(share: number | null): string {
  return share === null || !Number.isFinite(share) ? '–' : `${(share * 100).toFixed(1)}%`;
}

/**
 * "35.4% (4503/12720, 95% CI 34.6–36.2%)": share, count over denominator, Wilson interval. No
 * square brackets: the same text goes into Markdown, where brackets would have to be escaped.
 */
export function formatProportion(p: Proportion): string {
  if (p.total === 0) return '– (0/0)';
  return `${formatPercent(p.share)} (${p.count}/${p.total}, 95% CI ${(p.low! * 100).toFixed(1)}–${(p.high! * 100).toFixed(1)}%)`;
}

export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return '–';
  if (p < 0.001) return '< 0.001';
  return p >= 0.995 ? '1' : p.toFixed(3);
}

/** A p-value in a sentence: "p < 0.001", "p = 0.125" (never "p = < 0.001"). */
export function formatPClause(p: number | null): string {
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

export function formatUsd(usd: number | null): string {
  if (usd === null || !Number.isFinite(usd)) return '–';
  return usd !== 0 && Math.abs(usd) < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}

function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}

function isNotebookCell(value: CellValue): value is NotebookCell {
  return typeof value === 'object' && value !== null && 'status' in value && 'executedPath' in value;
}

/** The text of a cell, as HTML (before escaping) and Markdown show it. */
export function formatCell(column: Column, value: CellValue): string {
  if (value === null || value === undefined) return '–';
  if (isProportion(value)) return formatProportion(value);
  if (isNotebookCell(value)) return value.fixesApplied === null ? value.status : `${value.status} (${value.fixesApplied} fix${value.fixesApplied === 1 ? '' : 'es'})`;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  switch (column.kind) {
    case 'percent':
      return formatPercent(value);
    case 'usd':
      return formatUsd(value);
    case 'seconds':
      return formatSeconds(value);
    case 'p-value':
      return formatPValue(value);
    default:
      return formatNumber(value);
  }
}

/** The value a sortable table sorts by: numbers numerically, everything else as text. */
export function sortKey(value: CellValue): number | string {
  if (value === null || value === undefined) return '';
  if (isProportion(value)) return value.share ?? -1;
  if (isNotebookCell(value)) return value.status;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export { isNotebookCell };
