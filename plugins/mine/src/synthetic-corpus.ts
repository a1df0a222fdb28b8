import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic PRNG (mulberry32), so a corpus is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMPORT_LINES = [
  'import numpy as np',
  'import pandas as pd',
  'import matplotlib.pyplot as plt',
  'import seaborn as sns',
  'from sklearn.model_selection import train_test_split, KFold',
  'from sklearn.ensemble import RandomForestClassifier',
  'from sklearn.metrics import accuracy_score, roc_auc_score',
  'import lightgbm as lgb',
  'import xgboost as xgb',
  'import torch\nimport torch.nn as nn',
  'import tensorflow as tf\nfrom tensorflow import keras',
];

const BODY_CELLS = [
  "df = pd.read_csv('../input/train.csv')\ndf.head()",
  'print(df.shape)\nprint(df.columns.tolist())',
  "df.isnull().sum().sort_values(ascending=False)[:10]",
  "df['target'].value_counts(normalize=True)",
  '%matplotlib inline\nsns.countplot(x="target", data=df)',
  '!ls ../input',
  "X_train, X_valid, y_train, y_valid = train_test_split(X, y, test_size=0.2, random_state={seed})\nassert len(X_train) + len(X_valid) == len(X)",
  'model = RandomForestClassifier(n_estimators={n}, random_state=0)\nmodel.fit(X_train, y_train)',
  "pred = model.predict_proba(X_valid)[:, 1]\nprint('AUC', roc_auc_score(y_valid, pred))",
  'for fold, (tr, va) in enumerate(KFold(5).split(X)):\n    print(fold, len(tr), len(va))',
  "def rmse(a, b):\n    return np.sqrt(np.mean((a - b) ** 2))\nrmse(y_valid, pred)",
  "sub = pd.read_csv('../input/sample_submission.csv')\nsub['target'] = model.predict(X_test)\nsub.to_csv('submission.csv', index=False)",
  "params = {{'num_leaves': {n}, 'learning_rate': 0.05}}\nprint(params)",
];

function cellV4(source: string, index: number, withOutput: boolean): object {
  return {
    cell_type: 'code',
    execution_count: index + 1,
    metadata: {},
    outputs: withOutput ? [{ output_type: 'stream', name: 'stdout', text: [`output of cell ${index}\n`] }] : [],
    source: source.split(/(?<=\n)/),
  };
}

export interface SyntheticCorpusStats {
  files: number;
  notebooks: number;
  duplicates: number;
  broken: number;
  nonMl: number;
  cells: number;
}

/**
 * Write `count` notebook files shaped like a Kaggle corpus: mostly nbformat 4 with some v3 and
 * Python 2 cells, magics and shell lines, ~5% forks of earlier notebooks (same code, other
 * outputs), ~1% broken files and ~10% notebooks without an ML import. Deterministic per seed.
 */
export function writeSyntheticCorpus(dir: string, count: number, seed = 1): SyntheticCorpusStats {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const stats: SyntheticCorpusStats = { files: 0, notebooks: 0, duplicates: 0, broken: 0, nonMl: 0, cells: 0 };
  const written: string[][] = [];
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `part-${String(Math.floor(i / 1000)).padStart(3, '0')}`);
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    const file = join(folder, `nb-${String(i).padStart(6, '0')}.ipynb`);
    stats.files++;
    const roll = next();
    if (roll < 0.01) {
      writeFileSync(file, i % 2 === 0 ? '{"cells": [{"cell_type": "code", "source": ["import sk' : 'not json at all');
      stats.broken++;
      continue;
    }
    let sources: string[];
    if (roll < 0.06 && written.length > 0) {
      sources = pick(written);
      stats.duplicates++;
    } else {
      const nonMl = next() < 0.1;
      const imports = nonMl ? ['import pandas as pd', 'import numpy as np'] : [pick(IMPORT_LINES.slice(0, 4)), pick(IMPORT_LINES.slice(4)), pick(IMPORT_LINES.slice(4))];
      if (nonMl) stats.nonMl++;
      const n = 8 + Math.floor(next() * 20);
      sources = [imports.join('\n')];
      for (let c = 0; c < n; c++) sources.push(pick(BODY_CELLS).replace('{seed}', String(i)).replace('{n}', String(10 + c)).replace('{n}', String(c)));
      if (next() < 0.05) sources.push('print "done", len(df)');
      written.push(sources);
    }
    stats.notebooks++;
    stats.cells += sources.length;
    const v3 = next() < 0.05;
    const notebook = v3
      ? {
          nbformat: 3,
          nbformat_minor: 0,
          metadata: { name: '' },
          worksheets: [{ metadata: {}, cells: sources.map((source, index) => ({ cell_type: 'code', language: 'python', input: source, prompt_number: index + 1, metadata: {}, outputs: [] })) }],
        }
      : {
          nbformat: 4,
          nbformat_minor: 4,
          metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python', version: '3.7.6' } },
          cells: [{ cell_type: 'markdown', metadata: {}, source: [`# Notebook ${i}`] }, ...sources.map((source, index) => cellV4(source, index, next() < 0.3))],
        };
    writeFileSync(file, JSON.stringify(notebook));
  }
  return stats;
}
