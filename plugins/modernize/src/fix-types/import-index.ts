import type { Failure, PythonSyntaxNode } from '@mle/core';
import { dottedNameOf } from './syntax-helpers.js';

/** One name an import statement binds. */
export interface ImportBinding {
  cellIndex: number;
  /** The `import_statement` / `import_from_statement` node. */
  statement: PythonSyntaxNode;
  /** The `dotted_name` or `aliased_import` node of this name inside the statement. */
  nameNode: PythonSyntaxNode;
  /** `from` module for `from m import n`; the imported module for `import m`. */
  module: string;
  /** For `from m import n`: `n`; null for `import m`. */
  name: string | null;
  alias: string | null;
  /** The local name the statement binds. */
  local: string;
  /** What the local name refers to (`numpy`, `sklearn.metrics.mean_squared_error`). */
  qualified: string;
}

/**
 * The imports of a whole notebook, for resolving names the way ruff's semantic model does in
 * miniature: `np.float` → `numpy.float` when some cell ran `import numpy as np`. Notebook-wide
 * rather than flow-sensitive, since cells run in any order in practice and the loop's fixes are
 * checked by running the notebook again.
 */
export class ImportIndex {
  readonly bindings: ImportBinding[] = [];
  private readonly byLocal = new Map<string, ImportBinding>();

  constructor(failure: Failure) {
    for (const cell of failure.notebook.cells) {
      if (cell.cellType !== 'code' || !cell.source.includes('import')) continue;
      const syntax = failure.syntax(cell.index);
      if (!syntax) continue;
      for (const statement of syntax.root.descendantsOfType(['import_statement', 'import_from_statement'])) {
        this.addStatement(cell.index, statement);
      }
    }
    for (const binding of this.bindings) if (!this.byLocal.has(binding.local)) this.byLocal.set(binding.local, binding);
  }

  private addStatement(cellIndex: number, statement: PythonSyntaxNode): void {
    const names = statement.childrenForFieldName('name');
    if (statement.type === 'import_statement') {
      for (const nameNode of names) {
        const { name, alias } = splitAlias(nameNode);
        if (!name) continue;
        // `import a.b` binds `a`; `import a.b as x` binds x to a.b.
        const local = alias ?? name.split('.')[0]!;
        this.bindings.push({ cellIndex, statement, nameNode, module: name, name: null, alias, local, qualified: alias ? name : local });
      }
      return;
    }
    const moduleNode = statement.childForFieldName('module_name');
    if (!moduleNode || moduleNode.type !== 'dotted_name') return; // relative imports name nothing we can resolve
    const module = dottedNameOf(moduleNode);
    if (!module) return;
    for (const nameNode of names) {
      const { name, alias } = splitAlias(nameNode);
      if (!name) continue;
      this.bindings.push({ cellIndex, statement, nameNode, module, name, alias, local: alias ?? name, qualified: `${module}.${name}` });
    }
  }

  /** What a local name was imported as, or null. */
  binding(local: string): ImportBinding | null {
    return this.byLocal.get(local) ?? null;
  }

  /**
   * Local names that refer to `module` itself. When the notebook never imports it (a snippet, or a
   * star import), `conventional` (`np`, `pd`) counts unless that name is bound to something else.
   */
  aliasesOf(module: string, conventional?: string): string[] {
    const aliases = new Set(this.bindings.filter((b) => b.qualified === module).map((b) => b.local));
    if (aliases.size === 0 && conventional && !this.byLocal.has(conventional)) aliases.add(conventional);
    return [...aliases];
  }

  /** The preferred local name for `module` (its first alias), or null when it is not imported. */
  aliasOf(module: string, conventional?: string): string | null {
    return this.aliasesOf(module, conventional)[0] ?? null;
  }

  /** Resolve an identifier or attribute chain to a qualified name, e.g. `skm.r2_score` → `sklearn.metrics.r2_score`. */
  qualify(node: PythonSyntaxNode | null, conventional: Readonly<Record<string, string>> = {}): string | null {
    const dotted = dottedNameOf(node);
    if (!dotted) return null;
    const [head, ...rest] = dotted.split('.');
    const binding = this.byLocal.get(head!);
    const base = binding?.qualified ?? conventional[head!];
    if (!base) return null;
    return [base, ...rest].join('.');
  }

  /** Bindings whose qualified name starts with `prefix` (a module or a module member). */
  bindingsUnder(prefix: string): ImportBinding[] {
    return this.bindings.filter((b) => b.qualified === prefix || b.qualified.startsWith(`${prefix}.`) || b.module === prefix || b.module.startsWith(`${prefix}.`));
  }
}

function splitAlias(node: PythonSyntaxNode): { name: string | null; alias: string | null } {
  if (node.type === 'aliased_import') {
    return { name: dottedNameOf(node.childForFieldName('name')), alias: node.childForFieldName('alias')?.text ?? null };
  }
  return { name: dottedNameOf(node), alias: null };
}

const cache = new WeakMap<Failure, ImportIndex>();

/** The import index of a failure's notebook, built once per failure. */
export function importIndexOf(failure: Failure): ImportIndex {
  let index = cache.get(failure);
  if (!index) {
    index = new ImportIndex(failure);
    cache.set(failure, index);
  }
  return index;
}

/** Conventional aliases that snippets use without importing (resolution fallback). */
export const CONVENTIONAL_ALIASES: Readonly<Record<string, string>> = {
  np: 'numpy',
  pd: 'pandas',
  plt: 'matplotlib.pyplot',
  sns: 'seaborn',
  lgb: 'lightgbm',
  tf: 'tensorflow',
};
