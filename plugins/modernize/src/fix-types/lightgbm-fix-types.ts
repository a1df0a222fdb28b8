import type { CellEdit, Failure, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { qualifiedCallee } from './call-predicates.js';
import { importIndexOf } from './import-index.js';
import { callArguments, constantText, keywordValue, lineOf } from './syntax-helpers.js';

const LIGHTGBM_4 = { title: 'LightGBM 4.0.0 release notes (removal of early_stopping_rounds, verbose_eval, evals_result from train/fit)', url: 'https://github.com/microsoft/LightGBM/releases/tag/v4.0.0' };
const LIGHTGBM_PR = { title: 'LightGBM PR #4846: move early stopping and logging to callbacks', url: 'https://github.com/microsoft/LightGBM/pull/4846' };

/** Names assigned a LightGBM scikit-learn estimator (`model = lgb.LGBMRegressor(...)`), notebook-wide. */
const estimatorNames = new WeakMap<Failure, Set<string>>();

function lightgbmEstimators(context: RuleCellContext): Set<string> {
  let names = estimatorNames.get(context.failure);
  if (names) return names;
  names = new Set();
  const imports = importIndexOf(context.failure);
  for (const cell of context.failure.notebook.cells) {
    if (cell.cellType !== 'code' || !cell.source.includes('LGBM')) continue;
    const syntax = context.failure.syntax(cell.index);
    for (const assignment of syntax?.root.descendantsOfType('assignment') ?? []) {
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left?.type !== 'identifier' || right?.type !== 'call') continue;
      const qualified = imports.qualify(right.childForFieldName('function'), { lgb: 'lightgbm' });
      if (qualified?.startsWith('lightgbm.') && /\.LGBM\w+$/.test(qualified)) names.add(left.text);
    }
  }
  estimatorNames.set(context.failure, names);
  return names;
}

/**
 * Whether a call is LightGBM training: `lgb.train`/`lgb.cv`, or `.fit` on a LightGBM estimator.
 * While repairing an error that names LightGBM, a `.fit`/`train` call on the traceback's line
 * (or anywhere in the failing cell when the line is unknown) counts too.
 */
function isLightgbmTraining(context: RuleCellContext, call: PythonSyntaxNode): boolean {
  const qualified = qualifiedCallee(context, call);
  if (qualified === 'lightgbm.train' || qualified === 'lightgbm.cv') return true;
  const callee = call.childForFieldName('function');
  if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'fit') return false;
  const receiver = callee.childForFieldName('object')!;
  if (receiver.type === 'identifier' && lightgbmEstimators(context).has(receiver.text)) return true;
  if (receiver.type === 'call') {
    const estimator = context.imports.qualify(receiver.childForFieldName('function'), { lgb: 'lightgbm' });
    if (estimator?.startsWith('lightgbm.LGBM')) return true;
  }
  const error = context.error;
  if (!error || !/LGBM\w*\.fit\(\)|\btrain\(\)|\bcv\(\)/.test(error.value)) return false;
  return context.errorLine === null || context.errorLine === lineOf(call);
}

/** The notebook's alias for lightgbm, and an import to add when there is none. */
function lightgbmAlias(context: RuleCellContext): { alias: string; importEdit: CellEdit | null } {
  const alias = context.imports.aliasOf('lightgbm');
  if (alias) return { alias, importEdit: null };
  return { alias: 'lgb', importEdit: context.edits.insertStatementAtTop('import lightgbm as lgb') };
}

/**
 * Move keyword arguments into `callbacks=[...]`: the moved keywords are removed and the callbacks
 * argument is added at the end of the argument list — the point every rule that adds an argument
 * inserts at, so that two rules adding `callbacks=` to one call collide there (overlapping edits)
 * and the second waits for the next pass, where it extends the list the first one wrote. An
 * existing `callbacks=[...]` list is extended instead, and a non-literal one concatenated.
 */
function moveToCallbacks(context: RuleCellContext, call: PythonSyntaxNode, moves: { keyword: PythonSyntaxNode; callback: string | null }[]): CellEdit[] {
  const args = callArguments(call)!;
  const callbacks = moves.map((m) => m.callback).filter((c): c is string => c !== null);
  const existing = args.keywords.get('callbacks');
  const edits: CellEdit[] = [];
  if (existing) {
    for (const move of moves) edits.push(context.edits.removeListElement(move.keyword));
    const value = keywordValue(existing)!;
    if (callbacks.length > 0) {
      if (value.type === 'list') for (const callback of callbacks) edits.push(context.edits.appendListElement(value, callback));
      else edits.push(context.edits.insertAfter(value, ` + [${callbacks.join(', ')}]`));
    }
    return edits;
  }
  const moved = new Set(moves.map((m) => m.keyword.startIndex));
  const keeps = args.list.namedChildren.some((child) => child.type !== 'comment' && !moved.has(child.startIndex));
  if (callbacks.length > 0 && !keeps) {
    // Every argument goes: the first becomes the callbacks argument, in place.
    const [first, ...rest] = moves;
    return [context.edits.replace(first!.keyword, `callbacks=[${callbacks.join(', ')}]`), ...rest.map((m) => context.edits.removeListElement(m.keyword))];
  }
  for (const move of moves) edits.push(context.edits.removeListElement(move.keyword));
  if (callbacks.length > 0) edits.push(context.edits.appendArgument(args.list, `callbacks=[${callbacks.join(', ')}]`));
  return edits;
}

export const lightgbmEarlyStopping = defineRule({
  meta: {
    id: 'lightgbm-early-stopping-rounds',
    code: 'BC072',
    kind: 'error-repair',
    description: 'Replace early_stopping_rounds= of lightgbm train()/fit() (removed in LightGBM 4.0) with callbacks=[lgb.early_stopping(n)].',
    fixable: 'sometimes',
    safety: 'safe',
    messages: { removed: '`early_stopping_rounds=` was removed from LightGBM {{call}}() in 4.0; use `callbacks=[{{callback}}]`.' },
    errorSignatures: [{ name: 'TypeError', value: /unexpected keyword argument 'early_stopping_rounds'/ }],
  },
  docs: {
    whatItDoes: 'Moves `early_stopping_rounds=n` of `lgb.train`, `lgb.cv` and LightGBM estimators\' `fit` into an `lgb.early_stopping(n)` callback.',
    why: "LightGBM 3.3 added callbacks for early stopping and logging and 4.0 removed the keyword arguments (`TypeError: LGBMRegressor.fit() got an unexpected keyword argument 'early_stopping_rounds'`).",
    example: "import lightgbm as lgb\n\nmodel = lgb.LGBMRegressor(n_estimators=5000)\nmodel.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], early_stopping_rounds=100)\n",
    useInstead: "import lightgbm as lgb\n\nmodel = lgb.LGBMRegressor(n_estimators=5000)\nmodel.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], callbacks=[lgb.early_stopping(100)])\n",
    knownProblems: 'A `.fit` call is recognized as LightGBM when its receiver was assigned a `LGBM*` estimator in the notebook, or when the error names LightGBM; XGBoost\'s `fit(early_stopping_rounds=)` (moved to the constructor in XGBoost 2.0) is not this rule\'s business.',
    fixSafety: 'Safe: the callback stops training at the same iteration. It logs the best iteration by default, which changes printed output only.',
    references: [LIGHTGBM_4, LIGHTGBM_PR, { title: 'lightgbm.early_stopping', url: 'https://lightgbm.readthedocs.io/en/latest/pythonapi/lightgbm.early_stopping.html' }],
  },
  requires: [{ distribution: 'lightgbm', version: '3.3' }],
  mentions: ['early_stopping_rounds'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const args = callArguments(call);
      const keyword = args?.keywords.get('early_stopping_rounds');
      if (!args || !keyword || !isLightgbmTraining(context, call)) continue;
      const { alias, importEdit } = lightgbmAlias(context);
      const callback = `${alias}.early_stopping(${context.edits.textOf(keywordValue(keyword)!)})`;
      const edits = moveToCallbacks(context, call, [{ keyword, callback }]);
      if (importEdit) edits.push(importEdit);
      const name = call.childForFieldName('function')?.childForFieldName('attribute')?.text ?? call.childForFieldName('function')?.text ?? 'train';
      sites.push({ node: keyword, messageId: 'removed', data: { call: name, callback }, edits });
    }
    return sites;
  },
  fixTitle: 'Move early_stopping_rounds into callbacks=[{{callback}}]',
});

/** The `log_evaluation` period an old `verbose`/`verbose_eval` value meant, null for none, undefined when unknown. */
function logPeriod(value: PythonSyntaxNode | null): string | null | undefined {
  const text = constantText(value);
  if (text === null) return undefined;
  if (text === 'True') return '1';
  if (text === 'False' || text === 'None' || text === '0' || text.startsWith('-')) return null;
  return /^\d+$/.test(text) ? text : undefined;
}

export const lightgbmLoggingArguments = defineRule({
  meta: {
    id: 'lightgbm-logging-arguments',
    code: 'BC073',
    kind: 'error-repair',
    description: 'Replace verbose=/verbose_eval=/evals_result= of lightgbm train()/fit() (removed in LightGBM 4.0) with log_evaluation and record_evaluation callbacks.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`{{keyword}}=` was removed from LightGBM {{call}}() in 4.0; {{advice}}.',
      dynamic: '`{{keyword}}=` was removed from LightGBM {{call}}() in 4.0; its value is not a literal, so add `log_evaluation(period)` by hand.',
    },
    errorSignatures: [{ name: 'TypeError', value: /unexpected keyword argument '(?:verbose|verbose_eval|evals_result)'/ }],
  },
  docs: {
    whatItDoes: 'Moves the logging arguments of `lgb.train`, `lgb.cv` and LightGBM estimators\' `fit` into callbacks: `verbose_eval=n` / `verbose=n` → `lgb.log_evaluation(n)`, `evals_result=d` → `lgb.record_evaluation(d)`.',
    why: "LightGBM 3.3 added the callbacks and 4.0 removed the keyword arguments from `train()`, `cv()` and `fit()` (`TypeError: train() got an unexpected keyword argument 'verbose_eval'`). `verbose` stays valid as a model parameter in the estimator's constructor; only `fit(verbose=)` is affected.",
    example: "import lightgbm as lgb\n\nhistory = {}\nbooster = lgb.train(params, dtrain, 1000, valid_sets=[dvalid], verbose_eval=100, evals_result=history)\n",
    useInstead: "import lightgbm as lgb\n\nhistory = {}\nbooster = lgb.train(params, dtrain, 1000, valid_sets=[dvalid], callbacks=[lgb.log_evaluation(100), lgb.record_evaluation(history)])\n",
    fixSafety: 'Safe: training is unchanged and the same metrics are printed and recorded. `False`/`0` meant no logging and is just dropped; values that are not literals are reported without a fix.',
    references: [LIGHTGBM_4, LIGHTGBM_PR, { title: 'lightgbm.log_evaluation', url: 'https://lightgbm.readthedocs.io/en/latest/pythonapi/lightgbm.log_evaluation.html' }],
  },
  requires: [{ distribution: 'lightgbm', version: '3.3' }],
  mentions: ['verbose', 'evals_result'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const args = callArguments(call);
      const found = ['verbose', 'verbose_eval', 'evals_result'].map((name) => [name, args?.keywords.get(name)] as const).filter(([, node]) => node !== undefined) as [string, PythonSyntaxNode][];
      if (!args || found.length === 0 || !isLightgbmTraining(context, call)) continue;
      const name = call.childForFieldName('function')?.childForFieldName('attribute')?.text ?? call.childForFieldName('function')?.text ?? 'train';
      const { alias, importEdit } = lightgbmAlias(context);
      const moves: { keyword: PythonSyntaxNode; callback: string | null }[] = [];
      const reports: RuleSite[] = [];
      let dynamic = false;
      for (const [keywordName, keyword] of found) {
        const value = keywordValue(keyword);
        let callback: string | null;
        if (keywordName === 'evals_result') {
          callback = `${alias}.record_evaluation(${context.edits.textOf(value!)})`;
        } else {
          const period = logPeriod(value);
          if (period === undefined) {
            dynamic = true;
            reports.push({ node: keyword, messageId: 'dynamic', data: { keyword: keywordName, call: name }, edits: null });
            continue;
          }
          callback = period === null ? null : `${alias}.log_evaluation(${period})`;
        }
        moves.push({ keyword, callback });
        reports.push({ node: keyword, messageId: 'removed', data: { keyword: keywordName, call: name, advice: callback ? `use \`callbacks=[${callback}]\`` : 'it meant no logging, which is the default now' }, edits: [] });
      }
      // One call's keywords are fixed together (they share the callbacks list) or not at all.
      const edits = dynamic || moves.length === 0 ? null : moveToCallbacks(context, call, moves);
      if (edits && importEdit && moves.some((m) => m.callback !== null)) edits.push(importEdit);
      reports.forEach((report, index) => sites.push({ ...report, edits: report.edits === null || edits === null ? null : index === 0 ? edits : [] }));
    }
    return sites;
  },
  fixTitle: 'Move LightGBM logging arguments into callbacks',
});

export const lightgbmFixTypes: readonly BuiltinFixType[] = [lightgbmEarlyStopping, lightgbmLoggingArguments];
