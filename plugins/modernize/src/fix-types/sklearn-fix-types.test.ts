import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import * as sk from './sklearn-fix-types.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

FixTypeTester.run('sklearn-cross-validation-module', sk.sklearnCrossValidation, {
  valid: ['from sklearn.model_selection import train_test_split', 'import sklearn\nx = sklearn.cross_validation_tools'],
  invalid: [
    {
      cells: 'from sklearn.cross_validation import train_test_split, cross_val_score\nX_tr, X_te = train_test_split(X)',
      failure: { error: "ModuleNotFoundError: No module named 'sklearn.cross_validation'" },
      matches: [{ messageId: 'moved', data: { from: 'sklearn.cross_validation', to: 'sklearn.model_selection', library: 'scikit-learn', version: '0.20' }, line: 1 }],
      output: 'from sklearn.model_selection import train_test_split, cross_val_score\nX_tr, X_te = train_test_split(X)',
      safety: 'safe',
    },
    {
      name: 'a splitter class changed its API: unsafe',
      cells: 'from sklearn.cross_validation import KFold\nkf = KFold(len(X), n_folds=5)',
      matches: [{ messageId: 'moved' }],
      output: 'from sklearn.model_selection import KFold\nkf = KFold(len(X), n_folds=5)',
      safety: 'unsafe',
    },
    {
      name: 'module imports and attribute chains',
      cells: 'import sklearn.cross_validation as cv\nfrom sklearn import cross_validation\nimport sklearn.cross_validation\na = sklearn.cross_validation.train_test_split(X)',
      matches: [{ messageId: 'moved', line: 1 }, { messageId: 'moved', line: 2 }, { messageId: 'moved', line: 3 }, { messageId: 'moved', line: 4 }],
      output: 'import sklearn.model_selection as cv\nfrom sklearn import model_selection as cross_validation\nimport sklearn.model_selection\na = sklearn.model_selection.train_test_split(X)',
    },
  ],
});

FixTypeTester.run('sklearn-grid-search-module', sk.sklearnGridSearch, {
  valid: ['from sklearn.model_selection import GridSearchCV'],
  invalid: [
    { cells: 'from sklearn.grid_search import GridSearchCV', failure: { error: "ModuleNotFoundError: No module named 'sklearn.grid_search'" }, matches: [{ messageId: 'moved' }], output: 'from sklearn.model_selection import GridSearchCV', safety: 'safe' },
    { name: 'grid_scores_ is read later: unsafe', cells: ['from sklearn.grid_search import GridSearchCV', 'print(gs.grid_scores_)'], matches: [{ messageId: 'moved' }], output: ['from sklearn.model_selection import GridSearchCV', 'print(gs.grid_scores_)'], safety: 'unsafe' },
  ],
});

FixTypeTester.run('sklearn-learning-curve-module', sk.sklearnLearningCurve, {
  valid: ['from sklearn.model_selection import learning_curve'],
  invalid: [{ cells: 'from sklearn.learning_curve import learning_curve, validation_curve', matches: [{ messageId: 'moved' }], output: 'from sklearn.model_selection import learning_curve, validation_curve' }],
});

FixTypeTester.run('sklearn-imputer', sk.sklearnImputer, {
  valid: ['from sklearn.impute import SimpleImputer\nimp = SimpleImputer()', 'from sklearn.preprocessing import StandardScaler'],
  invalid: [
    {
      cells: "from sklearn.preprocessing import Imputer\nimp = Imputer(missing_values='NaN', strategy='median', axis=0)",
      failure: { error: "ImportError: cannot import name 'Imputer' from 'sklearn.preprocessing' (/usr/lib/python3/site-packages/sklearn/preprocessing/__init__.py)" },
      matches: [{ messageId: 'moved', line: 1 }, { messageId: 'argument', data: { argument: "missing_values='NaN'", change: 'the string meant NaN and must now be a float NaN' } }, { messageId: 'argument', data: { argument: 'axis=0', change: 'it is the only behaviour, so the argument goes' } }],
      output: "from sklearn.impute import SimpleImputer as Imputer\nimp = Imputer(missing_values=float('nan'), strategy='median')",
    },
    {
      name: 'other names stay; numpy NaN used when numpy is imported; axis=1 reported only',
      cells: ['import numpy as np\nfrom sklearn.preprocessing import StandardScaler, Imputer', "a = Imputer(missing_values='NaN')\nb = Imputer(axis=1)"],
      matches: [{ messageId: 'moved', cellIndex: 0 }, { messageId: 'argument', cellIndex: 1 }, { messageId: 'axis', cellIndex: 1 }],
      output: ['import numpy as np\nfrom sklearn.preprocessing import StandardScaler\nfrom sklearn.impute import SimpleImputer as Imputer', 'a = Imputer(missing_values=np.nan)\nb = Imputer(axis=1)'],
    },
  ],
});

FixTypeTester.run('sklearn-externals-joblib', sk.sklearnExternalsJoblib, {
  valid: ['import joblib', 'from sklearn.externals import six'],
  invalid: [
    {
      cells: "from sklearn.externals import joblib\njoblib.dump(model, 'm.pkl')",
      failure: { error: "ImportError: cannot import name 'joblib' from 'sklearn.externals' (/opt/sklearn/externals/__init__.py)" },
      matches: [{ messageId: 'moved', line: 1 }],
      output: "import joblib\njoblib.dump(model, 'm.pkl')",
    },
    {
      cells: 'from sklearn.externals.joblib import dump, load\nimport sklearn.externals.joblib as jl\nfrom sklearn.externals import joblib as J',
      matches: [{ messageId: 'moved', line: 1 }, { messageId: 'moved', line: 2 }, { messageId: 'moved', line: 3 }],
      output: 'from joblib import dump, load\nimport joblib as jl\nimport joblib as J',
    },
  ],
});

FixTypeTester.run('sklearn-load-boston', sk.sklearnLoadBoston, {
  valid: ['from sklearn.datasets import fetch_california_housing'],
  invalid: [
    {
      cells: 'from sklearn.datasets import load_boston\nX, y = load_boston(return_X_y=True)',
      failure: { error: 'ImportError: \n`load_boston` has been removed from scikit-learn since version 1.2.' },
      matches: [{ messageId: 'guidance', line: 1 }, { messageId: 'guidance', line: 2 }],
    },
  ],
});

FixTypeTester.run('sklearn-get-feature-names', sk.sklearnGetFeatureNames, {
  valid: ['names = vec.get_feature_names_out()'],
  invalid: [
    {
      cells: 'vocab = vectorizer.get_feature_names()',
      failure: { error: "AttributeError: 'CountVectorizer' object has no attribute 'get_feature_names'" },
      matches: [{ messageId: 'removed', data: { name: 'get_feature_names', replacement: 'get_feature_names_out', library: 'scikit-learn', version: '1.2' } }],
      output: 'vocab = vectorizer.get_feature_names_out()',
      safety: 'unsafe',
    },
  ],
});

FixTypeTester.run('sklearn-onehot-sparse', sk.sklearnOneHotSparse, {
  valid: ['enc = OneHotEncoder(sparse_output=False)', 'm = csr_matrix(x, sparse=True)'],
  invalid: [
    {
      cells: 'from sklearn.preprocessing import OneHotEncoder\nenc = OneHotEncoder(sparse=False, handle_unknown="ignore")',
      failure: { error: "TypeError: OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'" },
      matches: [{ messageId: 'renamed', data: { call: 'OneHotEncoder', keyword: 'sparse', replacement: 'sparse_output', library: 'scikit-learn', version: '1.4' } }],
      output: 'from sklearn.preprocessing import OneHotEncoder\nenc = OneHotEncoder(sparse_output=False, handle_unknown="ignore")',
    },
    { name: 'declines before 1.2', cells: 'enc = OneHotEncoder(sparse=False)', failure: { environment: { pins: { 'scikit-learn': '1.1.3' } } }, matches: [{ messageId: 'renamed' }], output: null },
  ],
});

FixTypeTester.run('sklearn-plot-confusion-matrix', sk.sklearnPlotConfusionMatrix, {
  valid: ['from sklearn.metrics import ConfusionMatrixDisplay\nConfusionMatrixDisplay.from_estimator(m, X, y)'],
  invalid: [
    {
      cells: 'from sklearn.metrics import accuracy_score, plot_confusion_matrix\nplot_confusion_matrix(model, X_test, y_test, normalize="true")',
      failure: { error: "ImportError: cannot import name 'plot_confusion_matrix' from 'sklearn.metrics' (/x/sklearn/metrics/__init__.py)" },
      matches: [{ messageId: 'removed', data: { name: 'plot_confusion_matrix', display: 'ConfusionMatrixDisplay' }, line: 1 }, { messageId: 'removed', line: 2 }],
      output: 'from sklearn.metrics import accuracy_score, ConfusionMatrixDisplay\nConfusionMatrixDisplay.from_estimator(model, X_test, y_test, normalize="true")',
    },
    {
      name: 'aliased import and module attribute',
      cells: 'from sklearn.metrics import plot_confusion_matrix as pcm\nfrom sklearn import metrics\npcm(m, X, y)\nmetrics.plot_confusion_matrix(m, X, y)',
      matches: [{ messageId: 'removed', line: 1 }, { messageId: 'removed', line: 3 }, { messageId: 'removed', line: 4 }],
      output: 'from sklearn.metrics import ConfusionMatrixDisplay as pcm\nfrom sklearn import metrics\npcm.from_estimator(m, X, y)\nmetrics.ConfusionMatrixDisplay.from_estimator(m, X, y)',
    },
  ],
});

FixTypeTester.run('sklearn-plot-curves', sk.sklearnPlotCurves, {
  valid: ['from sklearn.metrics import RocCurveDisplay'],
  invalid: [
    {
      cells: 'from sklearn.metrics import plot_roc_curve, plot_precision_recall_curve, RocCurveDisplay\nplot_roc_curve(m, X, y)\nplot_precision_recall_curve(m, X, y)',
      matches: [{ messageId: 'removed', data: { name: 'plot_roc_curve', display: 'RocCurveDisplay' } }, { messageId: 'removed', data: { name: 'plot_precision_recall_curve', display: 'PrecisionRecallDisplay' } }, { messageId: 'removed' }, { messageId: 'removed' }],
      output: 'from sklearn.metrics import PrecisionRecallDisplay, RocCurveDisplay\nRocCurveDisplay.from_estimator(m, X, y)\nPrecisionRecallDisplay.from_estimator(m, X, y)',
    },
  ],
});

FixTypeTester.run('sklearn-criterion-names', sk.sklearnCriterionNames, {
  valid: ["m = RandomForestRegressor(criterion='squared_error')", "t = torch.nn.Loss(criterion='mse')"],
  invalid: [
    {
      cells: "from sklearn.ensemble import RandomForestRegressor\nrf = RandomForestRegressor(n_estimators=100, criterion='mse')\ndt = DecisionTreeRegressor(criterion=\"mae\")",
      failure: { error: "InvalidParameterError: The 'criterion' parameter of RandomForestRegressor must be a str among {'poisson', 'friedman_mse', 'squared_error', 'absolute_error'}. Got 'mse' instead." },
      matches: [{ messageId: 'renamed', data: { keyword: 'criterion', value: 'mse', replacement: "'squared_error'", library: 'scikit-learn', version: '1.2' } }, { messageId: 'renamed', data: { keyword: 'criterion', value: 'mae', replacement: "'absolute_error'", library: 'scikit-learn', version: '1.2' } }],
      output: "from sklearn.ensemble import RandomForestRegressor\nrf = RandomForestRegressor(n_estimators=100, criterion='squared_error')\ndt = DecisionTreeRegressor(criterion=\"absolute_error\")",
      safety: 'safe',
    },
    {
      name: 'parameter grids, pipelines, and the gradient-boosting mae that has no replacement',
      cells: "grid = {'rf__criterion': ['mse', 'friedman_mse'], 'max_depth': [3]}\ngb = GradientBoostingRegressor(criterion='mae')",
      matches: [{ messageId: 'renamed', line: 1 }, { messageId: 'unknownEstimator', line: 2 }],
      output: "grid = {'rf__criterion': ['squared_error', 'friedman_mse'], 'max_depth': [3]}\ngb = GradientBoostingRegressor(criterion='mae')",
    },
  ],
});

FixTypeTester.run('sklearn-gradient-boosting-loss', sk.sklearnGradientBoostingLoss, {
  valid: ["g = GradientBoostingRegressor(loss='huber')", "s = SGDRegressor(loss='squared_error')"],
  invalid: [
    {
      cells: "gbr = GradientBoostingRegressor(loss='ls')\nh = HistGradientBoostingRegressor(loss='least_absolute_deviation')",
      failure: { error: "InvalidParameterError: The 'loss' parameter of GradientBoostingRegressor must be a str among {'huber', 'quantile', 'squared_error', 'absolute_error'}. Got 'ls' instead." },
      matches: [{ messageId: 'renamed', data: { keyword: 'loss', value: 'ls', replacement: "'squared_error'", library: 'scikit-learn', version: '1.2' } }, { messageId: 'renamed' }],
      output: "gbr = GradientBoostingRegressor(loss='squared_error')\nh = HistGradientBoostingRegressor(loss='absolute_error')",
    },
  ],
});

FixTypeTester.run('sklearn-max-features-auto', sk.sklearnMaxFeaturesAuto, {
  valid: ["clf = RandomForestClassifier(max_features='sqrt')", "v = TfidfVectorizer(max_features='auto')"],
  invalid: [
    {
      cells: "clf = RandomForestClassifier(max_features='auto')\nreg = ExtraTreesRegressor(max_features='auto')\ngs = GridSearchCV(RandomForestRegressor(), {'max_features': ['auto', 'log2']})\nparams = {'max_features': ['auto']}",
      failure: { error: "InvalidParameterError: The 'max_features' parameter of RandomForestClassifier must be an int in the range [1, inf), a float in the range (0.0, 1.0], a str among {'log2', 'sqrt'} or None. Got 'auto' instead." },
      matches: [
        { messageId: 'renamed', data: { keyword: 'max_features', value: 'auto', replacement: "'sqrt'", library: 'scikit-learn', version: '1.3' } },
        { messageId: 'renamed', data: { keyword: 'max_features', value: 'auto', replacement: '1.0', library: 'scikit-learn', version: '1.3' } },
        { messageId: 'renamed', line: 3 },
        { messageId: 'unknownEstimator', line: 4 },
      ],
      output: "clf = RandomForestClassifier(max_features='sqrt')\nreg = ExtraTreesRegressor(max_features=1.0)\ngs = GridSearchCV(RandomForestRegressor(), {'max_features': [1.0, 'log2']})\nparams = {'max_features': ['auto']}",
    },
  ],
});

FixTypeTester.run('sklearn-log-loss-name', sk.sklearnSgdLogLoss, {
  valid: ["clf = SGDClassifier(loss='log_loss')", "clf = SGDClassifier(loss='hinge')"],
  invalid: [
    {
      cells: "clf = SGDClassifier(loss='log')\ngb = GradientBoostingClassifier(loss='deviance')",
      failure: { error: "InvalidParameterError: The 'loss' parameter of SGDClassifier must be a str among {...}. Got 'log' instead." },
      matches: [{ messageId: 'renamed' }, { messageId: 'renamed' }],
      output: "clf = SGDClassifier(loss='log_loss')\ngb = GradientBoostingClassifier(loss='log_loss')",
    },
  ],
});

FixTypeTester.run('sklearn-squared-false', sk.sklearnSquaredFalse, {
  valid: ['from sklearn.metrics import root_mean_squared_error\nr = root_mean_squared_error(y, p)', 'x = np.linalg.norm(a, squared=False)'],
  invalid: [
    {
      cells: ['from sklearn.metrics import mean_squared_error', 'rmse = mean_squared_error(y_valid, pred, squared=False)\nmse = mean_squared_error(y_valid, pred, squared=True)'],
      failure: { error: "TypeError: got an unexpected keyword argument 'squared'" },
      matches: [{ messageId: 'removed', data: { name: 'mean_squared_error', replacement: 'root_mean_squared_error' }, line: 1 }, { messageId: 'dropped', line: 2 }],
      output: ['from sklearn.metrics import mean_squared_error, root_mean_squared_error', 'rmse = root_mean_squared_error(y_valid, pred)\nmse = mean_squared_error(y_valid, pred)'],
    },
    {
      name: 'module attribute and aliased import',
      cells: 'from sklearn import metrics\nfrom sklearn.metrics import mean_squared_log_error as msle\na = metrics.mean_squared_error(y, p, squared=False)\nb = msle(y, p, squared=False)',
      matches: [{ messageId: 'removed' }, { messageId: 'removed', data: { name: 'mean_squared_log_error', replacement: 'root_mean_squared_log_error' } }],
      output: 'from sklearn import metrics\nfrom sklearn.metrics import mean_squared_log_error as msle, root_mean_squared_log_error\na = metrics.root_mean_squared_error(y, p)\nb = root_mean_squared_log_error(y, p)',
    },
    { name: 'declines before scikit-learn 1.4', cells: 'from sklearn.metrics import mean_squared_error\nr = mean_squared_error(y, p, squared=False)', failure: { environment: { pins: { scikit_learn: '1.3.2' } } }, matches: [{ messageId: 'removed' }], output: null },
  ],
});

FixTypeTester.run('sklearn-base-estimator', sk.sklearnBaseEstimator, {
  valid: ['ada = AdaBoostClassifier(estimator=tree)', 'x = MyWrapper(base_estimator=tree)'],
  invalid: [
    {
      cells: 'ada = AdaBoostClassifier(base_estimator=DecisionTreeClassifier(max_depth=2), n_estimators=50)\nbag = BaggingRegressor(base_estimator=knn)',
      failure: { error: "TypeError: AdaBoostClassifier.__init__() got an unexpected keyword argument 'base_estimator'" },
      matches: [{ messageId: 'renamed' }, { messageId: 'renamed' }],
      output: 'ada = AdaBoostClassifier(estimator=DecisionTreeClassifier(max_depth=2), n_estimators=50)\nbag = BaggingRegressor(estimator=knn)',
    },
  ],
});

FixTypeTester.run('sklearn-onehot-categorical-features', sk.sklearnCategoricalFeatures, {
  valid: ['enc = OneHotEncoder(handle_unknown="ignore")'],
  invalid: [{ cells: 'enc = OneHotEncoder(categorical_features=[0, 3])', failure: { error: "TypeError: __init__() got an unexpected keyword argument 'categorical_features'" }, matches: [{ messageId: 'guidance' }] }],
});

FixTypeTester.run('sklearn-jaccard-similarity-score', sk.sklearnJaccardSimilarity, {
  valid: ['from sklearn.metrics import jaccard_score'],
  invalid: [{ cells: 'from sklearn.metrics import jaccard_similarity_score\ns = jaccard_similarity_score(a, b)', matches: [{ messageId: 'guidance', line: 1 }, { messageId: 'guidance', line: 2 }] }],
});
