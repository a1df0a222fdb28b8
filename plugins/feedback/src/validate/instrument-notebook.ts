import type { NormalizedNotebook } from '@mle/core';

/** What an inserted assertion prints so a run's stdout says how it went. */
export const MARKER = /\[mle-assert (\d+) (pass|fail|error)\]([^\n]*)/g;

export interface InsertedAssertion {
  id: number;
  cell: number;
  /** 1-based last line of the statement the assertion follows. */
  line: number;
  code: string;
}

/**
 * The assertion wrapped so that a failure is reported, not raised: the run goes on and every
 * assertion gets its own verdict (AssertionError → fail, any other exception → error).
 */
export function guardedAssertion(assertion: InsertedAssertion): string {
  return [
    'try:',
    `    ${assertion.code}`,
    `    print('[mle-assert ${assertion.id} pass]')`,
    'except AssertionError:',
    `    print('[mle-assert ${assertion.id} fail]')`,
    'except Exception as _mle_error:',
    `    print('[mle-assert ${assertion.id} error]', type(_mle_error).__name__, str(_mle_error)[:200].replace(chr(10), ' '))`,
  ].join('\n');
}

/** Insert `blocks` into a cell's source after the given 1-based lines (top-level statements end there). */
export function insertAfterLines(source: string, blocks: readonly { line: number; text: string }[]): string {
  const lines = source.split('\n');
  const byLine = new Map<number, string[]>();
  for (const block of blocks) byLine.set(block.line, [...(byLine.get(block.line) ?? []), block.text]);
  const out: string[] = [];
  lines.forEach((text, i) => {
    out.push(text);
    const inserted = byLine.get(i + 1);
    if (inserted) out.push(...inserted);
  });
  // Lines past the end (a trailing statement without newline) go last.
  for (const [line, texts] of byLine) if (line > lines.length) out.push(...texts);
  return out.join('\n');
}

/** A copy of the notebook with each assertion inserted (guarded) right after its statement. */
export function instrumentNotebook(notebook: NormalizedNotebook, assertions: readonly InsertedAssertion[]): NormalizedNotebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const mine = assertions.filter((a) => a.cell === cell.index);
      if (mine.length === 0 || cell.cellType !== 'code') return cell;
      return { ...cell, source: insertAfterLines(cell.source, mine.map((a) => ({ line: a.line, text: guardedAssertion(a) }))) };
    }),
  };
}

/** The verdicts printed by the inserted assertions, by assertion id. */
export function readMarkers(notebook: NormalizedNotebook): Map<number, { outcome: 'pass' | 'fail' | 'error'; detail: string | null }> {
  const found = new Map<number, { outcome: 'pass' | 'fail' | 'error'; detail: string | null }>();
  for (const cell of notebook.cells) {
    for (const output of cell.outputs) {
      const o = output as { output_type?: string; name?: string; text?: string | string[] };
      if (o.output_type !== 'stream' || o.name !== 'stdout') continue;
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text ?? '');
      for (const m of text.matchAll(MARKER)) {
        const detail = m[3]!.trim();
        found.set(Number(m[1]), { outcome: m[2] as 'pass' | 'fail' | 'error', detail: detail === '' ? null : detail });
      }
    }
  }
  return found;
}
