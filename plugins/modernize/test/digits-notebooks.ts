import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { ingestNotebookFile, resolveKernel, type ResolvedKernel } from '@mle/runner';

// Plain-Python notebooks for the bundled `digits` competition, runnable on the tools venv's
// kernel (kernelspec mle-tools: Python 3.11, standard library only), as in
// packages/runner/test/run-experiment.integration.test.ts. The model is a nearest-centroid
// classifier written in plain Python (accuracy 0.905 on the bundled split), so the scores are real.

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const COMPETITIONS = join(REPO, 'datasets/competitions');
export const CLI = join(REPO, 'packages/cli/bin/run.js');

/** The score the notebooks report: within 10% of the classifier's 0.9054. */
export const REPORTED = 0.9;

// `mle mine` keeps ML notebooks only; this import is parsed by the miner but never runs.
export const MARK = 'if False:\n    import sklearn';

export const LOAD = [
  'import csv',
  "train = list(csv.DictReader(open('/kaggle/input/digits/train.csv')))",
  "test = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))",
  "print('train rows', len(train))",
].join('\n');

export const FIT = [
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

export const PREDICT = [
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

/** The same notebook written for Python 2: BC076 (collections.Mapping), BC077 (print), BC078 (xrange), BC079 (has_key, iteritems). */
export const PY2_LOAD = LOAD.replace("print('train rows', len(train))", 'print "train rows", len(train)').replace('import csv', 'import csv\nfrom collections import Mapping');
export const PY2_FIT = FIT.replace('for i in range(64)', 'for i in xrange(64)').replace('if label not in sums:', 'if not sums.has_key(label):').replace('sums.items()', 'sums.iteritems()');
export const PY2_PREDICT = `${PREDICT}\nprint 'written'`;

export interface Workspace {
  dir: string;
  store: WritableStore;
  kernel: ResolvedKernel;
  /** Write a notebook file for digits and add it to the database; returns its id. */
  add(name: string, cells: string[], reported?: number): Promise<number>;
  path(name: string): string;
}

export async function workspace(dir: string, database = 'mle.db'): Promise<Workspace> {
  mkdirSync(join(dir, 'corpus'), { recursive: true });
  const store = openStore(join(dir, database));
  const path = (name: string) => join(dir, 'corpus', `${name}.ipynb`);
  return {
    dir,
    store,
    kernel: resolveKernel(store, 'mle-tools'),
    path,
    async add(name, cells, reported = REPORTED) {
      const nb = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { competition: 'digits', date: '2016-06-01', reported_score: reported } },
        cells: [
          { id: 'intro', cell_type: 'markdown', metadata: {}, source: `# ${name}\nNearest centroids on digits.` },
          ...cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
        ],
      };
      writeFileSync(path(name), JSON.stringify(nb));
      return ingestNotebookFile(store, path(name));
    },
  };
}

/** Rows of a table for one modernization, as plain objects. */
export function rows<T>(store: WritableStore, sql: string, ...params: (string | number)[]): T[] {
  return store.db.prepare(sql).all(...params) as T[];
}
