import { describe, expect, it } from 'vitest';
import { applyRangeEdits } from './apply-edits.js';
import { diffHunks, refineHunk } from './edit-hunks.js';

const apply = (before: string, hunks: { start: number; end: number; text: string }[]) => applyRangeEdits(before, hunks.map((h) => ({ kind: 'replace-range', cellIndex: 0, ...h })));

describe('diffHunks', () => {
  it('finds minimal hunks on changed lines and leaves unchanged lines alone', () => {
    const before = 'import numpy as np\nx = np.float(1)\ny = 2\nz = np.int(3)\n';
    const after = 'import numpy as np\nx = float(1)\ny = 2\nz = int(3)\nprint(z)\n';
    const hunks = diffHunks(before, after);
    expect(hunks).toEqual([
      { start: 23, end: 26, text: '' },
      { start: 45, end: 48, text: '' },
      { start: 55, end: 55, text: 'print(z)\n' },
    ]);
    expect(apply(before, hunks)).toBe(after);
    expect(diffHunks(before, before)).toEqual([]);
  });

  it('reproduces any edit, line endings and a missing final newline included', () => {
    for (const [before, after] of [
      ['a\nb\nc', 'a\nc'],
      ['a\r\nb\r\n', 'a\r\nB\r\n'],
      ['', 'x = 1'],
      ['x = 1', ''],
      ['for i in xrange(3):\n    print i', 'for i in range(3):\n    print(i)\n'],
    ] as const) {
      expect(apply(before, diffHunks(before, after))).toBe(after);
    }
  });
});

describe('refineHunk', () => {
  it('splits a changed line into token-level changes', () => {
    const source = 'x = np.float(1) + np.float(2)';
    const [hunk] = diffHunks(source, 'x = np.float64(1) + np.float64(2)');
    const fine = refineHunk(source, hunk!);
    expect(fine.map((h) => [source.slice(h.start, h.end), h.text])).toEqual([['float', 'float64'], ['float', 'float64']]);
    expect(apply(source, fine)).toBe('x = np.float64(1) + np.float64(2)');
  });
});
