import { describe, expect, it } from 'vitest';
import { editedPositions, identityOrigins, originsAfter } from './cell-origins.js';

describe('cell origins', () => {
  it('track original positions through inserted and deleted cells, in applyEdits order', () => {
    const origins = originsAfter(identityOrigins(4), [
      { kind: 'insert-cell', beforeIndex: 1, cellType: 'code', source: 'import x' },
      { kind: 'delete-cell', cellIndex: 2 },
      { kind: 'insert-cell', beforeIndex: 4, cellType: 'markdown', source: 'end' },
    ]);
    expect(origins).toEqual([0, null, 1, 3, null]);
    expect(originsAfter(origins, [{ kind: 'insert-cell', beforeIndex: 0, cellType: 'code', source: 'y' }])).toEqual([null, 0, null, 1, 3, null]);
  });

  it('say which positions an edit list changed or inserted', () => {
    expect(editedPositions(3, [{ kind: 'replace-range', cellIndex: 2, start: 0, end: 1, text: 'a' }, { kind: 'insert-cell', beforeIndex: 0, cellType: 'code', source: 'b' }])).toEqual([0, 3]);
    expect(editedPositions(3, [{ kind: 'replace-cell', cellIndex: 1, source: 'c' }, { kind: 'delete-cell', cellIndex: 0 }])).toEqual([0]);
  });
});
