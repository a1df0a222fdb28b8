import { describe, expect, it } from 'vitest';
import type { FixType, NormalizedNotebook } from '@mle/core';
import { diffNotebookCells } from '@mle/core';
import { createFailure } from './failure-context.js';
import { fixAll } from './fix-all.js';
import { builtinFixTypes, fixTypeByCode } from './fix-types/builtin-fix-types.js';
import { proposeFixes } from './propose-fixes.js';
import { sharedPythonParser } from './python-parser.js';

function notebook(...sources: string[]): NormalizedNotebook {
  return { nbformat: 4, nbformatMinor: 5, metadata: {}, cells: sources.map((source, index) => ({ index, cellType: index === 0 ? 'markdown' : 'code', source, executionCount: null, outputs: [], metadata: {} })) };
}

/** A 2017-style Kaggle notebook with one breaking change of many catalogue families. */
const OLD_KERNEL = notebook(
  '# House prices, 2017',
  'import numpy as np\nimport pandas as pd\nfrom sklearn.cross_validation import train_test_split\nfrom sklearn.metrics import mean_squared_error\nimport lightgbm as lgb\nfrom PIL import Image',
  "train = pd.read_csv('train.csv', error_bad_lines=False)\ntest = pd.read_csv('test.csv')\nfull = train.append(test, sort=False)\nfull['y'] = full['y'].astype(np.float).fillna(method='ffill')\nfor name, col in full.iteritems():\n    print name, col.dtype",
  "model = lgb.LGBMRegressor(n_estimators=2000)\nmodel.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], early_stopping_rounds=50, verbose=100)\nrmse = mean_squared_error(y_va, model.predict(X_va), squared=False)\nfor i in xrange(3):\n    pass",
  'from sklearn.datasets import load_boston',
);

describe('fixAll', () => {
  it('modernizes an old notebook with rules alone, composing fixes over passes', async () => {
    const result = await fixAll(OLD_KERNEL, builtinFixTypes);
    expect(result.failures).toEqual([]);
    expect(result.notebook.cells.map((c) => c.source)).toEqual([
      '# House prices, 2017',
      'import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.metrics import mean_squared_error, root_mean_squared_error\nimport lightgbm as lgb\nfrom PIL import Image',
      "train = pd.read_csv('train.csv', on_bad_lines='warn')\ntest = pd.read_csv('test.csv')\nfull = pd.concat([train, test], sort=False)\nfull['y'] = full['y'].astype(float).ffill()\nfor name, col in full.items():\n    print(name, col.dtype)",
      "model = lgb.LGBMRegressor(n_estimators=2000)\nmodel.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], callbacks=[lgb.early_stopping(50), lgb.log_evaluation(100)])\nrmse = root_mean_squared_error(y_va, model.predict(X_va))\nfor i in range(3):\n    pass",
      'from sklearn.datasets import load_boston',
    ]);
    expect(result.applied.map((a) => a.code).sort()).toEqual(['BC002', 'BC024', 'BC025', 'BC033', 'BC043', 'BC044', 'BC058', 'BC072', 'BC073', 'BC077', 'BC078']);
    // BC072 and BC073 edit the same call: the second waits for the next pass.
    expect(result.applied.find((a) => a.code === 'BC073')!.pass).toBeGreaterThan(result.applied.find((a) => a.code === 'BC072')!.pass);
    expect(result.hints).toEqual([expect.objectContaining({ code: 'BC049', cellIndex: 4, line: 1, reason: 'display-only' })]);
    // The rewritten cells parse cleanly, and the structural diff sees the edits.
    const diff = diffNotebookCells(await sharedPythonParser(), OLD_KERNEL.cells, result.notebook.cells);
    expect(diff.cells.map((c) => c.beforeIndex)).toEqual([1, 2, 3]);
  });

  it('applies unsafe fixes only on request', async () => {
    const input = notebook('# t', 'names = vectorizer.get_feature_names()');
    const safe = await fixAll(input, builtinFixTypes);
    expect(safe.applied).toEqual([]);
    expect(safe.hints).toEqual([expect.objectContaining({ code: 'BC050', reason: 'unsafe' })]);
    const unsafe = await fixAll(input, builtinFixTypes, { safety: 'unsafe' });
    expect(unsafe.notebook.cells[1]!.source).toBe('names = vectorizer.get_feature_names_out()');
  });

  it('declines fixes the pinned environment cannot run, and reports them', async () => {
    const result = await fixAll(notebook('# t', 'df = df.applymap(str)'), builtinFixTypes, { environment: { pins: { pandas: '1.5.3' } } });
    expect(result.applied).toEqual([]);
    expect(result.hints).toEqual([expect.objectContaining({ code: 'BC042', reason: 'declined' })]);
  });
});

describe('proposeFixes', () => {
  it('dispatches an error to the rule whose signature it matches, in the failing cell', async () => {
    const failure = await createFailure({
      error: { name: 'AttributeError', value: "module 'numpy' has no attribute 'float'", traceback: [] },
      cellIndex: 2,
      notebook: OLD_KERNEL,
    });
    try {
      const { proposals } = proposeFixes(builtinFixTypes, failure);
      expect(proposals.map((p) => p.fixType.meta.code)).toEqual(['BC002']);
      expect(proposals[0]!.messages).toEqual(['`np.float` was removed in NumPy 1.24; use `float`.']);
      expect(proposals[0]!.applicable).toBe(true);
    } finally {
      failure.dispose();
    }
  });

  it('asks only the fix kind the outcome dispatches to, and survives a rule that throws', async () => {
    const broken: FixType = {
      meta: { ...fixTypeByCode('BC002')!.meta, id: 'broken-rule', code: 'XX001' },
      match: () => {
        throw new Error('plugin bug');
      },
      fix: () => null,
    };
    const failure = await createFailure({ kind: 'timeout', notebook: OLD_KERNEL });
    try {
      expect(proposeFixes([broken, ...builtinFixTypes], failure).proposals).toEqual([]);
    } finally {
      failure.dispose();
    }
    const scan = await createFailure({ notebook: OLD_KERNEL });
    try {
      const result = proposeFixes([broken, ...builtinFixTypes], scan);
      expect(result.failures.map((f) => [f.fixType.meta.id, f.error.message])).toEqual([['broken-rule', 'plugin bug']]);
      expect(result.proposals.length).toBeGreaterThan(5);
    } finally {
      scan.dispose();
    }
  });
});
