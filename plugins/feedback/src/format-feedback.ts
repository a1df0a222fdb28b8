import type { FeedbackStats } from '@mle/core';
import type { ScanFeedbackSummary } from './scan-feedback.js';

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const num = (n: number) => n.toLocaleString('en-US');

function table(rows: string[][], alignRight: boolean[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (alignRight[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

/** The human report of `mle feedback stats`. */
export function formatFeedbackStats(stats: FeedbackStats): string {
  const filters = [stats.filter.mlOnly ? "the study's ML filter" : 'all notebooks', stats.filter.studyOnly ? "instances the study's method counts" : 'all instances'];
  const c = stats.cells;
  const lines = [
    `feedback in ${num(stats.notebooks)} notebooks, ${num(stats.codeCells)} code cells, ${num(stats.instances)} instances (${filters.join(', ')})`,
    `cells: ${num(c.byStatus.ok)} ok, ${num(c.byStatus.partial)} partial (syntax errors, analysed where intact), ${num(c.byStatus['not-parsed'])} pre-filtered (no feedback token; last statement parsed), ${num(c.byStatus['not-python'])} not Python (foreign cell magic); ${num(c.withFeedback)} cells with feedback`,
    `the study's method (Python 3 ast.parse, drop on failure) would drop ${num(c.studyDroppedTotal)} of ${num(stats.codeCells)} cells (${pct(stats.codeCells ? c.studyDroppedTotal / stats.codeCells : 0)}): ` +
      `${num(c.studyDropped.magic)} with magics, ${num(c.studyDropped.python2)} Python 2, ${num(c.studyDropped['syntax-error'])} syntax errors, ${num(c.studyDropped['not-python'])} not Python`,
    `mle analysed ${num(c.studyDroppedAnalysed)} of those and found ${num(c.instancesInStudyDropped)} instances in them`,
    '',
  ];
  const mechanismRows = [['mechanism', 'form', 'instances', 'share', 'notebooks', 'of nbs', 'per nb', 'cells', 'study']];
  for (const m of stats.byMechanism) {
    mechanismRows.push([m.mechanism, m.form, num(m.instances), pct(m.share), num(m.notebooks), pct(m.notebookShare), m.perNotebook.toFixed(2), num(m.cells), num(m.study)]);
  }
  for (const form of ['explicit', 'implicit'] as const) {
    const f = stats.byForm[form];
    mechanismRows.push([`(${form})`, form, num(f.instances), pct(f.share), num(f.notebooks), pct(stats.notebooks ? f.notebooks / stats.notebooks : 0), f.notebooks ? (f.instances / f.notebooks).toFixed(2) : '0.00', num(f.cells), '']);
  }
  lines.push(...table(mechanismRows, [false, false, true, true, true, true, true, true, true]), '');
  for (const form of ['explicit', 'implicit'] as const) {
    const rows = [[`${form} category`, 'instances', 'share', 'notebooks', 'confidence']];
    for (const category of stats.byCategory.filter((row) => row.form === form)) {
      rows.push([category.category, num(category.instances), pct(category.share), num(category.notebooks), category.meanConfidence.toFixed(2)]);
    }
    if (rows.length > 1) lines.push(...table(rows, [false, true, true, true, true]), '');
  }
  return lines.join('\n').trimEnd();
}

/** The human summary of `mle feedback scan`. */
export function formatScanSummary(summary: ScanFeedbackSummary, db: string): string {
  const s = summary.statuses;
  const lines = [
    `${summary.interrupted ? 'interrupted after scanning' : 'scanned'} ${num(summary.scanned)} notebooks (${num(summary.cells)} code cells, ${num(summary.cellsPerSecond)} cells/s) into ${db} with ${summary.analyzerVersion}`,
    `  ${num(summary.instances)} feedback instances; cells ${num(s.ok)} ok, ${num(s.partial)} partial, ${num(s['not-parsed'])} pre-filtered, ${num(s['not-python'])} not Python`,
  ];
  if (summary.alreadyScanned > 0) lines.push(`  ${num(summary.alreadyScanned)} notebooks were already scanned by this analyzer version`);
  if (summary.remaining > 0) lines.push(`  ${num(summary.remaining)} notebooks left: re-run the same command to continue`);
  return lines.join('\n');
}
