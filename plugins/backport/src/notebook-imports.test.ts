import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@mle/core';
import { afterAll, describe, expect, it } from 'vitest';
import { notebookFacts, NotebookNotFoundError } from './notebook-imports.js';

const dir = mkdtempSync(join(tmpdir(), 'mle-nb-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('notebookFacts', () => {
  it('parses a .ipynb: imports (magics and all) and metadata.mle.date', async () => {
    const path = join(dir, 'titanic.ipynb');
    writeFileSync(
      path,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { date: '2023-03-01T10:00:00Z' } },
        cells: [
          { cell_type: 'code', source: '%matplotlib inline\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\n', metadata: {}, outputs: [], execution_count: 1 },
          { cell_type: 'code', source: 'import os, numpy as np\ndef f():\n    import cv2\n', metadata: {}, outputs: [], execution_count: 2 },
        ],
      }),
    );
    const facts = await notebookFacts(null, path);
    expect(facts).toEqual({ notebookId: null, imports: ['cv2', 'numpy', 'os', 'pandas', 'sklearn.model_selection'], date: '2023-03-01T10:00:00.000Z', pythonMajor: 3, from: path });
  });

  it('reads a stored notebook: imports table and notebooks.date', async () => {
    const store = openStore(join(dir, 'corpus.db'));
    try {
      store.db
        .prepare(
          `INSERT INTO notebooks (id, content_hash, nbformat, nbformat_minor, language, language_evidence, python_major, is_ml, cell_count, code_cell_count, date)
           VALUES (7, 'h', 4, 5, 'python', 'kernelspec', 2, 1, 1, 1, '2016-05-01T00:00:00.000Z')`,
        )
        .run();
      const insert = store.db.prepare('INSERT INTO imports (notebook_id, cell_idx, line, module) VALUES (7, 0, ?, ?)');
      insert.run(1, 'sklearn.ensemble');
      insert.run(2, 'pandas');
      insert.run(3, 'pandas');
      expect(await notebookFacts(store, '7')).toEqual({ notebookId: 7, imports: ['pandas', 'sklearn.ensemble'], date: '2016-05-01T00:00:00.000Z', pythonMajor: 2, from: 'database' });
      await expect(notebookFacts(store, '8')).rejects.toThrow(NotebookNotFoundError);
    } finally {
      store.close();
    }
  });

  it('says why a file is not a notebook', async () => {
    const path = join(dir, 'junk.ipynb');
    writeFileSync(path, '{"cells": [');
    await expect(notebookFacts(null, path)).rejects.toThrow(/not a usable notebook/);
    await expect(notebookFacts(null, join(dir, 'missing.ipynb'))).rejects.toThrow(NotebookNotFoundError);
  });
});
