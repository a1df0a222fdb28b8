import type { FixSafety, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { escapeRegExp, missingName } from './error-values.js';
import type { VersionRequirement } from './environment-pins.js';
import { isBindingName, parenthesizeFor } from './syntax-helpers.js';

/**
 * How a removed numpy name is replaced:
 * `builtin` — the whole `np.x` becomes a builtin (`np.float` → `float`);
 * `member` — only the attribute is renamed (`np.float_` → `np.float64`);
 * `negated-member` — `np.NINF` → `-np.inf`.
 */
type Replacement = { kind: 'builtin'; to: string } | { kind: 'member'; to: string } | { kind: 'negated-member'; to: string };

interface NumpyAliasRow {
  code: string;
  id: string;
  names: Readonly<Record<string, Replacement>>;
  deprecatedIn: string | null;
  /** null: deprecated, still present (a DeprecationWarning); fixed proactively. */
  removedIn: string | null;
  safety: Exclude<FixSafety, 'display-only'>;
  requires?: VersionRequirement[];
  why: string;
  example: string;
  useInstead: string;
  fixSafety: string;
  references: { title: string; url: string }[];
}

const NUMPY_120_NOTES = { title: 'NumPy 1.20 release notes: using the aliases of builtin types like np.int is deprecated', url: 'https://numpy.org/doc/stable/release/1.20.0-notes.html#using-the-aliases-of-builtin-types-like-np-int-is-deprecated' };
const NUMPY_124_NOTES = { title: 'NumPy 1.24 release notes: expired deprecations', url: 'https://numpy.org/doc/stable/release/1.24.0-notes.html#expired-deprecations' };
const NUMPY_2_MIGRATION = { title: 'NumPy 2.0 migration guide: main namespace', url: 'https://numpy.org/doc/stable/numpy_2_0_migration_guide.html#main-namespace' };
const RUFF_NPY001 = { title: 'ruff NPY001 numpy-deprecated-type-alias', url: 'https://docs.astral.sh/ruff/rules/numpy-deprecated-type-alias/' };
const RUFF_NPY201 = { title: 'ruff NPY201 numpy2-deprecation', url: 'https://docs.astral.sh/ruff/rules/numpy2-deprecation/' };

const BUILTIN_SAFETY = 'Safe: `np.{old}` was the builtin itself (`np.{old} is {new}` held until its removal), so the program means the same. It would not be if the notebook rebinds the builtin name, which the rule does not check.';

function builtinRow(code: string, id: string, old: string, to: string, extra: Partial<NumpyAliasRow> = {}): NumpyAliasRow {
  return {
    code,
    id,
    names: { [old]: { kind: 'builtin', to } },
    deprecatedIn: '1.20',
    removedIn: '1.24',
    safety: 'safe',
    why: `\`np.${old}\` was an alias of the builtin \`${to}\`, kept for backwards compatibility. NumPy 1.20 deprecated it and NumPy 1.24 removed it, so old notebooks now stop with an AttributeError.`,
    example: `import numpy as np\n\nx = np.array([1, 2, 3], dtype=np.${old})\n`,
    useInstead: `import numpy as np\n\nx = np.array([1, 2, 3], dtype=${to})\n`,
    fixSafety: BUILTIN_SAFETY.replaceAll('{old}', old).replaceAll('{new}', to),
    references: [NUMPY_120_NOTES, NUMPY_124_NOTES, RUFF_NPY001],
    ...extra,
  };
}

function memberRow(code: string, id: string, names: Record<string, string>, extra: Partial<NumpyAliasRow> = {}): NumpyAliasRow {
  const entries = Object.entries(names);
  const [firstOld, firstNew] = entries[0]!;
  const list = entries.map(([old, to]) => `\`np.${old}\` → \`np.${to}\``).join(', ');
  return {
    code,
    id,
    names: Object.fromEntries(entries.map(([old, to]) => [old, { kind: 'member', to } as Replacement])),
    deprecatedIn: null,
    removedIn: '2.0',
    safety: 'safe',
    why: `NumPy 2.0 cleaned up its main namespace and removed redundant aliases (${list}). The replacements exist in NumPy 1.x too, so the fixed code runs on old and new releases alike.`,
    example: `import numpy as np\n\ny = np.${firstOld}(x)\n`,
    useInstead: `import numpy as np\n\ny = np.${firstNew}(x)\n`,
    fixSafety: 'Safe: the old name was an alias of the new one, so the same object is used.',
    references: [NUMPY_2_MIGRATION, RUFF_NPY201],
    ...extra,
  };
}

export const NUMPY_ALIAS_ROWS: readonly NumpyAliasRow[] = [
  builtinRow('BC001', 'numpy-int-alias', 'int', 'int', {
    why: '`np.int` was an alias of the builtin `int` (not of `np.int64`). NumPy 1.20 deprecated it and NumPy 1.24 removed it: `AttributeError: module \'numpy\' has no attribute \'int\'`.',
  }),
  builtinRow('BC002', 'numpy-float-alias', 'float', 'float'),
  builtinRow('BC003', 'numpy-bool-alias', 'bool', 'bool', {
    why: '`np.bool` was an alias of the builtin `bool`. NumPy 1.20 deprecated it and 1.24 removed it; NumPy 2.0 brought the name back as an alias of `np.bool_`, so the error appears on NumPy 1.24–1.26 only. The builtin works on every version.',
  }),
  builtinRow('BC004', 'numpy-object-alias', 'object', 'object'),
  builtinRow('BC005', 'numpy-str-alias', 'str', 'str'),
  builtinRow('BC006', 'numpy-complex-alias', 'complex', 'complex'),
  {
    ...builtinRow('BC007', 'numpy-long-unicode-alias', 'long', 'int'),
    names: { long: { kind: 'builtin', to: 'int' }, unicode: { kind: 'builtin', to: 'str' } },
    why: 'On Python 3, `np.long` was the builtin `int` and `np.unicode` the builtin `str`. NumPy 1.20 deprecated them and 1.24 removed them. (NumPy 2.0 reintroduced `np.long` as the C `long` type, a different meaning.)',
    fixSafety: 'Safe: the aliases were the builtins `int` and `str` themselves on Python 3.',
  },
  memberRow('BC008', 'numpy-float-underscore-alias', { float_: 'float64' }),
  memberRow('BC009', 'numpy-complex-underscore-alias', { complex_: 'complex128' }),
  memberRow('BC010', 'numpy-nan-alias', { NaN: 'nan', NAN: 'nan' }, {
    example: 'import numpy as np\n\ndf = df.replace(-1, np.NaN)\n',
    useInstead: 'import numpy as np\n\ndf = df.replace(-1, np.nan)\n',
  }),
  memberRow('BC011', 'numpy-inf-alias', { Inf: 'inf', Infinity: 'inf', PINF: 'inf', infty: 'inf' }, {
    example: 'import numpy as np\n\nbest = np.Inf\n',
    useInstead: 'import numpy as np\n\nbest = np.inf\n',
  }),
  {
    ...memberRow('BC012', 'numpy-ninf-alias', { NINF: 'inf' }),
    names: { NINF: { kind: 'negated-member', to: 'inf' } },
    why: 'NumPy 2.0 removed `np.NINF`; negative infinity is written `-np.inf`, which works on every NumPy version.',
    example: 'import numpy as np\n\nbest_score = np.NINF\n',
    useInstead: 'import numpy as np\n\nbest_score = -np.inf\n',
    fixSafety: 'Safe: `-np.inf` is the same value. The negation is parenthesized wherever an operator next to it would bind more tightly (`(-np.inf) ** 2`).',
  },
  memberRow('BC013', 'numpy-string-underscore-alias', { string_: 'bytes_' }),
  memberRow('BC014', 'numpy-unicode-underscore-alias', { unicode_: 'str_' }),
  memberRow('BC015', 'numpy-product-alias', { product: 'prod', cumproduct: 'cumprod' }, { deprecatedIn: '1.25' }),
  memberRow('BC016', 'numpy-sometrue-alltrue-alias', { sometrue: 'any', alltrue: 'all' }, {
    deprecatedIn: '1.25',
    fixSafety: 'Safe: `np.sometrue` and `np.alltrue` were `np.any` and `np.all` under older names. The fix uses the NumPy functions, not the builtins `any`/`all`, which treat arrays differently.',
  }),
  memberRow('BC017', 'numpy-round-underscore-alias', { round_: 'round' }, { deprecatedIn: '1.25' }),
  {
    ...memberRow('BC020', 'numpy-in1d', { in1d: 'isin' }),
    deprecatedIn: '2.0',
    removedIn: null,
    safety: 'unsafe',
    why: 'NumPy 2.0 deprecated `np.in1d` in favour of `np.isin` (a DeprecationWarning today; removal planned). Fixing it now spares a later crash.',
    example: 'import numpy as np\n\nmask = np.in1d(ids, test_ids)\n',
    useInstead: 'import numpy as np\n\nmask = np.isin(ids, test_ids)\n',
    fixSafety: 'Unsafe: `np.in1d` flattens its first argument and returns a 1-D mask; `np.isin` keeps the argument\'s shape. They agree on 1-D input, the common case, but the rule cannot see array shapes.',
  },
  {
    ...memberRow('BC021', 'numpy-row-stack', { row_stack: 'vstack' }),
    deprecatedIn: '2.0',
    removedIn: null,
    why: 'NumPy 2.0 deprecated `np.row_stack`, an alias of `np.vstack` (a DeprecationWarning today; removal planned).',
  },
  {
    ...memberRow('BC022', 'numpy-trapz', { trapz: 'trapezoid' }),
    deprecatedIn: '2.0',
    removedIn: null,
    requires: [{ distribution: 'numpy', version: '2.0' }],
    why: 'NumPy 2.0 deprecated `np.trapz` in favour of `np.trapezoid` (a DeprecationWarning today; removal planned).',
    fixSafety: 'Safe: same function under its new name. `np.trapezoid` exists only from NumPy 2.0, so the fix declines in an environment pinned to NumPy 1.x.',
  },
  {
    ...memberRow('BC023', 'numpy-rank', { rank: 'ndim' }),
    deprecatedIn: '1.10',
    removedIn: '1.18',
    why: '`np.rank(a)` returned the number of dimensions of `a` (not a matrix rank). It was deprecated in NumPy 1.10 and removed around 1.18 (version uncertain); `np.ndim` is the same function.',
    example: 'import numpy as np\n\nif np.rank(x) == 1:\n    x = x[:, None]\n',
    useInstead: 'import numpy as np\n\nif np.ndim(x) == 1:\n    x = x[:, None]\n',
  },
];

function displayName(alias: string, name: string): string {
  return `${alias}.${name}`;
}

function replacementText(alias: string, replacement: Replacement): string {
  if (replacement.kind === 'builtin') return replacement.to;
  if (replacement.kind === 'member') return `${alias}.${replacement.to}`;
  return `-${alias}.${replacement.to}`;
}

/** `alias.name` attribute nodes for the row's names, skipping assignments to them (`np.float = float` shims). */
function aliasSites(context: RuleCellContext, row: NumpyAliasRow): RuleSite[] {
  const aliases = context.imports.aliasesOf('numpy', 'np');
  const sites: RuleSite[] = [];
  for (const node of context.syntax.root.descendantsOfType('attribute')) {
    const object = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute');
    if (!object || !attribute || object.type !== 'identifier' || !aliases.includes(object.text)) continue;
    const replacement = row.names[attribute.text];
    if (!replacement || !Object.hasOwn(row.names, attribute.text) || isBindingName(node)) continue;
    const alias = object.text;
    const edits = [replacementEdit(context, node, attribute, alias, replacement)];
    sites.push({
      node,
      messageId: row.removedIn ? 'removed' : 'deprecated',
      data: { name: displayName(alias, attribute.text), replacement: replacementText(alias, replacement), version: row.removedIn ?? row.deprecatedIn ?? '' },
      edits,
    });
  }
  return sites;
}

function replacementEdit(context: RuleCellContext, node: PythonSyntaxNode, attribute: PythonSyntaxNode, alias: string, replacement: Replacement) {
  switch (replacement.kind) {
    case 'builtin':
      return context.edits.replace(node, replacement.to);
    case 'member':
      return context.edits.replace(attribute, replacement.to);
    case 'negated-member':
      return context.edits.replace(node, parenthesizeFor(node, `-${alias}.${replacement.to}`, ['comparison_operator', 'boolean_operator', 'not_operator']));
  }
}

function numpyAliasRule(row: NumpyAliasRow): BuiltinFixType {
  const names = Object.keys(row.names);
  const pattern = names.map(escapeRegExp).join('|');
  return defineRule({
    meta: {
      id: row.id,
      code: row.code,
      kind: 'error-repair',
      description: `Replace ${names.map((n) => `np.${n}`).join(', ')} (${row.removedIn ? `removed in NumPy ${row.removedIn}` : `deprecated in NumPy ${row.deprecatedIn}`}) with ${[...new Set(names.map((n) => replacementText('np', row.names[n]!)))].join(', ')}.`,
      fixable: 'always',
      safety: row.safety,
      messages: {
        removed: '`{{name}}` was removed in NumPy {{version}}; use `{{replacement}}`.',
        deprecated: '`{{name}}` is deprecated since NumPy {{version}}; use `{{replacement}}`.',
      },
      errorSignatures: [{ name: 'AttributeError', value: new RegExp(`module 'numpy' has no attribute '(?:${pattern})'|\`np\\.(?:${pattern})\` was removed`) }],
    },
    docs: {
      whatItDoes: `Finds uses of ${names.map((n) => `\`np.${n}\``).join(', ')} and replaces ${names.length > 1 ? 'them' : 'it'} with ${[...new Set(names.map((n) => `\`${replacementText('np', row.names[n]!)}\``))].join(', ')}.`,
      why: row.why,
      example: row.example,
      useInstead: row.useInstead,
      fixSafety: row.fixSafety,
      references: row.references,
    },
    requires: row.requires ?? [],
    acceptsError: (error) => {
      const missing = missingName(error.value);
      return missing !== null && (missing.owner === 'numpy' || missing.owner === 'np') && names.includes(missing.name);
    },
    mentions: names,
    findSites: (context) => aliasSites(context, row),
    fixTitle: `Replace {{name}} with {{replacement}}`,
  });
}

/** BC018: `np.asscalar(a)` → `a.item()`. */
export const numpyAsscalar = defineRule({
  meta: {
    id: 'numpy-asscalar',
    code: 'BC018',
    kind: 'error-repair',
    description: 'Replace np.asscalar(a) (removed in NumPy 1.23) with a.item().',
    fixable: 'sometimes',
    safety: 'safe',
    messages: { removed: '`{{name}}` was removed in NumPy 1.23; use `{{replacement}}`.' },
    errorSignatures: [{ name: 'AttributeError', value: /module 'numpy' has no attribute 'asscalar'/ }],
  },
  docs: {
    whatItDoes: 'Finds calls to `np.asscalar(a)` and rewrites them as `a.item()`.',
    why: '`np.asscalar` was deprecated in NumPy 1.16 and removed in 1.23 (versions uncertain); it only ever called `a.item()`.',
    example: 'import numpy as np\n\nbest = np.asscalar(scores.max())\n',
    useInstead: 'import numpy as np\n\nbest = scores.max().item()\n',
    fixSafety: 'Safe: `np.asscalar(a)` was implemented as `a.item()`. The fix declines for calls with other than one positional argument.',
    references: [{ title: 'NumPy 1.16 release notes: np.asscalar deprecated', url: 'https://numpy.org/doc/stable/release/1.16.0-notes.html#new-deprecations' }],
  },
  mentions: ['asscalar'],
  findSites(context) {
    const aliases = context.imports.aliasesOf('numpy', 'np');
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      const object = callee?.childForFieldName('object');
      if (callee?.type !== 'attribute' || object?.type !== 'identifier' || !aliases.includes(object.text) || callee.childForFieldName('attribute')?.text !== 'asscalar') continue;
      const args = call.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
      const argument = args.length === 1 && args[0]!.type !== 'keyword_argument' && !args[0]!.type.endsWith('splat') ? args[0]! : null;
      const primary = argument && ['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression', 'list', 'tuple'].includes(argument.type);
      const receiver = argument ? (primary ? context.edits.textOf(argument) : `(${context.edits.textOf(argument)})`) : null;
      sites.push({
        node: call,
        messageId: 'removed',
        data: { name: `${object.text}.asscalar`, replacement: receiver ? `${receiver}.item()` : 'a.item()' },
        edits: receiver ? [context.edits.replace(call, `${receiver}.item()`)] : null,
      });
    }
    return sites;
  },
  fixTitle: 'Replace {{name}}(...) with {{replacement}}',
});

/** BC019: `np.find_common_type` — guidance only. */
export const numpyFindCommonType = defineRule({
  meta: {
    id: 'numpy-find-common-type',
    code: 'BC019',
    kind: 'error-repair',
    description: 'Report np.find_common_type (removed in NumPy 2.0); np.result_type or np.promote_types replace it by hand.',
    fixable: 'none',
    safety: 'display-only',
    messages: { removed: '`{{name}}` was removed in NumPy 2.0; use `np.result_type(*array_types, *scalar_types)` or `np.promote_types`, checking scalar handling.' },
    errorSignatures: [{ name: 'AttributeError', value: /module 'numpy' has no attribute 'find_common_type'/ }],
  },
  docs: {
    whatItDoes: 'Reports calls to `np.find_common_type`, which has no one-to-one replacement.',
    why: 'NumPy 1.25 deprecated `np.find_common_type(array_types, scalar_types)` and NumPy 2.0 removed it. `np.result_type` and `np.promote_types` replace it, but scalar types promote differently (value-based casting is gone), so the rewrite depends on what the arguments are.',
    example: 'import numpy as np\n\nt = np.find_common_type([a.dtype, b.dtype], [])\n',
    useInstead: 'import numpy as np\n\nt = np.result_type(a.dtype, b.dtype)\n',
    fixSafety: 'Display-only: the rule reports the call with guidance and never edits it.',
    references: [{ title: 'NumPy 1.25 release notes: np.find_common_type deprecated', url: 'https://numpy.org/doc/stable/release/1.25.0-notes.html#deprecations' }],
  },
  mentions: ['find_common_type'],
  findSites(context) {
    const aliases = context.imports.aliasesOf('numpy', 'np');
    return context.syntax.root.descendantsOfType('attribute')
      .filter((node) => node.childForFieldName('object')?.type === 'identifier' && aliases.includes(node.childForFieldName('object')!.text) && node.childForFieldName('attribute')?.text === 'find_common_type')
      .map((node) => ({ node, messageId: 'removed', data: { name: node.text }, edits: null }));
  },
  fixTitle: '',
});

export const numpyAliasFixTypes: readonly BuiltinFixType[] = NUMPY_ALIAS_ROWS.map(numpyAliasRule);
