import type { FixSafety, PythonSyntaxNode } from '@mle/core';
import { defineRule, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { pandasNamesOf, type ValueKind } from './pandas-objects.js';
import { acceptsReceiver } from './receiver-policy.js';
import { callArguments } from './syntax-helpers.js';

/** Keywords of DataFrame.append that pd.concat accepts with the same meaning. */
const CONCAT_KEYWORDS = new Set(['ignore_index', 'verify_integrity', 'sort']);

interface Piece {
  text: string;
  safety: FixSafety;
}

/**
 * What to put in the `pd.concat([...])` list for the appended object: a dict row becomes a
 * one-row frame, a list of frames is spread, a Series appended to a frame becomes a row.
 */
function pieces(context: RuleCellContext, pd: string, receiverKind: ValueKind, other: PythonSyntaxNode): Piece[] | null {
  const names = pandasNamesOf(context.failure);
  const text = context.edits.textOf(other);
  if (other.type === 'dictionary') return [{ text: `${pd}.DataFrame([${text}])`, safety: 'safe' }];
  if (other.type === 'list') {
    const elements = other.namedChildren.filter((child) => child.type !== 'comment');
    if (elements.length > 0 && elements.every((element) => element.type === 'dictionary')) return [{ text: `${pd}.DataFrame(${text})`, safety: 'safe' }];
    return elements.map((element) => {
      const kind = names.kindOf(element);
      return { text: context.edits.textOf(element), safety: kind === 'frame' || (kind === 'series' && receiverKind === 'series') ? 'safe' : 'unsafe' };
    });
  }
  const kind = names.kindOf(other);
  switch (kind) {
    case 'dict':
      return [{ text: `${pd}.DataFrame([${text}])`, safety: 'safe' }];
    case 'frame':
      return [{ text, safety: 'safe' }];
    case 'series':
      if (receiverKind === 'series') return [{ text, safety: 'safe' }];
      if (receiverKind === 'frame') return [{ text: `${primary(other, text)}.to_frame().T`, safety: 'safe' }];
      return [{ text, safety: 'unsafe' }];
    case 'list':
      // A list variable may hold rows (dicts) or frames; concat needs to know which.
      return null;
    default:
      return [{ text, safety: 'unsafe' }];
  }
}

function primary(node: PythonSyntaxNode, text: string): string {
  return ['identifier', 'attribute', 'call', 'subscript', 'parenthesized_expression'].includes(node.type) ? text : `(${text})`;
}

/** BC024: `df.append(other)` → `pd.concat([df, other])`. */
export const dataframeAppend = defineRule({
  meta: {
    id: 'pandas-dataframe-append',
    code: 'BC024',
    kind: 'error-repair',
    description: 'Rewrite DataFrame.append / Series.append (removed in pandas 2.0) as pd.concat, keeping ignore_index and turning dict rows into one-row frames.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      removed: '`{{receiver}}.append()` was removed in pandas 2.0; use `{{pd}}.concat`.',
      manual: '`{{receiver}}.append()` was removed in pandas 2.0; rewrite it with `{{pd}}.concat` by hand (arguments the rule cannot carry over).',
    },
    errorSignatures: [{ name: 'AttributeError', value: /'(?:DataFrame|Series)' object has no attribute 'append'/ }],
  },
  docs: {
    whatItDoes: 'Finds `.append()` called on a pandas DataFrame or Series and rewrites it as `pd.concat`.',
    why: '`DataFrame.append` and `Series.append` were deprecated in pandas 1.4 and removed in pandas 2.0, where they raise `AttributeError: \'DataFrame\' object has no attribute \'append\'` — one of the most common breakages of old Kaggle notebooks. `pd.concat([df, other])` is the replacement; a dict row must first become a one-row DataFrame.',
    example: "import pandas as pd\n\ntrain = pd.read_csv('train.csv')\ntest = pd.read_csv('test.csv')\ntrain = train.append({'id': 1, 'target': 0}, ignore_index=True)\nboth = train.append(test)\n",
    useInstead: "import pandas as pd\n\ntrain = pd.read_csv('train.csv')\ntest = pd.read_csv('test.csv')\ntrain = pd.concat([train, pd.DataFrame([{'id': 1, 'target': 0}])], ignore_index=True)\nboth = pd.concat([train, test])\n",
    knownProblems: 'The receiver must be known to be pandas (assigned from `pd.read_csv`, `pd.DataFrame`, ...), or the error must point at the line, since `list.append` looks the same. A list *variable* passed to `append` may hold rows or frames, so no fix is offered for it.',
    fixSafety: 'Safe when the appended object is a dict or list of dicts (made into a DataFrame), a known DataFrame, or a Series appended to a Series; a Series appended to a known DataFrame becomes `s.to_frame().T`, a row, as `append` made it. Unsafe when the appended object\'s type is unknown: `pd.concat` adds a Series to a DataFrame as a column, not a row. `ignore_index`, `verify_integrity` and `sort` are passed to `pd.concat` unchanged; other arguments make the rule decline.',
    references: [
      { title: 'pandas 1.4 release notes: deprecated DataFrame.append and Series.append', url: 'https://pandas.pydata.org/docs/whatsnew/v1.4.0.html#deprecated-dataframe-append-and-series-append' },
      { title: 'pandas.concat', url: 'https://pandas.pydata.org/docs/reference/api/pandas.concat.html' },
    ],
  },
  mentions: ['append'],
  findSites(context) {
    const names = pandasNamesOf(context.failure);
    const imported = context.imports.aliasOf('pandas');
    const pd = imported ?? 'pd';
    const sites: RuleSite[] = [];
    for (const call of context.syntax.root.descendantsOfType('call')) {
      const callee = call.childForFieldName('function');
      if (callee?.type !== 'attribute' || callee.childForFieldName('attribute')?.text !== 'append') continue;
      const receiver = callee.childForFieldName('object')!;
      if (!acceptsReceiver(context, receiver, call, 'pandas')) continue;
      const receiverText = context.edits.textOf(receiver);
      const data = { receiver: receiverText, pd };
      const args = callArguments(call);
      const keywords = args ? [...args.keywords.keys()] : [];
      const other = args && !args.hasSplat && args.positional.length === 1 && keywords.every((k) => CONCAT_KEYWORDS.has(k)) ? args.positional[0]! : null;
      const parts = other ? pieces(context, pd, names.kindOf(receiver), other) : null;
      if (!args || !parts) {
        sites.push({ node: call, messageId: 'manual', data, edits: null });
        continue;
      }
      const keywordText = [...args.keywords.values()].map((keyword) => `, ${context.edits.textOf(keyword)}`).join('');
      const text = `${pd}.concat([${[receiverText, ...parts.map((p) => p.text)].join(', ')}]${keywordText})`;
      const edits = [context.edits.replace(call, text)];
      if (!imported) edits.push(context.edits.insertStatementAtTop('import pandas as pd'));
      const safety: FixSafety = parts.every((p) => p.safety === 'safe') ? 'safe' : 'unsafe';
      sites.push({ node: call, messageId: 'removed', data, edits, safety });
    }
    return sites;
  },
  fixTitle: 'Rewrite {{receiver}}.append(...) as {{pd}}.concat([...])',
});
