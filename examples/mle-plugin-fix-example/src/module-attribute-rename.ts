// A fix type written against the plugin API alone. Only types are imported from @mle/core, so
// the compiled plugin needs nothing from it at run time: mle hands every fix type a `Failure` with
// the notebook, the error and parsed syntax trees.
import type { CellEdit, CellSyntax, ErrorSignature, Failure, Fix, FixType, Match, MatchSite, PythonSyntaxNode } from '@mle/core';

/** What one rename rule needs: a module whose functions were removed in favour of others. */
export interface ModuleAttributeRename {
  code: string;
  id: string;
  module: string;
  /** Removed name → replacement in the same module. */
  renames: Readonly<Record<string, string>>;
  removedIn: string;
  description: string;
  docsUrl: string;
}

/** The payload `match` hands to `fix`: plain data only, since the trees are freed after the step. */
interface Details {
  edits: CellEdit[];
}

/** Local names bound to the module (`import time`, `import time as t`) in any code cell. */
function moduleAliases(failure: Failure, module: string): Set<string> {
  const aliases = new Set<string>();
  for (const cell of failure.notebook.cells) {
    if (cell.cellType !== 'code' || !cell.source.includes(module)) continue;
    const syntax = failure.syntax(cell.index);
    if (!syntax) continue;
    for (const statement of syntax.root.descendantsOfType('import_statement')) {
      for (const name of statement.childrenForFieldName('name')) {
        if (name.type === 'dotted_name' && name.text === module) aliases.add(module);
        if (name.type === 'aliased_import' && name.childForFieldName('name')?.text === module) aliases.add(name.childForFieldName('alias')!.text);
      }
    }
  }
  return aliases;
}

function site(syntax: CellSyntax, node: PythonSyntaxNode, data: Record<string, string>): MatchSite {
  return {
    messageId: 'removed',
    data,
    cellIndex: syntax.cellIndex,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

function replace(syntax: CellSyntax, node: PythonSyntaxNode, text: string): CellEdit {
  // Tree offsets refer to the parsed text (IPython magics masked); rangeOf maps them to the cell.
  const { start, end } = syntax.rangeOf(node);
  return { kind: 'replace-range', cellIndex: syntax.cellIndex, start, end, text };
}

/** Sites in one cell: `time.clock` (through any alias) and `from time import clock`. */
function findInCell(syntax: CellSyntax, spec: ModuleAttributeRename, aliases: Set<string>, sites: MatchSite[], edits: CellEdit[]): void {
  for (const attribute of syntax.root.descendantsOfType('attribute')) {
    const object = attribute.childForFieldName('object');
    const name = attribute.childForFieldName('attribute');
    const replacement = name ? spec.renames[name.text] : undefined;
    if (object?.type !== 'identifier' || !aliases.has(object.text) || !name || !replacement) continue;
    sites.push(site(syntax, attribute, { old: `${spec.module}.${name.text}`, replacement: `${spec.module}.${replacement}`, version: spec.removedIn }));
    edits.push(replace(syntax, name, replacement));
  }
  for (const statement of syntax.root.descendantsOfType('import_from_statement')) {
    if (statement.childForFieldName('module_name')?.text !== spec.module) continue;
    for (const imported of statement.childrenForFieldName('name')) {
      const plain = imported.type === 'dotted_name' ? imported : null;
      const original = plain ?? imported.childForFieldName('name');
      const replacement = original ? spec.renames[original.text] : undefined;
      if (!original || !replacement) continue;
      sites.push(site(syntax, imported, { old: `${spec.module}.${original.text}`, replacement: `${spec.module}.${replacement}`, version: spec.removedIn }));
      // Keep the local name the notebook uses: `from time import clock` → `... import process_time as clock`.
      edits.push(replace(syntax, original, plain ? `${replacement} as ${original.text}` : replacement));
    }
  }
}

/**
 * A fix type that renames removed module functions. While repairing an error it searches the
 * failing cell first, then every other code cell (the call may sit in a function defined earlier);
 * in a proactive scan it searches every code cell.
 */
export function moduleAttributeRename(spec: ModuleAttributeRename): FixType<Details> {
  const names = Object.keys(spec.renames);
  const errorSignatures: ErrorSignature[] = [
    { name: 'AttributeError', value: new RegExp(`module '${spec.module}' has no attribute '(${names.join('|')})'`) },
    { name: 'ImportError', value: new RegExp(`cannot import name '(${names.join('|')})' from '${spec.module}'`) },
  ];
  return {
    meta: {
      id: spec.id,
      code: spec.code,
      kind: 'error-repair',
      description: spec.description,
      docsUrl: spec.docsUrl,
      fixable: 'always',
      safety: 'safe',
      messages: { removed: '`{{old}}` was removed in Python {{version}}; use `{{replacement}}`.' },
      errorSignatures,
    },
    match(failure: Failure): Match<Details> | null {
      // mle checks errorSignatures before calling match; a scan (no error) comes here directly.
      const aliases = moduleAliases(failure, spec.module);
      const code = failure.notebook.cells.filter((cell) => cell.cellType === 'code').map((cell) => cell.index);
      const order = failure.cellIndex === null ? code : [failure.cellIndex, ...code.filter((index) => index !== failure.cellIndex)];
      const sites: MatchSite[] = [];
      const edits: CellEdit[] = [];
      for (const index of order) {
        const syntax = failure.syntax(index);
        if (syntax) findInCell(syntax, spec, aliases, sites, edits);
      }
      return sites.length > 0 ? { sites, details: { edits } } : null;
    },
    fix(match: Match<Details>): Fix | null {
      if (match.details.edits.length === 0) return null;
      return { title: `Replace ${match.sites[0]!.data.old} with ${match.sites[0]!.data.replacement}`, safety: 'safe', edits: match.details.edits };
    },
  };
}
