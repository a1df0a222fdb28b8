import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import { NUMPY_ALIAS_ROWS, numpyAliasFixTypes, numpyAsscalar, numpyFindCommonType } from './numpy-aliases.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

function rule(code: string) {
  const found = numpyAliasFixTypes.find((fixType) => fixType.meta.code === code);
  if (!found) throw new Error(`no numpy rule ${code}`);
  return found;
}

const attributeError = (name: string) => `AttributeError: module 'numpy' has no attribute '${name}'`;
const removedError = (name: string, use: string) => `AttributeError: \`np.${name}\` was removed in the NumPy 2.0 release. Use \`np.${use}\` instead.`;

FixTypeTester.run('numpy-int-alias', rule('BC001'), {
  valid: [
    'import numpy as np\nx = np.int64(3)',
    'import numpy as np\nnp.int = int  # a shim some notebooks add',
    'import numpy as npy\nx = np.int',
    'x = int("3")',
    { name: 'an unrelated error is not ours', cells: 'import numpy as np\nx = np.int', failure: { error: 'KeyError: \'a\'' } },
    { name: 'another missing numpy attribute is not ours', cells: 'import numpy as np\nx = np.int', failure: { error: attributeError('float') } },
  ],
  invalid: [
    {
      cells: 'import numpy as np\nx = np.zeros(3, dtype=np.int)',
      failure: { error: attributeError('int') },
      matches: [{ messageId: 'removed', data: { name: 'np.int', replacement: 'int', version: '1.24' }, line: 2 }],
      output: 'import numpy as np\nx = np.zeros(3, dtype=int)',
      safety: 'safe',
    },
    {
      name: 'proactive scan, an alias other than np, several sites',
      cells: ['import numpy as N', 'a = N.int(1) + N.int(2)\nb = a.astype(N.int)'],
      matches: [
        { messageId: 'removed', line: 1, column: 5, cellIndex: 1 },
        { messageId: 'removed', line: 1, column: 16, cellIndex: 1 },
        { messageId: 'removed', line: 2, cellIndex: 1 },
      ],
      output: ['import numpy as N', 'a = int(1) + int(2)\nb = a.astype(int)'],
    },
    {
      name: 'numpy imported without alias',
      cells: 'import numpy\ny = numpy.int(4)',
      matches: [{ messageId: 'removed', data: { name: 'numpy.int', replacement: 'int', version: '1.24' } }],
      output: 'import numpy\ny = int(4)',
    },
    {
      name: 'the raising code is in a function defined in an earlier cell',
      cells: ['import numpy as np\ndef to_int(a):\n    return a.astype(np.int)', 'to_int(x)'],
      failure: { error: `${attributeError('int')}.\n\`np.int\` was a deprecated alias for the builtin \`int\`.`, cellIndex: 1 },
      matches: [{ messageId: 'removed', cellIndex: 0, line: 3 }],
      output: ['import numpy as np\ndef to_int(a):\n    return a.astype(int)', 'to_int(x)'],
    },
    {
      name: 'magics and CRLF line ends keep offsets right',
      cells: '%matplotlib inline\r\n!ls\r\nimport numpy as np\r\ny = np.int(2)',
      matches: [{ messageId: 'removed', line: 4 }],
      output: '%matplotlib inline\r\n!ls\r\nimport numpy as np\r\ny = int(2)',
    },
  ],
});

const builtinCases: [string, string, string][] = [
  ['BC002', 'float', 'float'],
  ['BC003', 'bool', 'bool'],
  ['BC004', 'object', 'object'],
  ['BC005', 'str', 'str'],
  ['BC006', 'complex', 'complex'],
];
for (const [code, old, to] of builtinCases) {
  FixTypeTester.run(rule(code).meta.id, rule(code), {
    valid: [`import numpy as np\nx = np.${old}64 if hasattr(np, "${old}64") else ${to}`, `x = ${to}(1)`],
    invalid: [
      {
        cells: `import numpy as np\ndf['a'] = df['a'].astype(np.${old})`,
        failure: { error: attributeError(old) },
        matches: [{ messageId: 'removed', data: { name: `np.${old}`, replacement: to, version: '1.24' }, line: 2 }],
        output: `import numpy as np\ndf['a'] = df['a'].astype(${to})`,
        safety: 'safe',
      },
      { cells: `import numpy as np\nt = [np.${old}, np.${old}]`, matches: [{ messageId: 'removed' }, { messageId: 'removed' }], output: `import numpy as np\nt = [${to}, ${to}]` },
    ],
  });
}

FixTypeTester.run('numpy-long-unicode-alias', rule('BC007'), {
  valid: ['import numpy as np\nx = np.longlong(1)', 'import numpy as np\nx = np.unicode_'],
  invalid: [
    {
      cells: 'import numpy as np\na = np.long(3)\nb = np.unicode("x")',
      matches: [{ messageId: 'removed', data: { name: 'np.long', replacement: 'int', version: '1.24' } }, { messageId: 'removed', data: { name: 'np.unicode', replacement: 'str', version: '1.24' } }],
      output: 'import numpy as np\na = int(3)\nb = str("x")',
    },
    { cells: 'import numpy as np\na = np.long(3)', failure: { error: attributeError('long') }, matches: [{ messageId: 'removed' }], output: 'import numpy as np\na = int(3)' },
  ],
});

const memberCases: [string, string, string][] = [
  ['BC008', 'float_', 'float64'],
  ['BC009', 'complex_', 'complex128'],
  ['BC010', 'NaN', 'nan'],
  ['BC011', 'Inf', 'inf'],
  ['BC013', 'string_', 'bytes_'],
  ['BC014', 'unicode_', 'str_'],
  ['BC015', 'product', 'prod'],
  ['BC016', 'alltrue', 'all'],
  ['BC017', 'round_', 'round'],
  ['BC020', 'in1d', 'isin'],
  ['BC021', 'row_stack', 'vstack'],
  ['BC022', 'trapz', 'trapezoid'],
  ['BC023', 'rank', 'ndim'],
];
for (const [code, old, to] of memberCases) {
  const fixType = rule(code);
  const row = NUMPY_ALIAS_ROWS.find((r) => r.code === code)!;
  const messageId = row.removedIn ? 'removed' : 'deprecated';
  const version = row.removedIn ?? row.deprecatedIn!;
  FixTypeTester.run(fixType.meta.id, fixType, {
    valid: [`import numpy as np\ny = np.${to}(x)`, `import pandas as pd\ny = pd.${old}`],
    invalid: [
      {
        cells: `import numpy as np\ny = np.${old}(x)`,
        failure: { error: row.removedIn === '2.0' ? removedError(old, to) : attributeError(old) },
        matches: [{ messageId, data: { name: `np.${old}`, replacement: `np.${to}`, version }, line: 2 }],
        output: `import numpy as np\ny = np.${to}(x)`,
        safety: row.safety,
      },
      { name: 'proactive', cells: `import numpy as np\nfor v in [np.${old}]:\n    print(v)`, matches: [{ messageId }], output: `import numpy as np\nfor v in [np.${to}]:\n    print(v)` },
    ],
  });
}

FixTypeTester.run('numpy-nan-alias', rule('BC010'), {
  valid: ['import numpy as np\nnp.isnan(np.nan)'],
  invalid: [{ cells: 'import numpy as np\nv = [np.NaN, np.NAN, np.nan]', matches: [{ messageId: 'removed' }, { messageId: 'removed' }], output: 'import numpy as np\nv = [np.nan, np.nan, np.nan]' }],
});

FixTypeTester.run('numpy-inf-alias', rule('BC011'), {
  valid: ['import numpy as np\nb = np.inf'],
  invalid: [{ cells: 'import numpy as np\nv = (np.Infinity, np.PINF, np.infty)', matches: [{ messageId: 'removed' }, { messageId: 'removed' }, { messageId: 'removed' }], output: 'import numpy as np\nv = (np.inf, np.inf, np.inf)' }],
});

FixTypeTester.run('numpy-ninf-alias', rule('BC012'), {
  valid: ['import numpy as np\nb = -np.inf'],
  invalid: [
    {
      cells: 'import numpy as np\nbest = np.NINF\nlow = max(np.NINF, x)\nif score > np.NINF:\n    pass\nsq = np.NINF ** 2',
      failure: { error: removedError('NINF', 'inf') },
      matches: [
        { messageId: 'removed', data: { name: 'np.NINF', replacement: '-np.inf', version: '2.0' }, line: 2 },
        { messageId: 'removed', line: 3 },
        { messageId: 'removed', line: 4 },
        { messageId: 'removed', line: 6 },
      ],
      output: 'import numpy as np\nbest = -np.inf\nlow = max(-np.inf, x)\nif score > -np.inf:\n    pass\nsq = (-np.inf) ** 2',
    },
  ],
});

FixTypeTester.run('numpy-product-alias', rule('BC015'), {
  valid: ['import numpy as np\nimport itertools\nitertools.product(a, b)'],
  invalid: [{ cells: 'import numpy as np\na = np.product(x)\nb = np.cumproduct(x)', matches: [{ messageId: 'removed' }, { messageId: 'removed' }], output: 'import numpy as np\na = np.prod(x)\nb = np.cumprod(x)' }],
});

FixTypeTester.run('numpy-trapz', rule('BC022'), {
  valid: ['import numpy as np\nnp.trapezoid(y)'],
  invalid: [
    {
      name: 'declines in an environment pinned to NumPy 1.x, where np.trapezoid does not exist',
      cells: 'import numpy as np\narea = np.trapz(y, x)',
      failure: { environment: { pins: { numpy: '1.26.4' } } },
      matches: [{ messageId: 'deprecated' }],
      output: null,
    },
    { cells: 'import numpy as np\narea = np.trapz(y, x)', failure: { environment: { pins: { numpy: '2.1.0' } } }, matches: [{ messageId: 'deprecated' }], output: 'import numpy as np\narea = np.trapezoid(y, x)' },
  ],
});

FixTypeTester.run('numpy-asscalar', numpyAsscalar, {
  valid: ['import numpy as np\nv = a.item()'],
  invalid: [
    {
      cells: 'import numpy as np\nv = np.asscalar(a)\nw = np.asscalar(a + b)',
      failure: { error: attributeError('asscalar') },
      matches: [{ messageId: 'removed', data: { name: 'np.asscalar', replacement: 'a.item()' } }, { messageId: 'removed', data: { name: 'np.asscalar', replacement: '(a + b).item()' } }],
      output: 'import numpy as np\nv = a.item()\nw = (a + b).item()',
    },
    { name: 'no fix for an odd call', cells: 'import numpy as np\nv = np.asscalar(*args)', matches: [{ messageId: 'removed' }], output: null },
  ],
});

FixTypeTester.run('numpy-find-common-type', numpyFindCommonType, {
  valid: ['import numpy as np\nnp.result_type(a, b)'],
  invalid: [{ cells: 'import numpy as np\nt = np.find_common_type([a.dtype], [])', failure: { error: attributeError('find_common_type') }, matches: [{ messageId: 'removed', data: { name: 'np.find_common_type' } }] }],
});
