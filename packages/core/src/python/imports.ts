import type { Node } from 'web-tree-sitter';
import type { PythonParser } from './parser.js';

export interface ImportRecord {
  /** 1-based line within the cell. */
  line: number;
  /** Module as written; relative imports keep their leading dots. */
  module: string;
  /** For `from m import name`: the imported name (`*` for a wildcard); null for `import m`. */
  name: string | null;
  alias: string | null;
  /** Inside a function, class, loop, conditional or try block rather than at the top level. */
  nested: boolean;
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement', 'future_import_statement'];

function nameAndAlias(node: Node): { name: string; alias: string | null } {
  if (node.type === 'aliased_import') {
    return { name: node.childForFieldName('name')?.text ?? '', alias: node.childForFieldName('alias')?.text ?? null };
  }
  return { name: node.text, alias: null };
}

function isNested(node: Node): boolean {
  // The statement's parent is `module` at the top level, or an ERROR node wrapping top-level code.
  for (let parent = node.parent; parent; parent = parent.parent) {
    if (parent.type === 'module') return false;
    if (parent.type !== 'ERROR') return true;
  }
  return false;
}

/** Every import in a parsed tree, including imports inside functions and `from x import (a, b)`. */
export function importsOf(root: Node): ImportRecord[] {
  const records: ImportRecord[] = [];
  for (const statement of root.descendantsOfType(IMPORT_TYPES)) {
    if (!statement) continue;
    const line = statement.startPosition.row + 1;
    const nested = isNested(statement);
    if (statement.type === 'import_statement') {
      for (const child of statement.childrenForFieldName('name')) {
        if (!child) continue;
        const { name, alias } = nameAndAlias(child);
        if (name) records.push({ line, module: name, name: null, alias, nested });
      }
      continue;
    }
    const module = statement.type === 'future_import_statement' ? '__future__' : statement.childForFieldName('module_name')?.text;
    if (!module) continue;
    const names = statement.childrenForFieldName('name').filter((child): child is Node => child !== null);
    const wildcard = statement.namedChildren.some((child) => child?.type === 'wildcard_import');
    if (wildcard) records.push({ line, module, name: '*', alias: null, nested });
    for (const child of names) {
      const { name, alias } = nameAndAlias(child);
      if (name) records.push({ line, module, name, alias, nested });
    }
  }
  return records;
}

/** Cheap pre-filter: a cell without the word `import` has nothing for the parser to find. */
export function mayContainImports(source: string): boolean {
  return source.includes('import');
}

/** Parse a cell (masking magics) and return its imports; the tree is freed before returning. */
export function extractImports(parser: PythonParser, source: string): ImportRecord[] {
  if (!mayContainImports(source)) return [];
  const parsed = parser.parseCell(source);
  try {
    return importsOf(parsed.tree.rootNode);
  } finally {
    parsed.tree.delete();
  }
}
