import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import { pandasChainedAssignment } from './chained-assignment.js';
import { restoreEraDefault } from './restore-era-default.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

const FRAME = "import pandas as pd\nsub = pd.DataFrame(proba, columns=['a', 'b'])\n";
const DRIFT = { kind: 'wrong-score' as const, score: { score: 1.93, reported: 0.68, higherIsBetter: false } };

FixTypeTester.run('pandas-chained-assignment', pandasChainedAssignment, {
  valid: [
    `${FRAME}sub.loc[sub['a'] < 0.05, 'a'] = 0.05`,
    `${FRAME}sub['a'] = sub['a'].clip(0.05, 1)`,
    { name: 'a slice of a column is positional: left alone', cells: `${FRAME}sub['a'][0:3] = 0` },
    { name: 'not a DataFrame (a dict of lists)', cells: "d = {'a': [1, 2]}\nd['a'][0] = 5" },
    { name: 'a numpy array', cells: 'import numpy as np\nm = np.zeros((3, 3))\nm[0][1] = 2' },
    { name: 'pandas pinned below 3.0: the chained write still works', cells: `${FRAME}sub['a'][sub['a'] < 0.05] = 0.05`, failure: { ...DRIFT, environment: { pins: { pandas: '2.2.3' } } } },
    { name: 'an error is not this rule\'s business', cells: `${FRAME}sub['a'][sub['a'] < 0.05] = 0.05`, failure: { error: 'KeyError: a' } },
    { name: 'inplace=False returns a copy anyway', cells: `${FRAME}sub['a'].fillna(0, inplace=False)` },
  ],
  invalid: [
    {
      name: 'the era notebook: clipping in a loop over literal column names, on a score mismatch',
      cells: [FRAME, "for col in ['a', 'b']:\n    sub[col][sub[col] < 0.05] = 0.05"],
      failure: DRIFT,
      matches: [{ messageId: 'chained', data: { target: 'sub[col][sub[col] < 0.05]', frame: 'sub', replacement: 'sub.loc[sub[col] < 0.05, col]' }, cellIndex: 1, line: 2 }],
      output: [FRAME, "for col in ['a', 'b']:\n    sub.loc[sub[col] < 0.05, col] = 0.05"],
      safety: 'safe',
    },
    {
      name: 'iloc and loc through a column, attribute access, augmented assignment',
      cells: `${FRAME}sub['a'].iloc[0] = 1\nsub['b'].loc[3] = 2\nsub.a[sub.b.isna()] = 0\nsub['b'][(sub['a'] > 1) & (sub['b'] < 0)] += 1`,
      matches: [{ messageId: 'chained', line: 3 }, { messageId: 'chained', line: 4 }, { messageId: 'chained', line: 5 }, { messageId: 'chained', line: 6 }],
      output: `${FRAME}sub.iloc[0, sub.columns.get_loc('a')] = 1\nsub.loc[3, 'b'] = 2\nsub.loc[sub.b.isna(), 'a'] = 0\nsub.loc[(sub['a'] > 1) & (sub['b'] < 0), 'b'] += 1`,
      safety: 'safe',
    },
    {
      name: 'in-place fillna on a column is assigned back',
      cells: "import pandas as pd\ntrain = pd.read_csv('train.csv')\ntrain['Age'].fillna(train['Age'].median(), inplace=True)",
      matches: [{ messageId: 'inplace', data: { call: "train['Age'].fillna", frame: 'train', column: "train['Age']" } }],
      output: "import pandas as pd\ntrain = pd.read_csv('train.csv')\ntrain['Age'] = train['Age'].fillna(train['Age'].median())",
      safety: 'safe',
    },
    {
      name: 'a row key that may be a label and a column that may be a list: unsafe',
      cells: `${FRAME}sub[name][key] = 0`,
      matches: [{ messageId: 'chained' }],
      output: `${FRAME}sub.loc[key, name] = 0`,
      safety: 'unsafe',
    },
  ],
});

const XGB = 'import xgboost as xgb\n';

FixTypeTester.run('restore-era-default', restoreEraDefault, {
  valid: [
    { name: 'no date: the era is unknown', cells: `${XGB}m = xgb.XGBRegressor(n_estimators=100)`, failure: DRIFT },
    { name: 'published after XGBoost 2.0', cells: `${XGB}m = xgb.XGBRegressor(n_estimators=100)`, failure: { ...DRIFT, notebookDate: '2023-10-01' } },
    { name: 'base_score already explicit', cells: `${XGB}m = xgb.XGBRegressor(base_score=0.5)`, failure: { ...DRIFT, notebookDate: '2023-05-22' } },
    { name: 'the environment still has XGBoost 1.7', cells: `${XGB}m = xgb.XGBRegressor()`, failure: { ...DRIFT, notebookDate: '2023-05-22', environment: { pins: { xgboost: '1.7.6' } } } },
    { name: 'parameters from a dict', cells: `${XGB}m = xgb.XGBRegressor(**params)`, failure: { ...DRIFT, notebookDate: '2023-05-22' } },
    { name: 'n_estimators passed positionally', cells: 'from sklearn.ensemble import RandomForestClassifier\nrf = RandomForestClassifier(50)', failure: { ...DRIFT, notebookDate: '2019-05-01' } },
    { name: 'a class of the same name from elsewhere', cells: 'from mylib import KMeans\nkm = KMeans(5)', failure: { ...DRIFT, notebookDate: '2023-05-01' } },
    { name: 'an error is not a drift', cells: `${XGB}m = xgb.XGBRegressor()`, failure: { error: 'ValueError: bad', notebookDate: '2023-05-22' } },
  ],
  invalid: [
    {
      name: 'the era notebook: XGBoost 2.0 base_score, in an environment with XGBoost 3 (xgboost-cpu)',
      cells: [XGB, 'model = xgb.XGBRegressor(n_estimators=100, learning_rate=0.01, max_depth=4,\n                         random_state=42)\nmodel.fit(X, y)'],
      failure: { ...DRIFT, notebookDate: '2023-05-22T00:00:00.000Z', environment: { pins: { 'xgboost-cpu': '3.4.1' } } },
      matches: [{ messageId: 'restore', data: { library: 'xgboost', version: '2.0.0', released: '2023-09-12', callee: 'XGBRegressor', parameter: 'base_score', newDefault: 'estimated from the target', old: '0.5', date: '2023-05-22', arguments: 'base_score=0.5' }, cellIndex: 1, line: 1 }],
      output: [XGB, 'model = xgb.XGBRegressor(n_estimators=100, learning_rate=0.01, max_depth=4,\n                         random_state=42, base_score=0.5)\nmodel.fit(X, y)'],
      safety: 'safe',
    },
    {
      name: 'a 2019 notebook: forest size, SVC gamma and 3-fold CV in one go',
      cells: 'from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.svm import SVC\nfrom sklearn.model_selection import cross_val_score\nrf = RandomForestClassifier(random_state=0)\nscores = cross_val_score(SVC(), X, y)',
      failure: { ...DRIFT, notebookDate: '2019-06-30' },
      matches: [{ messageId: 'restore', line: 4 }, { messageId: 'restore', line: 5 }, { messageId: 'restore', line: 5 }],
      output: 'from sklearn.ensemble import RandomForestClassifier\nfrom sklearn.svm import SVC\nfrom sklearn.model_selection import cross_val_score\nrf = RandomForestClassifier(random_state=0, n_estimators=10)\nscores = cross_val_score(SVC(gamma=\'auto\'), X, y, cv=3)',
    },
    {
      name: 'KMeans before scikit-learn 1.4, imported under a module alias',
      cells: 'import sklearn.cluster as skc\nkm = skc.KMeans(n_clusters=3, random_state=1)',
      failure: { kind: 'scan', notebookDate: '2023-11-02', environment: { pins: { 'scikit-learn': '1.9.1' } } },
      matches: [{ messageId: 'restore', data: { library: 'sklearn', version: '1.4', released: '2024-01-18', callee: 'KMeans', parameter: 'n_init', newDefault: "'auto' (1 run with k-means++)", old: '10', date: '2023-11-02', arguments: 'n_init=10' } }],
      output: 'import sklearn.cluster as skc\nkm = skc.KMeans(n_clusters=3, random_state=1, n_init=10)',
    },
  ],
});
