import type { PythonSyntaxNode } from '@mle/core';
import { defineRule, type BuiltinFixType, type RuleCellContext, type RuleSite } from './builtin-fix-type.js';
import { EditBuilder } from './edit-builder.js';
import { missingName } from './error-values.js';
import { isPandas, pandasNamesOf } from './pandas-objects.js';
import { callArguments, callOf, dottedNameOf, isBindingName, parenthesizeFor, sameSpan } from './syntax-helpers.js';

const PY3_WHATSNEW = { title: "What's New In Python 3.0", url: 'https://docs.python.org/3/whatsnew/3.0.html' };

/** The abstract base classes that lived in `collections` until Python 3.10 (aliases since 3.3). */
const COLLECTIONS_ABCS = new Set([
  'Awaitable', 'Coroutine', 'AsyncIterable', 'AsyncIterator', 'AsyncGenerator', 'Hashable', 'Iterable', 'Iterator', 'Generator', 'Reversible',
  'Sized', 'Container', 'Callable', 'Collection', 'Set', 'MutableSet', 'Mapping', 'MutableMapping', 'MappingView', 'KeysView', 'ItemsView',
  'ValuesView', 'Sequence', 'MutableSequence', 'ByteString',
]);

function importedName(node: PythonSyntaxNode): string {
  return dottedNameOf(node.type === 'aliased_import' ? node.childForFieldName('name') : node) ?? '';
}

export const collectionsAbc = defineRule({
  meta: {
    id: 'collections-abc-aliases',
    code: 'BC076',
    kind: 'error-repair',
    description: 'Import abstract base classes (Mapping, Iterable, ...) from collections.abc instead of collections (removed in Python 3.10).',
    fixable: 'always',
    safety: 'safe',
    messages: { moved: '`collections.{{name}}` was removed in Python 3.10; use `collections.abc.{{name}}`.' },
    errorSignatures: [
      { name: 'ImportError', value: /cannot import name '\w+' from 'collections'/ },
      { name: 'AttributeError', value: /module 'collections' has no attribute '\w+'/ },
    ],
  },
  docs: {
    whatItDoes: 'Moves `from collections import Mapping` to `collections.abc`, and rewrites `collections.Mapping` as `collections.abc.Mapping`.',
    why: "The ABCs moved to `collections.abc` in Python 3.3; the aliases in `collections` were deprecated then and removed in Python 3.10 (`ImportError: cannot import name 'Iterable' from 'collections'`).",
    example: 'from collections import Counter, Iterable\n\nok = isinstance(x, Iterable)\n',
    useInstead: 'from collections import Counter\nfrom collections.abc import Iterable\n\nok = isinstance(x, Iterable)\n',
    knownProblems: 'The error is often raised inside an old third-party package rather than the notebook; that needs an environment fix (a newer release of the package), which this rule cannot make.',
    fixSafety: 'Safe: the same classes from their real home. An `import collections.abc` is added after `import collections` where the attribute form is used.',
    references: [{ title: "What's New In Python 3.10: removed collections ABC aliases", url: 'https://docs.python.org/3/whatsnew/3.10.html#removed' }],
  },
  acceptsError(error) {
    const missing = missingName(error.value);
    return missing !== null && COLLECTIONS_ABCS.has(missing.name);
  },
  mentions: ['collections'],
  findSites(context) {
    const sites: RuleSite[] = [];
    for (const statement of context.syntax.root.descendantsOfType('import_from_statement')) {
      if (dottedNameOf(statement.childForFieldName('module_name')) !== 'collections') continue;
      const names = statement.childrenForFieldName('name');
      const abcs = names.filter((n) => COLLECTIONS_ABCS.has(importedName(n)));
      if (abcs.length === 0) continue;
      const data = { name: abcs.map(importedName).join(', ') };
      if (abcs.length === names.length) {
        sites.push({ node: statement, messageId: 'moved', data, edits: [context.edits.replace(statement.childForFieldName('module_name')!, 'collections.abc')] });
        continue;
      }
      const edits = abcs.map((n) => context.edits.removeListElement(n));
      edits.push(context.edits.insertAfter(statement, `\nfrom collections.abc import ${abcs.map((n) => context.edits.textOf(n)).join(', ')}`));
      sites.push({ node: statement, messageId: 'moved', data, edits });
    }
    const modules = context.imports.aliasesOf('collections');
    const abcImported = context.imports.bindings.some((b) => b.module === 'collections.abc' && b.name === null);
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      const object = node.childForFieldName('object');
      const name = node.childForFieldName('attribute')?.text ?? '';
      if (object?.type !== 'identifier' || !modules.includes(object.text) || !COLLECTIONS_ABCS.has(name) || isBindingName(node)) continue;
      const edits = [context.edits.replace(object, `${object.text}.abc`)];
      const binding = context.imports.binding(object.text);
      if (!abcImported && binding && binding.alias === null) {
        const builder = binding.cellIndex === context.cellIndex ? context.edits : new EditBuilder(context.failure.syntax(binding.cellIndex)!);
        edits.push(builder.insertAfter(binding.statement, '\nimport collections.abc'));
      }
      sites.push({ node, messageId: 'moved', data: { name }, edits });
    }
    return sites;
  },
  fixTitle: 'Use collections.abc.{{name}}',
});

/** The Python 3 call for a Python 2 `print` statement (`print >>f, a, b,` → `print(a, b, end=' ', file=f)`). */
function printCall(edits: EditBuilder, statement: PythonSyntaxNode): string {
  const chevron = statement.namedChildren.find((child) => child.type === 'chevron');
  const args = statement.childrenForFieldName('argument');
  const trailingComma = statement.children[statement.childCount - 1]?.type === ',' && args.length > 0;
  const parts: string[] = [];
  // The arguments' own text, commas and spacing included, from the first to the last.
  if (args.length > 0) parts.push(edits.syntax.source.slice(edits.syntax.rangeOf(args[0]!).start, edits.syntax.rangeOf(args[args.length - 1]!).end));
  if (trailingComma) parts.push("end=' '");
  if (chevron) parts.push(`file=${edits.textOf(chevron.namedChildren[0]!)}`);
  return `print(${parts.join(', ')})`;
}

export const python2Print = defineRule({
  meta: {
    id: 'python2-print-statement',
    code: 'BC077',
    kind: 'error-repair',
    description: 'Rewrite Python 2 print statements (print x, print >>f, x, print x,) as print() calls.',
    fixable: 'always',
    safety: 'safe',
    messages: { statement: 'Python 2 `print` statement; Python 3 needs `{{replacement}}`.' },
    errorSignatures: [
      { name: 'SyntaxError', value: /Missing parentheses in call to 'print'|invalid syntax/ },
      // `print >>f, x` is valid Python 3 syntax (a tuple) that fails when it runs.
      { name: 'TypeError', value: /unsupported operand type\(s\) for >>: 'builtin_function_or_method'/ },
    ],
  },
  docs: {
    whatItDoes: 'Rewrites Python 2 `print` statements as calls of the `print()` function, including `>>file` redirection and the trailing comma.',
    why: 'Python 3.0 made `print` a function. A Python 2 `print` statement is a SyntaxError (`Missing parentheses in call to \'print\'. Did you mean print(...)?`), so the whole cell fails to compile and nothing in it runs; AST-based tools cannot even read it.',
    example: 'print "score:", score\nprint >>sys.stderr, "warning"\nprint "no newline",\nprint\n',
    useInstead: 'print("score:", score)\nprint("warning", file=sys.stderr)\nprint("no newline", end=\' \')\nprint()\n',
    knownProblems: 'A bare `print` (an empty line) becomes `print()` only in cells that also hold print statements, since `print` alone is valid, silent Python 3.',
    fixSafety: "Safe: the same text goes to the same stream. The one approximation is the trailing comma: Python 2's soft space becomes `end=' '`, as 2to3 writes it, which differs only in whitespace at the very end of the output.",
    references: [PY3_WHATSNEW, { title: '2to3 fixer print', url: 'https://docs.python.org/3.11/library/2to3.html#2to3fixer-print' }],
  },
  mentions: ['print'],
  findSites(context) {
    const statements = context.syntax.root.descendantsOfType('print_statement');
    const sites: RuleSite[] = statements.map((statement) => {
      const replacement = printCall(context.edits, statement);
      return { node: statement, messageId: 'statement', data: { replacement }, edits: [context.edits.replace(statement, replacement)] };
    });
    if (statements.length > 0) {
      // A bare `print` printed an empty line in Python 2; in Python 3 it is a silent expression.
      for (const expression of context.syntax.root.descendantsOfType('expression_statement')) {
        const only = expression.namedChildren[0];
        if (expression.namedChildCount === 1 && only?.type === 'identifier' && only.text === 'print') {
          sites.push({ node: expression, messageId: 'statement', data: { replacement: 'print()' }, edits: [context.edits.replace(only, 'print()')] });
        }
      }
    }
    return sites;
  },
  fixTitle: 'Rewrite print statements as print() calls',
});

/** Whether the notebook binds a name itself (a def, an assignment, an import), so it is not the builtin. */
function isRebound(context: RuleCellContext, name: string): boolean {
  if (context.imports.binding(name)) return true;
  return context.failure.notebook.cells.some((cell) => {
    if (cell.cellType !== 'code' || !cell.source.includes(name)) return false;
    const syntax = context.failure.syntax(cell.index);
    return syntax?.root.descendantsOfType('identifier').some((node) => node.text === name && isBindingName(node)) ?? false;
  });
}

export const python2Xrange = defineRule({
  meta: {
    id: 'python2-xrange',
    code: 'BC078',
    kind: 'error-repair',
    description: 'Replace the Python 2 builtin xrange with range.',
    fixable: 'always',
    safety: 'safe',
    messages: { removed: '`xrange` does not exist in Python 3; `range` is lazy like it.' },
    errorSignatures: [{ name: 'NameError', value: /name 'xrange' is not defined/ }],
  },
  docs: {
    whatItDoes: 'Replaces uses of the builtin `xrange` with `range`.',
    why: "Python 3.0 removed `xrange` and made `range` lazy (`NameError: name 'xrange' is not defined`).",
    example: 'for i in xrange(10):\n    total += i\n',
    useInstead: 'for i in range(10):\n    total += i\n',
    fixSafety: 'Safe: Python 3 `range` is the lazy sequence `xrange` was. A notebook that defines or imports its own `xrange` (`from six.moves import xrange`) is left alone.',
    references: [PY3_WHATSNEW],
  },
  mentions: ['xrange'],
  findSites(context) {
    if (isRebound(context, 'xrange')) return [];
    return context.syntax.root
      .descendantsOfType('identifier')
      .filter((node) => node.text === 'xrange' && node.parent?.type !== 'attribute' && node.parent?.type !== 'keyword_argument')
      .map((node) => ({ node, messageId: 'removed', edits: [context.edits.replace(node, 'range')] }));
  },
  fixTitle: 'Replace xrange with range',
});

const DICT_ITERATORS: Readonly<Record<string, string>> = { iteritems: 'items', itervalues: 'values', iterkeys: 'keys' };
/** Calls that consume an iterable whole, where a view serves as well as an iterator (2to3's list). */
const ITERATING_CALLS = new Set(['list', 'tuple', 'set', 'sorted', 'frozenset', 'dict', 'enumerate', 'zip', 'sum', 'any', 'all', 'min', 'max', 'map', 'filter', 'iter', 'len']);

/** Whether a call's result is only iterated (for loops, comprehensions, consuming builtins), as 2to3 decides. */
function onlyIterated(call: PythonSyntaxNode): boolean {
  const parent = call.parent;
  if (!parent) return false;
  if ((parent.type === 'for_statement' || parent.type === 'for_in_clause') && sameSpan(parent.childForFieldName('right'), call)) return true;
  if (parent.type === 'argument_list' && parent.namedChildCount === 1) {
    const outer = parent.parent;
    const callee = outer?.childForFieldName('function');
    return callee?.type === 'identifier' && ITERATING_CALLS.has(callee.text);
  }
  return false;
}

export const python2DictMethods = defineRule({
  meta: {
    id: 'python2-dict-methods',
    code: 'BC079',
    kind: 'error-repair',
    description: 'Replace the Python 2 dict methods iteritems/itervalues/iterkeys/has_key with items/values/keys and the in operator.',
    fixable: 'sometimes',
    safety: 'safe',
    messages: {
      iterator: '`.{{name}}()` does not exist in Python 3 dicts; use `{{replacement}}`.',
      hasKey: '`.has_key()` does not exist in Python 3 dicts; use `{{replacement}}`.',
      manual: '`.has_key()` does not exist in Python 3; use the `in` operator.',
    },
    errorSignatures: [{ name: 'AttributeError', value: /'dict' object has no attribute '(?:iteritems|itervalues|iterkeys|has_key)'/ }],
  },
  docs: {
    whatItDoes: 'Rewrites `d.iteritems()`, `d.itervalues()`, `d.iterkeys()` as `d.items()`, `d.values()`, `d.keys()` (inside `iter()` where an iterator is needed), and `d.has_key(k)` as `k in d`.',
    why: "Python 3.0 removed these dict methods (`AttributeError: 'dict' object has no attribute 'iteritems'`): `items()`, `values()` and `keys()` return lazy views, and `in` replaces `has_key`.",
    example: 'for k, v in counts.iteritems():\n    print(k, v)\nit = counts.iterkeys()\nif not counts.has_key(word):\n    counts[word] = 0\n',
    useInstead: 'for k, v in counts.items():\n    print(k, v)\nit = iter(counts.keys())\nif not word in counts:\n    counts[word] = 0\n',
    knownProblems: 'pandas objects\' `.iteritems()` belongs to BC025; this rule skips receivers inferred to be pandas.',
    fixSafety: 'Safe, as 2to3 does it: the view is wrapped in `iter()` unless the call is only iterated (a `for` loop, a comprehension, `list()`, `sorted()`, ...), so `next()` still works; `k in d` is parenthesized where an operator next to it would bind more tightly.',
    references: [PY3_WHATSNEW, { title: '2to3 fixers dict and has_key', url: 'https://docs.python.org/3.11/library/2to3.html#2to3fixer-dict' }],
  },
  mentions: ['iteritems', 'itervalues', 'iterkeys', 'has_key'],
  findSites(context) {
    const names = pandasNamesOf(context.failure);
    const sites: RuleSite[] = [];
    for (const node of context.syntax.root.descendantsOfType('attribute')) {
      const method = node.childForFieldName('attribute')?.text ?? '';
      const receiver = node.childForFieldName('object')!;
      const call = callOf(node);
      const known = Object.hasOwn(DICT_ITERATORS, method) || method === 'has_key';
      if (!call || !known) continue;
      if (isPandas(names.kindOf(receiver))) continue;
      const head = dottedNameOf(receiver)?.split('.')[0];
      if (head !== undefined && context.imports.binding(head)) continue;
      const receiverText = context.edits.textOf(receiver);
      if (method === 'has_key') {
        const args = callArguments(call);
        if (!args || args.positional.length !== 1 || args.keywords.size > 0 || args.hasSplat) {
          sites.push({ node: call, messageId: 'manual', edits: null });
          continue;
        }
        const replacement = `${context.edits.textOf(args.positional[0]!)} in ${receiverText}`;
        const text = parenthesizeFor(call, replacement, ['boolean_operator', 'not_operator']);
        sites.push({ node: call, messageId: 'hasKey', data: { replacement }, edits: [context.edits.replace(call, text)] });
        continue;
      }
      const view = DICT_ITERATORS[method]!;
      const iterated = onlyIterated(call);
      const replacement = iterated ? `${receiverText}.${view}()` : `iter(${receiverText}.${view}())`;
      const edits = iterated
        ? [context.edits.replace(node.childForFieldName('attribute')!, view)]
        : [context.edits.insertBefore(call, 'iter('), context.edits.replace(node.childForFieldName('attribute')!, view), context.edits.insertAfter(call, ')')];
      sites.push({ node: call, messageId: 'iterator', data: { name: method, replacement }, edits });
    }
    return sites;
  },
  fixTitle: 'Use the Python 3 dict API',
});

export const python3FixTypes: readonly BuiltinFixType[] = [collectionsAbc, python2Print, python2Xrange, python2DictMethods];
