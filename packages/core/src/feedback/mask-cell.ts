import { maskMagics, type MaskedSource } from '../python/mask-magics.js';

export interface MaskedCell extends MaskedSource {
  /** Leading indentation IPython strips from every line before running the cell (0 when none). */
  dedented: number;
}

/**
 * maskMagics plus IPython's leading_indent transform: a cell whose first line is indented is
 * dedented by that indent, so ` df.head()` still shows its value.
 */
export function maskCell(source: string): MaskedCell {
  let text = source;
  let dedented = 0;
  const firstCode = /^(?:[ \t]*\n)*([ \t]+)\S/.exec(text);
  if (firstCode) {
    const indent = firstCode[1]!;
    dedented = indent.length;
    text = text
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n');
  }
  return { ...maskMagics(text), dedented };
}
