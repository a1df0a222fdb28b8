import type { FixEnvironment } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleSite } from './builtin-fix-type.js';
import { calleeLastName, qualifiedCallee } from './call-predicates.js';
import { ERA_DEFAULTS, type EraDefault } from './era-defaults.js';
import { compareVersions, pinnedVersion } from './environment-pins.js';
import { callArguments } from './syntax-helpers.js';

/** `2023-05-22T00:00:00.000Z` → `2023-05-22`; null for anything that is not a date. */
export function dayOf(date: string | null | undefined): string | null {
  const match = date ? /^(\d{4}-\d{2}-\d{2})/.exec(date) : null;
  return match ? match[1]! : null;
}

/**
 * Whether the environment the notebook runs in now has the new default: the library is pinned at
 * or above the change, or not pinned at all (then today's version is assumed, as elsewhere).
 */
function runsNewDefault(environment: FixEnvironment, row: EraDefault): boolean {
  const pinned = row.distributions.map((name) => pinnedVersion(environment, name)).find((version) => version !== null) ?? null;
  return pinned === null || compareVersions(pinned, row.changedIn) >= 0;
}

/** The table as markdown, so that the docs page lists exactly the rows the rule knows. */
function tableMarkdown(): string {
  const rows = ERA_DEFAULTS.map((row) => `| ${row.distributions[0]} | ${Object.keys(row.callables).join(', ')} | \`${row.parameter}\` | \`${row.oldDefault}\` | ${row.newDefault} | ${row.changedIn} (${row.releasedOn}) |`);
  return ['| Library | Callables | Parameter | Old default | New default | Changed in (released) |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

/**
 * DC002: a notebook published before a library changed a default ran with the old one. When its
 * score drifts, pass the old value explicitly (data in `era-defaults.ts`), so today's library
 * computes what the notebook computed then.
 */
export const restoreEraDefault: BuiltinFixType = defineRule({
  meta: {
    id: 'restore-era-default',
    code: 'DC002',
    kind: 'score-calibration',
    description: "Pass a parameter's old default explicitly when the notebook predates the release that changed it (XGBoost 2.0 base_score, scikit-learn n_estimators, gamma, cv, n_init, dual, TSNE).",
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      restore: '{{library}} {{version}} ({{released}}) changed the default of `{{callee}}({{parameter}}=...)` to {{newDefault}}; the notebook ({{date}}) ran with `{{parameter}}={{old}}`.',
    },
  },
  docs: {
    whatItDoes: `Finds calls that rely on a default the library changed after the notebook was published, and passes the old value explicitly. The changes are a table (\`era-defaults.ts\`: library, callables, parameter, old default, version and release day of the change); only changes whose old value today's library still accepts are in it:\n\n${tableMarkdown()}`,
    why: 'A notebook that ran clean then and runs clean now can still compute something else: XGBoost 2.0 estimates `base_score` from the target instead of 0.5, scikit-learn 0.22 grew forests from 10 to 100 trees, switched SVC `gamma` to `\'scale\'` and cross-validation from 3 to 5 folds, 1.2 changed TSNE\'s `init` and `learning_rate`, 1.4 cut KMeans `n_init` from 10 to one run, 1.5 made LinearSVC\'s `dual` `\'auto\'`. The score drifts with no error. The notebook\'s date bounds what it ran with: a release made after that day cannot have been installed.',
    example: "import xgboost as xgb\nmodel = xgb.XGBRegressor(n_estimators=100, learning_rate=0.01)\nmodel.fit(X, y)",
    useInstead: "import xgboost as xgb\nmodel = xgb.XGBRegressor(n_estimators=100, learning_rate=0.01, base_score=0.5)\nmodel.fit(X, y)",
    exampleNotebookDate: '2023-05-22',
    knownProblems: 'Only calls whose callee resolves to the library through the notebook\'s imports are changed; an estimator built from a `**params` dict, or a parameter set later with `set_params`, is left alone. Needs the notebook\'s date (the store\'s `notebooks.date`); without one the rule does not match. Changes that cannot be restored with a parameter are not in the table: AdaBoost\'s `SAMME.R` (removed in scikit-learn 1.6), LinearRegression\'s least-squares cutoff (scikit-learn 1.6 passes `cond` to `scipy.linalg.lstsq`; LinearRegression has no parameter for it), LogisticRegression\'s 0.22 defaults (`multi_class` is gone and `liblinear` refuses multiclass problems today) and XGBoost 2.0\'s `tree_method` (the old `\'auto\'` chose by data size). Those need a rewrite, i.e. the LLM.',
    fixSafety: 'Safe: the fix only makes explicit the value the notebook ran with, so it computes what it computed when it was published. It matches only score-calibration failures and scans (never an error), only when the notebook\'s day is before the release that changed the default and the environment has that release (or does not pin the library).',
    references: [...new Map(ERA_DEFAULTS.map((row) => [row.reference, { title: `${row.module} ${row.changedIn} release notes`, url: row.reference }])).values()],
  },
  mentions: [...new Set(ERA_DEFAULTS.flatMap((row) => Object.keys(row.callables)))],
  findSites(context) {
    const { failure } = context;
    if (failure.kind !== 'wrong-score' && failure.kind !== 'scan') return [];
    const date = dayOf(failure.notebook.date);
    if (date === null) return [];
    const rows = ERA_DEFAULTS.filter((row) => date < row.releasedOn && runsNewDefault(failure.environment, row));
    if (rows.length === 0) return [];
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const name = calleeLastName(call);
      if (name === null) continue;
      const args = callArguments(call);
      if (!args || args.hasSplat) continue;
      const qualified = qualifiedCallee(context, call);
      const missing = rows.filter((row) => {
        if (!(name in row.callables) || qualified === null || !(qualified === row.module || qualified.startsWith(`${row.module}.`))) return false;
        const position = row.callables[name];
        const passedPositionally = position !== null && position !== undefined && args.positional.length > position;
        return !args.keywords.has(row.parameter) && !passedPositionally;
      });
      if (missing.length === 0) continue;
      // One edit per call with every missing parameter, so that two rows never insert at one point.
      const text = missing.map((row) => `${row.parameter}=${row.oldDefault}`).join(', ');
      const edit = context.edits.appendArgument(args.list, text);
      missing.forEach((row, index) => {
        sites.push({
          node: call,
          messageId: 'restore',
          data: { library: row.module, version: row.changedIn, released: row.releasedOn, callee: name, parameter: row.parameter, newDefault: row.newDefault, old: row.oldDefault, date, arguments: text },
          edits: index === 0 ? [edit] : [],
        });
      });
    }
    return sites;
  },
  fixTitle: 'Pass {{arguments}} to {{callee}} (the default before {{library}} {{version}})',
});
