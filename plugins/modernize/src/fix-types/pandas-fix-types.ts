import type { PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { calleeLastName, calleeNamed } from './call-predicates.js';
import { dataframeAppend } from './dataframe-append.js';
import { guidanceRule } from './guidance-rule.js';
import { keywordRenameRule } from './keyword-rename-rule.js';
import { methodRenameRule } from './method-rename-rule.js';
import { methodAttributes, moduleMembers } from './module-members.js';
import { acceptsReceiver } from './receiver-policy.js';
import { callArguments, callOf, constantText, isBindingName, keywordValue, stringLiteral } from './syntax-helpers.js';

const whatsnew = (version: string, anchor = '') => ({ title: `pandas ${version} release notes`, url: `https://pandas.pydata.org/docs/whatsnew/v${version}.html${anchor}` });

/** Attribute nodes `<pandas alias>.<name>`, e.g. `pd.Int64Index`. */
function pandasMembers(context: RuleCellContext, names: readonly string[]): PythonSyntaxNode[] {
  return moduleMembers(context, 'pandas', 'pd', names);
}

/** Primary-expression text for a receiver that is put in front of `.method()`. */
function asReceiver(node: PythonSyntaxNode, text: string): string {
  return ['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression', 'string', 'list', 'dictionary'].includes(node.type) ? text : `(${text})`;
}

/** Receivers that can be written twice without evaluating anything twice (`df`, `df.a`, `df['a']`). */
function isPureReceiver(node: PythonSyntaxNode): boolean {
  if (node.type === 'identifier') return true;
  if (node.type === 'attribute') return isPureReceiver(node.childForFieldName('object')!);
  if (node.type === 'subscript') {
    const index = node.childForFieldName('subscript');
    return isPureReceiver(node.childForFieldName('value')!) && index !== null && ['string', 'integer', 'identifier'].includes(index.type);
  }
  return false;
}

export const pandasIteritems = methodRenameRule({
  code: 'BC025',
  id: 'pandas-iteritems',
  library: 'pandas',
  renames: { iteritems: 'items' },
  form: 'call',
  receiver: 'pandas',
  owners: ['DataFrame', 'Series'],
  removedIn: '2.0',
  safety: 'safe',
  docs: {
    whatItDoes: 'Renames `.iteritems()` on pandas DataFrames and Series to `.items()`.',
    why: '`DataFrame.iteritems` and `Series.iteritems` were deprecated in pandas 1.5 and removed in 2.0 (`AttributeError: \'DataFrame\' object has no attribute \'iteritems\'`). `.items()` has always existed and does the same.',
    example: "import pandas as pd\n\ndf = pd.read_csv('train.csv')\nfor name, column in df.iteritems():\n    print(name, column.dtype)\n",
    useInstead: "import pandas as pd\n\ndf = pd.read_csv('train.csv')\nfor name, column in df.items():\n    print(name, column.dtype)\n",
    knownProblems: 'A plain `dict.iteritems()` (Python 2) is BC079\'s business; this rule fixes only receivers inferred to be pandas, or the line a pandas error points at.',
    fixSafety: 'Safe: `.items()` is the same iterator of (label, content) pairs.',
    references: [whatsnew('1.5.0', '#other-deprecations'), { title: 'pandas.DataFrame.items', url: 'https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.items.html' }],
  },
});

export const pandasAsMatrix = defineRule({
  meta: {
    id: 'pandas-as-matrix',
    code: 'BC028',
    kind: 'error-repair',
    description: 'Replace .as_matrix() (removed in pandas 1.0) with .to_numpy(), moving a columns argument into a selection.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: { removed: '`.as_matrix()` was removed in pandas 1.0; use `{{replacement}}`.' },
    errorSignatures: [{ name: 'AttributeError', value: /'(?:DataFrame|Series)' object has no attribute 'as_matrix'/ }],
  },
  docs: {
    whatItDoes: 'Finds `.as_matrix()` calls and rewrites them as `.to_numpy()`; `as_matrix(columns=cols)` becomes `[cols].to_numpy()`.',
    why: '`DataFrame.as_matrix` was deprecated in pandas 0.23 and removed in 1.0 (versions uncertain). `.to_numpy()` (pandas ≥ 0.24) returns the same array.',
    example: "X = train.as_matrix()\ny = train.as_matrix(columns=['target'])\n",
    useInstead: "X = train.to_numpy()\ny = train[['target']].to_numpy()\n",
    fixSafety: 'Safe: `.to_numpy()` returns the same NumPy array `as_matrix` did (both give a common dtype for mixed columns). Calls with arguments other than `columns` are reported without a fix.',
    references: [whatsnew('0.23.0', '#deprecations'), { title: 'pandas.DataFrame.to_numpy', url: 'https://pandas.pydata.org/docs/reference/api/pandas.DataFrame.to_numpy.html' }],
  },
  requires: [{ distribution: 'pandas', version: '0.24' }],
  mentions: ['as_matrix'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'as_matrix') continue;
      const receiver = callee.childForFieldName('object')!;
      if (!acceptsReceiver(context, receiver, call, 'any')) continue;
      const args = callArguments(call);
      const columns = args && !args.hasSplat && args.positional.length + args.keywords.size <= 1 ? (args.positional[0] ?? keywordValue(args.keywords.get('columns'))) : undefined;
      const hasOtherKeyword = args ? [...args.keywords.keys()].some((k) => k !== 'columns') : true;
      if (columns === undefined || hasOtherKeyword) {
        sites.push({ node: call, messageId: 'removed', data: { replacement: '.to_numpy()' }, edits: null });
        continue;
      }
      const receiverText = context.edits.textOf(receiver);
      const text = columns ? `${asReceiver(receiver, receiverText)}[${context.edits.textOf(columns)}].to_numpy()` : `${receiverText}.to_numpy()`;
      const edits = columns ? [context.edits.replace(call, text)] : [context.edits.replaceSpan(callee.childForFieldName('attribute')!, call, 'to_numpy()')];
      sites.push({ node: call, messageId: 'removed', data: { replacement: columns ? `[${context.edits.textOf(columns)}].to_numpy()` : '.to_numpy()' }, edits });
    }
    return sites;
  },
  fixTitle: 'Replace .as_matrix() with {{replacement}}',
});

const INDEX_DTYPES: Readonly<Record<string, string>> = { Int64Index: 'int64', UInt64Index: 'uint64', Float64Index: 'float64' };

export const pandasNumericIndex = defineRule({
  meta: {
    id: 'pandas-numeric-index',
    code: 'BC031',
    kind: 'error-repair',
    description: 'Replace pd.Int64Index / UInt64Index / Float64Index (removed in pandas 2.0) with pd.Index(..., dtype=...).',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`{{name}}` was removed in pandas 2.0; use `{{pd}}.Index(..., dtype=\'{{dtype}}\')`.',
      typeCheck: '`{{name}}` was removed in pandas 2.0; a type check needs `isinstance(x, {{pd}}.Index)` and a dtype test, written by hand.',
    },
    errorSignatures: [{ name: 'AttributeError', value: /module 'pandas' has no attribute '(?:Int64Index|UInt64Index|Float64Index)'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites calls of `pd.Int64Index`, `pd.UInt64Index` and `pd.Float64Index` as `pd.Index` with the matching dtype; reports other uses.',
    why: 'pandas 1.4 deprecated the numeric index classes and pandas 2.0 removed them; `pd.Index` holds any numeric dtype.',
    example: "import pandas as pd\n\nidx = pd.Int64Index([3, 1, 2])\n",
    useInstead: "import pandas as pd\n\nidx = pd.Index([3, 1, 2], dtype='int64')\n",
    knownProblems: '`isinstance(idx, pd.Int64Index)` and other references that are not calls are reported without a fix.',
    fixSafety: 'Safe: `pd.Index(values, dtype=...)` builds an index of the same values and dtype. When the call already passes `dtype=`, only the class name changes.',
    references: [whatsnew('1.4.0', '#deprecated-int64index-uint64index-float64index')],
  },
  mentions: Object.keys(INDEX_DTYPES),
  findSites(context) {
    return pandasMembers(context, Object.keys(INDEX_DTYPES)).map((node) => {
      const pd = node.childForFieldName('object')!.text;
      const cls = node.childForFieldName('attribute')!;
      const dtype = INDEX_DTYPES[cls.text]!;
      const data = { name: node.text, pd, dtype };
      const call = callOf(node);
      const args = call ? callArguments(call) : null;
      if (!call || !args || args.hasSplat) return { node, messageId: 'typeCheck', data, edits: null };
      const edits = [context.edits.replace(cls, 'Index')];
      if (!args.keywords.has('dtype')) edits.push(context.edits.appendArgument(args.list, `dtype='${dtype}'`));
      return { node, messageId: 'removed', data, edits };
    });
  },
  fixTitle: "Replace {{name}}(...) with {{pd}}.Index(..., dtype='{{dtype}}')",
});

export const pandasJsonNormalizeImport = defineRule({
  meta: {
    id: 'pandas-json-normalize-import',
    code: 'BC032',
    kind: 'error-repair',
    description: 'Import json_normalize from pandas instead of pandas.io.json (removed in pandas 2.0).',
    fixable: 'always',
    safety: 'safe',
    messages: { moved: '`json_normalize` is no longer in `pandas.io.json` (pandas 2.0); import it from `pandas`.' },
    errorSignatures: [{ name: 'ImportError', value: /cannot import name 'json_normalize' from 'pandas\.io\.json'/ }],
  },
  docs: {
    whatItDoes: 'Moves `from pandas.io.json import json_normalize` to `from pandas import json_normalize`, and `pd.io.json.json_normalize` to `pd.json_normalize`.',
    why: '`json_normalize` became top-level in pandas 1.0; the old location was deprecated then and removed in pandas 2.0 (`ImportError: cannot import name \'json_normalize\' from \'pandas.io.json\'`).',
    example: 'from pandas.io.json import json_normalize\n\nflat = json_normalize(records)\n',
    useInstead: 'from pandas import json_normalize\n\nflat = json_normalize(records)\n',
    fixSafety: 'Safe: the same function, imported from where it lives now. Other names imported from `pandas.io.json` stay where they are.',
    references: [whatsnew('1.0.0', '#deprecations')],
  },
  mentions: ['json_normalize'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
      const module = statement.childForFieldName('module_name');
      if (module?.text !== 'pandas.io.json') continue;
      const names = statement.childrenForFieldName('name');
      const target = names.find((n) => (n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text) === 'json_normalize');
      if (!target) continue;
      const edits = names.length === 1
        ? [context.edits.replace(module, 'pandas')]
        : [context.edits.removeListElement(target), context.edits.insertAfter(statement, `\nfrom pandas import ${context.edits.textOf(target)}`)];
      sites.push({ node: statement, messageId: 'moved', edits });
    }
    const aliases = context.imports.aliasesOf('pandas', 'pd');
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      if (node.childForFieldName('attribute')?.text !== 'json_normalize') continue;
      const object = node.childForFieldName('object');
      const inner = object?.type === 'attribute' ? object.childForFieldName('object') : null;
      const innermost = inner?.type === 'attribute' ? inner.childForFieldName('object') : null;
      if (object?.childForFieldName('attribute')?.text !== 'json' || inner?.childForFieldName('attribute')?.text !== 'io' || innermost?.type !== 'identifier' || !aliases.includes(innermost.text)) continue;
      sites.push({ node, messageId: 'moved', edits: [context.edits.replace(node, `${innermost.text}.json_normalize`)] });
    }
    return sites;
  },
  fixTitle: 'Import json_normalize from pandas',
});

export const pandasBadLines = defineRule({
  meta: {
    id: 'pandas-bad-lines',
    code: 'BC033',
    kind: 'error-repair',
    description: "Replace read_csv(error_bad_lines=..., warn_bad_lines=...) (removed in pandas 2.0) with on_bad_lines='error'|'warn'|'skip'.",
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`{{keyword}}=` was removed in pandas 2.0; use `{{replacement}}`.',
      dynamic: '`{{keyword}}=` was removed in pandas 2.0; its value is not a literal, so pick `on_bad_lines=` by hand.',
    },
    errorSignatures: [{ name: 'TypeError', value: /unexpected keyword argument '(?:error_bad_lines|warn_bad_lines)'/ }],
  },
  docs: {
    whatItDoes: "Rewrites `error_bad_lines=` / `warn_bad_lines=` of the pandas readers as the `on_bad_lines=` value with the same behaviour.",
    why: "pandas 1.3 replaced `error_bad_lines` and `warn_bad_lines` by `on_bad_lines` and pandas 2.0 removed them (`TypeError: read_csv() got an unexpected keyword argument 'error_bad_lines'`).",
    example: "import pandas as pd\n\ndf = pd.read_csv('train.csv', error_bad_lines=False, warn_bad_lines=False)\n",
    useInstead: "import pandas as pd\n\ndf = pd.read_csv('train.csv', on_bad_lines='skip')\n",
    fixSafety: "Safe: `error_bad_lines=False` with warnings (the old default) is `'warn'`, without them `'skip'`; `error_bad_lines=True` or absent is `'error'`, the default, so the argument is just dropped. Values that are not literals are reported without a fix.",
    references: [whatsnew('1.3.0', '#deprecations'), { title: 'pandas.read_csv on_bad_lines', url: 'https://pandas.pydata.org/docs/reference/api/pandas.read_csv.html' }],
  },
  requires: [{ distribution: 'pandas', version: '1.3' }],
  mentions: ['bad_lines'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const args = callArguments(call);
      const errorArg = args?.keywords.get('error_bad_lines');
      const warnArg = args?.keywords.get('warn_bad_lines');
      if (!args || (!errorArg && !warnArg)) continue;
      const errorValue = errorArg ? constantText(keywordValue(errorArg)) : 'True';
      const warnValue = warnArg ? constantText(keywordValue(warnArg)) : 'True';
      const first = errorArg ?? warnArg!;
      const keyword = errorArg ? 'error_bad_lines' : 'warn_bad_lines';
      if (errorValue === null || warnValue === null || args.keywords.has('on_bad_lines')) {
        sites.push({ node: first, messageId: 'dynamic', data: { keyword }, edits: null });
        continue;
      }
      const raise = errorValue !== 'False' && errorValue !== '0' && errorValue !== 'None';
      const warn = warnValue !== 'False' && warnValue !== '0';
      const mode = raise ? 'error' : warn ? 'warn' : 'skip';
      const edits = [];
      let replacement = "on_bad_lines='error' (the default: the argument is dropped)";
      if (mode === 'error') {
        for (const arg of [errorArg, warnArg]) if (arg) edits.push(context.edits.removeListElement(arg));
      } else {
        replacement = `on_bad_lines='${mode}'`;
        edits.push(context.edits.replace(errorArg!, replacement));
        if (warnArg) edits.push(context.edits.removeListElement(warnArg));
      }
      sites.push({ node: first, messageId: 'removed', data: { keyword, replacement }, edits });
    }
    return sites;
  },
  fixTitle: 'Replace {{keyword}}= with {{replacement}}',
});

const SQUEEZE_READERS = new Set(['read_csv', 'read_table', 'read_fwf', 'read_excel']);

export const pandasReadSqueeze = defineRule({
  meta: {
    id: 'pandas-read-squeeze',
    code: 'BC034',
    kind: 'error-repair',
    description: "Replace read_csv(squeeze=True) (removed in pandas 2.0) with read_csv(...).squeeze('columns').",
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: "`{{call}}(squeeze=...)` was removed in pandas 2.0; call `.squeeze('columns')` on the result.",
      dynamic: "`{{call}}(squeeze=...)` was removed in pandas 2.0; the value is not a literal, so squeeze by hand.",
    },
    errorSignatures: [{ name: 'TypeError', value: /unexpected keyword argument 'squeeze'/ }],
  },
  docs: {
    whatItDoes: "Removes `squeeze=` from pandas readers, appending `.squeeze('columns')` when it was true.",
    why: "pandas 1.4 deprecated the `squeeze` argument of `read_csv` and friends and pandas 2.0 removed it (`TypeError: read_csv() got an unexpected keyword argument 'squeeze'`).",
    example: "import pandas as pd\n\nlabels = pd.read_csv('labels.csv', usecols=['y'], squeeze=True)\n",
    useInstead: "import pandas as pd\n\nlabels = pd.read_csv('labels.csv', usecols=['y']).squeeze('columns')\n",
    fixSafety: "Safe: `squeeze=True` turned a one-column result into a Series, which `.squeeze('columns')` does; `squeeze=False` was the default and is dropped.",
    references: [whatsnew('1.4.0', '#other-deprecations')],
  },
  mentions: ['squeeze'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const name = calleeLastName(call);
      const args = callArguments(call);
      const squeeze = args?.keywords.get('squeeze');
      if (!name || !SQUEEZE_READERS.has(name) || !squeeze) continue;
      const value = constantText(keywordValue(squeeze));
      if (value === null) {
        sites.push({ node: squeeze, messageId: 'dynamic', data: { call: name }, edits: null });
        continue;
      }
      const edits = [context.edits.removeListElement(squeeze)];
      if (value === 'True' || value === '1') edits.push(context.edits.insertAfter(call, ".squeeze('columns')"));
      sites.push({ node: squeeze, messageId: 'removed', data: { call: name }, edits });
    }
    return sites;
  },
  fixTitle: "Replace {{call}}(squeeze=...) with .squeeze('columns')",
});

export const pandasMad = defineRule({
  meta: {
    id: 'pandas-mad',
    code: 'BC036',
    kind: 'error-repair',
    description: 'Replace .mad() (removed in pandas 2.0) with (x - x.mean()).abs().mean().',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`.mad()` was removed in pandas 2.0; use `{{replacement}}`.',
      manual: '`.mad()` was removed in pandas 2.0; compute `(x - x.mean()).abs().mean()` by hand (arguments the rule cannot carry over).',
    },
    errorSignatures: [{ name: 'AttributeError', value: /'(?:DataFrame|Series|DataFrameGroupBy|SeriesGroupBy)' object has no attribute 'mad'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `.mad()` (mean absolute deviation) as `(x - x.mean()).abs().mean()`.',
    why: '`Series.mad` and `DataFrame.mad` were deprecated in pandas 1.5 and removed in 2.0 (`AttributeError: \'Series\' object has no attribute \'mad\'`).',
    example: "spread = df['price'].mad()\n",
    useInstead: "spread = (df['price'] - df['price'].mean()).abs().mean()\n",
    knownProblems: 'Calls with arguments (`axis=1`, `level=`) and group-by receivers are reported without a fix.',
    fixSafety: 'Safe when the receiver is a name, attribute or simple subscript: the expression is how pandas computed `mad` (NaN skipped by both means). Unsafe when the receiver is a call or other expression, which the rewrite evaluates twice.',
    references: [whatsnew('1.5.0', '#other-deprecations')],
  },
  mentions: ['mad'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'mad') continue;
      const receiver = callee.childForFieldName('object')!;
      if (!acceptsReceiver(context, receiver, call, 'any')) continue;
      const args = callArguments(call);
      const groupBy = receiver.type === 'call' && calleeLastName(receiver) === 'groupby';
      if (!args || args.positional.length > 0 || args.keywords.size > 0 || args.hasSplat || groupBy) {
        sites.push({ node: call, messageId: 'manual', edits: null });
        continue;
      }
      const text = asReceiver(receiver, context.edits.textOf(receiver));
      const replacement = `(${text} - ${text}.mean()).abs().mean()`;
      sites.push({ node: call, messageId: 'removed', data: { replacement }, edits: [context.edits.replace(call, replacement)], safety: isPureReceiver(receiver) ? 'safe' : 'unsafe' });
    }
    return sites;
  },
  fixTitle: 'Replace .mad() with {{replacement}}',
});

export const pandasDtWeek = defineRule({
  meta: {
    id: 'pandas-dt-week',
    code: 'BC037',
    kind: 'error-repair',
    description: 'Replace .dt.week / .dt.weekofyear (removed in pandas 2.0) with .dt.isocalendar().week.',
    fixable: 'always',
    safety: 'unsafe',
    messages: { removed: '`.dt.{{name}}` was removed in pandas 2.0; use `.dt.isocalendar().week`.' },
    errorSignatures: [{ name: 'AttributeError', value: /'DatetimeProperties' object has no attribute '(?:week|weekofyear)'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `.dt.week` and `.dt.weekofyear` as `.dt.isocalendar().week`.',
    why: 'pandas 1.1 deprecated `Series.dt.week` / `weekofyear` and pandas 2.0 removed them (`AttributeError: \'DatetimeProperties\' object has no attribute \'week\'`).',
    example: "df['week'] = df['date'].dt.week\n",
    useInstead: "df['week'] = df['date'].dt.isocalendar().week\n",
    knownProblems: '`DatetimeIndex.week` is not rewritten: `isocalendar()` on an index returns a DataFrame indexed by date.',
    fixSafety: 'Unsafe: the week numbers are the same ISO weeks, but the result is a nullable `UInt32` Series instead of `int64`; code that does integer arithmetic or feeds it to a model may need `.astype(int)`.',
    references: [whatsnew('1.1.0', '#deprecations'), { title: 'pandas.Series.dt.isocalendar', url: 'https://pandas.pydata.org/docs/reference/api/pandas.Series.dt.isocalendar.html' }],
  },
  mentions: ['week'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      const attribute = node.childForFieldName('attribute');
      const object = node.childForFieldName('object');
      if (!attribute || !['week', 'weekofyear'].includes(attribute.text) || object?.type !== 'attribute' || object.childForFieldName('attribute')?.text !== 'dt') continue;
      if (callOf(node) || isBindingName(node)) continue;
      sites.push({ node, messageId: 'removed', data: { name: attribute.text }, edits: [context.edits.replace(attribute, 'isocalendar().week')] });
    }
    return sites;
  },
  fixTitle: 'Replace .dt.{{name}} with .dt.isocalendar().week',
});

export const pandasIsMonotonic = methodRenameRule({
  code: 'BC038',
  id: 'pandas-is-monotonic',
  library: 'pandas',
  renames: { is_monotonic: 'is_monotonic_increasing' },
  form: 'attribute',
  receiver: 'any',
  owners: ['Index', 'Series', 'RangeIndex', 'DatetimeIndex', 'MultiIndex'],
  removedIn: '2.0',
  safety: 'safe',
  docs: {
    whatItDoes: 'Renames the `.is_monotonic` property of pandas Index and Series to `.is_monotonic_increasing`.',
    why: '`is_monotonic` was deprecated in pandas 1.5 and removed in 2.0 (`AttributeError: \'Index\' object has no attribute \'is_monotonic\'`).',
    example: 'assert df.index.is_monotonic\n',
    useInstead: 'assert df.index.is_monotonic_increasing\n',
    fixSafety: 'Safe: `is_monotonic` was an alias of `is_monotonic_increasing`.',
    references: [whatsnew('1.5.0', '#other-deprecations')],
  },
});

export const pandasInfoNullCounts = keywordRenameRule({
  code: 'BC039',
  id: 'pandas-info-null-counts',
  library: 'pandas',
  renames: { null_counts: 'show_counts' },
  calls: calleeNamed(new Set(['info'])),
  callDescription: 'DataFrame.info()',
  removedIn: '2.0',
  safety: 'safe',
  requires: [{ distribution: 'pandas', version: '1.2' }],
  docs: {
    whatItDoes: 'Renames `null_counts=` of `DataFrame.info()` to `show_counts=`.',
    why: "pandas 1.2 renamed `DataFrame.info(null_counts=)` to `show_counts=` and pandas 2.0 removed the old name (`TypeError: DataFrame.info() got an unexpected keyword argument 'null_counts'`).",
    example: 'df.info(null_counts=True)\n',
    useInstead: 'df.info(show_counts=True)\n',
    fixSafety: 'Safe: same argument under its new name (pandas ≥ 1.2; the fix declines in an environment pinned below).',
    references: [whatsnew('1.2.0', '#deprecations')],
  },
});

export const pandasNumpyAlias = defineRule({
  meta: {
    id: 'pandas-numpy-alias',
    code: 'BC040',
    kind: 'error-repair',
    description: 'Replace pd.np (removed in pandas 2.0) with numpy itself, importing it when needed.',
    fixable: 'always',
    safety: 'safe',
    messages: { removed: '`{{name}}` was removed in pandas 2.0; import numpy and use `{{np}}`.' },
    errorSignatures: [{ name: 'AttributeError', value: /module 'pandas' has no attribute 'np'/ }],
  },
  docs: {
    whatItDoes: 'Replaces `pd.np` with the notebook\'s numpy alias, adding `import numpy as np` when numpy is not imported.',
    why: 'pandas re-exported numpy as `pd.np` until 1.0 deprecated it; pandas 2.0 removed it (`AttributeError: module \'pandas\' has no attribute \'np\'`).',
    example: "import pandas as pd\n\ndf['log'] = pd.np.log1p(df['x'])\n",
    useInstead: "import numpy as np\nimport pandas as pd\n\ndf['log'] = np.log1p(df['x'])\n",
    fixSafety: 'Safe: `pd.np` was the numpy module.',
    references: [whatsnew('1.0.0', '#deprecations')],
  },
  mentions: ['.np'],
  findSites(context) {
    const imported = context.imports.aliasOf('numpy');
    const np = imported ?? 'np';
    return pandasMembers(context, ['np']).map((node) => {
      const edits = [context.edits.replace(node, np)];
      if (!imported) edits.push(context.edits.insertStatementAtTop('import numpy as np'));
      return { node, messageId: 'removed', data: { name: node.text, np }, edits };
    });
  },
  fixTitle: 'Replace {{name}} with {{np}}',
});

export const pandasDatetimeAlias = defineRule({
  meta: {
    id: 'pandas-datetime-alias',
    code: 'BC041',
    kind: 'error-repair',
    description: 'Replace pd.datetime (removed in pandas 2.0) with datetime.datetime, importing it when needed.',
    fixable: 'always',
    safety: 'safe',
    messages: { removed: '`{{name}}` was removed in pandas 2.0; use `{{replacement}}` from the standard library.' },
    errorSignatures: [{ name: 'AttributeError', value: /module 'pandas' has no attribute 'datetime'/ }],
  },
  docs: {
    whatItDoes: 'Replaces `pd.datetime` with the standard library\'s `datetime` class, reusing the notebook\'s own import when there is one.',
    why: 'pandas re-exported `datetime.datetime` as `pd.datetime`; pandas 1.0 deprecated it and 2.0 removed it (`AttributeError: module \'pandas\' has no attribute \'datetime\'`).',
    example: "import pandas as pd\n\nstart = pd.datetime(2019, 1, 1)\n",
    useInstead: "from datetime import datetime\nimport pandas as pd\n\nstart = datetime(2019, 1, 1)\n",
    fixSafety: 'Safe: `pd.datetime` was `datetime.datetime`. With `import datetime` in the notebook the fix writes `datetime.datetime`; with `from datetime import datetime` it writes `datetime`; otherwise it adds the latter import.',
    references: [whatsnew('1.0.0', '#deprecations')],
  },
  mentions: ['datetime'],
  findSites(context) {
    const binding = context.imports.binding('datetime');
    const replacement = binding?.qualified === 'datetime' ? 'datetime.datetime' : 'datetime';
    const needsImport = binding === null;
    return pandasMembers(context, ['datetime']).map((node) => {
      const edits = [context.edits.replace(node, replacement)];
      if (needsImport) edits.push(context.edits.insertStatementAtTop('from datetime import datetime'));
      return { node, messageId: 'removed', data: { name: node.text, replacement }, edits };
    });
  },
  fixTitle: 'Replace {{name}} with {{replacement}}',
});

export const pandasApplymap = methodRenameRule({
  code: 'BC042',
  id: 'pandas-applymap',
  library: 'pandas',
  renames: { applymap: 'map' },
  form: 'call',
  receiver: 'any',
  owners: ['DataFrame', 'Styler'],
  removedIn: '3.0',
  deprecatedIn: '2.1',
  safety: 'safe',
  requires: [{ distribution: 'pandas', version: '2.1' }],
  docs: {
    whatItDoes: 'Renames `DataFrame.applymap` (and `Styler.applymap`) to `.map`.',
    why: 'pandas 2.1 renamed `DataFrame.applymap` to `DataFrame.map` and deprecated the old name with a FutureWarning; pandas 3.0 is expected to remove it (unconfirmed).',
    example: "df = df.applymap(lambda v: v.strip() if isinstance(v, str) else v)\n",
    useInstead: "df = df.map(lambda v: v.strip() if isinstance(v, str) else v)\n",
    fixSafety: 'Safe: same element-wise function under its new name. `DataFrame.map` needs pandas ≥ 2.1, so the fix declines in an environment pinned below.',
    references: [whatsnew('2.1.0', '#new-dataframe-map-method-and-support-for-extensionarrays')],
  },
});

const FILL_METHODS: Readonly<Record<string, string>> = { ffill: 'ffill', pad: 'ffill', bfill: 'bfill', backfill: 'bfill' };

export const pandasFillnaMethod = defineRule({
  meta: {
    id: 'pandas-fillna-method',
    code: 'BC043',
    kind: 'error-repair',
    description: "Replace fillna(method='ffill'|'bfill') (deprecated in pandas 2.1) with .ffill() / .bfill().",
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      deprecated: "`fillna(method='{{method}}')` is deprecated since pandas 2.1; use `.{{replacement}}()`.",
      dynamic: '`fillna(method=...)` is deprecated since pandas 2.1; the method is not a literal, so pick `.ffill()` or `.bfill()` by hand.',
    },
    errorSignatures: [{ name: 'TypeError', value: /fillna\(\) got an unexpected keyword argument 'method'/ }],
  },
  docs: {
    whatItDoes: "Rewrites `x.fillna(method='ffill')` as `x.ffill()` (and `'pad'`, `'bfill'`, `'backfill'` likewise), keeping `axis`, `limit` and `inplace`.",
    why: "pandas 2.1 deprecated `fillna(method=...)` with a FutureWarning; pandas 3.0 is expected to remove it (unconfirmed), making it a TypeError.",
    example: "df = df.fillna(method='ffill', limit=2)\n",
    useInstead: 'df = df.ffill(limit=2)\n',
    fixSafety: "Safe: `.ffill()` / `.bfill()` are what `fillna(method=...)` called. Calls that also pass a fill value, or a method that is not a literal, are reported without a fix.",
    references: [whatsnew('2.1.0', '#deprecations')],
  },
  mentions: ['fillna'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'fillna') continue;
      const args = callArguments(call);
      const methodArg = args?.keywords.get('method');
      if (!args || !methodArg) continue;
      const method = stringLiteral(keywordValue(methodArg))?.value;
      const replacement = method !== undefined ? FILL_METHODS[method] : undefined;
      if (!replacement || args.positional.length > 0 || args.keywords.has('value') || args.hasSplat) {
        sites.push({ node: call, messageId: 'dynamic', edits: null });
        continue;
      }
      const edits = [context.edits.replace(callee.childForFieldName('attribute')!, replacement), context.edits.removeListElement(methodArg)];
      sites.push({ node: call, messageId: 'deprecated', data: { method: method!, replacement }, edits });
    }
    return sites;
  },
  fixTitle: "Replace fillna(method='{{method}}') with .{{replacement}}()",
});

export const pandasIx = guidanceRule({
  code: 'BC026',
  id: 'pandas-ix-indexer',
  description: 'Report .ix[] (removed in pandas 1.0); .loc[] or .iloc[] replaces it depending on the index.',
  message: '`{{code}}` was removed in pandas 1.0; use `.loc[]` for labels or `.iloc[]` for positions (which one depends on the index).',
  signature: /'(?:DataFrame|Series)' object has no attribute 'ix'/,
  find: (context) => methodAttributes(context, ['ix'], 'any').filter((node) => node.parent?.type === 'subscript'),
  mentions: ['.ix'],
  docs: {
    whatItDoes: 'Reports `.ix[]` indexing.',
    why: '`.ix` mixed label and position lookup; pandas 0.20 deprecated it and 1.0 removed it. `.loc` takes labels and `.iloc` positions; `.ix` chose between them from the index dtype, so a mechanical rewrite would guess.',
    example: "row = df.ix[0, 'price']\n",
    useInstead: "row = df.loc[0, 'price']  # labels; df.iloc[0, df.columns.get_loc('price')] for positions\n",
    fixSafety: 'Display-only: whether `.loc` keeps the meaning depends on the runtime index (ruff PD007 likewise has no fix).',
    references: [whatsnew('0.20.0', '#deprecate-ix'), { title: 'ruff PD007 pandas-use-of-dot-ix', url: 'https://docs.astral.sh/ruff/rules/pandas-use-of-dot-ix/' }],
  },
});

export const pandasPanel = guidanceRule({
  code: 'BC027',
  id: 'pandas-panel',
  description: 'Report pd.Panel (removed in pandas 0.25); a MultiIndex DataFrame or xarray replaces it by hand.',
  message: '`{{code}}` was removed in pandas 0.25; use a MultiIndex DataFrame or an xarray DataArray.',
  signature: /module 'pandas' has no attribute 'Panel'/,
  find: (context) => pandasMembers(context, ['Panel']),
  mentions: ['Panel'],
  docs: {
    whatItDoes: 'Reports uses of `pd.Panel`.',
    why: 'pandas 0.20 deprecated the 3-D `Panel` and 0.25 removed it. Its data must be reshaped into a MultiIndex DataFrame or moved to xarray; no expression-level rewrite exists.',
    example: 'import pandas as pd\n\npanel = pd.Panel(data)\n',
    useInstead: 'import xarray as xr\n\npanel = xr.DataArray(data)  # or a DataFrame with a MultiIndex\n',
    fixSafety: 'Display-only: the replacement changes the data structure.',
    references: [whatsnew('0.20.0', '#deprecate-panel')],
  },
});

export const pandasGetSetValue = defineRule({
  meta: {
    id: 'pandas-get-set-value',
    code: 'BC029',
    kind: 'error-repair',
    description: 'Replace df.get_value(r, c) / df.set_value(r, c, v) (removed in pandas 1.0) with df.at[r, c].',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`.{{method}}()` was removed in pandas 1.0; use `{{replacement}}`.',
      manual: '`.{{method}}()` was removed in pandas 1.0; use `.at[]` / `.iat[]` by hand.',
    },
    errorSignatures: [{ name: 'AttributeError', value: /'(?:DataFrame|Series)' object has no attribute '(?:get_value|set_value)'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `df.get_value(r, c)` as `df.at[r, c]` and a statement `df.set_value(r, c, v)` as `df.at[r, c] = v`.',
    why: 'pandas 0.21 deprecated `get_value` / `set_value` and 1.0 removed them (versions uncertain). `.at[]` is the fast scalar accessor that replaced them.',
    example: "v = df.get_value(5, 'price')\ndf.set_value(5, 'price', 10.0)\n",
    useInstead: "v = df.at[5, 'price']\ndf.at[5, 'price'] = 10.0\n",
    fixSafety: 'Safe: `.at` reads and writes the same cell. `takeable=True` calls, `set_value` used for its return value, and other argument shapes are reported without a fix.',
    references: [whatsnew('0.21.0', '#deprecations')],
  },
  mentions: ['get_value', 'set_value'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      const method = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : undefined;
      if (method !== 'get_value' && method !== 'set_value') continue;
      const receiver = callee!.childForFieldName('object')!;
      if (!acceptsReceiver(context, receiver, call, 'any')) continue;
      const args = callArguments(call);
      const wanted = method === 'get_value' ? 2 : 3;
      const positional = args && !args.hasSplat && args.keywords.size === 0 && args.positional.length === wanted ? args.positional.map((a) => context.edits.textOf(a)) : null;
      const receiverText = asReceiver(receiver, context.edits.textOf(receiver));
      if (positional && method === 'get_value') {
        const replacement = `${receiverText}.at[${positional[0]}, ${positional[1]}]`;
        sites.push({ node: call, messageId: 'removed', data: { method, replacement }, edits: [context.edits.replace(call, replacement)] });
      } else if (positional && call.parent?.type === 'expression_statement') {
        const replacement = `${receiverText}.at[${positional[0]}, ${positional[1]}] = ${positional[2]}`;
        sites.push({ node: call, messageId: 'removed', data: { method, replacement }, edits: [context.edits.replace(call, replacement)] });
      } else {
        sites.push({ node: call, messageId: 'manual', data: { method }, edits: null });
      }
    }
    return sites;
  },
  fixTitle: 'Replace .{{method}}() with {{replacement}}',
});

export const pandasLookup = guidanceRule({
  code: 'BC030',
  id: 'pandas-lookup',
  description: 'Report DataFrame.lookup (removed in pandas 2.0); index the NumPy array with get_indexer by hand.',
  message: '`{{code}}` was removed in pandas 2.0; use `df.to_numpy()[df.index.get_indexer(rows), df.columns.get_indexer(cols)]`.',
  signature: /'DataFrame' object has no attribute 'lookup'/,
  find: (context) => methodAttributes(context, ['lookup'], 'pandas').filter((node) => callOf(node) !== null),
  mentions: ['lookup'],
  docs: {
    whatItDoes: 'Reports `DataFrame.lookup(rows, cols)` calls.',
    why: 'pandas 1.2 deprecated `DataFrame.lookup` and 2.0 removed it. The documented replacement indexes the NumPy array with `get_indexer`, which behaves differently for missing labels (-1 instead of a KeyError).',
    example: "import pandas as pd\n\ndf = pd.read_csv('scores.csv')\npicked = df.lookup(df.index, df['best_col'])\n",
    useInstead: "import pandas as pd\n\ndf = pd.read_csv('scores.csv')\npicked = df.to_numpy()[df.index.get_indexer(df.index), df.columns.get_indexer(df['best_col'])]\n",
    fixSafety: 'Display-only: missing labels and mixed dtypes make the rewrite differ; it is shown as guidance.',
    references: [whatsnew('1.2.0', '#deprecations')],
  },
});

export const pandasNumericOnly = guidanceRule({
  code: 'BC035',
  id: 'pandas-numeric-only',
  description: 'Report aggregations that relied on pandas dropping non-numeric columns (changed in pandas 2.0).',
  message: '`{{code}}` no longer drops non-numeric columns (pandas 2.0); pass `numeric_only=True` or select numeric columns first.',
  errorName: 'TypeError',
  signature: /could not convert|agg function failed|unsupported operand type|Could not convert/,
  find: (context) => {
    if (context.errorLine === null) return [];
    const aggregations = ['mean', 'median', 'sum', 'std', 'var', 'corr', 'cov', 'quantile', 'prod', 'sem', 'skew', 'kurt'];
    return methodAttributes(context, aggregations, 'any').filter((node) => node.startPosition.row + 1 === context.errorLine && callOf(node) !== null && !callArguments(callOf(node)!)?.keywords.has('numeric_only'));
  },
  mentions: ['mean', 'median', 'sum', 'std', 'var', 'corr', 'cov', 'quantile', 'prod', 'sem', 'skew', 'kurt'],
  errorOnly: true,
  docs: {
    exampleFailure: { error: 'TypeError: agg function failed [how->mean,dtype->object]', line: 1 },
    whatItDoes: 'Reports, on the line an error points at, aggregations such as `df.mean()` or `df.corr()` that no longer skip non-numeric columns.',
    why: 'Before pandas 2.0, DataFrame and group-by aggregations silently dropped columns they could not aggregate; pandas 1.5 deprecated this and 2.0 raises instead (`TypeError: could not convert string to float`, `agg function failed [how->mean,dtype->object]`; wording varies by method and version).',
    example: "means = train.groupby('store').mean()\n",
    useInstead: "means = train.groupby('store').mean(numeric_only=True)\n",
    knownProblems: 'Only error-driven: it needs the traceback line to find the call, and it does not check which columns are non-numeric.',
    fixSafety: 'Display-only: `numeric_only=True` restores the old result only for DataFrame and group-by receivers (on a Series it raises), and the rule cannot tell them apart.',
    references: [whatsnew('2.0.0', '#dataframe-reductions-preserve-extension-dtypes'), whatsnew('1.5.0', '#deprecated-numeric-only-default-and-nuisance-columns')],
  },
});

export const pandasFixTypes: readonly BuiltinFixType[] = [
  dataframeAppend,
  pandasIteritems,
  pandasIx,
  pandasPanel,
  pandasAsMatrix,
  pandasGetSetValue,
  pandasLookup,
  pandasNumericIndex,
  pandasJsonNormalizeImport,
  pandasBadLines,
  pandasReadSqueeze,
  pandasNumericOnly,
  pandasMad,
  pandasDtWeek,
  pandasIsMonotonic,
  pandasInfoNullCounts,
  pandasNumpyAlias,
  pandasDatetimeAlias,
  pandasApplymap,
  pandasFillnaMethod,
];

