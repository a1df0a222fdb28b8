import type { CellEdit, NormalizedCell, NormalizedNotebook } from '@mle/core';

/** An edit of a range of one cell's text. */
export type RangeEdit = Extract<CellEdit, { kind: 'replace-range' }>;

/** Two edits touch the same text (or insert at the same point), so their combined result is ambiguous. */
export class OverlappingEditsError extends Error {
  override name = 'OverlappingEditsError';
  constructor(readonly first: CellEdit, readonly second: CellEdit) {
    super(`edits overlap in cell ${'cellIndex' in first ? first.cellIndex : '?'}: ${describeEdit(first)} and ${describeEdit(second)}`);
  }
}

/** An edit names a cell that does not exist or a range outside its cell. */
export class EditOutOfRangeError extends Error {
  override name = 'EditOutOfRangeError';
  constructor(readonly edit: CellEdit, reason: string) {
    super(`${describeEdit(edit)}: ${reason}`);
  }
}

function describeEdit(edit: CellEdit): string {
  switch (edit.kind) {
    case 'replace-range':
      return `replace [${edit.start}, ${edit.end}) of cell ${edit.cellIndex} with ${JSON.stringify(edit.text)}`;
    case 'replace-cell':
      return `replace cell ${edit.cellIndex}`;
    case 'delete-cell':
      return `delete cell ${edit.cellIndex}`;
    case 'insert-cell':
      return `insert a ${edit.cellType} cell before ${edit.beforeIndex}`;
  }
}

/**
 * Apply range edits to one text. Ranges refer to the original text; they are sorted, checked for
 * overlap (a shared boundary is fine; two insertions at one point are not, since their order would
 * be a guess), and applied back to front so that earlier offsets stay valid.
 */
export function applyRangeEdits(source: string, edits: readonly RangeEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (const edit of sorted) {
    if (!(Number.isInteger(edit.start) && Number.isInteger(edit.end) && edit.start >= 0 && edit.start <= edit.end && edit.end <= source.length)) {
      throw new EditOutOfRangeError(edit, `range outside the cell (length ${source.length})`);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const current = sorted[i]!;
    const bothInsertAtSamePoint = previous.start === previous.end && current.start === current.end && previous.start === current.start;
    if (current.start < previous.end || bothInsertAtSamePoint) throw new OverlappingEditsError(previous, current);
  }
  let result = source;
  for (let i = sorted.length - 1; i >= 0; i--) {
    const edit = sorted[i]!;
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

/** Throw unless the edits could be applied together to this notebook (same checks as {@link applyEdits}). */
export function checkEdits(notebook: NormalizedNotebook, edits: readonly CellEdit[]): void {
  applyEdits(notebook, edits);
}

/**
 * Apply cell edits to a notebook and return a new notebook (the input is not changed). Every edit
 * refers to the notebook as given, so the edits of several fixes can be concatenated and applied at
 * once as long as they do not overlap. A cell whose code changed loses its outputs and execution
 * count, which described the old code; cells are renumbered after insertions and deletions.
 */
export function applyEdits(notebook: NormalizedNotebook, edits: readonly CellEdit[]): NormalizedNotebook {
  const count = notebook.cells.length;
  const ranges = new Map<number, RangeEdit[]>();
  const wholeCell = new Map<number, Extract<CellEdit, { kind: 'replace-cell' | 'delete-cell' }>>();
  const inserts = new Map<number, Extract<CellEdit, { kind: 'insert-cell' }>[]>();
  for (const edit of edits) {
    if (edit.kind === 'insert-cell') {
      if (!Number.isInteger(edit.beforeIndex) || edit.beforeIndex < 0 || edit.beforeIndex > count) {
        throw new EditOutOfRangeError(edit, `no position ${edit.beforeIndex} in a notebook of ${count} cells`);
      }
      inserts.set(edit.beforeIndex, [...(inserts.get(edit.beforeIndex) ?? []), edit]);
      continue;
    }
    if (!Number.isInteger(edit.cellIndex) || edit.cellIndex < 0 || edit.cellIndex >= count) {
      throw new EditOutOfRangeError(edit, `no cell ${edit.cellIndex} in a notebook of ${count} cells`);
    }
    const whole = wholeCell.get(edit.cellIndex);
    if (whole) throw new OverlappingEditsError(whole, edit);
    if (edit.kind === 'replace-range') {
      ranges.set(edit.cellIndex, [...(ranges.get(edit.cellIndex) ?? []), edit]);
    } else {
      const first = ranges.get(edit.cellIndex)?.[0];
      if (first) throw new OverlappingEditsError(first, edit);
      wholeCell.set(edit.cellIndex, edit);
    }
  }

  const cells: NormalizedCell[] = [];
  const inserted = (at: number) => {
    for (const edit of inserts.get(at) ?? []) {
      cells.push({ index: 0, cellType: edit.cellType, source: edit.source, executionCount: null, outputs: [], metadata: {} });
    }
  };
  // Positions, not the cells' own `index` fields, are what edits refer to.
  notebook.cells.forEach((cell, position) => {
    inserted(position);
    const whole = wholeCell.get(position);
    if (whole?.kind === 'delete-cell') return;
    const source = whole?.kind === 'replace-cell' ? whole.source : applyRangeEdits(cell.source, ranges.get(position) ?? []);
    cells.push(source === cell.source ? { ...cell } : { ...cell, source, outputs: [], executionCount: null });
  });
  inserted(count);
  cells.forEach((cell, index) => (cell.index = index));
  return { ...notebook, cells };
}
