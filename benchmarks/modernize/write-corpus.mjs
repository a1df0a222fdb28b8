#!/usr/bin/env node
// Writes benchmarks/modernize/corpus/*.ipynb: broken notebooks for the bundled `digits`
// competition that run on the tools venv (Python 3.11, standard library only). Each is a
// nearest-centroid classifier (accuracy 0.9054 on the bundled split, reported as 0.9) broken the
// way an old notebook breaks in a current Python:
// - `catalogued`: changes in reference/breaking-changes.csv (BC076-BC079), which rules fix;
// - `uncatalogued`: Python 2 idioms no rule covers (only the LLM can fix them; `-b` variants
//   repeat a breakage with other names, which the fix cache can then answer);
// - `score-drift`: runs cleanly but the reported score is out of reach of any mechanical fix.
// The era corpus (datasets/notebooks/) replaces this one once its environments are built.
// Usage: node benchmarks/modernize/write-corpus.mjs
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

const MARK = 'if False:\n    import sklearn  # parsed by `mle mine` (ML notebooks only), never run';
const LOAD = [
  'import csv',
  "train = list(csv.DictReader(open('/kaggle/input/digits/train.csv')))",
  "test = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))",
  "print('train rows', len(train))",
].join('\n');
const FIT = [
  'sums = {}',
  'counts = {}',
  'for row in train:',
  "    label = row['label']",
  "    pixels = [float(row['pixel_%d' % i]) for i in range(64)]",
  '    if label not in sums:',
  '        sums[label] = [0.0] * 64',
  '        counts[label] = 0',
  '    sums[label] = [a + b for a, b in zip(sums[label], pixels)]',
  '    counts[label] += 1',
  'centroids = {}',
  'for label, total in sums.items():',
  '    centroids[label] = [v / counts[label] for v in total]',
].join('\n');
const PREDICT = [
  'def predict(row):',
  "    pixels = [float(row['pixel_%d' % i]) for i in range(64)]",
  '    best = None',
  '    for label, c in centroids.items():',
  '        d = sum((p - q) ** 2 for p, q in zip(pixels, c))',
  '        if best is None or d < best[0]:',
  '            best = (d, label)',
  '    return best[1]',
  "with open('submission.csv', 'w') as f:",
  "    f.write('id,label\\n')",
  '    for row in test:',
  "        f.write('%s,%s\\n' % (row['id'], predict(row)))",
].join('\n');

/** A notebook: [name, category, breakage, cells (after the marker), reported score]. */
const notebooks = [
  // ---------------------------------------------------------------- catalogued (rules)
  ['c01-print', 'catalogued', 'BC077', [LOAD.replace("print('train rows', len(train))", 'print "train rows", len(train)'), FIT, `${PREDICT}\nprint "done"`]],
  ['c02-xrange', 'catalogued', 'BC078', [LOAD, FIT.replace('for i in range(64)', 'for i in xrange(64)'), PREDICT.replace('for i in range(64)', 'for i in xrange(64)')]],
  ['c03-has-key-iteritems', 'catalogued', 'BC079', [LOAD, FIT.replace('if label not in sums:', 'if not sums.has_key(label):').replace('sums.items()', 'sums.iteritems()'), PREDICT.replace('centroids.items()', 'centroids.iteritems()')]],
  ['c04-collections-mapping', 'catalogued', 'BC076', [`from collections import Mapping, Counter\n${LOAD}\nassert isinstance({}, Mapping)\nprint(Counter(r['label'] for r in train).most_common(3))`, FIT, PREDICT]],
  ['c05-print-chevron', 'catalogued', 'BC077', [`import sys\n${LOAD}\nprint >>sys.stderr, "loaded", len(test)`, FIT, PREDICT]],
  ['c06-python2-all', 'catalogued', 'BC076+BC077+BC078+BC079', [
    LOAD.replace('import csv', 'import csv\nfrom collections import Mapping').replace("print('train rows', len(train))", 'print "train rows", len(train)'),
    FIT.replace('for i in range(64)', 'for i in xrange(64)').replace('if label not in sums:', 'if not sums.has_key(label):').replace('sums.items()', 'sums.iteritems()'),
    `${PREDICT}\nprint 'written'`,
  ]],
  ['c07-collections-attribute', 'catalogued', 'BC076', [`import collections\n${LOAD}\nassert isinstance(train, collections.Iterable)`, FIT, PREDICT]],
  ['c08-itervalues-iterkeys', 'catalogued', 'BC079', [LOAD, `${FIT}\nsizes = [len(v) for v in centroids.itervalues()]\nlabels = sorted(centroids.iterkeys())\nprint(labels, sizes[:2])`, PREDICT]],
  ['c09-print-xrange-in-predict', 'catalogued', 'BC077+BC078', [LOAD, FIT, PREDICT.replace('for i in range(64)', 'for i in xrange(64)').replace("    f.write('id,label\\n')", "    print 'writing'\n    f.write('id,label\\n')")]],
  // ---------------------------------------------------------------- uncatalogued (LLM)
  ['u01-dict-keys-index', 'uncatalogued', "TypeError: 'dict_keys' object is not subscriptable", [LOAD, `${FIT}\nfirst = sums.keys()[0]\nprint('first label', first)`, PREDICT]],
  ['u01b-dict-keys-index', 'uncatalogued', "TypeError: 'dict_keys' object is not subscriptable (again)", [LOAD, `${FIT.replaceAll('sums', 'totals')}\nlast = totals.keys()[0]\nprint(last)`, PREDICT]],
  ['u02-reduce', 'uncatalogued', "NameError: name 'reduce' is not defined", [LOAD, `${FIT}\nn = reduce(lambda a, b: a + b, counts.values())\nprint('rows', n)`, PREDICT]],
  ['u02b-reduce', 'uncatalogued', "NameError: name 'reduce' is not defined (again)", [`${LOAD}\nwidth = reduce(max, [len(r) for r in train])`, FIT, PREDICT]],
  ['u03-izip', 'uncatalogued', "AttributeError: module 'itertools' has no attribute 'izip'", [`import itertools\n${LOAD}`, FIT, PREDICT.replace('zip(pixels, c)', 'itertools.izip(pixels, c)')]],
  ['u04-string-join', 'uncatalogued', "AttributeError: module 'string' has no attribute 'join'", [`import string\n${LOAD}\nprint(string.join(sorted(train[0].keys())[:3], ','))`, FIT, PREDICT]],
  ['u05-map-len', 'uncatalogued', "TypeError: object of type 'map' has no len()", [LOAD, `${FIT}\nlabels = map(int, sums)\nprint(len(labels), 'classes')`, PREDICT]],
  ['u06-sort-cmp', 'uncatalogued', "TypeError: 'cmp' is an invalid keyword argument for sort()", [`${LOAD}\ntrain.sort(cmp=lambda a, b: int(a['label']) - int(b['label']))`, FIT, PREDICT]],
  ['u07-true-division-index', 'uncatalogued', 'TypeError: list indices must be integers or slices, not float', [`${LOAD}\nmiddle = train[len(train) / 2]\nprint(middle['label'])`, FIT, PREDICT]],
  ['u08-unicode', 'uncatalogued', "NameError: name 'unicode' is not defined", [LOAD, FIT, PREDICT.replace("f.write('%s,%s\\n' % (row['id'], predict(row)))", "f.write(unicode('%s,%s\\n' % (row['id'], predict(row))))")]],
  // ---------------------------------------------------------------- score drift (LLM calibration)
  ['s01-score-drift', 'score-drift', 'score-mismatch: reported 0.75, the classifier gets 0.905', [LOAD, FIT, PREDICT], 0.75],
  // Another version of the notebook (a comment more: notebooks are stored by content).
  ['s02-score-drift-high', 'score-drift', 'score-mismatch: reported 0.6, the classifier gets 0.905', [LOAD, `# centroids per class\n${FIT}`, PREDICT], 0.6],
];

mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) if (file.endsWith('.ipynb')) rmSync(join(dir, file));
for (const [name, category, breakage, cells, reported = 0.9] of notebooks) {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' },
      mle: { competition: 'digits', date: '2016-06-01', reported_score: reported, benchmark: { category, breakage } },
    },
    cells: [
      { id: 'intro', cell_type: 'markdown', metadata: {}, source: `# ${name}\nNearest centroids on digits (${breakage}).` },
      ...[MARK, ...cells].map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
    ],
  };
  writeFileSync(join(dir, `${name}.ipynb`), `${JSON.stringify(nb, null, 1)}\n`);
}
process.stderr.write(`wrote ${notebooks.length} notebooks to ${dir}\n`);
