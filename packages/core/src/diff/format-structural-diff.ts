import type { StructuralChange, StructuralNodeRef } from './edit-script.js';
import type { NotebookStructuralDiff } from './structural-diff.js';

const SNIPPET = 60;

/** Node text on one line, trimmed: newlines as ⏎, long text cut with …. */
function snippet(node: StructuralNodeRef): string {
  const flat = node.text.replace(/\s*\n\s*/g, ' ⏎ ');
  return `\`${flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat}\``;
}

const where = (node: StructuralNodeRef) => `${node.start.line}:${node.start.column}`;

/** One change as one line: `rename identifier `lr` → `learning_rate` (2:25)`. */
export function formatStructuralChange(change: StructuralChange): string {
  const { before, after } = change;
  switch (change.kind) {
    case 'insert':
      return `insert ${after!.type} ${snippet(after!)} (${where(after!)})`;
    case 'delete':
      return `delete ${before!.type} ${snippet(before!)} (${where(before!)})`;
    case 'move':
      return `move   ${after!.type} ${snippet(after!)} (${where(before!)} → ${where(after!)})`;
    case 'rename':
    case 'update':
      return `${change.kind.padEnd(6)} ${after!.type} ${snippet(before!)} → ${snippet(after!)} (${where(after!)})`;
  }
}

/** The structural changes of one cell, one line each, indented. */
export function formatStructuralChanges(changes: readonly StructuralChange[], indent = '  '): string {
  return changes.map((change) => `${indent}${formatStructuralChange(change)}`).join('\n');
}

/** A notebook diff as text: a header per changed, inserted or deleted cell, then its changes. */
export function formatNotebookStructuralDiff(diff: NotebookStructuralDiff): string {
  if (diff.cells.length === 0) return `no changes (${diff.unchangedCells} cells identical)`;
  const blocks = diff.cells.map((cell) => {
    if (cell.status === 'inserted') return `cell +${cell.afterIndex} (${cell.cellType}): inserted`;
    if (cell.status === 'deleted') return `cell -${cell.beforeIndex} (${cell.cellType}): deleted`;
    const label = cell.beforeIndex === cell.afterIndex ? `cell ${cell.afterIndex}` : `cell ${cell.beforeIndex} → ${cell.afterIndex}`;
    if (cell.changes.length === 0) return `${label} (${cell.cellType}): changed${cell.cellType === 'code' ? ' (layout or comments only)' : ''}`;
    return `${label}:\n${formatStructuralChanges(cell.changes)}`;
  });
  return `${blocks.join('\n')}\n(${diff.unchangedCells} cells unchanged)`;
}
