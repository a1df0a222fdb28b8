/**
 * What a cell's print calls write to stdout, as a template: literal text, holes where a printed
 * value goes, and gaps where other statements may write anything. Matching a template against a
 * cell's stdout reads each printed value back, in the stored output and in a later run alike.
 */

import { parseOutputValue } from './output-values.js';

export type TemplatePart = { literal: string } | { hole: number } | { gap: true };

/** Brackets and quotes balance: a hole never ends inside `(309, 12)`. */
function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0;
}

/** Longest stdout text matched; longer outputs are not read back. */
export const MAX_TEMPLATE_TEXT = 200_000;

/**
 * Match the template against the whole text; returns each hole's text by hole number, or null.
 * Holes take the shortest balanced text that lets the rest match (among the texts `prefer`
 * accepts first, when given); gaps the shortest text.
 */
export function matchTemplate(parts: readonly TemplatePart[], text: string, prefer?: (piece: string) => boolean): Map<number, string> | null {
  if (text.length > MAX_TEMPLATE_TEXT) return null;
  const holes = new Map<number, string>();
  let budget = 200_000;
  const match = (i: number, pos: number): boolean => {
    if (--budget < 0) return false;
    if (i === parts.length) return pos === text.length;
    const part = parts[i]!;
    if ('literal' in part) return text.startsWith(part.literal, pos) && match(i + 1, pos + part.literal.length);
    const next = parts[i + 1];
    // Candidate ends: where the next literal occurs (or anywhere when none follows).
    const ends: number[] = [];
    if (next && 'literal' in next && next.literal !== '') {
      for (let k = text.indexOf(next.literal, pos); k !== -1; k = text.indexOf(next.literal, k + 1)) ends.push(k);
    } else if (i === parts.length - 1) {
      ends.push(text.length);
    } else {
      for (let k = pos; k <= text.length; k++) ends.push(k);
    }
    // A hole first tries the ends that make it a complete value (a multi-line Series), then the rest.
    if ('hole' in part && prefer && ends.length <= 2000) {
      const preferred = new Set(ends.filter((end) => prefer(text.slice(pos, end))));
      ends.splice(0, ends.length, ...preferred, ...ends.filter((end) => !preferred.has(end)));
    }
    for (const end of ends) {
      const piece = text.slice(pos, end);
      if ('hole' in part) {
        if (!balanced(piece)) continue;
        holes.set(part.hole, piece);
      }
      if (match(i + 1, end)) return true;
    }
    if ('hole' in part) holes.delete(part.hole);
    return false;
  };
  return match(0, 0) ? holes : null;
}

/** The stdout text of a cell's outputs (stream outputs named stdout, in order). */
export function stdoutText(outputs: readonly unknown[]): string {
  let text = '';
  for (const output of outputs) {
    const o = output as { output_type?: unknown; name?: unknown; text?: unknown };
    if (o.output_type !== 'stream' || o.name !== 'stdout') continue;
    text += Array.isArray(o.text) ? o.text.join('') : typeof o.text === 'string' ? o.text : '';
  }
  return text;
}

/** A cell's execute_result: its text/plain and, when present, its text/html. */
export function executeResultOf(outputs: readonly unknown[]): { text: string; html: string | null } | null {
  for (const output of outputs) {
    const o = output as { output_type?: unknown; data?: Record<string, unknown> };
    if (o.output_type !== 'execute_result') continue;
    const join = (value: unknown) => (Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : null);
    return { text: join(o.data?.['text/plain']) ?? '', html: join(o.data?.['text/html']) };
  }
  return null;
}

/** The `prefer` of matchTemplate that readers of printed values use: the piece reads as a value. */
export function isValueText(piece: string): boolean {
  return piece.trim() !== '' && parseOutputValue(piece) !== null;
}
