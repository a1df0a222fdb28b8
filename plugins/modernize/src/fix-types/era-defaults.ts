/**
 * Defaults that a library changed between a notebook's era and today, where today's library still
 * accepts the old value: the data behind `restore-era-default` (DC002). One row per parameter of a
 * group of callables; add a row to cover another change. Release dates are those of the first
 * release with the new default (PyPI upload day): a notebook published before it cannot have run
 * with the new default, whatever image it ran in.
 *
 * Changes that cannot be restored with a parameter are left out on purpose (see the rule's docs):
 * AdaBoost's SAMME.R (removed in scikit-learn 1.6), LinearRegression's lstsq `cond` (not a
 * parameter, since 1.6), LogisticRegression's 0.22 defaults (`multi_class` is gone and `liblinear`
 * refuses multiclass problems today), XGBoost 2.0's `tree_method='auto'` (its choice depended on the
 * data size, and 'auto' is gone).
 */
export interface EraDefault {
  /** Distributions that ship the library (any one pinned counts). */
  distributions: readonly string[];
  /** The module prefix the callables are imported from. */
  module: string;
  /** Callable name → 0-based position of the parameter in the old signature (null: keyword only). */
  callables: Readonly<Record<string, number | null>>;
  parameter: string;
  /** The old default as Python source. */
  oldDefault: string;
  /** What the new default is, for messages and docs. */
  newDefault: string;
  /** The first version with the new default. */
  changedIn: string;
  /** Its release day (ISO `YYYY-MM-DD`). */
  releasedOn: string;
  /** Where the change is documented. */
  reference: string;
}

const RELEASE_NOTES_0_22 = 'https://scikit-learn.org/stable/whats_new/v0.22.html';

export const ERA_DEFAULTS: readonly EraDefault[] = [
  {
    distributions: ['xgboost', 'xgboost-cpu'],
    module: 'xgboost',
    callables: { XGBRegressor: null, XGBClassifier: null, XGBRFRegressor: null, XGBRFClassifier: null, XGBRanker: null },
    parameter: 'base_score',
    oldDefault: '0.5',
    newDefault: 'estimated from the target',
    changedIn: '2.0.0',
    releasedOn: '2023-09-12',
    reference: 'https://xgboost.readthedocs.io/en/stable/changes/v2.0.0.html',
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { RandomForestClassifier: 0, RandomForestRegressor: 0, ExtraTreesClassifier: 0, ExtraTreesRegressor: 0 },
    parameter: 'n_estimators',
    oldDefault: '10',
    newDefault: '100',
    changedIn: '0.22',
    releasedOn: '2019-12-03',
    reference: RELEASE_NOTES_0_22,
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { SVC: 3, NuSVC: 3, SVR: 2, NuSVR: 4, OneClassSVM: 2 },
    parameter: 'gamma',
    oldDefault: "'auto'",
    newDefault: "'scale'",
    changedIn: '0.22',
    releasedOn: '2019-12-03',
    reference: RELEASE_NOTES_0_22,
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { cross_val_score: 5, cross_validate: 5, cross_val_predict: 4, GridSearchCV: 6, RandomizedSearchCV: 8, learning_curve: 5, validation_curve: 7, permutation_test_score: 4 },
    parameter: 'cv',
    oldDefault: '3',
    newDefault: '5',
    changedIn: '0.22',
    releasedOn: '2019-12-03',
    reference: RELEASE_NOTES_0_22,
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { TSNE: 3 },
    parameter: 'learning_rate',
    oldDefault: '200.0',
    newDefault: "'auto'",
    changedIn: '1.2',
    releasedOn: '2022-12-08',
    reference: 'https://scikit-learn.org/stable/whats_new/v1.2.html',
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { TSNE: 8 },
    parameter: 'init',
    oldDefault: "'random'",
    newDefault: "'pca'",
    changedIn: '1.2',
    releasedOn: '2022-12-08',
    reference: 'https://scikit-learn.org/stable/whats_new/v1.2.html',
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { KMeans: 2 },
    parameter: 'n_init',
    oldDefault: '10',
    newDefault: "'auto' (1 run with k-means++)",
    changedIn: '1.4',
    releasedOn: '2024-01-18',
    reference: 'https://scikit-learn.org/stable/whats_new/v1.4.html',
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { MiniBatchKMeans: 10 },
    parameter: 'n_init',
    oldDefault: '3',
    newDefault: "'auto' (1 run with k-means++)",
    changedIn: '1.4',
    releasedOn: '2024-01-18',
    reference: 'https://scikit-learn.org/stable/whats_new/v1.4.html',
  },
  {
    distributions: ['scikit-learn'],
    module: 'sklearn',
    callables: { LinearSVC: 2, LinearSVR: 6 },
    parameter: 'dual',
    oldDefault: 'True',
    newDefault: "'auto'",
    changedIn: '1.5',
    releasedOn: '2024-05-21',
    reference: 'https://scikit-learn.org/stable/whats_new/v1.5.html',
  },
];
