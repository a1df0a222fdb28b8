import type { CellEdit } from '@mle/core';
import { argumentValueRule } from './argument-value-rule.js';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { calleeLastName, calleeNamed, qualifiedCallee } from './call-predicates.js';
import { EditBuilder } from './edit-builder.js';
import { guidanceRule } from './guidance-rule.js';
import type { ImportBinding } from './import-index.js';
import { keywordRenameRule } from './keyword-rename-rule.js';
import { methodRenameRule } from './method-rename-rule.js';
import { moduleMoveRule } from './module-move-rule.js';
import { callArguments, constantText, dottedNameOf, keywordValue, stringLiteral } from './syntax-helpers.js';

const changelog = (version: string, anchor = '') => ({ title: `scikit-learn ${version} release highlights and changelog`, url: `https://scikit-learn.org/stable/whats_new/v${version}.html${anchor}` });
const INVALID_PARAMETER = ['InvalidParameterError', 'ValueError'];

/** An edit builder for another cell (an import statement that lives elsewhere in the notebook). */
function editsFor(context: RuleCellContext, cellIndex: number): EditBuilder | null {
  if (cellIndex === context.cellIndex) return context.edits;
  const syntax = context.failure.syntax(cellIndex);
  return syntax ? new EditBuilder(syntax) : null;
}

/** Add `name` to the `from ... import` statement of `binding`, right after the binding's own name. */
function addToFromImport(context: RuleCellContext, binding: ImportBinding, name: string): CellEdit | null {
  return editsFor(context, binding.cellIndex)?.insertAfter(binding.nameNode, `, ${name}`) ?? null;
}

export const sklearnCrossValidation = moduleMoveRule({
  code: 'BC044',
  id: 'sklearn-cross-validation-module',
  library: 'scikit-learn',
  from: 'sklearn.cross_validation',
  to: 'sklearn.model_selection',
  removedIn: '0.20',
  safety: 'safe',
  changedNames: ['KFold', 'StratifiedKFold', 'ShuffleSplit', 'StratifiedShuffleSplit', 'LeaveOneOut', 'LeavePOut', 'LabelKFold', 'LeaveOneLabelOut', 'LeavePLabelOut', 'LabelShuffleSplit', 'PredefinedSplit'],
  docs: {
    whatItDoes: 'Rewrites imports from `sklearn.cross_validation` to `sklearn.model_selection`.',
    why: 'scikit-learn 0.18 moved the cross-validation tools into `sklearn.model_selection` and 0.20 removed the old module (`ModuleNotFoundError: No module named \'sklearn.cross_validation\'`).',
    example: 'from sklearn.cross_validation import train_test_split, cross_val_score\n',
    useInstead: 'from sklearn.model_selection import train_test_split, cross_val_score\n',
    knownProblems: 'The splitter classes changed their API in the move: `KFold(n, n_folds=k)` became `KFold(n_splits=k)` and is iterated with `.split(X)`. The rule moves the import but does not rewrite those calls.',
    fixSafety: 'Safe for functions that kept their signature (`train_test_split`, `cross_val_score`, ...). Unsafe when the statement imports a splitter class (`KFold`, `StratifiedKFold`, `ShuffleSplit`, ...), whose constructor and iteration changed.',
    references: [changelog('0.18', '#model-selection-enhancements-and-api-changes')],
  },
});

export const sklearnGridSearch = moduleMoveRule({
  code: 'BC045',
  id: 'sklearn-grid-search-module',
  library: 'scikit-learn',
  from: 'sklearn.grid_search',
  to: 'sklearn.model_selection',
  removedIn: '0.20',
  safety: 'safe',
  unsafeWords: ['grid_scores_'],
  docs: {
    whatItDoes: 'Rewrites imports from `sklearn.grid_search` to `sklearn.model_selection`.',
    why: 'scikit-learn 0.18 moved `GridSearchCV` and `RandomizedSearchCV` into `sklearn.model_selection` and 0.20 removed `sklearn.grid_search`.',
    example: 'from sklearn.grid_search import GridSearchCV\n',
    useInstead: 'from sklearn.model_selection import GridSearchCV\n',
    fixSafety: 'Safe unless the notebook reads `grid_scores_`, which the new classes replaced by `cv_results_` (then unsafe: that code still needs a hand edit).',
    references: [changelog('0.18', '#model-selection-enhancements-and-api-changes')],
  },
});

export const sklearnLearningCurve = moduleMoveRule({
  code: 'BC046',
  id: 'sklearn-learning-curve-module',
  library: 'scikit-learn',
  from: 'sklearn.learning_curve',
  to: 'sklearn.model_selection',
  removedIn: '0.20',
  safety: 'safe',
  docs: {
    whatItDoes: 'Rewrites imports from `sklearn.learning_curve` to `sklearn.model_selection`.',
    why: 'scikit-learn 0.18 moved `learning_curve` and `validation_curve` into `sklearn.model_selection` and 0.20 removed the old module.',
    example: 'from sklearn.learning_curve import learning_curve\n',
    useInstead: 'from sklearn.model_selection import learning_curve\n',
    fixSafety: 'Safe: same functions in their new module.',
    references: [changelog('0.18', '#model-selection-enhancements-and-api-changes')],
  },
});

export const sklearnImputer = defineRule({
  meta: {
    id: 'sklearn-imputer',
    code: 'BC047',
    kind: 'error-repair',
    description: 'Replace sklearn.preprocessing.Imputer (removed in scikit-learn 0.22) with sklearn.impute.SimpleImputer.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      moved: '`Imputer` was removed in scikit-learn 0.22; use `sklearn.impute.SimpleImputer`.',
      axis: '`SimpleImputer` has no `axis`; imputing along rows (`axis=1`) needs a transpose by hand.',
      argument: '`{{argument}}` changed for `SimpleImputer`: {{change}}.',
    },
    errorSignatures: [
      { name: 'ImportError', value: /cannot import name 'Imputer' from 'sklearn\.preprocessing'/ },
      { name: 'AttributeError', value: /module 'sklearn\.preprocessing' has no attribute 'Imputer'/ },
      { name: 'TypeError', value: /unexpected keyword argument 'axis'/ },
    ],
  },
  docs: {
    whatItDoes: 'Imports `SimpleImputer` under the old name, drops `axis=0` and turns `missing_values=\'NaN\'` into a real NaN.',
    why: 'scikit-learn 0.20 replaced `sklearn.preprocessing.Imputer` by `sklearn.impute.SimpleImputer` and 0.22 removed it (`ImportError: cannot import name \'Imputer\' from \'sklearn.preprocessing\'`). `SimpleImputer` always imputes columns and has no `axis`.',
    example: "from sklearn.preprocessing import Imputer\n\nimp = Imputer(missing_values='NaN', strategy='median', axis=0)\n",
    useInstead: "from sklearn.impute import SimpleImputer as Imputer\n\nimp = Imputer(missing_values=float('nan'), strategy='median')\n",
    fixSafety: "Safe: `SimpleImputer` computes the same column statistics as `Imputer(axis=0)`, the default; `'NaN'` meant a real NaN for `Imputer`. Importing it under the old name keeps the edit small. `axis=1` is reported without a fix.",
    references: [changelog('0.20', '#sklearn-impute'), { title: 'scikit-learn #16152', url: 'https://github.com/scikit-learn/scikit-learn/issues/16152' }],
  },
  requires: [{ distribution: 'scikit-learn', version: '0.20' }],
  mentions: ['Imputer'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
      if (dottedNameOf(statement.childForFieldName('module_name')) !== 'sklearn.preprocessing') continue;
      const names = statement.childrenForFieldName('name');
      const target = names.find((n) => dottedNameOf(n.type === 'aliased_import' ? n.childForFieldName('name') : n) === 'Imputer');
      if (!target) continue;
      const local = target.type === 'aliased_import' ? target.childForFieldName('alias')!.text : 'Imputer';
      const moved = `from sklearn.impute import SimpleImputer as ${local}`;
      const edits = names.length === 1 ? [context.edits.replace(statement, moved)] : [context.edits.removeListElement(target), context.edits.insertAfter(statement, `\n${moved}`)];
      sites.push({ node: statement, messageId: 'moved', edits });
    }
    const nan = context.imports.aliasOf('numpy') ? `${context.imports.aliasOf('numpy')}.nan` : "float('nan')";
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const qualified = qualifiedCallee(context, call);
      if (qualified !== 'sklearn.preprocessing.Imputer') continue;
      const args = callArguments(call);
      if (!args) continue;
      const axis = args.keywords.get('axis') ?? args.positional[2];
      if (args.positional.length > 0) {
        sites.push({ node: call, messageId: 'argument', data: { argument: 'positional arguments', change: 'pass them by keyword' }, edits: null });
        continue;
      }
      if (axis) {
        const value = constantText(keywordValue(axis) ?? axis);
        if (value === '0') sites.push({ node: axis, messageId: 'argument', data: { argument: 'axis=0', change: 'it is the only behaviour, so the argument goes' }, edits: [context.edits.removeListElement(axis)] });
        else sites.push({ node: axis, messageId: 'axis', edits: null });
      }
      const missing = args.keywords.get('missing_values');
      const literal = stringLiteral(keywordValue(missing));
      if (missing && literal?.value === 'NaN') {
        sites.push({ node: missing, messageId: 'argument', data: { argument: "missing_values='NaN'", change: 'the string meant NaN and must now be a float NaN' }, edits: [context.edits.replace(literal.node, nan)] });
      }
    }
    return sites;
  },
  fixTitle: 'Use sklearn.impute.SimpleImputer',
});

export const sklearnExternalsJoblib = defineRule({
  meta: {
    id: 'sklearn-externals-joblib',
    code: 'BC048',
    kind: 'error-repair',
    description: 'Import joblib directly instead of from sklearn.externals (removed in scikit-learn 0.23).',
    fixable: 'always',
    safety: 'safe',
    messages: { moved: '`sklearn.externals.joblib` was removed in scikit-learn 0.23; import `joblib` itself.' },
    errorSignatures: [
      { name: 'ImportError', value: /cannot import name 'joblib' from 'sklearn\.externals'/ },
      { name: 'ModuleNotFoundError', value: /No module named 'sklearn\.externals\.joblib'/ },
    ],
  },
  docs: {
    whatItDoes: 'Rewrites `from sklearn.externals import joblib` as `import joblib` (and the other spellings of the vendored import).',
    why: 'scikit-learn vendored joblib as `sklearn.externals.joblib`; 0.21 deprecated it and 0.23 removed it. joblib is installed with scikit-learn as a dependency.',
    example: "from sklearn.externals import joblib\n\njoblib.dump(model, 'model.pkl')\n",
    useInstead: "import joblib\n\njoblib.dump(model, 'model.pkl')\n",
    fixSafety: 'Safe: the vendored module was a copy of joblib.',
    references: [changelog('0.21', '#sklearn-externals')],
  },
  mentions: ['joblib'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
      const module = statement.childForFieldName('module_name');
      const moduleName = dottedNameOf(module);
      if (moduleName === 'sklearn.externals.joblib' || moduleName?.startsWith('sklearn.externals.joblib.')) {
        sites.push({ node: statement, messageId: 'moved', edits: [context.edits.replace(module!, moduleName.slice('sklearn.externals.'.length))] });
        continue;
      }
      if (moduleName !== 'sklearn.externals') continue;
      const names = statement.childrenForFieldName('name');
      const target = names.find((n) => dottedNameOf(n.type === 'aliased_import' ? n.childForFieldName('name') : n) === 'joblib');
      if (!target) continue;
      const alias = target.type === 'aliased_import' ? target.childForFieldName('alias')!.text : null;
      const replacement = alias && alias !== 'joblib' ? `import joblib as ${alias}` : 'import joblib';
      const edits = names.length === 1 ? [context.edits.replace(statement, replacement)] : [context.edits.removeListElement(target), context.edits.insertAfter(statement, `\n${replacement}`)];
      sites.push({ node: statement, messageId: 'moved', edits });
    }
    for (const statement of context.syntax.root.descendantsOfType('import_statement')) {
      for (const name of statement.childrenForFieldName('name')) {
        const plain = name.type === 'aliased_import' ? name.childForFieldName('name')! : name;
        if (dottedNameOf(plain) !== 'sklearn.externals.joblib') continue;
        const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')!.text : null;
        // A plain `import sklearn.externals.joblib` is used as `sklearn.externals.joblib.x`; leave those for a person.
        if (!alias) continue;
        sites.push({ node: statement, messageId: 'moved', edits: [context.edits.replace(name, alias === 'joblib' ? 'joblib' : `joblib as ${alias}`)] });
      }
    }
    return sites;
  },
  fixTitle: 'Import joblib directly',
});

export const sklearnLoadBoston = guidanceRule({
  code: 'BC049',
  id: 'sklearn-load-boston',
  description: 'Report load_boston (removed in scikit-learn 1.2); replacing the data set changes scores.',
  message: '`{{code}}` was removed in scikit-learn 1.2; use `fetch_california_housing()` or `fetch_openml(name="boston", version=1)` (the data, and so the score, change).',
  errorName: 'ImportError',
  signature: /load_boston/,
  find: (context) => context.syntax.root.descendantsOfType(['identifier']).filter((node) => node.text === 'load_boston' && node.parent?.type !== 'keyword_argument'),
  mentions: ['load_boston'],
  docs: {
    whatItDoes: 'Reports uses of `sklearn.datasets.load_boston`.',
    why: 'scikit-learn 1.0 deprecated `load_boston` for ethical problems with the data set and 1.2 removed it; accessing it raises an ImportError explaining the removal.',
    example: 'from sklearn.datasets import load_boston\n\nX, y = load_boston(return_X_y=True)\n',
    useInstead: 'from sklearn.datasets import fetch_openml\n\nX, y = fetch_openml(name="boston", version=1, return_X_y=True, as_frame=False)\n',
    fixSafety: 'Display-only: every replacement loads different data (or downloads it), so the notebook\'s score changes; it is a decision, not a rewrite.',
    references: [changelog('1.2', '#sklearn-datasets')],
  },
});

export const sklearnGetFeatureNames = methodRenameRule({
  code: 'BC050',
  id: 'sklearn-get-feature-names',
  library: 'scikit-learn',
  renames: { get_feature_names: 'get_feature_names_out' },
  form: 'call',
  receiver: 'any',
  owners: null,
  removedIn: '1.2',
  deprecatedIn: '1.0',
  safety: 'unsafe',
  requires: [{ distribution: 'scikit-learn', version: '1.0' }],
  docs: {
    whatItDoes: 'Renames `.get_feature_names()` of scikit-learn transformers to `.get_feature_names_out()`.',
    why: 'scikit-learn 1.0 added `get_feature_names_out` to every transformer and deprecated `get_feature_names`; 1.2 removed it (`AttributeError: \'CountVectorizer\' object has no attribute \'get_feature_names\'`).',
    example: 'vocab = vectorizer.get_feature_names()\n',
    useInstead: 'vocab = vectorizer.get_feature_names_out()\n',
    fixSafety: 'Unsafe: `get_feature_names_out()` returns a NumPy array of strings, not a list (so `+`, `.index()` and `== []` behave differently), and some transformers name features differently (`OneHotEncoder` uses the input column names instead of `x0_...`).',
    references: [changelog('1.0', '#sklearn-feature-extraction')],
  },
});

export const sklearnOneHotSparse = keywordRenameRule({
  code: 'BC051',
  id: 'sklearn-onehot-sparse',
  library: 'scikit-learn',
  renames: { sparse: 'sparse_output' },
  calls: calleeNamed(new Set(['OneHotEncoder'])),
  callDescription: 'OneHotEncoder()',
  removedIn: '1.4',
  safety: 'safe',
  requires: [{ distribution: 'scikit-learn', version: '1.2' }],
  docs: {
    whatItDoes: 'Renames `sparse=` of `OneHotEncoder` to `sparse_output=`.',
    why: "scikit-learn 1.2 renamed `OneHotEncoder(sparse=)` to `sparse_output=` and 1.4 removed the old name (`TypeError: OneHotEncoder.__init__() got an unexpected keyword argument 'sparse'`).",
    example: 'from sklearn.preprocessing import OneHotEncoder\n\nenc = OneHotEncoder(sparse=False, handle_unknown="ignore")\n',
    useInstead: 'from sklearn.preprocessing import OneHotEncoder\n\nenc = OneHotEncoder(sparse_output=False, handle_unknown="ignore")\n',
    fixSafety: 'Safe: same parameter under its new name. Needs scikit-learn ≥ 1.2; the fix declines in an environment pinned below.',
    references: [changelog('1.2', '#sklearn-preprocessing')],
  },
});

/** BC052/BC053: `plot_*(est, X, y)` functions → `*Display.from_estimator(est, X, y)`. */
function plotDisplayRule(code: string, id: string, functions: Readonly<Record<string, string>>, docs: BuiltinFixType['docs']): BuiltinFixType {
  const names = Object.keys(functions);
  return defineRule({
    meta: {
      id,
      code,
      kind: 'error-repair',
      description: `Replace sklearn.metrics.${names.join(' / ')} (removed in scikit-learn 1.2) with ${names.map((n) => `${functions[n]}.from_estimator`).join(' / ')}.`,
      fixable: 'always',
      safety: 'safe',
      messages: { removed: '`{{name}}` was removed in scikit-learn 1.2; use `{{display}}.from_estimator`.' },
      errorSignatures: [
        { name: 'ImportError', value: new RegExp(`cannot import name '(?:${names.join('|')})' from 'sklearn\\.metrics'`) },
        { name: 'AttributeError', value: new RegExp(`module 'sklearn\\.metrics' has no attribute '(?:${names.join('|')})'`) },
      ],
    },
    docs,
    requires: [{ distribution: 'scikit-learn', version: '1.0' }],
    mentions: names,
    findSites(context) {
      const sites: RuleSite[] = [];
      for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
        if (dottedNameOf(statement.childForFieldName('module_name')) !== 'sklearn.metrics') continue;
        const names_ = statement.childrenForFieldName('name');
        const imported = new Set(names_.map((n) => dottedNameOf(n.type === 'aliased_import' ? n.childForFieldName('name') : n)));
        for (const name of names_) {
          const plain = name.type === 'aliased_import' ? name.childForFieldName('name')! : name;
          const display = functions[plain.text];
          if (!display || !Object.hasOwn(functions, plain.text)) continue;
          const edit = imported.has(display) && name.type !== 'aliased_import' ? context.edits.removeListElement(name) : context.edits.replace(plain, display);
          imported.add(display);
          sites.push({ node: name, messageId: 'removed', data: { name: plain.text, display }, edits: [edit] });
        }
      }
      for (const call of context.syntax.root.descendantsOfType('call')) {
        const callee = call.childForFieldName('function')!;
        const qualified = qualifiedCallee(context, call);
        const name = qualified?.startsWith('sklearn.metrics.') ? qualified.slice('sklearn.metrics.'.length) : null;
        const display = name && Object.hasOwn(functions, name) ? functions[name]! : null;
        if (!name || !display) continue;
        // `plot_roc_curve(...)` → `RocCurveDisplay.from_estimator(...)`; with `import ... as f`, `f(...)` → `f.from_estimator(...)`.
        let edit: CellEdit;
        if (callee.type === 'attribute') edit = context.edits.replace(callee.childForFieldName('attribute')!, `${display}.from_estimator`);
        else if (callee.text === name) edit = context.edits.replace(callee, `${display}.from_estimator`);
        else edit = context.edits.insertAfter(callee, '.from_estimator');
        sites.push({ node: call, messageId: 'removed', data: { name, display }, edits: [edit] });
      }
      return sites;
    },
    fixTitle: 'Replace {{name}}(...) with {{display}}.from_estimator(...)',
  });
}

export const sklearnPlotConfusionMatrix = plotDisplayRule('BC052', 'sklearn-plot-confusion-matrix', { plot_confusion_matrix: 'ConfusionMatrixDisplay' }, {
  whatItDoes: 'Rewrites `plot_confusion_matrix(est, X, y, ...)` as `ConfusionMatrixDisplay.from_estimator(est, X, y, ...)`, import included.',
  why: 'scikit-learn 1.0 deprecated the `plot_*` functions in favour of the `*Display.from_estimator` class methods and 1.2 removed them (`ImportError: cannot import name \'plot_confusion_matrix\' from \'sklearn.metrics\'`).',
  example: 'from sklearn.metrics import plot_confusion_matrix\n\nplot_confusion_matrix(model, X_test, y_test, normalize="true")\n',
  useInstead: 'from sklearn.metrics import ConfusionMatrixDisplay\n\nConfusionMatrixDisplay.from_estimator(model, X_test, y_test, normalize="true")\n',
  fixSafety: 'Safe: `from_estimator` takes the same arguments and returns the same display object the function returned.',
  references: [changelog('1.0', '#sklearn-metrics')],
});

export const sklearnPlotCurves = plotDisplayRule('BC053', 'sklearn-plot-curves', { plot_roc_curve: 'RocCurveDisplay', plot_precision_recall_curve: 'PrecisionRecallDisplay' }, {
  whatItDoes: 'Rewrites `plot_roc_curve` and `plot_precision_recall_curve` as `RocCurveDisplay.from_estimator` and `PrecisionRecallDisplay.from_estimator`, imports included.',
  why: 'scikit-learn 1.0 deprecated the `plot_*` functions and 1.2 removed them (`ImportError: cannot import name \'plot_roc_curve\' from \'sklearn.metrics\'`).',
  example: 'from sklearn.metrics import plot_roc_curve\n\nplot_roc_curve(model, X_valid, y_valid)\n',
  useInstead: 'from sklearn.metrics import RocCurveDisplay\n\nRocCurveDisplay.from_estimator(model, X_valid, y_valid)\n',
  fixSafety: 'Safe: `from_estimator` takes the same arguments and returns the same display object.',
  references: [changelog('1.0', '#sklearn-metrics')],
});

const TREE_ESTIMATOR = /^(?:DecisionTree|ExtraTree|RandomForest|ExtraTrees|GradientBoosting)(?:Regressor|Classifier)$/;

export const sklearnCriterionNames = argumentValueRule({
  code: 'BC054',
  id: 'sklearn-criterion-names',
  library: 'scikit-learn',
  keyword: 'criterion',
  oldValues: ['mse', 'mae'],
  replacement(_context, call, old) {
    // Gradient boosting never got an absolute-error criterion: 'mae' has no replacement there.
    if (old === 'mae' && call && /^GradientBoosting/.test(calleeLastName(call) ?? '')) return null;
    return old === 'mse' ? 'squared_error' : 'absolute_error';
  },
  calls: (context, call) => TREE_ESTIMATOR.test(calleeLastName(call) ?? '') || calleeLastName(call) === 'set_params',
  callDescription: 'tree and forest estimators',
  paramGrids: true,
  removedIn: '1.2',
  safety: 'safe',
  requires: [{ distribution: 'scikit-learn', version: '1.0' }],
  errorSignatures: INVALID_PARAMETER.map((name) => ({ name, value: /'criterion' parameter[\s\S]*Got '(?:mse|mae)'|criterion='?(?:mse|mae)/ })),
  docs: {
    whatItDoes: "Replaces `criterion='mse'` / `'mae'` with `'squared_error'` / `'absolute_error'` in tree and forest estimators and their parameter grids.",
    why: "scikit-learn 1.0 renamed the regression criteria and 1.2 removed the old names; `fit` raises `InvalidParameterError: The 'criterion' parameter of RandomForestRegressor must be a str among {...}. Got 'mse' instead.`",
    example: "from sklearn.ensemble import RandomForestRegressor\n\nmodel = RandomForestRegressor(n_estimators=200, criterion='mse')\n",
    useInstead: "from sklearn.ensemble import RandomForestRegressor\n\nmodel = RandomForestRegressor(n_estimators=200, criterion='squared_error')\n",
    knownProblems: "Gradient boosting's removed `criterion='mae'` has no replacement and is reported without a fix.",
    fixSafety: 'Safe: the new names select the same criteria.',
    references: [changelog('1.0', '#sklearn-tree')],
  },
});

export const sklearnGradientBoostingLoss = argumentValueRule({
  code: 'BC055',
  id: 'sklearn-gradient-boosting-loss',
  library: 'scikit-learn',
  keyword: 'loss',
  oldValues: ['ls', 'lad', 'least_squares', 'least_absolute_deviation'],
  replacement: (_context, _call, old) => (old === 'ls' || old === 'least_squares' ? 'squared_error' : 'absolute_error'),
  calls: calleeNamed(/^(?:Hist)?GradientBoostingRegressor$/),
  callDescription: 'GradientBoostingRegressor()',
  paramGrids: true,
  removedIn: '1.2',
  safety: 'safe',
  requires: [{ distribution: 'scikit-learn', version: '1.0' }],
  errorSignatures: INVALID_PARAMETER.map((name) => ({ name, value: /'loss' parameter[\s\S]*Got '(?:ls|lad|least_squares|least_absolute_deviation)'/ })),
  docs: {
    whatItDoes: "Replaces `loss='ls'` / `'lad'` of `GradientBoostingRegressor` (and `'least_squares'` / `'least_absolute_deviation'` of `HistGradientBoostingRegressor`) with `'squared_error'` / `'absolute_error'`.",
    why: "scikit-learn 1.0 renamed the losses and 1.2 removed the old names (`InvalidParameterError: The 'loss' parameter ... Got 'ls' instead.`).",
    example: "from sklearn.ensemble import GradientBoostingRegressor\n\ngbr = GradientBoostingRegressor(loss='ls', n_estimators=300)\n",
    useInstead: "from sklearn.ensemble import GradientBoostingRegressor\n\ngbr = GradientBoostingRegressor(loss='squared_error', n_estimators=300)\n",
    fixSafety: 'Safe: the same losses under their new names.',
    references: [changelog('1.0', '#sklearn-ensemble')],
  },
});

export const sklearnMaxFeaturesAuto = argumentValueRule({
  code: 'BC056',
  id: 'sklearn-max-features-auto',
  library: 'scikit-learn',
  keyword: 'max_features',
  oldValues: ['auto'],
  replacement(_context, call) {
    const name = call ? calleeLastName(call) ?? '' : '';
    if (!TREE_ESTIMATOR.test(name)) return null;
    // 'auto' meant sqrt(n_features) for classifiers and all features for regressors.
    return name.endsWith('Classifier') ? 'sqrt' : { expression: '1.0' };
  },
  calls: (_context, call) => TREE_ESTIMATOR.test(calleeLastName(call) ?? '') || calleeLastName(call) === 'set_params',
  callDescription: 'tree, forest and gradient-boosting estimators',
  paramGrids: true,
  removedIn: '1.3',
  safety: 'safe',
  errorSignatures: INVALID_PARAMETER.map((name) => ({ name, value: /'max_features' parameter[\s\S]*Got 'auto'/ })),
  docs: {
    whatItDoes: "Replaces `max_features='auto'` with what it meant for the estimator: `'sqrt'` for classifiers, `1.0` (all features) for regressors.",
    why: "scikit-learn 1.1 deprecated `max_features='auto'` for trees and forests and 1.3 removed it (`InvalidParameterError: The 'max_features' parameter ... Got 'auto' instead.`). Its meaning depended on the estimator, so the replacement does too.",
    example: "from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor\n\nclf = RandomForestClassifier(max_features='auto')\nreg = RandomForestRegressor(max_features='auto')\n",
    useInstead: "from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor\n\nclf = RandomForestClassifier(max_features='sqrt')\nreg = RandomForestRegressor(max_features=1.0)\n",
    knownProblems: 'A parameter grid is fixed only when it is written inside the search call next to its estimator; elsewhere the estimator is unknown and the value is reported without a fix.',
    fixSafety: 'Safe: the replacement is the value `auto` stood for on that estimator, so the same number of features is drawn.',
    references: [changelog('1.1', '#sklearn-ensemble')],
  },
});

export const sklearnSgdLogLoss = argumentValueRule({
  code: 'BC057',
  id: 'sklearn-log-loss-name',
  library: 'scikit-learn',
  keyword: 'loss',
  oldValues: ['log', 'deviance'],
  replacement(_context, call, old) {
    const name = call ? calleeLastName(call) ?? '' : '';
    if (old === 'log') return 'log_loss';
    // 'deviance' was GradientBoostingClassifier's name for log loss; elsewhere it means other things.
    return name === 'GradientBoostingClassifier' ? 'log_loss' : null;
  },
  calls: calleeNamed(/^(?:SGDClassifier|GradientBoostingClassifier)$/),
  callDescription: 'SGDClassifier() and GradientBoostingClassifier()',
  paramGrids: true,
  removedIn: '1.3',
  safety: 'safe',
  requires: [{ distribution: 'scikit-learn', version: '1.1' }],
  errorSignatures: INVALID_PARAMETER.map((name) => ({ name, value: /'loss' parameter[\s\S]*Got '(?:log|deviance)'/ })),
  docs: {
    whatItDoes: "Replaces `loss='log'` of `SGDClassifier` (and `loss='deviance'` of `GradientBoostingClassifier`) with `loss='log_loss'`.",
    why: "scikit-learn 1.1 renamed the logistic loss to `'log_loss'` and 1.3 removed the old names (`InvalidParameterError: The 'loss' parameter of SGDClassifier ... Got 'log' instead.`).",
    example: "from sklearn.linear_model import SGDClassifier\n\nclf = SGDClassifier(loss='log', alpha=1e-4)\n",
    useInstead: "from sklearn.linear_model import SGDClassifier\n\nclf = SGDClassifier(loss='log_loss', alpha=1e-4)\n",
    fixSafety: 'Safe: the same loss under its new name (scikit-learn ≥ 1.1).',
    references: [changelog('1.1', '#sklearn-linear-model')],
  },
});

const SQUARED_METRICS: Readonly<Record<string, string>> = { mean_squared_error: 'root_mean_squared_error', mean_squared_log_error: 'root_mean_squared_log_error' };

export const sklearnSquaredFalse = defineRule({
  meta: {
    id: 'sklearn-squared-false',
    code: 'BC058',
    kind: 'error-repair',
    description: 'Replace mean_squared_error(..., squared=False) (removed in scikit-learn 1.6) with root_mean_squared_error(...), adding the import.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`{{name}}(squared=False)` was removed in scikit-learn 1.6; use `{{replacement}}`.',
      dropped: '`{{name}}(squared=True)`: `squared` was removed in scikit-learn 1.6 and True was its default.',
      dynamic: '`{{name}}(squared=...)` was removed in scikit-learn 1.6; the value is not a literal, so choose `{{replacement}}` or `{{name}}` by hand.',
    },
    errorSignatures: [{ name: 'TypeError', value: /unexpected keyword argument 'squared'/ }, { name: 'InvalidParameterError', value: /'squared'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `mean_squared_error(y, p, squared=False)` as `root_mean_squared_error(y, p)` (and the log variant), importing the new function next to the old one.',
    why: "scikit-learn 1.4 added `root_mean_squared_error` and deprecated `squared=`; 1.6 removed it (`TypeError: got an unexpected keyword argument 'squared'`).",
    example: 'from sklearn.metrics import mean_squared_error\n\nrmse = mean_squared_error(y_valid, pred, squared=False)\n',
    useInstead: 'from sklearn.metrics import mean_squared_error, root_mean_squared_error\n\nrmse = root_mean_squared_error(y_valid, pred)\n',
    fixSafety: 'Safe: the same value. `squared=True` (the default) is just dropped. Needs scikit-learn ≥ 1.4; the fix declines in an environment pinned below.',
    references: [changelog('1.4', '#sklearn-metrics')],
  },
  requires: [{ distribution: 'scikit-learn', version: '1.4' }],
  mentions: ['squared'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const args = callArguments(call);
      const squared = args?.keywords.get('squared');
      if (!args || !squared) continue;
      const callee = call.childForFieldName('function')!;
      const qualified = qualifiedCallee(context, call);
      const metric = qualified?.startsWith('sklearn.metrics.') ? qualified.slice('sklearn.metrics.'.length) : qualified === null && context.error ? calleeLastName(call) : null;
      const rootName = metric && Object.hasOwn(SQUARED_METRICS, metric) ? SQUARED_METRICS[metric]! : null;
      if (!metric || !rootName) continue;
      const data = { name: metric, replacement: rootName };
      const value = constantText(keywordValue(squared));
      if (value === 'True') {
        sites.push({ node: squared, messageId: 'dropped', data, edits: [context.edits.removeListElement(squared)] });
        continue;
      }
      if (value !== 'False') {
        sites.push({ node: squared, messageId: 'dynamic', data, edits: null });
        continue;
      }
      const edits: CellEdit[] = [context.edits.removeListElement(squared)];
      if (callee.type === 'attribute') {
        edits.push(context.edits.replace(callee.childForFieldName('attribute')!, rootName));
      } else {
        edits.push(context.edits.replace(callee, rootName));
        const binding = context.imports.binding(callee.text);
        const rootBound = context.imports.binding(rootName);
        if (!rootBound || rootBound.qualified !== `sklearn.metrics.${rootName}`) {
          const importEdit = binding && binding.name !== null ? addToFromImport(context, binding, rootName) : context.edits.insertStatementAtTop(`from sklearn.metrics import ${rootName}`);
          if (importEdit) edits.push(importEdit);
        }
      }
      sites.push({ node: call, messageId: 'removed', data, edits });
    }
    return sites;
  },
  fixTitle: 'Replace {{name}}(..., squared=False) with {{replacement}}(...)',
});

export const sklearnBaseEstimator = keywordRenameRule({
  code: 'BC059',
  id: 'sklearn-base-estimator',
  library: 'scikit-learn',
  renames: { base_estimator: 'estimator' },
  calls: calleeNamed(/^(?:Bagging(?:Classifier|Regressor)|AdaBoost(?:Classifier|Regressor)|CalibratedClassifierCV)$/),
  callDescription: 'Bagging*, AdaBoost* and CalibratedClassifierCV',
  removedIn: '1.4',
  safety: 'safe',
  requires: [{ distribution: 'scikit-learn', version: '1.2' }],
  docs: {
    whatItDoes: 'Renames `base_estimator=` of the bagging and boosting meta-estimators (and `CalibratedClassifierCV`) to `estimator=`.',
    why: "scikit-learn 1.2 renamed `base_estimator` to `estimator` and 1.4 removed the old name (`TypeError: __init__() got an unexpected keyword argument 'base_estimator'`).",
    example: 'from sklearn.ensemble import AdaBoostClassifier\nfrom sklearn.tree import DecisionTreeClassifier\n\nada = AdaBoostClassifier(base_estimator=DecisionTreeClassifier(max_depth=2))\n',
    useInstead: 'from sklearn.ensemble import AdaBoostClassifier\nfrom sklearn.tree import DecisionTreeClassifier\n\nada = AdaBoostClassifier(estimator=DecisionTreeClassifier(max_depth=2))\n',
    fixSafety: 'Safe: same parameter under its new name (scikit-learn ≥ 1.2).',
    references: [changelog('1.2', '#sklearn-ensemble')],
  },
});

export const sklearnCategoricalFeatures = guidanceRule({
  code: 'BC060',
  id: 'sklearn-onehot-categorical-features',
  description: 'Report OneHotEncoder(categorical_features=...) (removed in scikit-learn 0.22); a ColumnTransformer replaces it by hand.',
  message: '`categorical_features=` was removed in scikit-learn 0.22; wrap the encoder in `ColumnTransformer([("oh", OneHotEncoder(), cols)], remainder="passthrough")` (the output column order changes).',
  errorName: 'TypeError',
  signature: /unexpected keyword argument 'categorical_features'/,
  find: (context) => context.syntax.root.descendantsOfType('keyword_argument').filter((node) => node.childForFieldName('name')?.text === 'categorical_features'),
  mentions: ['categorical_features'],
  docs: {
    whatItDoes: 'Reports `OneHotEncoder(categorical_features=...)`.',
    why: 'scikit-learn 0.20 deprecated `categorical_features` in favour of `ColumnTransformer` and 0.22 removed it.',
    example: 'enc = OneHotEncoder(categorical_features=[0, 3])\nX = enc.fit_transform(X)\n',
    useInstead: 'from sklearn.compose import ColumnTransformer\n\nenc = ColumnTransformer([("oh", OneHotEncoder(), [0, 3])], remainder="passthrough")\nX = enc.fit_transform(X)\n',
    fixSafety: 'Display-only: the ColumnTransformer puts the encoded columns first, so column positions used later in the notebook change.',
    references: [changelog('0.20', '#sklearn-preprocessing')],
  },
});

export const sklearnJaccardSimilarity = guidanceRule({
  code: 'BC061',
  id: 'sklearn-jaccard-similarity-score',
  description: 'Report jaccard_similarity_score (removed in scikit-learn 0.23); jaccard_score averages differently.',
  message: '`{{code}}` was removed in scikit-learn 0.23; `jaccard_score` replaces it but averages differently (choose `average=` to match).',
  errorName: 'ImportError',
  signature: /cannot import name 'jaccard_similarity_score'/,
  find: (context) => context.syntax.root.descendantsOfType(['identifier']).filter((node) => node.text === 'jaccard_similarity_score'),
  mentions: ['jaccard_similarity_score'],
  docs: {
    whatItDoes: 'Reports uses of `jaccard_similarity_score`.',
    why: 'scikit-learn 0.21 deprecated `jaccard_similarity_score` and 0.23 removed it. `jaccard_score` computes the Jaccard index per class with a required averaging choice; the old function computed a sample-wise average for multilabel input and accuracy for multiclass input.',
    example: 'from sklearn.metrics import jaccard_similarity_score\n\ns = jaccard_similarity_score(y_true, y_pred)\n',
    useInstead: 'from sklearn.metrics import jaccard_score\n\ns = jaccard_score(y_true, y_pred, average="samples")  # multilabel; pick the averaging that matches\n',
    fixSafety: 'Display-only: the score changes unless the right `average` is chosen, which depends on the label format.',
    references: [changelog('0.21', '#sklearn-metrics')],
  },
});

export const sklearnFixTypes: readonly BuiltinFixType[] = [
  sklearnCrossValidation,
  sklearnGridSearch,
  sklearnLearningCurve,
  sklearnImputer,
  sklearnExternalsJoblib,
  sklearnLoadBoston,
  sklearnGetFeatureNames,
  sklearnOneHotSparse,
  sklearnPlotConfusionMatrix,
  sklearnPlotCurves,
  sklearnCriterionNames,
  sklearnGradientBoostingLoss,
  sklearnMaxFeaturesAuto,
  sklearnSgdLogLoss,
  sklearnSquaredFalse,
  sklearnBaseEstimator,
  sklearnCategoricalFeatures,
  sklearnJaccardSimilarity,
];

