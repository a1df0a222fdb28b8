import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PythonParser } from '../python/parser.js';
import { formatNotebookStructuralDiff, formatStructuralChanges } from './format-structural-diff.js';
import { diffNotebookCells, structuralDiff } from './structural-diff.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await PythonParser.create();
});
afterAll(() => parser.delete());

/** The edit script as text lines: the expected values below were checked by hand against the code. */
function script(before: string, after: string): string[] {
  return formatStructuralChanges(structuralDiff(parser, before, after).changes, '').split('\n').filter(Boolean);
}

describe('structuralDiff', () => {
  it('reports nothing for identical code, or code that differs only in layout and comments', () => {
    expect(structuralDiff(parser, 'x = f(a, b)', 'x = f(a, b)').changes).toEqual([]);
    expect(structuralDiff(parser, 'x = f(a,b)  # old', 'x = f(a, b)\n# note').changes).toEqual([]);
  });

  it('sees a keyword rename as one rename of the keyword identifier', () => {
    expect(script('opt = Adam(lr=0.1)', 'opt = Adam(learning_rate=0.1)')).toEqual(['rename identifier `lr` → `learning_rate` (1:12)']);
  });

  it('sees a changed string literal as an update', () => {
    const diff = structuralDiff(parser, "m = RF(n_estimators=10, criterion='mse')", "m = RF(n_estimators=10, criterion='squared_error')");
    expect(diff.changes).toEqual([
      {
        kind: 'update',
        before: { type: 'string', text: "'mse'", start: { line: 1, column: 35 }, end: { line: 1, column: 40 } },
        after: { type: 'string', text: "'squared_error'", start: { line: 1, column: 35 }, end: { line: 1, column: 50 } },
      },
    ]);
    expect(diff.counts).toEqual({ insert: 0, delete: 0, update: 1, rename: 0, move: 0 });
  });

  it('sees np.float → float as the attribute deleted and its name moved up', () => {
    expect(script('x = np.zeros(3, dtype=np.float)', 'x = np.zeros(3, dtype=float)')).toEqual([
      'delete attribute `np.float` (1:23)',
      'move   identifier `float` (1:26 → 1:23)',
    ]);
  });

  it('sees swapped statements as one move and a changed operator as an update', () => {
    expect(script('a = 1\nb = 2\nc = a + b', 'b = 2\na = 1\nc = a - b')).toEqual([
      'move   expression_statement `a = 1` (1:1 → 2:1)',
      'update binary_operator `a + b` → `a - b` (3:5)',
    ]);
  });

  it('sees an extracted variable as an insert, a move of the expression, and a new name', () => {
    expect(script('def f(a):\n    return a * 2\n\ny = f(3)', 'def f(a):\n    b = a * 2\n    return b\n\ny = f(3)')).toEqual([
      'insert expression_statement `b = a * 2` (2:5)',
      'move   binary_operator `a * 2` (2:12 → 2:9)',
      'insert identifier `b` (3:12)',
    ]);
  });

  it('rewrites df.append(row) → pd.concat([df, row]) as renames of the callee, a new list and the argument moved in', () => {
    expect(script('df = df.append(row, ignore_index=True)', 'df = pd.concat([df, row], ignore_index=True)')).toEqual([
      'rename identifier `df` → `pd` (1:6)',
      'rename identifier `append` → `concat` (1:9)',
      'insert list `[df, row]` (1:16)',
      'move   identifier `row` (1:16 → 1:21)',
    ]);
  });

  it('keeps the outer call in place when a rewrite wraps the argument (dict row → pd.DataFrame([row]))', () => {
    expect(script("results = results.append({'m': name, 'auc': s.mean()}, ignore_index=True)", "results = pd.concat([results, pd.DataFrame([{'m': name, 'auc': s.mean()}])], ignore_index=True)")).toEqual([
      'rename identifier `results` → `pd` (1:11)',
      'rename identifier `append` → `concat` (1:14)',
      "insert list `[results, pd.DataFrame([{'m': name, 'auc': s.mean()}])]` (1:21)",
      "move   dictionary `{'m': name, 'auc': s.mean()}` (1:26 → 1:45)",
    ]);
  });

  it('sees a Python 2 print statement replaced by a call, its arguments kept', () => {
    expect(script('print "x", y', 'print("x", y)')).toEqual([
      'delete print_statement `print "x", y` (1:1)',
      'insert expression_statement `print("x", y)` (1:1)',
      'move   string `"x"` (1:7 → 1:7)',
      'move   identifier `y` (1:12 → 1:12)',
    ]);
    const diff = structuralDiff(parser, 'print "x", y', 'print("x", y)');
    expect([diff.beforeStatus, diff.afterStatus]).toEqual(['ok', 'ok']);
  });

  it('reports deleted and inserted statements at their roots only', () => {
    expect(script('import os\nx = load()\ny = x + 1', 'x = load()\ny = x + 1\nprint(y)')).toEqual([
      'delete import_statement `import os` (1:1)',
      'insert expression_statement `print(y)` (3:1)',
    ]);
  });

  it('masks magics before parsing, so a magic line is no change', () => {
    expect(script('%matplotlib inline\nx = 1', '%matplotlib notebook\nx = 1')).toEqual([]);
  });
});

describe('diffNotebookCells', () => {
  const code = (source: string) => ({ cellType: 'code' as const, source });
  const markdown = (source: string) => ({ cellType: 'markdown' as const, source });

  it('aligns cells on identical sources and diffs the edited ones', () => {
    const before = [markdown('# Title'), code('import numpy as np'), code('x = np.float(1)'), code('print x'), markdown('end')];
    const after = [markdown('# Title'), code('import numpy as np'), code('x = float(1)'), code('print(x)'), code('extra = 1'), markdown('end')];
    const diff = diffNotebookCells(parser, before, after);
    expect(diff.unchangedCells).toBe(3);
    expect(diff.cells.map((c) => [c.beforeIndex, c.afterIndex, c.status, c.changes.length])).toEqual([
      [2, 2, 'changed', 2],
      [3, 3, 'changed', 3],
      [null, 4, 'inserted', 0],
    ]);
    expect(formatNotebookStructuralDiff(diff)).toBe(
      [
        'cell 2:',
        '  delete attribute `np.float` (1:5)',
        '  move   identifier `float` (1:8 → 1:5)',
        'cell 3:',
        '  delete print_statement `print x` (1:1)',
        '  insert expression_statement `print(x)` (1:1)',
        '  move   identifier `x` (1:7 → 1:7)',
        'cell +4 (code): inserted',
        '(3 cells unchanged)',
      ].join('\n'),
    );
  });

  it('reports deleted cells and a notebook without changes', () => {
    const cells = [code('a = 1'), code('b = 2')];
    expect(formatNotebookStructuralDiff(diffNotebookCells(parser, cells, cells))).toBe('no changes (2 cells identical)');
    const diff = diffNotebookCells(parser, [code('a = 1'), markdown('note'), code('b = 2')], [code('a = 1'), code('b = 2')]);
    expect(diff.cells).toEqual([{ beforeIndex: 1, afterIndex: null, status: 'deleted', cellType: 'markdown', changes: [], counts: { insert: 0, delete: 0, update: 0, rename: 0, move: 0 } }]);
  });
});
