import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import * as pandas from './pandas-fix-types.js';
import { dataframeAppend } from './dataframe-append.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

const READ = "import pandas as pd\ndf = pd.read_csv('train.csv')\n";
const noAttribute = (owner: string, name: string) => `AttributeError: '${owner}' object has no attribute '${name}'`;

FixTypeTester.run('pandas-dataframe-append', dataframeAppend, {
  valid: [
    'scores = []\nscores.append(0.5)',
    `${READ}rows = []\nfor i in range(3):\n    rows.append({'a': i})`,
    { name: 'a list append on an unknown receiver is not touched in a scan', cells: 'results.append(x)' },
    { name: 'an error on another line leaves unknown receivers alone', cells: 'log.append(1)\nx = frame.foo()', failure: { error: { name: 'AttributeError', value: "'DataFrame' object has no attribute 'append'", traceback: ['\u001b[0;32m<ipython-input-3-abc>\u001b[0m in \u001b[0;36m<module>\u001b[0;34m\u001b[0m\n\u001b[0;32m----> 2\u001b[0;31m x = frame.foo()'] } } },
  ],
  invalid: [
    {
      name: 'dict row with ignore_index',
      cells: `${READ}df = df.append({'id': 1, 'target': 0}, ignore_index=True)`,
      failure: { error: noAttribute('DataFrame', 'append') },
      matches: [{ messageId: 'removed', data: { receiver: 'df', pd: 'pd' }, line: 3 }],
      output: `${READ}df = pd.concat([df, pd.DataFrame([{'id': 1, 'target': 0}])], ignore_index=True)`,
      safety: 'safe',
    },
    {
      name: 'two frames, sort kept',
      cells: `${READ}test = pd.read_csv('test.csv')\nboth = df.append(test, sort=False)`,
      matches: [{ messageId: 'removed', line: 4 }],
      output: `${READ}test = pd.read_csv('test.csv')\nboth = pd.concat([df, test], sort=False)`,
      safety: 'safe',
    },
    {
      name: 'a list of frames is spread, a list of dict rows becomes one frame',
      cells: `${READ}a = df.copy()\nall_ = df.append([a, a])\nmore = df.append([{'x': 1}, {'x': 2}], ignore_index=True)`,
      matches: [{ messageId: 'removed' }, { messageId: 'removed' }],
      output: `${READ}a = df.copy()\nall_ = pd.concat([df, a, a])\nmore = pd.concat([df, pd.DataFrame([{'x': 1}, {'x': 2}])], ignore_index=True)`,
    },
    {
      name: 'a Series appended to a frame becomes a row',
      cells: `${READ}s = pd.Series({'a': 1})\ndf = df.append(s, ignore_index=True)`,
      matches: [{ messageId: 'removed' }],
      output: `${READ}s = pd.Series({'a': 1})\ndf = pd.concat([df, s.to_frame().T], ignore_index=True)`,
      safety: 'safe',
    },
    {
      name: 'unknown receiver on the line the traceback names; unknown argument is unsafe',
      cells: ['import pandas as pd', 'out = frame.append(other)'],
      failure: { error: { name: 'AttributeError', value: "'DataFrame' object has no attribute 'append'", traceback: ['Cell In[7], line 1\n----> 1 out = frame.append(other)'] }, cellIndex: 1 },
      matches: [{ messageId: 'removed', cellIndex: 1, line: 1 }],
      output: ['import pandas as pd', 'out = pd.concat([frame, other])'],
      safety: 'unsafe',
    },
    {
      name: 'pandas imported by name only: the import is added',
      cells: "from pandas import read_csv\ndf = read_csv('a.csv')\ndf = df.append({'a': 1}, ignore_index=True)",
      matches: [{ messageId: 'removed', data: { receiver: 'df', pd: 'pd' } }],
      output: "import pandas as pd\nfrom pandas import read_csv\ndf = read_csv('a.csv')\ndf = pd.concat([df, pd.DataFrame([{'a': 1}])], ignore_index=True)",
    },
    {
      name: 'unsupported keyword: reported, not fixed',
      cells: `${READ}df = df.append(other, foo=1)`,
      matches: [{ messageId: 'manual' }],
    },
    {
      name: 'a list variable may hold rows or frames: no fix',
      cells: `${READ}rows = []\ndf = df.append(rows)`,
      matches: [{ messageId: 'manual' }],
    },
  ],
});

FixTypeTester.run('pandas-iteritems', pandas.pandasIteritems, {
  valid: [`${READ}for k, v in df.items():\n    pass`, "d = {}\nfor k, v in d.iteritems():\n    pass"],
  invalid: [
    {
      cells: `${READ}for name, col in df.iteritems():\n    print(name)\nfor k, v in df['a'].iteritems():\n    pass`,
      matches: [{ messageId: 'removed', data: { name: 'iteritems', replacement: 'items', library: 'pandas', version: '2.0' }, line: 3 }, { messageId: 'removed', line: 5 }],
      output: `${READ}for name, col in df.items():\n    print(name)\nfor k, v in df['a'].items():\n    pass`,
    },
    {
      cells: 'for k, v in series.iteritems():\n    pass',
      failure: { error: noAttribute('Series', 'iteritems') },
      matches: [{ messageId: 'removed' }],
      output: 'for k, v in series.items():\n    pass',
    },
  ],
});

FixTypeTester.run('pandas-as-matrix', pandas.pandasAsMatrix, {
  valid: [`${READ}X = df.to_numpy()`],
  invalid: [
    {
      cells: `${READ}X = df.as_matrix()\ny = df.as_matrix(columns=['target'])\nz = df.drop('id', axis=1).as_matrix(['a'])`,
      failure: { error: noAttribute('DataFrame', 'as_matrix') },
      matches: [
        { messageId: 'removed', data: { replacement: '.to_numpy()' } },
        { messageId: 'removed', data: { replacement: "[['target']].to_numpy()" } },
        { messageId: 'removed', data: { replacement: "[['a']].to_numpy()" } },
      ],
      output: `${READ}X = df.to_numpy()\ny = df[['target']].to_numpy()\nz = df.drop('id', axis=1)[['a']].to_numpy()`,
    },
    { name: 'declines in pandas older than 0.24', cells: 'X = df.as_matrix()', failure: { environment: { pins: { pandas: '0.23.4' } } }, matches: [{ messageId: 'removed' }], output: null },
  ],
});

FixTypeTester.run('pandas-numeric-index', pandas.pandasNumericIndex, {
  valid: ['import pandas as pd\nidx = pd.Index([1, 2])'],
  invalid: [
    {
      cells: "import pandas as pd\na = pd.Int64Index([1, 2])\nb = pd.Float64Index(vals, dtype='float32')\nok = isinstance(i, pd.UInt64Index)",
      failure: { error: "AttributeError: module 'pandas' has no attribute 'Int64Index'" },
      matches: [
        { messageId: 'removed', data: { name: 'pd.Int64Index', pd: 'pd', dtype: 'int64' } },
        { messageId: 'removed', data: { name: 'pd.Float64Index', pd: 'pd', dtype: 'float64' } },
        { messageId: 'typeCheck', data: { name: 'pd.UInt64Index', pd: 'pd', dtype: 'uint64' } },
      ],
      output: "import pandas as pd\na = pd.Index([1, 2], dtype='int64')\nb = pd.Index(vals, dtype='float32')\nok = isinstance(i, pd.UInt64Index)",
    },
  ],
});

FixTypeTester.run('pandas-json-normalize-import', pandas.pandasJsonNormalizeImport, {
  valid: ['from pandas import json_normalize', 'from pandas.io.json import build_table_schema'],
  invalid: [
    {
      cells: 'from pandas.io.json import json_normalize\nflat = json_normalize(data)',
      failure: { error: "ImportError: cannot import name 'json_normalize' from 'pandas.io.json' (/opt/conda/lib/python3.11/site-packages/pandas/io/json/__init__.py)" },
      matches: [{ messageId: 'moved', line: 1 }],
      output: 'from pandas import json_normalize\nflat = json_normalize(data)',
    },
    {
      cells: 'from pandas.io.json import build_table_schema, json_normalize as jn\nimport pandas as pd\nx = pd.io.json.json_normalize(d)',
      matches: [{ messageId: 'moved', line: 1 }, { messageId: 'moved', line: 3 }],
      output: 'from pandas.io.json import build_table_schema\nfrom pandas import json_normalize as jn\nimport pandas as pd\nx = pd.json_normalize(d)',
    },
  ],
});

FixTypeTester.run('pandas-bad-lines', pandas.pandasBadLines, {
  valid: ["import pandas as pd\npd.read_csv('a.csv', on_bad_lines='skip')"],
  invalid: [
    {
      cells: "import pandas as pd\na = pd.read_csv('a.csv', error_bad_lines=False)\nb = pd.read_csv('b.csv', error_bad_lines=False, warn_bad_lines=False)\nc = pd.read_csv('c.csv', warn_bad_lines=True)",
      failure: { error: "TypeError: read_csv() got an unexpected keyword argument 'error_bad_lines'" },
      matches: [
        { messageId: 'removed', data: { keyword: 'error_bad_lines', replacement: "on_bad_lines='warn'" } },
        { messageId: 'removed', data: { keyword: 'error_bad_lines', replacement: "on_bad_lines='skip'" } },
        { messageId: 'removed', data: { keyword: 'warn_bad_lines', replacement: "on_bad_lines='error' (the default: the argument is dropped)" } },
      ],
      output: "import pandas as pd\na = pd.read_csv('a.csv', on_bad_lines='warn')\nb = pd.read_csv('b.csv', on_bad_lines='skip')\nc = pd.read_csv('c.csv')",
    },
    { name: 'a non-literal value is reported only', cells: "import pandas as pd\na = pd.read_csv('a.csv', error_bad_lines=strict)", matches: [{ messageId: 'dynamic' }] },
  ],
});

FixTypeTester.run('pandas-read-squeeze', pandas.pandasReadSqueeze, {
  valid: ["import pandas as pd\ns = pd.read_csv('y.csv').squeeze('columns')", 'x = arr.squeeze()', "g = df.groupby('a', squeeze=True)"],
  invalid: [
    {
      cells: "import pandas as pd\ny = pd.read_csv('y.csv', usecols=['y'], squeeze=True)\nz = pd.read_csv('z.csv', squeeze=False)",
      failure: { error: "TypeError: read_csv() got an unexpected keyword argument 'squeeze'" },
      matches: [{ messageId: 'removed', data: { call: 'read_csv' }, line: 2 }, { messageId: 'removed', line: 3 }],
      output: "import pandas as pd\ny = pd.read_csv('y.csv', usecols=['y']).squeeze('columns')\nz = pd.read_csv('z.csv')",
    },
  ],
});

FixTypeTester.run('pandas-mad', pandas.pandasMad, {
  valid: ["import statsmodels.api as sm\nm = sm.robust.mad(x)"],
  invalid: [
    {
      cells: "spread = df['price'].mad()\nall_ = df.mad()",
      failure: { error: noAttribute('Series', 'mad') },
      matches: [{ messageId: 'removed', data: { replacement: "(df['price'] - df['price'].mean()).abs().mean()" } }, { messageId: 'removed' }],
      output: "spread = (df['price'] - df['price'].mean()).abs().mean()\nall_ = (df - df.mean()).abs().mean()",
      safety: 'safe',
    },
    { name: 'a call receiver is evaluated twice: unsafe', cells: "m = load().mad()", matches: [{ messageId: 'removed' }], output: 'm = (load() - load().mean()).abs().mean()', safety: 'unsafe' },
    { name: 'arguments: no fix', cells: 'm = df.mad(axis=1)', matches: [{ messageId: 'manual' }] },
  ],
});

FixTypeTester.run('pandas-dt-week', pandas.pandasDtWeek, {
  valid: ["w = df['d'].dt.isocalendar().week", 'w = idx.week'],
  invalid: [
    {
      cells: "df['w'] = df['d'].dt.week\ndf['w2'] = df.d.dt.weekofyear",
      failure: { error: noAttribute('DatetimeProperties', 'week') },
      matches: [{ messageId: 'removed', data: { name: 'week' } }, { messageId: 'removed', data: { name: 'weekofyear' } }],
      output: "df['w'] = df['d'].dt.isocalendar().week\ndf['w2'] = df.d.dt.isocalendar().week",
      safety: 'unsafe',
    },
  ],
});

FixTypeTester.run('pandas-is-monotonic', pandas.pandasIsMonotonic, {
  valid: ['assert df.index.is_monotonic_increasing'],
  invalid: [{ cells: 'assert df.index.is_monotonic', failure: { error: noAttribute('Index', 'is_monotonic') }, matches: [{ messageId: 'removed' }], output: 'assert df.index.is_monotonic_increasing' }],
});

FixTypeTester.run('pandas-info-null-counts', pandas.pandasInfoNullCounts, {
  valid: ['df.info(show_counts=True)', 'logger.debug(null_counts=1)'],
  invalid: [
    {
      cells: 'df.info(verbose=True, null_counts=True)',
      failure: { error: "TypeError: DataFrame.info() got an unexpected keyword argument 'null_counts'" },
      matches: [{ messageId: 'renamed', data: { call: 'info', keyword: 'null_counts', replacement: 'show_counts', library: 'pandas', version: '2.0' } }],
      output: 'df.info(verbose=True, show_counts=True)',
    },
    { name: 'both given: reported only', cells: 'df.info(null_counts=True, show_counts=True)', matches: [{ messageId: 'duplicate' }] },
  ],
});

FixTypeTester.run('pandas-numpy-alias', pandas.pandasNumpyAlias, {
  valid: ['import numpy as np\nx = np.log(2)'],
  invalid: [
    {
      cells: "import pandas as pd\ndf['l'] = pd.np.log1p(df['x'])\nz = pd.np.zeros(3)",
      failure: { error: "AttributeError: module 'pandas' has no attribute 'np'" },
      matches: [{ messageId: 'removed', data: { name: 'pd.np', np: 'np' } }, { messageId: 'removed' }],
      output: "import numpy as np\nimport pandas as pd\ndf['l'] = np.log1p(df['x'])\nz = np.zeros(3)",
    },
    {
      name: 'numpy already imported under another name',
      cells: ['import numpy as npy\nimport pandas as pd', 'z = pd.np.zeros(3)'],
      matches: [{ messageId: 'removed', data: { name: 'pd.np', np: 'npy' }, cellIndex: 1 }],
      output: ['import numpy as npy\nimport pandas as pd', 'z = npy.zeros(3)'],
    },
  ],
});

FixTypeTester.run('pandas-datetime-alias', pandas.pandasDatetimeAlias, {
  valid: ['from datetime import datetime\nd = datetime(2020, 1, 1)'],
  invalid: [
    {
      cells: 'import pandas as pd\nstart = pd.datetime(2019, 1, 1)',
      failure: { error: "AttributeError: module 'pandas' has no attribute 'datetime'" },
      matches: [{ messageId: 'removed', data: { name: 'pd.datetime', replacement: 'datetime' } }],
      output: 'from datetime import datetime\nimport pandas as pd\nstart = datetime(2019, 1, 1)',
    },
    {
      cells: 'import datetime\nimport pandas as pd\nstart = pd.datetime.now()',
      matches: [{ messageId: 'removed', data: { name: 'pd.datetime', replacement: 'datetime.datetime' } }],
      output: 'import datetime\nimport pandas as pd\nstart = datetime.datetime.now()',
    },
  ],
});

FixTypeTester.run('pandas-applymap', pandas.pandasApplymap, {
  valid: ['df = df.map(str.strip)'],
  invalid: [
    { cells: 'df = df.applymap(str.strip)', matches: [{ messageId: 'removed', data: { name: 'applymap', replacement: 'map', library: 'pandas', version: '3.0' } }], output: 'df = df.map(str.strip)' },
    { name: 'declines before pandas 2.1, where DataFrame.map does not exist', cells: 'df = df.applymap(str.strip)', failure: { environment: { pins: { pandas: '1.5.3' } } }, matches: [{ messageId: 'removed' }], output: null },
  ],
});

FixTypeTester.run('pandas-fillna-method', pandas.pandasFillnaMethod, {
  valid: ['df = df.fillna(0)', 'df = df.ffill()'],
  invalid: [
    {
      cells: "df = df.fillna(method='ffill', limit=2)\ns.fillna(method='backfill', inplace=True)",
      failure: { error: "TypeError: DataFrame.fillna() got an unexpected keyword argument 'method'" },
      matches: [{ messageId: 'deprecated', data: { method: 'ffill', replacement: 'ffill' } }, { messageId: 'deprecated', data: { method: 'backfill', replacement: 'bfill' } }],
      output: 'df = df.ffill(limit=2)\ns.bfill(inplace=True)',
    },
    { name: 'value and method together: reported only', cells: "df.fillna(0, method='pad')", matches: [{ messageId: 'dynamic' }] },
  ],
});

FixTypeTester.run('pandas-ix-indexer', pandas.pandasIx, {
  valid: ["v = df.loc[0, 'a']"],
  invalid: [{ cells: "v = df.ix[0, 'a']", failure: { error: noAttribute('DataFrame', 'ix') }, matches: [{ messageId: 'guidance', data: { code: 'df.ix' } }] }],
});

FixTypeTester.run('pandas-panel', pandas.pandasPanel, {
  valid: ['import pandas as pd\nx = pd.DataFrame()'],
  invalid: [{ cells: 'import pandas as pd\np = pd.Panel(d)', failure: { error: "AttributeError: module 'pandas' has no attribute 'Panel'" }, matches: [{ messageId: 'guidance', data: { code: 'pd.Panel' } }] }],
});

FixTypeTester.run('pandas-get-set-value', pandas.pandasGetSetValue, {
  valid: ["v = df.at[1, 'a']", 'x = cfg.get_value_or_default()'],
  invalid: [
    {
      cells: "v = df.get_value(5, 'price')\ndf.set_value(5, 'price', 10.0)\nr = df.set_value(1, 'a', 2)",
      failure: { error: noAttribute('DataFrame', 'get_value') },
      matches: [{ messageId: 'removed', data: { method: 'get_value', replacement: "df.at[5, 'price']" } }, { messageId: 'removed', data: { method: 'set_value', replacement: "df.at[5, 'price'] = 10.0" } }, { messageId: 'manual', data: { method: 'set_value' } }],
      output: "v = df.at[5, 'price']\ndf.at[5, 'price'] = 10.0\nr = df.set_value(1, 'a', 2)",
    },
  ],
});

FixTypeTester.run('pandas-lookup', pandas.pandasLookup, {
  valid: ['x = table.lookup(k)'],
  invalid: [{ cells: `${READ}v = df.lookup(df.index, df['c'])`, matches: [{ messageId: 'guidance', data: { code: 'df.lookup' } }] }],
});

FixTypeTester.run('pandas-numeric-only', pandas.pandasNumericOnly, {
  valid: [{ name: 'needs the traceback line', cells: 'm = df.mean()', failure: { error: 'TypeError: could not convert string to float' } }, 'm = df.mean()'],
  invalid: [
    {
      cells: "m = df.groupby('a').mean()\nn = df.sum(numeric_only=True)",
      failure: { error: { name: 'TypeError', value: 'agg function failed [how->mean,dtype->object]', traceback: ['Cell In[2], line 1\n----> 1 m = df.groupby(\'a\').mean()'] } },
      matches: [{ messageId: 'guidance', line: 1 }],
    },
  ],
});
