import { createHash } from 'node:crypto';
import type { NormalizedNotebook } from './types.js';

/**
 * The code of a notebook in a canonical form: code cells only, line endings unified, trailing
 * white space and blank edge lines dropped. Outputs, metadata and markdown do not count, so a
 * re-run, re-saved or re-titled copy of a notebook normalizes to the same text.
 */
export function normalizedCode(notebook: NormalizedNotebook): string {
  const parts: string[] = [];
  for (const cell of notebook.cells) {
    if (cell.cellType !== 'code') continue;
    const lines = cell.source.replace(/\r\n?/g, '\n').split('\n').map((line) => line.replace(/\s+$/, ''));
    while (lines.length > 0 && lines[0] === '') lines.shift();
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    if (lines.length > 0) parts.push(lines.join('\n'));
  }
  return parts.join('\n\u241e\n');
}

/** SHA-256 (hex) of the normalized code; the key for deduplicating copies and forks. */
export function contentHash(notebook: NormalizedNotebook): string {
  return createHash('sha256').update(normalizedCode(notebook)).digest('hex');
}
