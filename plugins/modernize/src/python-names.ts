import type { PythonSyntaxNode } from '@mle/core';

/**
 * Names a cell binds and names it reads, from its syntax tree: enough to find the cells a failing
 * cell depends on (for the LLM prompt) and to tell a notebook's own variables from library names
 * (for generalizing a fix). Deliberately flow-insensitive, like a notebook reader's eye: a name is
 * "defined" by a cell that assigns, imports, defines or loops over it anywhere at its top level.
 */
export interface CellNames {
  /** Names bound at the cell's top level (assignments, imports, def/class, for/with targets). */
  defined: Set<string>;
  /** Every name bound anywhere in the cell, function parameters and comprehension variables included. */
  bound: Set<string>;
  /** Names read (load context), wherever they are. */
  used: Set<string>;
  /** Names bound by import statements (also in `defined`/`bound`). */
  imported: Set<string>;
  /**
   * Names read before the cell binds them (or never bound in it): what the cell needs from earlier
   * cells. `df = df.dropna()` needs `df`; `x = 1; print(x)` does not need `x`.
   */
  free: Set<string>;
}

const PATTERN_CONTAINERS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression', 'list_splat_pattern', 'list_splat']);
const SCOPES = new Set(['function_definition', 'lambda', 'class_definition', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);

/** Identifiers a binding target binds (`a, (b, *c)` → a b c); attributes and subscripts bind nothing. */
function targetNames(target: PythonSyntaxNode | null, out: PythonSyntaxNode[]): void {
  if (!target) return;
  if (target.type === 'identifier') {
    out.push(target);
    return;
  }
  if (PATTERN_CONTAINERS.has(target.type)) for (const child of target.namedChildren) targetNames(child, out);
}

/** Whether a node sits inside a function, lambda, class or comprehension (not the cell's top level). */
function isNestedInScope(node: PythonSyntaxNode): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (SCOPES.has(parent.type)) return true;
  return false;
}

/** Identifiers that are not references to a variable: attribute names, keyword names, import paths. */
function isNonReference(node: PythonSyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const same = (other: PythonSyntaxNode | null) => other !== null && other.startIndex === node.startIndex && other.endIndex === node.endIndex;
  if (parent.type === 'attribute' && same(parent.childForFieldName('attribute'))) return true;
  if (parent.type === 'keyword_argument' && same(parent.childForFieldName('name'))) return true;
  if (parent.type === 'dotted_name' || parent.type === 'aliased_import') return true;
  return false;
}

export function cellNames(root: PythonSyntaxNode): CellNames {
  const defined = new Set<string>();
  const bound = new Set<string>();
  const imported = new Set<string>();
  const binding = new Set<number>();
  // Where each name is first bound, in effect: after the statement (or the iterable) that binds it.
  const boundFrom = new Map<string, number>();
  const bind = (node: PythonSyntaxNode, topLevel: boolean, effectiveAt: number, alsoRead = false) => {
    if (!alsoRead) binding.add(node.startIndex);
    bound.add(node.text);
    if (topLevel) defined.add(node.text);
    boundFrom.set(node.text, Math.min(boundFrom.get(node.text) ?? Number.POSITIVE_INFINITY, effectiveAt));
  };
  const bindAll = (target: PythonSyntaxNode | null, context: PythonSyntaxNode, effectiveAt: number, alsoRead = false) => {
    const names: PythonSyntaxNode[] = [];
    targetNames(target, names);
    const topLevel = !isNestedInScope(context);
    for (const name of names) bind(name, topLevel, effectiveAt, alsoRead);
  };

  for (const node of root.descendantsOfType(['assignment', 'augmented_assignment', 'for_statement', 'for_in_clause', 'named_expression', 'as_pattern'])) {
    if (node.type === 'named_expression') bindAll(node.childForFieldName('name'), node, node.endIndex);
    else if (node.type === 'as_pattern') bindAll(node.childForFieldName('alias')?.namedChildren[0] ?? node.childForFieldName('alias'), node, node.endIndex);
    else if (node.type === 'for_statement' || node.type === 'for_in_clause') bindAll(node.childForFieldName('left'), node, node.childForFieldName('right')?.endIndex ?? node.endIndex);
    // `total += x` reads `total` as well as binding it.
    else bindAll(node.childForFieldName('left'), node, node.endIndex, node.type === 'augmented_assignment');
  }
  for (const node of root.descendantsOfType(['function_definition', 'class_definition'])) {
    const name = node.childForFieldName('name');
    if (name) bind(name, !isNestedInScope(node), node.endIndex);
    const parameters = node.childForFieldName('parameters');
    for (const parameter of parameters?.namedChildren ?? []) {
      const identifier = parameter.type === 'identifier' ? parameter : (parameter.childForFieldName('name') ?? parameter.namedChildren.find((c) => c.type === 'identifier') ?? null);
      if (identifier?.type === 'identifier') {
        binding.add(identifier.startIndex);
        bound.add(identifier.text);
        // Parameters are bound for the whole function body.
        boundFrom.set(identifier.text, Math.min(boundFrom.get(identifier.text) ?? Number.POSITIVE_INFINITY, node.startIndex));
      }
    }
  }
  for (const node of root.descendantsOfType('lambda_parameters')) {
    for (const parameter of node.namedChildren) {
      if (parameter.type === 'identifier') {
        binding.add(parameter.startIndex);
        bound.add(parameter.text);
        boundFrom.set(parameter.text, Math.min(boundFrom.get(parameter.text) ?? Number.POSITIVE_INFINITY, node.startIndex));
      }
    }
  }
  for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    const topLevel = !isNestedInScope(statement);
    for (const name of statement.childrenForFieldName('name')) {
      const alias = name.type === 'aliased_import' ? name.childForFieldName('alias') : null;
      const local = alias?.text ?? (statement.type === 'import_statement' ? name.text.split('.')[0]! : name.text.split('.').at(-1)!);
      bound.add(local);
      imported.add(local);
      if (topLevel) defined.add(local);
      boundFrom.set(local, Math.min(boundFrom.get(local) ?? Number.POSITIVE_INFINITY, statement.endIndex));
    }
  }

  const used = new Set<string>();
  const free = new Set<string>();
  for (const node of root.descendantsOfType('identifier')) {
    if (binding.has(node.startIndex) || isNonReference(node)) continue;
    if (node.parent?.type === 'import_statement' || node.parent?.type === 'import_from_statement') continue;
    used.add(node.text);
    if (node.startIndex < (boundFrom.get(node.text) ?? Number.POSITIVE_INFINITY)) free.add(node.text);
  }
  return { defined, bound, used, imported, free };
}

/**
 * The cells a cell depends on: for each name it reads, the closest earlier cell defining it, and
 * transitively what those cells read — the context a reader (or an LLM) needs to understand the
 * failing cell. Positions ascending, at most `limit` of them (the closest ones first kept).
 */
export function cellDependencies(names: readonly (CellNames | null)[], cellIndex: number, limit = 8): number[] {
  const need = new Set(names[cellIndex]?.free ?? []);
  const picked: number[] = [];
  for (let j = cellIndex - 1; j >= 0 && need.size > 0 && picked.length < limit; j--) {
    const cell = names[j];
    if (!cell) continue;
    const provides = [...cell.defined].filter((name) => need.has(name));
    if (provides.length === 0) continue;
    picked.push(j);
    for (const name of provides) need.delete(name);
    for (const name of cell.free) need.add(name);
  }
  return picked.sort((a, b) => a - b);
}
