// A synthetic but realistic corpus of ML notebooks for throughput and agreement runs: cells are
// drawn from templates of what Kaggle/GitHub notebooks do (imports, loading, EDA, plots, feature
// engineering, training loops, evaluation, checks), with the mess real corpora have: %magics and
// !shell lines, %%time cells, Python 2 notebooks, cells with syntax errors, notebooks saved
// without outputs, stale outputs. Deterministic for a seed; written to a temporary directory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMPETITIONS = ['titanic', 'house-prices', 'digit-recognizer', 'spaceship-titanic', 'store-sales', 'nlp-getting-started', 'tabular-playground', 'bike-sharing', 'credit-default', 'ieee-fraud'];
const DATAFRAMES = ['df', 'train', 'data', 'train_df', 'full'];
const COLUMNS = ['Age', 'Fare', 'SalePrice', 'label', 'target', 'Survived', 'price', 'GrLivArea', 'Pclass', 'count', 'text', 'amount'];
const MODELS = [
  ['RandomForestClassifier', 'sklearn.ensemble', 'n_estimators=200, random_state=42'],
  ['LogisticRegression', 'sklearn.linear_model', 'max_iter=1000'],
  ['GradientBoostingRegressor', 'sklearn.ensemble', 'learning_rate=0.05'],
  ['XGBClassifier', 'xgboost', 'n_estimators=500, max_depth=6'],
  ['LGBMRegressor', 'lightgbm', 'num_leaves=31'],
];
const METRICS = ['accuracy_score', 'f1_score', 'roc_auc_score', 'mean_squared_error', 'mean_absolute_error', 'r2_score', 'log_loss'];

/** Each template returns the cell's source and whether it ends in a displayed expression. */
function templates(r, ctx) {
  const pick = (list) => list[Math.floor(r() * list.length)];
  const df = ctx.df;
  const col = () => pick(COLUMNS);
  const p = (x) => (ctx.py2 ? `print ${x}` : `print(${x})`);
  return {
    imports: () => {
      const [model, module] = ctx.model;
      const lines = ['import numpy as np', 'import pandas as pd', 'import matplotlib.pyplot as plt', 'import seaborn as sns', `from ${module} import ${model}`];
      if (r() < 0.5) lines.push('from sklearn.model_selection import train_test_split, KFold');
      if (r() < 0.5) lines.push(`from sklearn.metrics import ${METRICS.slice(0, 3 + Math.floor(r() * 4)).join(', ')}`);
      if (ctx.deep) lines.push('import torch', 'import torch.nn as nn', 'from torch.utils.data import DataLoader, Dataset');
      if (r() < 0.3) lines.push('import os', 'import warnings', "warnings.filterwarnings('ignore')");
      if (ctx.magics && r() < 0.7) lines.unshift('%matplotlib inline');
      return { source: lines.join('\n'), shows: false };
    },
    load: () => ({
      source: `${df} = pd.read_csv("../input/${ctx.competition}/train.csv")\ntest = pd.read_csv("../input/${ctx.competition}/test.csv")\n${pick([`${df}.head()`, `${df}.shape`, `${df}.tail(3)`, `${df}.sample(5)`])}`,
      shows: true,
    }),
    inspect: () => pick([
      () => ({ source: `${df}.describe()`, shows: true }),
      () => ({ source: `${df}.info()`, shows: false }),
      () => ({ source: `${df}.isnull().sum().sort_values(ascending=False)`, shows: true }),
      () => ({ source: `${df}["${col()}"].value_counts()`, shows: true }),
      () => ({ source: `${df}.dtypes`, shows: true }),
      () => ({ source: `${p(`${df}.shape`)}\n${p(`test.shape`)}`, shows: false }),
      () => ({ source: `${p(`${df}.isnull().sum()`)}`, shows: false }),
      () => ({ source: `${df}.corr()["${col()}"].sort_values()`, shows: true }),
      () => ({ source: `display(${df}.head())\ndisplay(${df}.describe())`, shows: false }),
      () => ({ source: `${df}.groupby("${col()}")["${col()}"].mean()`, shows: true }),
    ])(),
    plot: () => pick([
      () => ({ source: `plt.figure(figsize=(10, 6))\nsns.countplot(x="${col()}", data=${df})\nplt.title("${col()} distribution")\nplt.show()`, shows: false }),
      () => ({ source: `sns.heatmap(${df}.corr(), annot=True, cmap="coolwarm")`, shows: true }),
      () => ({ source: `${df}["${col()}"].hist(bins=50);`, shows: false }),
      () => ({ source: `fig, ax = plt.subplots(1, 2, figsize=(12, 4))\nsns.histplot(${df}["${col()}"], ax=ax[0])\nsns.boxplot(y=${df}["${col()}"], ax=ax[1])`, shows: true }),
      () => ({ source: `plt.scatter(${df}["${col()}"], ${df}["${col()}"])\nplt.xlabel("${col()}")`, shows: true }),
    ])(),
    features: () => {
      const lines = [`def add_features(frame):`, `    frame = frame.copy()`];
      const n = 3 + Math.floor(r() * 12);
      for (let i = 0; i < n; i++) lines.push(`    frame["f${i}"] = frame["${col()}"] ${pick(['*', '+', '-', '/'])} ${(r() * 10).toFixed(2)}`);
      if (r() < 0.3) lines.push(`    assert frame.shape[0] > 0`);
      lines.push('    return frame', '', `${df} = add_features(${df})`, 'test = add_features(test)');
      if (r() < 0.3) lines.push(`for c in ["${col()}", "${col()}"]:`, `    ${df}[c] = ${df}[c].fillna(${df}[c].median())`);
      return { source: lines.join('\n'), shows: false };
    },
    split: () => {
      // A print returns None: only the bare expression leaves an execute_result.
      const printed = r() < 0.5;
      return {
        source: `X = ${df}.drop(columns=["${col()}"])\ny = ${df}["${col()}"]\nX_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, random_state=${Math.floor(r() * 100)})\n${printed ? p('X_train.shape, X_val.shape') : 'X_train.shape, X_val.shape'}`,
        shows: !printed,
      };
    },
    check: () => pick([
      () => ({ source: `assert X_train.shape[0] == y_train.shape[0], "features and labels differ"\nassert not X_train.isnull().any().any()`, shows: false }),
      () => ({ source: `assert len(test) > 0\nassert "${col()}" in ${df}.columns`, shows: false }),
      () => ({ source: `np.testing.assert_allclose(preds.sum(), len(preds), rtol=0.5)`, shows: false }),
      () => ({ source: `if ${df}.isnull().values.any():\n    raise ValueError("missing values remain")`, shows: false }),
      () => ({ source: `assert (X_train.dtypes != object).all(), X_train.dtypes`, shows: false }),
    ])(),
    train: () => {
      const [model, , args] = ctx.model;
      const metric = pick(METRICS);
      return pick([
        () => ({ source: `model = ${model}(${args})\nmodel.fit(X_train, y_train)`, shows: true }),
        () => ({ source: `model = ${model}(${args})\nmodel.fit(X_train, y_train)\npreds = model.predict(X_val)\n${p(`"${metric}:", ${metric}(y_val, preds)`)}`, shows: false }),
        () => ({
          source: `scores = []\nkf = KFold(n_splits=5, shuffle=True, random_state=0)\nfor fold, (tr, va) in enumerate(kf.split(X)):\n    m = ${model}(${args})\n    m.fit(X.iloc[tr], y.iloc[tr])\n    s = ${metric}(y.iloc[va], m.predict(X.iloc[va]))\n    scores.append(s)\n    ${ctx.py2 ? `print "fold", fold, s` : `print(f"fold {fold}: {s:.4f}")`}\nnp.mean(scores)`,
          shows: true,
        }),
      ])();
    },
    deep: () => ({
      source: [
        'class Net(nn.Module):',
        '    def __init__(self, n_in, n_out):',
        '        super().__init__()',
        '        self.fc1 = nn.Linear(n_in, 128)',
        '        self.fc2 = nn.Linear(128, n_out)',
        '    def forward(self, x):',
        '        return self.fc2(torch.relu(self.fc1(x)))',
        '',
        'net = Net(X_train.shape[1], 2)',
        'optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)',
        'for epoch in range(10):',
        '    total = 0.0',
        '    for xb, yb in loader:',
        '        optimizer.zero_grad()',
        '        loss = nn.functional.cross_entropy(net(xb), yb)',
        '        loss.backward()',
        '        optimizer.step()',
        '        total += loss.item()',
        `    ${ctx.py2 ? 'print "epoch", epoch, total' : 'print(f"epoch {epoch} loss {total / len(loader):.4f}")'}`,
      ].join('\n'),
      shows: false,
    }),
    evaluate: () => pick([
      () => ({ source: `preds = model.predict(X_val)\n${pick(METRICS)}(y_val, preds)`, shows: true }),
      () => ({ source: `${p('classification_report(y_val, model.predict(X_val))')}`, shows: false }),
      () => ({ source: `confusion_matrix(y_val, model.predict(X_val))`, shows: true }),
      () => ({ source: `importances = pd.Series(model.feature_importances_, index=X.columns)\nimportances.sort_values(ascending=False).head(20)`, shows: true }),
      () => ({ source: `import logging\nlogging.basicConfig(level=logging.INFO)\nlogging.info("validation score %.4f", model.score(X_val, y_val))`, shows: false }),
    ])(),
    submit: () => ({ source: `sub = pd.DataFrame({"id": test.index, "${col()}": model.predict(test)})\nsub.to_csv("submission.csv", index=False)\nsub.head()`, shows: true }),
    shell: () => ({ source: pick(['!pip install -q lightgbm', '!ls ../input', '%%time\nmodel.fit(X_train, y_train)', '%load_ext autoreload\n%autoreload 2']), shows: false }),
    broken: () => ({ source: pick([`${df} = pd.read_csv(`, `def f(x)\n    return x`, `for i in range(10)\n    print(i)`]), shows: false }),
    nested: () => ({ source: `_ = [${ctx.py2 ? 'str(c)' : 'print(c)'} for c in ${df}.columns[:5]]\n${df}["${col()}"].apply(lambda v: ${ctx.py2 ? 'v' : 'print(v)'}).head(0)`, shows: true }),
    stale: () => ({ source: `result = model.predict(X_val[:5])`, shows: false, stale: true }),
  };
}

function outputsFor(cell, r, ctx, n) {
  if (!ctx.saved) return [];
  const outputs = [];
  if (/print/.test(cell.source)) outputs.push({ output_type: 'stream', name: 'stdout', text: ['(891, 12)\n', 'done\n'] });
  if (cell.shows || (cell.stale && r() < 0.5)) {
    outputs.push({ output_type: 'execute_result', execution_count: n, data: { 'text/plain': [`<value of cell ${n}>`] }, metadata: {} });
  }
  return outputs;
}

const PLAN = ['imports', 'load', 'inspect', 'inspect', 'plot', 'inspect', 'features', 'plot', 'split', 'check', 'train', 'evaluate', 'evaluate', 'submit'];

/**
 * Write `notebooks` notebooks under `dir` (in subfolders of 500) and return how many code cells
 * they hold.
 */
export function generateCorpus(dir, { notebooks = 3000, seed = 20240801 } = {}) {
  const r = rng(seed);
  let codeCells = 0;
  for (let i = 0; i < notebooks; i++) {
    const ctx = {
      df: DATAFRAMES[Math.floor(r() * DATAFRAMES.length)],
      competition: COMPETITIONS[Math.floor(r() * COMPETITIONS.length)],
      model: MODELS[Math.floor(r() * MODELS.length)],
      deep: r() < 0.25,
      py2: r() < 0.08,
      magics: r() < 0.5,
      saved: r() < 0.7,
    };
    const t = templates(r, ctx);
    const plan = [...PLAN];
    const extra = Math.floor(r() * 10);
    for (let k = 0; k < extra; k++) plan.splice(2 + Math.floor(r() * (plan.length - 2)), 0, ['inspect', 'plot', 'check', 'evaluate', 'features', 'nested', 'stale'][Math.floor(r() * 7)]);
    if (ctx.deep) plan.splice(plan.indexOf('train') + 1, 0, 'deep');
    if (ctx.magics) plan.splice(1 + Math.floor(r() * (plan.length - 1)), 0, 'shell');
    if (r() < 0.05) plan.splice(1 + Math.floor(r() * (plan.length - 1)), 0, 'broken');
    const cells = [];
    let n = 0;
    for (const step of plan) {
      if (r() < 0.3) cells.push({ cell_type: 'markdown', metadata: {}, source: [`## ${step}\n`, 'Notes on this step.'] });
      const cell = t[step]();
      n++;
      const lines = cell.source.split('\n');
      cells.push({
        cell_type: 'code',
        execution_count: ctx.saved ? n : null,
        metadata: {},
        // nbformat stores sources as lists of lines, each with its newline but the last.
        source: lines.map((line, k) => (k < lines.length - 1 ? `${line}\n` : line)),
        outputs: outputsFor(cell, r, ctx, n),
      });
      codeCells++;
    }
    const kernel = ctx.py2 ? { name: 'python2', display_name: 'Python 2', language: 'python' } : { name: 'python3', display_name: 'Python 3', language: 'python' };
    const folder = join(dir, `part-${String(Math.floor(i / 500)).padStart(3, '0')}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `nb-${String(i).padStart(5, '0')}.ipynb`), JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: kernel }, cells }, null, 1));
  }
  return { notebooks, codeCells };
}
