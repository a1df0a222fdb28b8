import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import { collectionsAbc, python2DictMethods, python2Print, python2Xrange } from './python3-fix-types.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

FixTypeTester.run('collections-abc-aliases', collectionsAbc, {
  valid: ['from collections import Counter, defaultdict', 'from collections.abc import Mapping', 'import collections\nc = collections.Counter()'],
  invalid: [
    {
      cells: 'from collections import Counter, Iterable\nok = isinstance(x, Iterable)',
      failure: { error: "ImportError: cannot import name 'Iterable' from 'collections' (/usr/lib/python3.11/collections/__init__.py)" },
      matches: [{ messageId: 'moved', data: { name: 'Iterable' }, line: 1 }],
      output: 'from collections import Counter\nfrom collections.abc import Iterable\nok = isinstance(x, Iterable)',
    },
    {
      cells: 'from collections import Mapping, Sequence as Seq',
      matches: [{ messageId: 'moved', data: { name: 'Mapping, Sequence' } }],
      output: 'from collections.abc import Mapping, Sequence as Seq',
    },
    {
      name: 'attribute form adds import collections.abc once',
      cells: ['import collections', 'a = isinstance(d, collections.Mapping) or isinstance(d, collections.MutableMapping)'],
      failure: { error: "AttributeError: module 'collections' has no attribute 'Mapping'", cellIndex: 1 },
      matches: [{ messageId: 'moved', data: { name: 'Mapping' }, cellIndex: 1 }, { messageId: 'moved', data: { name: 'MutableMapping' }, cellIndex: 1 }],
      output: ['import collections\nimport collections.abc', 'a = isinstance(d, collections.abc.Mapping) or isinstance(d, collections.abc.MutableMapping)'],
    },
  ],
});

FixTypeTester.run('python2-print-statement', python2Print, {
  valid: ['print("a", "b")', 'print', 'x = print'],
  invalid: [
    {
      cells: 'import sys\nprint "score:", score\nprint >>sys.stderr, "warning"\nprint "no newline",\nprint\nif ok:\n    print x if y else z',
      failure: { error: "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?" },
      matches: [
        { messageId: 'statement', data: { replacement: 'print("score:", score)' }, line: 2 },
        { messageId: 'statement', data: { replacement: 'print("warning", file=sys.stderr)' }, line: 3 },
        { messageId: 'statement', data: { replacement: "print(\"no newline\", end=' ')" }, line: 4 },
        { messageId: 'statement', data: { replacement: 'print()' }, line: 5 },
        { messageId: 'statement', line: 7 },
      ],
      output: 'import sys\nprint("score:", score)\nprint("warning", file=sys.stderr)\nprint("no newline", end=\' \')\nprint()\nif ok:\n    print(x if y else z)',
      safety: 'safe',
    },
    {
      name: 'a redirect without values, a percent format, and a runtime TypeError of `print >>f, x`',
      cells: 'print >>f\nprint "%d items" % n',
      failure: { error: "TypeError: unsupported operand type(s) for >>: 'builtin_function_or_method' and '_io.TextIOWrapper'. Did you mean \"print(<message>, file=<output_stream>)\"?" },
      matches: [{ messageId: 'statement', data: { replacement: 'print(file=f)' } }, { messageId: 'statement', data: { replacement: 'print("%d items" % n)' } }],
      output: 'print(file=f)\nprint("%d items" % n)',
    },
  ],
});

FixTypeTester.run('python2-xrange', python2Xrange, {
  valid: ['for i in range(3):\n    pass', { name: 'a notebook-defined xrange is its own', cells: ['from six.moves import xrange', 'for i in xrange(3):\n    pass'] }, ['def xrange(n):\n    return range(n)', 'xrange(2)'].join('\n')],
  invalid: [
    {
      cells: 'for i in xrange(10):\n    total += i\nidx = list(xrange(0, n, 2))',
      failure: { error: "NameError: name 'xrange' is not defined" },
      matches: [{ messageId: 'removed', line: 1 }, { messageId: 'removed', line: 3 }],
      output: 'for i in range(10):\n    total += i\nidx = list(range(0, n, 2))',
    },
  ],
});

FixTypeTester.run('python2-dict-methods', python2DictMethods, {
  valid: ['for k, v in d.items():\n    pass', 'import six\nfor k, v in six.iteritems(d):\n    pass', "import pandas as pd\ndf = pd.read_csv('a')\nfor k, v in df.iteritems():\n    pass"],
  invalid: [
    {
      cells: 'for k, v in counts.iteritems():\n    print(k, v)\nit = counts.iterkeys()\nvals = sorted(counts.itervalues())\nif not counts.has_key(word):\n    counts[word] = 0\nn = counts.has_key(a) + 1\nsq = [v * v for v in d.itervalues()]',
      failure: { error: "AttributeError: 'dict' object has no attribute 'iteritems'" },
      matches: [
        { messageId: 'iterator', data: { name: 'iteritems', replacement: 'counts.items()' }, line: 1 },
        { messageId: 'iterator', data: { name: 'iterkeys', replacement: 'iter(counts.keys())' }, line: 3 },
        { messageId: 'iterator', data: { name: 'itervalues', replacement: 'counts.values()' }, line: 4 },
        { messageId: 'hasKey', data: { replacement: 'word in counts' }, line: 5 },
        { messageId: 'hasKey', data: { replacement: 'a in counts' }, line: 7 },
        { messageId: 'iterator', line: 8 },
      ],
      output: 'for k, v in counts.items():\n    print(k, v)\nit = iter(counts.keys())\nvals = sorted(counts.values())\nif not word in counts:\n    counts[word] = 0\nn = (a in counts) + 1\nsq = [v * v for v in d.values()]',
    },
    { name: 'odd has_key call: reported only', cells: 'x = d.has_key()', matches: [{ messageId: 'manual' }] },
  ],
});
