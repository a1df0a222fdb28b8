import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyzeNotebook,
  ensureSource,
  feedbackOf,
  feedbackStats,
  getCells,
  openStore,
  PythonParser,
  recordNotebook,
  type AnalyzedNotebook,
  type WritableStore,
} from '@mle/core';
import { scanFeedback } from './scan-feedback.js';

function notebook(cells: { source: string; outputs?: unknown[] }[], kernel = 'python3'): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, language: 'python', display_name: 'Python' } },
    cells: cells.map((cell) => ({ cell_type: 'code', source: cell.source, outputs: cell.outputs ?? [], execution_count: 1, metadata: {} })),
  });
}

const ML = notebook([
  { source: 'import numpy as np\nfrom sklearn.linear_model import LogisticRegression\nimport numpy.testing as npt' },
  { source: 'X = np.load("x.npy")\nassert X.shape[1] == 4, "four features"\nX.shape', outputs: [{ output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '(150, 4)' }, metadata: {} }] },
  { source: '%matplotlib inline\nclf = LogisticRegression().fit(X, y)\nprint("accuracy", clf.score(X, y))' },
  { source: 'print "python 2 here"' },
  { source: 'npt.assert_allclose(clf.predict_proba(X).sum(axis=1), 1)' },
  { source: 'if X.isnull().any():\n    raise ValueError("missing")\ndf.head();' },
  { source: '%%bash\nls' },
]);
const PLAIN = notebook([{ source: 'import pandas as pd\ndf = pd.read_csv("a.csv")\ndf.describe()' }, { source: 'x = 1' }]);

let dir: string;
let parser: PythonParser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mle-feedback-scan-'));
  parser = await PythonParser.create();
});
afterAll(() => {
  parser.delete();
  rmSync(dir, { recursive: true, force: true });
});

function seed(path: string, texts: string[]): WritableStore {
  const store = openStore(path);
  const sourceId = ensureSource(store, 'dir', '/test', {});
  texts.forEach((text, i) => {
    const analyzed = analyzeNotebook(text, parser) as AnalyzedNotebook;
    recordNotebook(store, sourceId, { originKey: `nb-${i}.ipynb`, path: `nb-${i}.ipynb` }, analyzed);
  });
  return store;
}

describe('scanFeedback', () => {
  it.each([1, 2])('fills the feedback tables from mined cells with %i job(s)', async (jobs) => {
    const store = seed(join(dir, `scan-${jobs}.db`), [ML, PLAIN]);
    try {
      const summary = await scanFeedback(store, { jobs });
      expect(summary).toMatchObject({ scanned: 2, alreadyScanned: 0, remaining: 0, cells: 9, interrupted: false });
      expect(summary.statuses).toEqual({ ok: 5, partial: 0, 'not-python': 1, 'not-parsed': 3 });
      const rows = feedbackOf(store, 1).map((row) => [row.cell_idx, row.line, row.mechanism, row.form, row.category, row.study, row.output]);
      expect(rows).toEqual([
        [1, 2, 'assert', 'explicit', 'data-shape', 1, null],
        [1, 3, 'last_cell', 'implicit', 'shape', 1, '(150, 4)'],
        [2, 3, 'print', 'implicit', 'model-performance', 0, null],
        [3, 1, 'print', 'implicit', 'other', 0, null],
        [4, 1, 'assert_call', 'explicit', 'mathematical-property', 1, null],
        [5, 1, 'guard', 'explicit', 'data-validation', 0, null],
      ]);
      expect(feedbackOf(store, 1).find((row) => row.mechanism === 'assert_call')!.library).toBe('numpy.testing');
      expect(JSON.parse(feedbackOf(store, 1)[0]!.flags)).toEqual(['has-message']);
      expect(getCells(store, 1).map((cell) => cell.parse_status)).toEqual(['not-parsed', 'ok', 'ok', 'ok', 'ok', 'ok', 'not-python']);
    } finally {
      store.close();
    }
  });

  it('resumes: a second run scans nothing, an interrupted run leaves whole notebooks', async () => {
    // Distinct code, so that mining keeps 60 notebooks rather than duplicates of one; more than one
    // window of tasks, so that the abort lands while notebooks are still to be submitted.
    const texts = Array.from({ length: 60 }, (_, i) => notebook([{ source: `print(${i})` }, { source: `df.head(${i})` }]));
    const store = seed(join(dir, 'resume.db'), texts);
    const count = (sql: string) => (store.db.prepare(sql).get() as { n: number }).n;
    try {
      const controller = new AbortController();
      const first = await scanFeedback(store, { batchSize: 1, signal: controller.signal, onProgress: () => controller.abort() });
      expect(first.interrupted).toBe(true);
      expect(first.remaining).toBeGreaterThan(0);
      const scannedAfterFirst = count('SELECT COUNT(*) AS n FROM feedback_scans');
      expect(scannedAfterFirst).toBe(first.scanned);
      // Every scanned notebook is whole: two instances each, nothing from the others.
      expect(count('SELECT COUNT(*) AS n FROM feedback')).toBe(2 * scannedAfterFirst);
      const second = await scanFeedback(store);
      expect(second.scanned + scannedAfterFirst).toBe(60);
      expect(second.alreadyScanned).toBe(scannedAfterFirst);
      const third = await scanFeedback(store);
      expect(third).toMatchObject({ scanned: 0, alreadyScanned: 60, remaining: 0 });
      expect(count('SELECT COUNT(*) AS n FROM feedback')).toBe(120);
    } finally {
      store.close();
    }
  });

  it('counts per mechanism, per category, dropped cells and the study filter', async () => {
    const store = seed(join(dir, 'stats.db'), [ML, PLAIN]);
    try {
      await scanFeedback(store);
      const all = feedbackStats(store);
      expect(all).toMatchObject({ notebooks: 2, codeCells: 9, instances: 7 });
      expect(all.cells.studyDropped).toEqual({ magic: 1, python2: 1, 'syntax-error': 0, 'not-python': 1 });
      expect(all.cells.studyDroppedAnalysed).toBe(2);
      expect(all.cells.instancesInStudyDropped).toBe(2);
      const print = all.byMechanism.find((m) => m.mechanism === 'print')!;
      expect(print).toMatchObject({ instances: 2, notebooks: 1, cells: 2, study: 0, form: 'implicit' });
      expect(all.byForm.explicit.instances + all.byForm.implicit.instances).toBe(7);
      expect(all.byCategory.filter((c) => c.form === 'explicit').reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 3);
      const ml = feedbackStats(store, { mlOnly: true });
      expect(ml).toMatchObject({ notebooks: 1, codeCells: 7, instances: 6 });
      const study = feedbackStats(store, { studyOnly: true });
      expect(study.instances).toBe(3);
      expect(study.byMechanism.filter((m) => m.instances > 0).map((m) => m.mechanism)).toEqual(['assert', 'assert_call', 'last_cell']);
    } finally {
      store.close();
    }
  });
});

describe('scanFeedback --full-parse', () => {
  it('parses every cell whole as its own analyzer version, finding the same instances with exact statuses', async () => {
    const broken = notebook([{ source: 'import torch' }, { source: 'def f(x)\n    return x' }, { source: 'df.head()' }]);
    const store = seed(join(dir, 'full.db'), [broken]);
    try {
      const quick = await scanFeedback(store);
      expect(quick.statuses).toMatchObject({ 'not-parsed': 3, partial: 0 });
      const quickRows = feedbackOf(store, 1).map((row) => [row.cell_idx, row.mechanism, row.code]);
      const full = await scanFeedback(store, { fullParse: true, jobs: 2 });
      expect(full).toMatchObject({ scanned: 1, analyzerVersion: 'feedback-1+full-parse' });
      expect(full.statuses).toMatchObject({ ok: 2, partial: 1, 'not-parsed': 0 });
      expect(feedbackOf(store, 1).map((row) => [row.cell_idx, row.mechanism, row.code])).toEqual(quickRows);
      expect(feedbackStats(store).cells.studyDropped['syntax-error']).toBe(1);
    } finally {
      store.close();
    }
  });
});
