import type { PythonSyntaxNode } from '@mle/core';

/** Every node under `root` (itself included), depth-first in source order. */
export function* descendants(root: PythonSyntaxNode): Generator<PythonSyntaxNode> {
  const stack: PythonSyntaxNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

/** Named descendants of the given types, in source order (tree-sitter's own search). */
export function nodesOfType(root: PythonSyntaxNode, ...types: string[]): PythonSyntaxNode[] {
  return [...root.descendantsOfType(types)];
}

/** `a.b.c` for identifiers and attribute chains; null for anything else (calls, subscripts). */
export function dottedNameOf(node: PythonSyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'dotted_name') return node.namedChildren.map((part) => part.text).join('.');
  if (node.type === 'attribute') {
    const object = dottedNameOf(node.childForFieldName('object'));
    const attribute = node.childForFieldName('attribute');
    return object && attribute ? `${object}.${attribute.text}` : null;
  }
  return null;
}

/** 1-based line of a node in its cell. */
export function lineOf(node: PythonSyntaxNode): number {
  return node.startPosition.row + 1;
}

/** The arguments of a call, split by kind. */
export interface CallArguments {
  list: PythonSyntaxNode;
  positional: PythonSyntaxNode[];
  keywords: Map<string, PythonSyntaxNode>;
  /** `*args` or `**kwargs` present: the call's full argument set is unknown. */
  hasSplat: boolean;
}

export function callArguments(call: PythonSyntaxNode): CallArguments | null {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return null;
  const positional: PythonSyntaxNode[] = [];
  const keywords = new Map<string, PythonSyntaxNode>();
  let hasSplat = false;
  for (const argument of list.namedChildren) {
    if (argument.type === 'comment') continue;
    if (argument.type === 'keyword_argument') {
      const name = argument.childForFieldName('name')?.text;
      if (name) keywords.set(name, argument);
    } else if (argument.type === 'list_splat' || argument.type === 'dictionary_splat') {
      hasSplat = true;
    } else {
      positional.push(argument);
    }
  }
  return { list, positional, keywords, hasSplat };
}

/** The value node of a `name=value` keyword argument. */
export function keywordValue(argument: PythonSyntaxNode | undefined): PythonSyntaxNode | null {
  return argument?.childForFieldName('value') ?? null;
}

/** A plain string literal (no f-string interpolation, no implicit concatenation). */
export interface StringLiteral {
  value: string;
  /** The `string_content` node, or null for an empty string. */
  content: PythonSyntaxNode | null;
  node: PythonSyntaxNode;
}

export function stringLiteral(node: PythonSyntaxNode | null): StringLiteral | null {
  if (!node || node.type !== 'string') return null;
  const start = node.children[0];
  if (!start || /[fFbB]/.test(start.text)) return null;
  const contents = node.namedChildren.filter((child) => child.type !== 'string_start' && child.type !== 'string_end');
  if (contents.some((child) => child.type !== 'string_content')) return null;
  const content = contents[0] ?? null;
  // Escapes are rare in the identifiers rules look for; a literal with one is left alone.
  if (content && content.text.includes('\\')) return null;
  return { value: content?.text ?? '', content, node };
}

/** `True`/`False`/`None` and numbers, as written; null for any other expression. */
export function constantText(node: PythonSyntaxNode | null): string | null {
  if (!node) return null;
  if (['true', 'false', 'none', 'integer', 'float'].includes(node.type)) return node.text;
  if (node.type === 'unary_operator' && node.children[0]?.text === '-' && ['integer', 'float'].includes(node.namedChildren[0]?.type ?? '')) return node.text;
  return null;
}

/** The enclosing call when `node` is the `function` of a call (`node(...)`). */
export function callOf(node: PythonSyntaxNode): PythonSyntaxNode | null {
  const parent = node.parent;
  return parent?.type === 'call' && parent.childForFieldName('function')?.startIndex === node.startIndex && parent.childForFieldName('function')?.endIndex === node.endIndex ? parent : null;
}

/** The name of the method a call invokes (`fit` in `model.fit(...)`), or of the function (`f(...)`). */
export function calledName(call: PythonSyntaxNode): string | null {
  const callee = call.childForFieldName('function');
  if (!callee) return null;
  if (callee.type === 'identifier') return callee.text;
  if (callee.type === 'attribute') return callee.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** Whether `node` is the target of an assignment, a parameter or a definition's name, rather than a use. */
export function isBindingName(node: PythonSyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const sameNode = (other: PythonSyntaxNode | null) => other !== null && other.startIndex === node.startIndex && other.endIndex === node.endIndex;
  if ((parent.type === 'assignment' || parent.type === 'augmented_assignment') && sameNode(parent.childForFieldName('left'))) return true;
  if ((parent.type === 'function_definition' || parent.type === 'class_definition') && sameNode(parent.childForFieldName('name'))) return true;
  if (parent.type === 'keyword_argument' && sameNode(parent.childForFieldName('name'))) return true;
  if (parent.type === 'parameters' || parent.type === 'default_parameter' || parent.type === 'typed_parameter') return true;
  if (parent.type === 'aliased_import' || parent.type === 'dotted_name') return true;
  return false;
}

/** Whether two nodes are the same span. */
export function sameSpan(a: PythonSyntaxNode | null, b: PythonSyntaxNode | null): boolean {
  return a !== null && b !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/**
 * Contexts where an expression of any precedence can stand without parentheses. Replacing a
 * primary expression (call, attribute) by an operator expression (`k in d`, `-np.inf`) anywhere
 * else needs parentheses to keep its meaning.
 */
const LOOSE_PARENTS = new Set([
  'expression_statement', 'assignment', 'augmented_assignment', 'return_statement', 'argument_list', 'keyword_argument',
  'parenthesized_expression', 'list', 'set', 'pair', 'if_statement', 'elif_clause', 'while_statement', 'assert_statement',
  'subscript', 'slice', 'print_statement', 'lambda', 'conditional_expression', 'yield',
]);

/** `text` ready to replace `node`: wrapped in parentheses unless the parent accepts any expression. */
export function parenthesizeFor(node: PythonSyntaxNode, text: string, looseOperators: readonly string[] = []): string {
  const parent = node.parent;
  if (!parent) return text;
  if (LOOSE_PARENTS.has(parent.type)) {
    // As a subscript's value (`x[...]` where x is node) the node is primary, not an index.
    if (parent.type === 'subscript' && sameSpan(parent.childForFieldName('value'), node)) return `(${text})`;
    return text;
  }
  if (looseOperators.includes(parent.type)) return text;
  return `(${text})`;
}

/** The statement that contains `node` (the child of a block or the module). */
export function enclosingStatement(node: PythonSyntaxNode): PythonSyntaxNode {
  let current = node;
  while (current.parent && current.parent.type !== 'module' && current.parent.type !== 'block') current = current.parent;
  return current;
}
