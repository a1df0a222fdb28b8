import { Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import type { MineOptions, MineSummary } from './mine-corpus.js';

/** Flags every `mle mine` source shares. */
export const mineFlags = {
  jobs: Flags.integer({ char: 'j', summary: 'Worker threads that parse notebooks.', default: 1, min: 1, max: Math.max(1, availableParallelism() * 2) }),
  limit: Flags.integer({ summary: 'Stop once this many notebooks are stored from each source (resuming counts earlier runs).', min: 1 }),
  'all-notebooks': Flags.boolean({ summary: 'Keep notebooks that import no ML library (the default keeps ML notebooks only).', default: false }),
  'ml-libraries': Flags.string({
    summary: 'Comma-separated top-level modules that make a notebook an ML notebook.',
    description: 'Default: sklearn, torch, tensorflow, keras, xgboost, lightgbm, catboost, fastai, transformers, jax and other ML libraries.',
  }),
  'any-language': Flags.boolean({ summary: 'Keep notebooks whose kernel is not Python.', default: false }),
};

export function mineOptionsFromFlags(flags: { jobs: number; limit?: number | undefined; 'all-notebooks': boolean; 'ml-libraries'?: string | undefined; 'any-language': boolean }): MineOptions {
  const options: MineOptions = { jobs: flags.jobs, mlOnly: !flags['all-notebooks'], pythonOnly: !flags['any-language'] };
  if (flags.limit !== undefined) options.limit = flags.limit;
  if (flags['ml-libraries']) options.mlLibraries = flags['ml-libraries'].split(',').map((name) => name.trim()).filter(Boolean);
  return options;
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '0' : entries.map(([key, n]) => `${n} ${key}`).join(', ');
}

/** The human summary printed after mining. */
export function formatMineSummary(summary: MineSummary, db: string): string {
  const lines = [
    `${summary.interrupted ? 'interrupted' : 'mined'} ${summary.seen} files in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.notebooksPerSecond} notebooks/s) into ${db}`,
    `  stored ${summary.stored} new notebooks, ${summary.duplicates} duplicates`,
    `  rejected: ${formatCounts(summary.rejected)}`,
    `  filtered: ${formatCounts(summary.filtered)}`,
  ];
  for (const source of summary.sources) {
    const resumed = source.alreadyMined > 0 ? `, ${source.alreadyMined} already mined` : '';
    lines.push(`  ${source.kind} ${source.location}: ${source.seen} files, ${source.stored} stored${resumed}`);
  }
  if (summary.interrupted) lines.push('re-run the same command to resume');
  return lines.join('\n');
}
