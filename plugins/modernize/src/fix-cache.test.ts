import { openStore, type CellEdit, type NormalizedNotebook } from '@mle/core';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedFixType, FixCache, type FixCacheEntry } from './fix-cache.js';
import { generalizeFix, type FixPattern } from './fix-pattern.js';
import { FixTypeTester } from './fix-type-tester.js';
import { normalizeErrorSignature } from './normalize-error.js';
import { sharedPythonParser } from './python-parser.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

const parser = await sharedPythonParser();

function notebook(...sources: string[]): NormalizedNotebook {
  return { nbformat: 4, nbformatMinor: 5, metadata: {}, cells: sources.map((source, index) => ({ index, cellType: 'code', source, executionCount: null, outputs: [], metadata: {} })) };
}

/** Generalize "cell `index` became `after`" (a whole-cell answer, as an LLM gives it). */
function generalize(before: NormalizedNotebook, index: number, after: string) {
  return generalizeFix(parser, before, [{ kind: 'replace-cell', cellIndex: index, source: after }]);
}

function entry(id: number, errorSignature: string, pattern: FixPattern, source: 'llm' | 'rule' = 'llm'): FixCacheEntry {
  return { id, errorSignature, pattern, source, originFixId: null, hits: 0, successes: 0, createdAt: '2026-01-01T00:00:00.000Z' };
}

describe('normalizeErrorSignature', () => {
  it('keeps the API names and abstracts numbers, paths, files, data values and local names', () => {
    expect(normalizeErrorSignature('AttributeError', "module 'numpy' has no attribute 'float'.")).toBe("AttributeError: module 'numpy' has no attribute 'float'.");
    expect(normalizeErrorSignature('SyntaxError', "Missing parentheses in call to 'print'. Did you mean print(...)? (3535898456.py, line 1)")).toBe(
      "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (<file>, line <num>)",
    );
    expect(normalizeErrorSignature('FileNotFoundError', "[Errno 2] No such file or directory: '/kaggle/input/x/train 2.csv'")).toBe("FileNotFoundError: [Errno <num>] No such file or directory: '<str>'");
    expect(normalizeErrorSignature('ValueError', 'shapes (3,4) and (5,) not aligned: 4 (dim 1) != 5 (dim 0)')).toBe('ValueError: shapes (<num>,<num>) and (<num>,) not aligned: <num> (dim <num>) != <num> (dim <num>)');
    expect(normalizeErrorSignature('KeyError', "'price_2019'", { localNames: new Set(['price_2019']) })).toBe("KeyError: '<name>'");
    expect(normalizeErrorSignature('TypeError', "object of type <class 'float64'> at 0x7f3a2b has no len()")).toBe("TypeError: object of type <class 'float64'> at <addr> has no len()");
    expect(normalizeErrorSignature('NameError', "\u001b[0;31mname 'xrange' is not defined\u001b[0m\nmore")).toBe("NameError: name 'xrange' is not defined");
  });
});

describe('generalizeFix', () => {
  it('sees a changed attribute of an imported module as a rename on that module', () => {
    const result = generalize(notebook('import numpy as np', 'x = np.float(1) + np.float(2)'), 1, 'x = np.float64(1) + np.float64(2)');
    expect(result).toEqual({ ok: true, pattern: { rewrites: [{ kind: 'rename-attribute', from: 'float', to: 'float64', module: 'numpy' }] } });
  });

  it('sees a renamed keyword as a keyword rename in calls of that callee', () => {
    const result = generalize(notebook('from keras.optimizers import Adam', 'opt = Adam(lr=0.1, decay=0)'), 1, 'opt = Adam(learning_rate=0.1, decay=0)');
    expect(result).toEqual({ ok: true, pattern: { rewrites: [{ kind: 'rename-keyword', callee: 'Adam', from: 'lr', to: 'learning_rate' }] } });
  });

  it('sees a replaced free name as a name rename, and a moved import as a module rename of those names', () => {
    expect(generalize(notebook('total = 0\nfor i in xrange(10):\n    total += i'), 0, 'total = 0\nfor i in range(10):\n    total += i')).toEqual({
      ok: true,
      pattern: { rewrites: [{ kind: 'rename-name', from: 'xrange', to: 'range' }] },
    });
    expect(generalize(notebook('from sklearn.cross_validation import train_test_split, KFold'), 0, 'from sklearn.model_selection import train_test_split, KFold')).toEqual({
      ok: true,
      pattern: { rewrites: [{ kind: 'rename-module', from: 'sklearn.cross_validation', to: 'sklearn.model_selection', names: ['KFold', 'train_test_split'] }] },
    });
  });

  it('abstracts the notebook’s variables and module aliases in a template, and keeps an added import', () => {
    const before = notebook('import pandas as pd\ndf = pd.DataFrame()\nrow = {"a": 1}', 'df = df.append(row, ignore_index=True)');
    const result = generalize(before, 1, 'import numpy as np\ndf = pd.concat([df, pd.DataFrame([row])], ignore_index=True)');
    expect(result).toEqual({
      ok: true,
      pattern: {
        rewrites: [
          { kind: 'add-import', statement: 'import numpy as np', binds: ['np'] },
          {
            kind: 'template',
            root: 'expression',
            before: '__mle_v1__.append(__mle_v2__, ignore_index=True)',
            after: '__mle_m1__.concat([__mle_v1__, __mle_m1__.DataFrame([__mle_v2__])], ignore_index=True)',
            modules: { __mle_m1__: 'pandas' },
          },
        ],
      },
    });
  });

  it('refuses what would not transfer: variables only, deleted cells, changes across statements', () => {
    expect(generalize(notebook('def f(v):\n    return v', 'y = 2\nx = f(y)'), 1, 'y = 2\nx = f(y + 1)')).toEqual({ ok: false, reason: 'cell 1: the change has no literal anchor (only variables)' });
    expect(generalizeFix(parser, notebook('a = 1', 'b = 2'), [{ kind: 'delete-cell', cellIndex: 1 }])).toEqual({ ok: false, reason: 'the fix deletes a cell' });
    expect(generalize(notebook('a = 1\nb = 2\nc = 3'), 0, 'a = 10\nb = 2\nc = 30')).toEqual({ ok: false, reason: 'cell 0: the change has no literal anchor (only variables)' });
    const spanning = generalize(notebook('total = compute(1)\nprint(total)'), 0, 'total = compute(2); print(total)');
    expect(spanning).toEqual({ ok: false, reason: 'cell 0: the change spans several statements' });
  });

  it('generalizes range edits made by rules the same way as whole-cell answers', () => {
    const before = notebook('import numpy as np\ny = np.int(3)');
    const edits: CellEdit[] = [{ kind: 'replace-range', cellIndex: 0, start: 23, end: 29, text: 'int' }];
    expect(generalizeFix(parser, before, edits)).toEqual({
      ok: true,
      pattern: { rewrites: [{ kind: 'template', root: 'expression', before: '__mle_m1__.int', after: 'int', modules: { __mle_m1__: 'numpy' } }] },
    });
  });
});

// The entries below are what the loop stores after an accepted fix; tested on *other* notebooks,
// with other aliases and variable names, as a rule is tested.
const asMatrix = entry(1, "AttributeError: 'DataFrame' object has no attribute 'as_matrix'", { rewrites: [{ kind: 'rename-attribute', from: 'as_matrix', to: 'to_numpy', module: null }] });
FixTypeTester.run('fix-cache-1', cachedFixType(asMatrix, parser), {
  valid: [
    // Another signature: not this entry's business.
    { cells: 'X = train.as_matrix()', failure: { error: "AttributeError: 'Series' object has no attribute 'as_matrix'" } },
    // The signature, but nothing to rewrite in the failing cell.
    { cells: ['X = train.as_matrix()', 'print(X)'], failure: { error: "AttributeError: 'DataFrame' object has no attribute 'as_matrix'", cellIndex: 1 } },
  ],
  invalid: [
    {
      cells: ['import pandas', 'train = pandas.read_csv("t.csv")\nX = train.as_matrix()\ny = train["y"].values'],
      failure: { error: "AttributeError: 'DataFrame' object has no attribute 'as_matrix'" },
      matches: [{ messageId: 'rewrite', data: { entry: '1', source: 'llm', rewrite: 'replace attribute .as_matrix with .to_numpy' }, line: 2, cellIndex: 1 }],
      output: ['import pandas', 'train = pandas.read_csv("t.csv")\nX = train.to_numpy()\ny = train["y"].values'],
      safety: 'unsafe',
    },
  ],
});

const npFloat = entry(2, "AttributeError: module 'numpy' has no attribute 'float'.", { rewrites: [{ kind: 'rename-attribute', from: 'float', to: 'float64', module: 'numpy' }] }, 'rule');
FixTypeTester.run('fix-cache-2', cachedFixType(npFloat, parser), {
  valid: [
    // `np` is not numpy here.
    { cells: 'import mylib as np\nx = np.float(1)', failure: { error: "AttributeError: module 'numpy' has no attribute 'float'." } },
    'import numpy\nx = numpy.float64(1)',
  ],
  invalid: [
    {
      name: 'numpy under another alias, fixed in every cell (a typed anchor)',
      cells: ['import numpy\na = numpy.float(1)', 'b = numpy.float(2)'],
      failure: { error: "AttributeError: module 'numpy' has no attribute 'float'.", cellIndex: 1 },
      matches: [
        { messageId: 'rewrite', line: 2, cellIndex: 0 },
        { messageId: 'rewrite', line: 1, cellIndex: 1 },
      ],
      output: ['import numpy\na = numpy.float64(1)', 'b = numpy.float64(2)'],
      safety: 'safe',
    },
  ],
});

const append = entry(3, "AttributeError: 'DataFrame' object has no attribute 'append'", {
  rewrites: [
    {
      kind: 'template',
      root: 'expression',
      before: '__mle_v1__.append(__mle_v2__, ignore_index=True)',
      after: '__mle_m1__.concat([__mle_v1__, __mle_m1__.DataFrame([__mle_v2__])], ignore_index=True)',
      modules: { __mle_m1__: 'pandas' },
    },
  ],
});
FixTypeTester.run('fix-cache-3', cachedFixType(append, parser), {
  valid: [
    // No keyword: list.append has the same shape, and the template asks for the keyword.
    { cells: 'import pandas as pd\nrows = []\nrows.append(1)', failure: { error: "AttributeError: 'DataFrame' object has no attribute 'append'" } },
    // pandas is not imported: no alias to write `concat` with.
    { cells: 'log = log.append(entry, ignore_index=True)', failure: { error: "AttributeError: 'DataFrame' object has no attribute 'append'" } },
  ],
  invalid: [
    {
      name: 'other variable names and expressions, with the precedence kept',
      cells: ['import pandas as pandas_lib', 'results = results.append(scores[i] + bonus, ignore_index=True)'],
      failure: { error: "AttributeError: 'DataFrame' object has no attribute 'append'" },
      matches: [{ messageId: 'rewrite', line: 1, cellIndex: 1 }],
      output: ['import pandas as pandas_lib', 'results = pandas_lib.concat([results, pandas_lib.DataFrame([scores[i] + bonus])], ignore_index=True)'],
    },
  ],
});

const withImport = entry(4, "NameError: name 'xrange' is not defined", {
  rewrites: [
    { kind: 'add-import', statement: 'from six.moves import range as six_range', binds: ['six_range'] },
    { kind: 'rename-name', from: 'xrange', to: 'six_range' },
  ],
});
FixTypeTester.run('fix-cache-4', cachedFixType(withImport, parser), {
  valid: [{ cells: 'def xrange(n):\n    return range(n)\nfor i in xrange(3):\n    pass', failure: { error: "NameError: name 'xrange' is not defined" } }],
  invalid: [
    {
      cells: ['n = 3', 'for i in xrange(n):\n    print(i)'],
      failure: { error: "NameError: name 'xrange' is not defined" },
      matches: [{ messageId: 'rewrite', line: 1, cellIndex: 1 }, { messageId: 'rewrite', line: 1, cellIndex: 1 }],
      output: ['n = 3', 'from six.moves import range as six_range\nfor i in six_range(n):\n    print(i)'],
    },
  ],
});

describe('FixCache', () => {
  const store = openStore(':memory:');
  afterAll(() => store.close());
  const cache = new FixCache(store, parser);

  it('learns a fix once per (signature, pattern), ranks proven entries first and counts hits and successes', () => {
    const signature = "AttributeError: 'DataFrame' object has no attribute 'as_matrix'";
    const first = cache.learn({ errorSignature: signature, before: notebook('df = load()\nX = df.as_matrix()'), edits: [{ kind: 'replace-cell', cellIndex: 0, source: 'df = load()\nX = df.values' }], source: 'llm', originFixId: null });
    const second = cache.learn({ errorSignature: signature, before: notebook('M = train.as_matrix()'), edits: [{ kind: 'replace-cell', cellIndex: 0, source: 'M = train.to_numpy()' }], source: 'llm', originFixId: null });
    const again = cache.learn({ errorSignature: signature, before: notebook('Y = test.as_matrix()'), edits: [{ kind: 'replace-cell', cellIndex: 0, source: 'Y = test.to_numpy()' }], source: 'llm', originFixId: null });
    if (!('entry' in first) || !('entry' in second) || !('entry' in again)) throw new Error('expected entries');
    expect(first.created && second.created).toBe(true);
    expect(again).toMatchObject({ created: false, entry: { id: second.entry.id } });
    // `df.as_matrix()` → `df.values` is a template of a variable plus a literal method: it transfers.
    expect(first.entry.pattern.rewrites).toEqual([{ kind: 'template', root: 'expression', before: '__mle_v1__.as_matrix()', after: '__mle_v1__.values', modules: {} }]);
    cache.recordHit(second.entry.id);
    cache.recordSuccess(second.entry.id);
    cache.recordHit(first.entry.id);
    expect(cache.lookup(signature).map((e) => [e.id, e.hits, e.successes])).toEqual([
      [second.entry.id, 1, 1],
      [first.entry.id, 1, 0],
    ]);
    expect(cache.lookup('AttributeError: other')).toEqual([]);
    expect(cache.learn({ errorSignature: signature, before: notebook('a = 1', 'b = 2'), edits: [{ kind: 'delete-cell', cellIndex: 1 }], source: 'llm', originFixId: null })).toEqual({ reason: 'the fix deletes a cell' });
  });
});
