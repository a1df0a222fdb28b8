import { describe, it } from 'vitest';
import { FixTypeTester } from '../fix-type-tester.js';
import { lightgbmEarlyStopping, lightgbmLoggingArguments } from './lightgbm-fix-types.js';

FixTypeTester.describe = describe;
FixTypeTester.it = it;

const MODEL = 'import lightgbm as lgb\nmodel = lgb.LGBMRegressor(n_estimators=5000, verbose=-1)\n';

FixTypeTester.run('lightgbm-early-stopping-rounds', lightgbmEarlyStopping, {
  valid: [
    `${MODEL}model.fit(X, y, callbacks=[lgb.early_stopping(100)])`,
    { name: 'xgboost is not ours', cells: 'import xgboost as xgb\nm = xgb.XGBRegressor()\nm.fit(X, y, early_stopping_rounds=10)' },
  ],
  invalid: [
    {
      cells: `${MODEL}model.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], early_stopping_rounds=100)`,
      failure: { error: "TypeError: LGBMRegressor.fit() got an unexpected keyword argument 'early_stopping_rounds'" },
      matches: [{ messageId: 'removed', data: { call: 'fit', callback: 'lgb.early_stopping(100)' }, line: 3 }],
      output: `${MODEL}model.fit(X_tr, y_tr, eval_set=[(X_va, y_va)], callbacks=[lgb.early_stopping(100)])`,
      safety: 'safe',
    },
    {
      name: 'train() with an existing callbacks list',
      cells: 'import lightgbm as lgb\nbst = lgb.train(params, dtrain, 1000, valid_sets=[dval], early_stopping_rounds=50, callbacks=[lgb.log_evaluation(100)])',
      matches: [{ messageId: 'removed', data: { call: 'train', callback: 'lgb.early_stopping(50)' } }],
      output: 'import lightgbm as lgb\nbst = lgb.train(params, dtrain, 1000, valid_sets=[dval], callbacks=[lgb.log_evaluation(100), lgb.early_stopping(50)])',
    },
    {
      name: 'estimator imported by name: lightgbm is imported for the callback',
      cells: 'from lightgbm import LGBMClassifier\nclf = LGBMClassifier()\nclf.fit(X, y, eval_set=[(Xv, yv)], early_stopping_rounds=rounds)',
      matches: [{ messageId: 'removed', data: { call: 'fit', callback: 'lgb.early_stopping(rounds)' } }],
      output: 'import lightgbm as lgb\nfrom lightgbm import LGBMClassifier\nclf = LGBMClassifier()\nclf.fit(X, y, eval_set=[(Xv, yv)], callbacks=[lgb.early_stopping(rounds)])',
    },
    {
      name: 'an unknown receiver on the line the LightGBM error names',
      cells: ['import lightgbm as lgb', 'm = make_model()\nm.fit(X, y, early_stopping_rounds=20)'],
      failure: { error: { name: 'TypeError', value: "LGBMClassifier.fit() got an unexpected keyword argument 'early_stopping_rounds'", traceback: ['Cell In[4], line 2\n----> 2 m.fit(X, y, early_stopping_rounds=20)'] }, cellIndex: 1 },
      matches: [{ messageId: 'removed', cellIndex: 1, line: 2 }],
      output: ['import lightgbm as lgb', 'm = make_model()\nm.fit(X, y, callbacks=[lgb.early_stopping(20)])'],
    },
  ],
});

FixTypeTester.run('lightgbm-logging-arguments', lightgbmLoggingArguments, {
  valid: [MODEL, 'import lightgbm as lgb\nbst = lgb.train(params, d, callbacks=[lgb.log_evaluation(10)])', 'import xgboost as xgb\nm = xgb.XGBClassifier()\nm.fit(X, y, verbose=False)'],
  invalid: [
    {
      cells: 'import lightgbm as lgb\nhistory = {}\nbooster = lgb.train(params, dtrain, 1000, valid_sets=[dvalid], verbose_eval=100, evals_result=history)',
      failure: { error: "TypeError: train() got an unexpected keyword argument 'verbose_eval'" },
      matches: [
        { messageId: 'removed', data: { keyword: 'verbose_eval', call: 'train', advice: 'use `callbacks=[lgb.log_evaluation(100)]`' } },
        { messageId: 'removed', data: { keyword: 'evals_result', call: 'train', advice: 'use `callbacks=[lgb.record_evaluation(history)]`' } },
      ],
      output: 'import lightgbm as lgb\nhistory = {}\nbooster = lgb.train(params, dtrain, 1000, valid_sets=[dvalid], callbacks=[lgb.log_evaluation(100), lgb.record_evaluation(history)])',
    },
    {
      name: 'verbose=False on fit meant no logging: dropped; the constructor keeps its verbose',
      cells: `${MODEL}model.fit(X, y, eval_set=[(Xv, yv)], verbose=False)`,
      matches: [{ messageId: 'removed', data: { keyword: 'verbose', call: 'fit', advice: 'it meant no logging, which is the default now' } }],
      output: `${MODEL}model.fit(X, y, eval_set=[(Xv, yv)])`,
    },
    {
      name: 'verbose=True and an existing callbacks list',
      cells: `${MODEL}model.fit(X, y, verbose=True, callbacks=[lgb.early_stopping(10)])`,
      matches: [{ messageId: 'removed' }],
      output: `${MODEL}model.fit(X, y, callbacks=[lgb.early_stopping(10), lgb.log_evaluation(1)])`,
    },
    { name: 'a computed value: reported only', cells: `${MODEL}model.fit(X, y, verbose=period)`, matches: [{ messageId: 'dynamic' }] },
  ],
});
