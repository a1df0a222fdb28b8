import { describe, expect, it } from 'vitest';
import type { NormalizedNotebook } from '@mle/core';
import { applyEdits, applyRangeEdits, EditOutOfRangeError, OverlappingEditsError, type RangeEdit } from './apply-edits.js';

function notebook(...sources: string[]): NormalizedNotebook {
  return {
    nbformat: 4,
    nbformatMinor: 5,
    metadata: {},
    cells: sources.map((source, index) => ({ index, cellType: 'code', source, executionCount: index + 1, outputs: [{ output_type: 'stream', name: 'stdout', text: 'old' }], metadata: { tag: index } })),
  };
}

const range = (cellIndex: number, start: number, end: number, text: string): RangeEdit => ({ kind: 'replace-range', cellIndex, start, end, text });

describe('applyRangeEdits', () => {
  it('applies edits given in any order against the original offsets', () => {
    expect(applyRangeEdits('x = np.float(a) + np.int(b)', [range(0, 18, 24, 'int'), range(0, 4, 12, 'float')])).toBe('x = float(a) + int(b)');
  });

  it('accepts edits that share a boundary and an insertion at the start of a replaced range', () => {
    expect(applyRangeEdits('abcdef', [range(0, 2, 4, 'XY'), range(0, 4, 6, 'Z'), range(0, 2, 2, '>')])).toBe('ab>XYZ');
  });

  it('rejects overlapping ranges and two insertions at one point', () => {
    expect(() => applyRangeEdits('abcdef', [range(0, 1, 4, ''), range(0, 3, 5, '')])).toThrow(OverlappingEditsError);
    expect(() => applyRangeEdits('abcdef', [range(0, 2, 2, 'a'), range(0, 2, 2, 'b')])).toThrow(OverlappingEditsError);
  });

  it('rejects ranges outside the text', () => {
    expect(() => applyRangeEdits('abc', [range(0, 2, 9, '')])).toThrow(EditOutOfRangeError);
    expect(() => applyRangeEdits('abc', [range(0, 2, 1, '')])).toThrow(EditOutOfRangeError);
  });
});

describe('applyEdits', () => {
  it('edits cells, keeps the input unchanged, clears outputs of changed cells only', () => {
    const input = notebook('a = 1', 'b = np.int');
    const output = applyEdits(input, [range(1, 4, 10, 'int')]);
    expect(output.cells.map((c) => c.source)).toEqual(['a = 1', 'b = int']);
    expect(output.cells[1]).toMatchObject({ outputs: [], executionCount: null, metadata: { tag: 1 } });
    expect(output.cells[0]!.outputs).toHaveLength(1);
    expect(input.cells[1]!.source).toBe('b = np.int');
  });

  it('inserts, replaces and deletes whole cells and renumbers', () => {
    const output = applyEdits(notebook('a', 'b', 'c'), [
      { kind: 'insert-cell', beforeIndex: 0, cellType: 'markdown', source: '# top' },
      { kind: 'delete-cell', cellIndex: 1 },
      { kind: 'replace-cell', cellIndex: 2, source: 'C' },
      { kind: 'insert-cell', beforeIndex: 3, cellType: 'code', source: 'end' },
      { kind: 'insert-cell', beforeIndex: 3, cellType: 'code', source: 'end2' },
    ]);
    expect(output.cells.map((c) => [c.index, c.cellType, c.source])).toEqual([
      [0, 'markdown', '# top'],
      [1, 'code', 'a'],
      [2, 'code', 'C'],
      [3, 'code', 'end'],
      [4, 'code', 'end2'],
    ]);
  });

  it('rejects a range edit in a cell that is also replaced or deleted', () => {
    expect(() => applyEdits(notebook('abc'), [range(0, 0, 1, 'x'), { kind: 'replace-cell', cellIndex: 0, source: 'y' }])).toThrow(OverlappingEditsError);
    expect(() => applyEdits(notebook('abc'), [{ kind: 'delete-cell', cellIndex: 0 }, range(0, 0, 1, 'x')])).toThrow(OverlappingEditsError);
  });

  it('rejects edits naming missing cells or positions', () => {
    expect(() => applyEdits(notebook('a'), [range(3, 0, 0, 'x')])).toThrow(EditOutOfRangeError);
    expect(() => applyEdits(notebook('a'), [{ kind: 'insert-cell', beforeIndex: 5, cellType: 'code', source: '' }])).toThrow(/no position 5/);
  });
});
