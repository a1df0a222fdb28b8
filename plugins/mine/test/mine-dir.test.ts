import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNotebook, openStore, readNotebook } from '@mle/core';
import { describe, expect, it } from 'vitest';
import { mineCorpus } from '../src/mine-corpus.js';
import { DirSource } from '../src/sources/dir-source.js';

const corpus = fileURLToPath(new URL('./fixtures/corpus', import.meta.url));
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'mle-mine-')), 'mle.db');

type OriginView = { path: string; status: string; reason_code: string | null; notebook_id: number | null };

describe('mle mine dir on a mixed-age corpus', () => {
  it.each([1, 2])('stores every valid notebook and rejects the others with reasons (jobs=%i)', async (jobs) => {
    const store = openStore(tempDb());
    const summary = await mineCorpus(store, [new DirSource(corpus)], { jobs });
    const origins = store.db.prepare('SELECT path, status, reason_code, notebook_id FROM origins ORDER BY path').all() as OriginView[];
    const byPath = Object.fromEntries(origins.map((o) => [o.path, o]));

    // Checkpoints are copies Jupyter keeps; they are not offered at all.
    expect(origins.map((o) => o.path)).not.toContain('.ipynb_checkpoints/house-prices-lgbm-checkpoint.ipynb');
    expect(origins.map((o) => [o.path, o.status, o.reason_code])).toEqual([
      ['2015/titanic-forest-v3.ipynb', 'stored', null],
      ['2019/kaggle/house-prices-lgbm.ipynb', 'stored', null],
      ['2023/torch-tiny.ipynb', 'stored', null],
      ['misc/binary-junk.ipynb', 'rejected', 'invalid-json'],
      ['misc/empty.ipynb', 'rejected', 'empty-file'],
      ['misc/house-prices-lgbm-fork.ipynb', 'duplicate', 'duplicate'],
      ['misc/iris-caret.ipynb', 'filtered', 'non-python'],
      ['misc/package-json-renamed.ipynb', 'rejected', 'not-a-notebook'],
      ['misc/pandas-eda.ipynb', 'filtered', 'non-ml'],
      ['misc/truncated.ipynb', 'rejected', 'invalid-json'],
    ]);
    expect(byPath['misc/house-prices-lgbm-fork.ipynb']!.notebook_id).toBe(byPath['2019/kaggle/house-prices-lgbm.ipynb']!.notebook_id);
    expect(summary).toMatchObject({ seen: 10, stored: 3, duplicates: 1, rejected: { 'invalid-json': 2, 'empty-file': 1, 'not-a-notebook': 1 }, filtered: { 'non-python': 1, 'non-ml': 1 } });

    // The v3 Python 2 notebook keeps every cell, its outputs upgraded, and its imports parsed.
    const v3 = store.db.prepare("SELECT n.* FROM notebooks n JOIN origins o ON o.notebook_id = n.id WHERE o.path = '2015/titanic-forest-v3.ipynb'").get() as Record<string, unknown>;
    expect(v3).toMatchObject({ nbformat: 3, language: 'python', is_ml: 1, ml_libraries: '["sklearn"]', cell_count: 5, code_cell_count: 3 });
    const cells = store.db.prepare('SELECT idx, cell_type, source, outputs FROM cells WHERE notebook_id = ? ORDER BY idx').all(v3.id) as { idx: number; cell_type: string; source: string; outputs: string }[];
    expect(cells[0]).toMatchObject({ cell_type: 'markdown', source: '# Titanic: a first random forest' });
    expect(JSON.parse(cells[2]!.outputs)).toEqual([
      { output_type: 'stream', name: 'stdout', text: '(891, 12)\n' },
      { output_type: 'execute_result', execution_count: 2, metadata: {}, data: { 'text/plain': '   PassengerId  Survived\n0            1         0', 'text/html': '<table><tr><td>1</td></tr></table>' } },
    ]);
    const imports = store.db.prepare('SELECT cell_idx, line, module, name, alias, nested FROM imports WHERE notebook_id = ? ORDER BY cell_idx, line, module, name').all(v3.id);
    expect(imports).toEqual([
      { cell_idx: 1, line: 2, module: 'pandas', name: null, alias: 'pd', nested: 0 },
      { cell_idx: 1, line: 3, module: 'numpy', name: null, alias: 'np', nested: 0 },
      { cell_idx: 1, line: 4, module: 'sklearn.ensemble', name: 'RandomForestClassifier', alias: null, nested: 0 },
      { cell_idx: 1, line: 5, module: 'sklearn.cross_validation', name: 'train_test_split', alias: null, nested: 0 },
    ]);

    // The torch notebook's import inside a function is found and marked nested.
    const nested = store.db.prepare("SELECT module, name FROM imports WHERE nested = 1").all();
    expect(nested).toEqual([{ module: 'torch', name: 'optim' }]);
    store.close();
  });

  it('keeps the earliest dated copy as the primary origin, whatever the order', async () => {
    const store = openStore(tempDb());
    const source = (key: string, date: string) => ({
      originKey: key,
      date,
      read: async () => JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: 'code', source: 'import sklearn', metadata: {}, outputs: [], execution_count: null }] }),
    });
    const fake = { kind: 'test', location: 'memory', options: {}, async *candidates() { yield source('b', '2021-01-01T00:00:00.000Z'); yield source('a', '2019-06-01T00:00:00.000Z'); yield source('c', '2020-01-01T00:00:00.000Z'); } };
    await mineCorpus(store, [fake]);
    const rows = store.db.prepare('SELECT origin_key, status FROM origins ORDER BY origin_key').all();
    expect(rows).toEqual([
      { origin_key: 'a', status: 'stored' },
      { origin_key: 'b', status: 'duplicate' },
      { origin_key: 'c', status: 'duplicate' },
    ]);
    expect(store.db.prepare('SELECT date FROM notebooks').all()).toEqual([{ date: '2019-06-01T00:00:00.000Z' }]);
    store.close();
  });

  it('takes date, competition and reported score from metadata.mle', async () => {
    const store = openStore(tempDb());
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: { mle: { date: '2023-03-01', competition: 'wine-quality', reported_score: 0.91 } }, cells: [{ cell_type: 'code', source: 'import sklearn', metadata: {}, outputs: [], execution_count: null }] });
    await mineCorpus(store, [{ kind: 'test', location: 'm', options: {}, async *candidates() { yield { originKey: 'x', read: async () => text }; } }]);
    expect(store.db.prepare('SELECT date, competition, reported_score, reported_score_kind FROM notebooks').get()).toEqual({ date: '2023-03-01T00:00:00.000Z', competition: 'wine-quality', reported_score: 0.91, reported_score_kind: 'private' });
    store.close();
  });

  it('records an unreadable file and goes on', async () => {
    const store = openStore(tempDb());
    const summary = await mineCorpus(store, [{ kind: 'test', location: 'm', options: {}, async *candidates() { yield { originKey: 'gone', read: async () => { throw new Error('no such file: 0001/234/1234.ipynb'); } }; } }]);
    expect(summary.rejected).toEqual({ unreadable: 1 });
    expect(store.db.prepare('SELECT status, reason FROM origins').get()).toEqual({ status: 'rejected', reason: 'no such file: 0001/234/1234.ipynb' });
    store.close();
  });

  it('stops at --limit and a re-run with the same limit adds nothing', async () => {
    const path = tempDb();
    const first = openStore(path);
    await mineCorpus(first, [new DirSource(corpus)], { limit: 2 });
    expect(first.db.prepare('SELECT COUNT(*) AS n FROM notebooks').get()).toEqual({ n: 2 });
    first.close();
    const second = openStore(path);
    const summary = await mineCorpus(second, [new DirSource(corpus)], { limit: 2 });
    expect(summary.stored).toBe(0);
    expect(second.db.prepare('SELECT COUNT(*) AS n FROM notebooks').get()).toEqual({ n: 2 });
    second.close();
  });

  it('stores notebooks whole: loadNotebook gives back cells, outputs and tags', async () => {
    const store = openStore(tempDb());
    const original = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python' } },
      cells: [
        { id: 'a', cell_type: 'markdown', metadata: {}, source: '# Title' },
        { id: 'b', cell_type: 'code', metadata: { tags: ['skip-execution'] }, execution_count: 3, outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi\n' }], source: 'import sklearn\nprint("hi")' },
      ],
    };
    await mineCorpus(store, [{ kind: 'test', location: 'm', options: {}, async *candidates() { yield { originKey: 'x', read: async () => JSON.stringify(original) }; } }]);
    const loaded = loadNotebook(store, 1);
    const expected = readNotebook(JSON.stringify(original));
    if (!expected.ok || !loaded) throw new Error('not read');
    expect(loaded.cells).toEqual(expected.notebook.cells.map(({ id: _id, ...cell }) => cell));
    expect(loaded.metadata).toEqual(original.metadata);
    expect(loadNotebook(store, 99)).toBeUndefined();
    store.close();
  });
});
