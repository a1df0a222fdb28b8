import { describe, expect, it } from 'vitest';
import { sharedPythonParser } from './python-parser.js';
import { cellDependencies, cellNames, type CellNames } from './python-names.js';

const parser = await sharedPythonParser();
function names(source: string): CellNames {
  const parsed = parser.parseCell(source);
  try {
    return cellNames(parsed.tree.rootNode);
  } finally {
    parsed.tree.delete();
  }
}

describe('cellNames', () => {
  it('tells bindings from reads, with imports, defs, loop and with targets, and nested scopes', () => {
    const found = names(
      [
        'import numpy as np',
        'from sklearn.model_selection import train_test_split as tts, KFold',
        'import os.path',
        'a, (b, *c) = load()',
        'df.x = 1',
        'for i, row in enumerate(rows):',
        '    total += row',
        'with open(p) as fh:',
        '    data = fh.read()',
        'def fit(model, X=None):',
        '    inner = model.fit(X)',
        '    return inner',
        'squares = [k * k for k in range(n)]',
        'f(key=value)',
      ].join('\n'),
    );
    expect([...found.defined].sort()).toEqual(['KFold', 'a', 'b', 'c', 'data', 'fh', 'fit', 'i', 'np', 'os', 'row', 'squares', 'total', 'tts'].sort());
    expect(found.bound.has('inner') && found.bound.has('model') && found.bound.has('X') && found.bound.has('k')).toBe(true);
    expect(found.defined.has('inner') || found.defined.has('k')).toBe(false);
    expect([...found.imported].sort()).toEqual(['KFold', 'np', 'os', 'tts']);
    for (const name of ['load', 'df', 'enumerate', 'rows', 'open', 'p', 'n', 'range', 'f', 'value', 'total']) expect(found.used.has(name), name).toBe(true);
    for (const name of ['x', 'key', 'read', 'a', 'squares']) expect(found.used.has(name), name).toBe(false);
  });
});

describe('cellDependencies', () => {
  it('follows the closest definitions of what a cell reads, transitively', () => {
    const cells = ['import pandas as pd', 'df = pd.read_csv(path)', 'path = "x.csv"', 'unrelated = 1', 'df = df.dropna()', 'model.fit(df)', 'model = Model()'].map(names);
    // Cell 5 reads df (cell 4, which reads df from cell 1, which reads pd from 0 and path — defined only later) and model (defined later: no dependency).
    expect(cellDependencies(cells, 5)).toEqual([0, 1, 4]);
    expect(cellDependencies(cells, 5, 2)).toEqual([1, 4]);
    expect(cellDependencies([null, ...cells.slice(1)], 2)).toEqual([]);
  });
});
