import type { CellEdit } from '@mle/core';

/**
 * Where each cell of an edited notebook came from: `origins[i]` is the position in the original
 * notebook of the cell now at position i, or null for a cell a fix inserted. The regression guard
 * and the progress order compare runs cell by cell through it, so a fix that inserts or deletes a
 * cell cannot pass off a shifted cell as progress.
 */
export type CellOrigins = readonly (number | null)[];

export function identityOrigins(cellCount: number): CellOrigins {
  return Array.from({ length: cellCount }, (_, index) => index);
}

/**
 * The origins after applying `edits` (all referring to the notebook whose origins are given), in
 * the same order `applyEdits` builds the new cell list: inserted cells before the cell at their
 * position, deleted cells dropped, the rest kept.
 */
export function originsAfter(origins: CellOrigins, edits: readonly CellEdit[]): CellOrigins {
  const deleted = new Set<number>();
  const inserted = new Map<number, number>();
  for (const edit of edits) {
    if (edit.kind === 'delete-cell') deleted.add(edit.cellIndex);
    if (edit.kind === 'insert-cell') inserted.set(edit.beforeIndex, (inserted.get(edit.beforeIndex) ?? 0) + 1);
  }
  const result: (number | null)[] = [];
  const pushInserted = (at: number) => {
    for (let i = 0; i < (inserted.get(at) ?? 0); i++) result.push(null);
  };
  origins.forEach((origin, position) => {
    pushInserted(position);
    if (!deleted.has(position)) result.push(origin);
  });
  pushInserted(origins.length);
  return result;
}

/** Positions (in the edited notebook) of the cells an edit list touches: changed or inserted by these edits. */
export function editedPositions(cellCount: number, edits: readonly CellEdit[]): number[] {
  // Track positions rather than origins: the cells this edit list inserts are the new nulls.
  const after = originsAfter(identityOrigins(cellCount), edits);
  const changed = new Set<number>();
  for (const edit of edits) if (edit.kind === 'replace-range' || edit.kind === 'replace-cell') changed.add(edit.cellIndex);
  const positions: number[] = [];
  after.forEach((before, position) => {
    if (before === null || changed.has(before)) positions.push(position);
  });
  return positions;
}
