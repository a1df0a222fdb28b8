import type { CellSyntax, FixCell, PythonParser, PythonSyntaxNode, SourceRange, SyntaxNode, SyntaxTree } from '@mle/core';

/**
 * web-tree-sitter's `Node` must satisfy the public `PythonSyntaxNode`; this assignment is the
 * compile-time check that keeps the plugin API honest when web-tree-sitter is upgraded.
 */
function asPublicNode(node: SyntaxNode): PythonSyntaxNode {
  return node;
}

/** Offsets of each line start in `source`, with `\r\n`, `\r` and `\n` all counted as line ends (as masking does). */
function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 13 /* \r */) {
      if (source.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (ch === 10) starts.push(i + 1);
  }
  return starts;
}

/** A parsed cell plus the tree that must be deleted with it. */
export interface OwnedCellSyntax {
  syntax: CellSyntax;
  tree: SyntaxTree;
}

/**
 * Parse a code cell for fix types. Tree positions refer to the masked text (magics blanked, line
 * ends normalized), which keeps lines but not always columns on masked lines; `rangeOf` maps rows
 * and columns back to the notebook's source, exact on every line that was not masked — the only
 * lines a fix edits.
 */
export function parseCellSyntax(parser: PythonParser, cell: FixCell): OwnedCellSyntax | null {
  if (cell.cellType !== 'code') return null;
  const parsed = parser.parseCell(cell.source);
  if (parsed.status === 'not-python') {
    parsed.tree.delete();
    return null;
  }
  const starts = lineStarts(cell.source);
  const offsetAt = (row: number, column: number): number => {
    const start = starts[row] ?? cell.source.length;
    return Math.min(start + column, cell.source.length);
  };
  const syntax: CellSyntax = {
    cellIndex: cell.index,
    source: cell.source,
    status: parsed.status === 'ok' ? 'ok' : 'partial',
    root: asPublicNode(parsed.tree.rootNode),
    maskedLines: parsed.masked.masked.map((line) => line.line),
    rangeOf(node: PythonSyntaxNode): SourceRange {
      return { start: offsetAt(node.startPosition.row, node.startPosition.column), end: offsetAt(node.endPosition.row, node.endPosition.column) };
    },
  };
  return { syntax, tree: parsed.tree };
}
