import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractImports } from './imports.js';
import { maskMagics } from './mask-magics.js';
import { PythonParser } from './parser.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await PythonParser.create();
});
afterAll(() => parser.delete());

describe('maskMagics', () => {
  it('blanks line magics, shell lines and help, keeping line numbers', () => {
    const source = '%matplotlib inline\nx = 1\n!pip install xgboost\ndf.head?\ny = 2';
    const { code, masked } = maskMagics(source);
    expect(code.split('\n')).toHaveLength(5);
    expect(code.split('\n')[1]).toBe('x = 1');
    expect(masked.map((m) => [m.line, m.kind])).toEqual([
      [1, 'line-magic'],
      [3, 'shell'],
      [4, 'help'],
    ]);
  });

  it('keeps the Python body of %%time but drops a %%bash cell whole', () => {
    expect(maskMagics('%%time\nmodel.fit(X, y)').code).toBe('\nmodel.fit(X, y)');
    const bash = maskMagics('%%bash\nls -la\necho done');
    expect(bash.foreignCell).toBe('bash');
    expect(bash.code.trim()).toBe('');
  });

  it('keeps the assignment of `files = !ls` and indented magics parse as pass', () => {
    const { code } = maskMagics('files = !ls /kaggle/input\nfor f in files:\n    !cat $f\n');
    const tree = parser.parseCode(code);
    expect(tree.rootNode.hasError).toBe(false);
    expect(code.split('\n')[0]!.startsWith('files = None')).toBe(true);
    tree.delete();
  });

  it('keeps a % or ! that continues an expression as the operator it is', () => {
    const source = 'msg = ("%s rows"\n       % len(df))\ntotal = 7 \\\n    % 3\nok = (a\n      !=b)\n%time fit()';
    const { code, masked } = maskMagics(source);
    expect(code.split('\n').slice(0, 6)).toEqual(source.split('\n').slice(0, 6));
    expect(masked.map((m) => [m.line, m.kind])).toEqual([[7, 'line-magic']]);
    const tree = parser.parseCode(code);
    expect(tree.rootNode.hasError).toBe(false);
    tree.delete();
  });

  it('masks continuation lines of a magic', () => {
    const { code, masked } = maskMagics('!pip install \\\n    lightgbm\nimport lightgbm');
    expect(masked.map((m) => m.line)).toEqual([1, 2]);
    expect(code.split('\n')[2]).toBe('import lightgbm');
  });

  it('does not mistake comparisons, modulo or dict literals for magics', () => {
    const source = 'a = b % 2\nok = x != y\nd = {"k": 1}';
    expect(maskMagics(source)).toMatchObject({ code: source, masked: [] });
  });
});

describe('extractImports', () => {
  it('finds plain, aliased, multi-name, parenthesized, nested, relative and wildcard imports', () => {
    const source = [
      'import numpy as np, pandas',
      'from sklearn.model_selection import (train_test_split,',
      '                                     KFold as KF)',
      'def load():',
      '    import torch.nn as nn',
      '    return nn',
      'from . import helpers',
      'from os.path import *',
      'from __future__ import print_function',
    ].join('\n');
    expect(extractImports(parser, source)).toEqual([
      { line: 1, module: 'numpy', name: null, alias: 'np', nested: false },
      { line: 1, module: 'pandas', name: null, alias: null, nested: false },
      { line: 2, module: 'sklearn.model_selection', name: 'train_test_split', alias: null, nested: false },
      { line: 2, module: 'sklearn.model_selection', name: 'KFold', alias: 'KF', nested: false },
      { line: 5, module: 'torch.nn', name: null, alias: 'nn', nested: true },
      { line: 7, module: '.', name: 'helpers', alias: null, nested: false },
      { line: 8, module: 'os.path', name: '*', alias: null, nested: false },
      { line: 9, module: '__future__', name: 'print_function', alias: null, nested: false },
    ]);
  });

  it('reads imports in Python 2 cells and cells with magics', () => {
    const source = '%matplotlib inline\nimport xgboost as xgb\nprint "loaded", xgb.__version__\n!ls ../input';
    expect(extractImports(parser, source)).toEqual([{ line: 2, module: 'xgboost', name: null, alias: 'xgb', nested: false }]);
  });

  it('finds imports inside blocks, and nothing in strings or comments', () => {
    const source = 'try:\n    import lightgbm\nexcept ImportError:\n    pass\n# import torch\ns = "import keras"';
    expect(extractImports(parser, source).map((r) => [r.module, r.nested])).toEqual([['lightgbm', true]]);
  });

  it('skips the parser for cells without the word import', () => {
    expect(extractImports(parser, 'x = 1\n' + ')'.repeat(50))).toEqual([]);
  });
});
