import type { FixSafety, PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { compareVersions, pinnedVersion } from './environment-pins.js';
import { pandasNamesOf } from './pandas-objects.js';
import { callArguments, stringLiteral } from './syntax-helpers.js';

/** DataFrame attributes that are not columns: `df.loc[...] = v` is no chained assignment. */
const FRAME_ATTRIBUTES = new Set(['loc', 'iloc', 'at', 'iat', 'values', 'T', 'index', 'columns', 'dtypes', 'shape', 'size', 'ndim', 'empty', 'attrs', 'flags', 'style', 'plot', 'sparse', 'axes']);

/** Methods whose `inplace=True` on a column selection wrote through to the frame before Copy-on-Write. */
const INPLACE_METHODS = new Set(['fillna', 'replace', 'clip', 'interpolate', 'ffill', 'bfill', 'where', 'mask']);

/** Series methods that return a boolean mask, so `[...]` selects rows by it. */
const MASK_METHODS = new Set(['isna', 'isnull', 'notna', 'notnull', 'isin', 'between', 'duplicated']);

/** A column selected from a frame: `df['a']`, `df[col]` or `df.a`. */
interface ColumnSelection {
  frame: PythonSyntaxNode;
  /** Python source of the column label (`'a'`, `col`). */
  label: string;
  /** How sure we are that it is one column of a DataFrame. */
  safety: Exclude<FixSafety, 'display-only'>;
}

function unwrap(node: PythonSyntaxNode | null): PythonSyntaxNode | null {
  let current = node;
  while (current?.type === 'parenthesized_expression') current = current.namedChildren[0] ?? null;
  return current;
}

/** The single index of a subscript (`a[x]`), or null for `a[x, y]`. */
function singleIndex(subscript: PythonSyntaxNode): PythonSyntaxNode | null {
  const indices = subscript.childrenForFieldName('subscript').filter((child) => child.type !== 'comment');
  return indices.length === 1 ? indices[0]! : null;
}

/** Whether `name` is the target of an enclosing `for name in ['a', 'b']` over string literals. */
function loopsOverLabels(name: PythonSyntaxNode): boolean {
  for (let node = name.parent; node; node = node.parent) {
    if (node.type !== 'for_statement') continue;
    const left = node.childForFieldName('left');
    if (left?.type !== 'identifier' || left.text !== name.text) continue;
    const right = unwrap(node.childForFieldName('right'));
    return (right?.type === 'list' || right?.type === 'tuple') && right.namedChildren.length > 0 && right.namedChildren.every((item) => stringLiteral(item) !== null);
  }
  return false;
}

/**
 * `df['a']` / `df[col]` / `df.a` where `df` is a DataFrame. A literal label (or a loop variable
 * over literal labels) is one column; any other label might be a list of columns, whose selection
 * was a copy even before Copy-on-Write, so the rewrite would start writing where the old code did not.
 */
function columnSelection(context: RuleCellContext, node: PythonSyntaxNode | null): ColumnSelection | null {
  if (!node) return null;
  const names = pandasNamesOf(context.failure);
  if (node.type === 'subscript') {
    const frame = node.childForFieldName('value');
    const index = singleIndex(node);
    if (!frame || !index || index.type === 'slice' || index.type === 'list' || index.type === 'tuple') return null;
    const kind = names.kindOf(frame);
    if (kind !== 'frame' && kind !== 'pandas') return null;
    const literal = index.type === 'string' ? stringLiteral(index) !== null : index.type === 'integer';
    const labelled = literal || (index.type === 'identifier' && loopsOverLabels(index));
    return { frame, label: context.edits.textOf(index), safety: labelled && kind === 'frame' ? 'safe' : 'unsafe' };
  }
  if (node.type === 'attribute') {
    const frame = node.childForFieldName('object');
    const attribute = node.childForFieldName('attribute')?.text;
    if (!frame || !attribute || FRAME_ATTRIBUTES.has(attribute) || names.kindOf(frame) !== 'frame') return null;
    return { frame, label: `'${attribute}'`, safety: 'safe' };
  }
  return null;
}

/** Whether a row indexer is certainly a boolean mask (comparisons, `~`, `&`, `isna()`, ...). */
function isMask(node: PythonSyntaxNode): boolean {
  const inner = unwrap(node);
  if (!inner) return false;
  if (inner.type === 'comparison_operator' || inner.type === 'not_operator') return true;
  if (inner.type === 'unary_operator') return inner.children[0]?.text === '~';
  if (inner.type === 'binary_operator') {
    const operator = inner.childForFieldName('operator')?.text;
    return (operator === '&' || operator === '|' || operator === '^') && isMask(inner.childForFieldName('left')!) && isMask(inner.childForFieldName('right')!);
  }
  if (inner.type === 'call') {
    const callee = inner.childForFieldName('function');
    return callee?.type === 'attribute' && MASK_METHODS.has(callee.childForFieldName('attribute')?.text ?? '');
  }
  return false;
}

function lessSafe(a: Exclude<FixSafety, 'display-only'>, b: Exclude<FixSafety, 'display-only'>): Exclude<FixSafety, 'display-only'> {
  return a === 'unsafe' || b === 'unsafe' ? 'unsafe' : 'safe';
}

/** An assignment target `<column>[rows]`, `<column>.loc[rows]` or `<column>.iloc[rows]` rewritten on the frame. */
function chainedTarget(context: RuleCellContext, target: PythonSyntaxNode): { replacement: string; safety: Exclude<FixSafety, 'display-only'> } | null {
  if (target.type !== 'subscript') return null;
  const rows = singleIndex(target);
  const value = target.childForFieldName('value');
  if (!rows || !value || rows.type === 'tuple') return null;
  const text = (node: PythonSyntaxNode) => context.edits.textOf(node);
  if (value.type === 'attribute') {
    const accessor = value.childForFieldName('attribute')?.text;
    if (accessor === 'loc' || accessor === 'iloc') {
      const column = columnSelection(context, value.childForFieldName('object'));
      if (!column) return null;
      const frame = text(column.frame);
      const replacement = accessor === 'loc' ? `${frame}.loc[${text(rows)}, ${column.label}]` : `${frame}.iloc[${text(rows)}, ${frame}.columns.get_loc(${column.label})]`;
      return { replacement, safety: column.safety };
    }
  }
  // `series[rows]` on a column: a slice was positional for integer slices, `.loc` is by label.
  if (rows.type === 'slice') return null;
  const column = columnSelection(context, value);
  if (!column) return null;
  return { replacement: `${text(column.frame)}.loc[${text(rows)}, ${column.label}]`, safety: lessSafe(column.safety, isMask(rows) ? 'safe' : 'unsafe') };
}

function pandasBeforeCopyOnWrite(context: RuleCellContext): boolean {
  const pandas = pinnedVersion(context.failure.environment, 'pandas');
  return pandas !== null && compareVersions(pandas, '3.0') < 0;
}

/**
 * DC001: chained assignment through a column selection (`df[col][mask] = v`, `df[col].iloc[i] = v`,
 * `df.col[mask] = v`, `df[col].fillna(v, inplace=True)`) wrote to the frame in pandas < 3 and
 * silently writes to a temporary copy under pandas 3's Copy-on-Write.
 */
export const pandasChainedAssignment: BuiltinFixType = defineRule({
  meta: {
    id: 'pandas-chained-assignment',
    code: 'DC001',
    kind: 'score-calibration',
    description: 'Rewrite chained assignment through a column selection (df[col][mask] = v, df[col].iloc[i] = v, df.col[mask] = v, df[col].fillna(..., inplace=True)), which pandas 3 Copy-on-Write no longer writes back to the frame.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      chained: '`{{target}} = ...` assigns through a column selection; under pandas 3 Copy-on-Write it changes a temporary copy, not `{{frame}}`. Write `{{replacement}} = ...`.',
      inplace: '`{{call}}(..., inplace=True)` on a column selection changes a temporary copy under pandas 3 Copy-on-Write, not `{{frame}}`. Assign the result: `{{column}} = {{call}}(...)`.',
    },
  },
  docs: {
    whatItDoes: 'Finds assignments through a column selected from a DataFrame (`df[col][mask] = v`, `df[col].loc[i] = v`, `df[col].iloc[i] = v`, `df.col[mask] = v`, augmented assignments too) and in-place methods called on one (`df[col].fillna(v, inplace=True)`), and rewrites them to index the frame itself (`df.loc[mask, col] = v`) or to assign the method\'s result back.',
    why: 'Before pandas 3, selecting one column returned a view cached on the frame, so writing into it changed the frame (with at most a SettingWithCopyWarning). pandas 3 makes Copy-on-Write the only mode: every selection behaves as a copy, the chained write lands in a temporary and is lost (pandas only emits a ChainedAssignmentError warning). The notebook runs clean and its numbers change — a clipping or imputation silently stops happening.',
    example: "import pandas as pd\nsub = pd.DataFrame(proba, columns=['a', 'b'])\nfor col in ['a', 'b']:\n    sub[col][sub[col] < 0.05] = 0.05\nsub['a'].fillna(0, inplace=True)",
    useInstead: "import pandas as pd\nsub = pd.DataFrame(proba, columns=['a', 'b'])\nfor col in ['a', 'b']:\n    sub.loc[sub[col] < 0.05, col] = 0.05\nsub['a'] = sub['a'].fillna(0)",
    knownProblems: 'Only frames the notebook visibly builds from pandas (`pd.read_csv`, `pd.DataFrame`, `df.copy()`, ...) are recognised; chains through a function\'s parameter are left alone. A row indexer that is not visibly a boolean mask (a label, a variable) and a column label that is not a literal (or a loop variable over literals) make the fix unsafe: `series[key]` could be positional, and a list of columns was a copy even before pandas 3. Slices in `df[col][a:b] = v` are left alone (positional on the Series, by label in `.loc`). The pandas 3 ChainedAssignmentError warning is not read from the run\'s outputs: the rule answers a score mismatch (or a scan) instead.',
    fixSafety: 'Safe when the column label is a literal (or a loop variable over literals), the frame is known to be a DataFrame, and the row indexer is a boolean mask or goes through `.loc`/`.iloc`: then the rewrite writes exactly the cells the old chained assignment wrote. Otherwise unsafe (applied only with --unsafe). The rule declines in an environment that pins pandas below 3.0, where the chained write still works.',
    references: [
      { title: 'pandas: Copy-on-Write (CoW)', url: 'https://pandas.pydata.org/docs/user_guide/copy_on_write.html' },
      { title: 'pandas 3.0.0 release notes', url: 'https://pandas.pydata.org/docs/whatsnew/v3.0.0.html' },
    ],
  },
  mentions: ['['],
  findSites(context) {
    const { failure } = context;
    if (failure.kind !== 'wrong-score' && failure.kind !== 'scan') return [];
    if (pandasBeforeCopyOnWrite(context)) return [];
    const sites: RuleSite[] = [];
    for (const assignment of context.syntax.root.descendantsOfType(['assignment', 'augmented_assignment'])) {
      const target = assignment.childForFieldName('left');
      if (!target) continue;
      const rewrite = chainedTarget(context, target);
      if (!rewrite) continue;
      const column = target.childForFieldName('value')!;
      const frameNode = column.type === 'attribute' && ['loc', 'iloc'].includes(column.childForFieldName('attribute')?.text ?? '') ? column.childForFieldName('object')! : column;
      const frame = frameNode.type === 'subscript' ? frameNode.childForFieldName('value')! : frameNode.childForFieldName('object')!;
      sites.push({
        node: target,
        messageId: 'chained',
        data: { target: context.edits.textOf(target), frame: context.edits.textOf(frame), replacement: rewrite.replacement },
        edits: [context.edits.replace(target, rewrite.replacement)],
        safety: rewrite.safety,
      });
    }
    for (const call of context.syntax.root.descendantsOfType('call')) {
      if (call.parent?.type !== 'expression_statement') continue;
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || !INPLACE_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) continue;
      const args = callArguments(call);
      const inplace = args?.keywords.get('inplace');
      if (!args || !inplace || inplace.childForFieldName('value')?.type !== 'true') continue;
      const column = columnSelection(context, callee.childForFieldName('object'));
      if (!column) continue;
      const frame = context.edits.textOf(column.frame);
      const selected = `${frame}[${column.label}]`;
      sites.push({
        node: call,
        messageId: 'inplace',
        data: { call: context.edits.textOf(callee), frame, column: selected },
        edits: [context.edits.insertBefore(call, `${selected} = `), context.edits.removeListElement(inplace)],
        safety: column.safety,
      });
    }
    return sites;
  },
  fixTitle: 'Write through the frame instead of a chained column selection ({{frame}})',
});
