import type { CellEdit, CellSyntax, Failure, NormalizedNotebook, PythonParser, PythonSyntaxNode } from '@mle/core';
import { applyRangeEdits } from './apply-edits.js';
import { alignToWords, diffHunks, refineHunk, trimHunk, type Hunk } from './edit-hunks.js';
import { FailureContext } from './failure-context.js';
import { ImportIndex } from './fix-types/import-index.js';
import { calledName, parenthesizeFor } from './fix-types/syntax-helpers.js';
import { cellNames } from './python-names.js';

/**
 * The structural pattern of a fix, generalized so that it applies to another notebook with the
 * same error. Each rewrite is one kind of change, most specific first:
 * - `rename-attribute`: `obj.from` → `obj.to`; with `module`, only where `obj` is that import
 *   (`np` for `import numpy as np`): `np.float` → `np.float64` becomes numpy's `float`→`float64`;
 * - `rename-keyword`: a keyword argument `from=` → `to=` in calls of `callee` (`fit`, `Adam`);
 * - `rename-name`: a free name (one the notebook never binds, a builtin) `from` → `to` (`xrange` → `range`);
 * - `rename-module`: `from <from> import names` → `from <to> import names` (only those names);
 * - `template`: the smallest enclosing expression or simple statement, before and after, with the
 *   notebook's own variables abstracted to `__mle_v<k>__` (any expression) and module aliases to
 *   `__mle_m<k>__` (whatever name the other notebook imports that module as);
 * - `add-import`: an import statement the fix added, inserted where another rewrite applies when
 *   the notebook does not bind its names yet.
 */
export type Rewrite =
  | { kind: 'rename-attribute'; from: string; to: string; module: string | null }
  | { kind: 'rename-keyword'; callee: string | null; from: string; to: string }
  | { kind: 'rename-name'; from: string; to: string }
  | { kind: 'rename-module'; from: string; to: string; names: string[] }
  | { kind: 'template'; root: 'expression' | 'statement'; before: string; after: string; modules: Record<string, string> }
  | { kind: 'add-import'; statement: string; binds: string[] };

export interface FixPattern {
  rewrites: Rewrite[];
}

export type GeneralizeResult = { ok: true; pattern: FixPattern } | { ok: false; reason: string };

/** Templates longer than this are notebook-specific rewrites, not patterns worth caching. */
const MAX_TEMPLATE_CHARS = 400;

/** Expression node types a template may be rooted at (parsed back as `(<text>)`). */
const EXPRESSION_ROOTS = new Set([
  'call', 'attribute', 'subscript', 'binary_operator', 'boolean_operator', 'comparison_operator', 'unary_operator', 'not_operator',
  'conditional_expression', 'lambda', 'list', 'tuple', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension',
  'set_comprehension', 'generator_expression',
]);
/** Simple statements a template may be rooted at (parsed back as a module's first statement). */
const STATEMENT_ROOTS = new Set([
  'expression_statement', 'import_statement', 'import_from_statement', 'return_statement', 'assert_statement', 'delete_statement',
  'raise_statement', 'print_statement', 'exec_statement', 'global_statement',
]);
/** Node types a placeholder can stand for without parentheses wherever an identifier could. */
const PRIMARY = new Set([
  'identifier', 'attribute', 'call', 'subscript', 'string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none', 'list', 'tuple',
  'dictionary', 'set', 'parenthesized_expression', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension', 'generator_expression',
]);
const PLACEHOLDER = /^__mle_([vm])(\d+)__$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

// ------------------------------------------------------------------ syntax utilities

function same(a: PythonSyntaxNode | null, b: PythonSyntaxNode): boolean {
  return a !== null && a.startIndex === b.startIndex && a.endIndex === b.endIndex && a.type === b.type;
}

/** The smallest named node whose source range covers [start, end); strictly around a point for insertions. */
function coveringNode(syntax: CellSyntax, start: number, end: number): PythonSyntaxNode {
  let node = syntax.root;
  for (;;) {
    const next = node.namedChildren.find((child) => {
      if (child.type === 'comment') return false;
      const range = syntax.rangeOf(child);
      return start === end ? range.start < start && start < range.end : range.start <= start && end <= range.end && range.start < range.end;
    });
    if (!next) return node;
    node = next;
  }
}

/** Whether an identifier node names an attribute, a keyword or an import path rather than a variable. */
function isNonReference(node: PythonSyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.type === 'attribute' && same(parent.childForFieldName('attribute'), node)) return true;
  if (parent.type === 'keyword_argument' && same(parent.childForFieldName('name'), node)) return true;
  return parent.type === 'dotted_name' || parent.type === 'aliased_import';
}

function identifiersIn(node: PythonSyntaxNode): PythonSyntaxNode[] {
  return node.type === 'identifier' ? [node] : [...node.descendantsOfType('identifier')];
}

/** Every name any code cell of the notebook binds (variables, parameters, imports, defs). */
export function notebookBoundNames(failure: Failure): Set<string> {
  const names = new Set<string>();
  for (const cell of failure.notebook.cells) {
    if (cell.cellType !== 'code') continue;
    const syntax = failure.syntax(cell.index);
    if (syntax) for (const name of cellNames(syntax.root).bound) names.add(name);
  }
  return names;
}

/**
 * The notebook's own names (variables, functions, classes, parameters), imports excluded: quoted
 * in an error value they are notebook-specific, while an imported name is the library's.
 */
export function notebookVariableNames(failure: Failure): Set<string> {
  const names = new Set<string>();
  const imported = new Set<string>();
  for (const cell of failure.notebook.cells) {
    if (cell.cellType !== 'code') continue;
    const syntax = failure.syntax(cell.index);
    if (!syntax) continue;
    const found = cellNames(syntax.root);
    for (const name of found.bound) names.add(name);
    for (const name of found.imported) imported.add(name);
  }
  for (const name of imported) names.delete(name);
  return names;
}

// ------------------------------------------------------------------ generalization

interface CellChange {
  beforeSyntax: CellSyntax;
  afterSyntax: CellSyntax;
  hunks: Hunk[];
}

/** Map a before-offset outside every hunk to the after text. */
function mapOffset(hunks: readonly Hunk[], offset: number): number {
  let shift = 0;
  for (const hunk of hunks) if (hunk.end <= offset && !(hunk.start === hunk.end && hunk.start === offset)) shift += hunk.text.length - (hunk.end - hunk.start);
  return offset + shift;
}

function isImportOnly(syntax: CellSyntax): boolean {
  const statements = syntax.root.namedChildren.filter((child) => child.type !== 'comment');
  return statements.length > 0 && statements.every((s) => s.type === 'import_statement' || s.type === 'import_from_statement');
}

function importBinds(statement: PythonSyntaxNode): string[] {
  return statement.childrenForFieldName('name').map((name) => {
    const alias = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : undefined;
    return alias ?? (statement.type === 'import_statement' ? name.text.split('.')[0]! : name.text);
  });
}

class Generalizer {
  readonly rewrites: Rewrite[] = [];
  private readonly beforeImports: ImportIndex;
  private readonly afterImports: ImportIndex;
  private readonly bound: Set<string>;

  constructor(
    private readonly before: FailureContext,
    private readonly after: FailureContext,
  ) {
    this.beforeImports = new ImportIndex(before);
    this.afterImports = new ImportIndex(after);
    this.bound = notebookBoundNames(before);
  }

  /** Turn one cell's hunks into rewrites; a reason string when some hunk does not generalize. */
  cell(change: CellChange): string | null {
    const { beforeSyntax, afterSyntax } = change;
    const source = beforeSyntax.source;
    // Import lines a fix put in front of the code it changed are their own rewrite.
    const coarse: Hunk[] = [];
    const imports: Hunk[] = [];
    for (const hunk of change.hunks) {
      const peeled = this.peelImports(source, hunk);
      if (peeled.imports) imports.push(peeled.imports);
      if (peeled.rest) coarse.push(alignToWords(source, peeled.rest));
    }
    // The finest decomposition of the same change: every offset outside it maps to the fixed cell.
    const fine = coarse.map((hunk) => refineHunk(source, hunk).map((h) => alignToWords(source, h)));
    const all = [...imports, ...fine.flat()].sort((a, b) => a.start - b.start || a.end - b.end);
    if (all.some((h, i) => i > 0 && h.start < all[i - 1]!.end)) return 'the changes are too close together to tell apart';
    const afterSource = applyRangeEdits(source, all.map((h) => ({ kind: 'replace-range', cellIndex: 0, start: h.start, end: h.end, text: h.text })));
    if (afterSource !== afterSyntax.source) return 'the edits do not reproduce the fixed cell';
    const afterText = (node: PythonSyntaxNode) => {
      const range = beforeSyntax.rangeOf(node);
      return afterSyntax.source.slice(mapOffset(all, range.start), mapOffset(all, range.end));
    };
    let templateEnd = -1;
    for (let k = 0; k < coarse.length; k++) {
      const hunk = coarse[k]!;
      if (hunk.start < templateEnd) continue; // inside the template made for an earlier hunk
      // Renames first: each token-level change on its own, if every one of them is a rename.
      const renames = fine[k]!.map((h) => this.rename(coveringNode(beforeSyntax, h.start, h.end), afterText));
      if (renames.every((r): r is Rewrite => r !== null)) {
        this.rewrites.push(...renames);
        continue;
      }
      let node = coveringNode(beforeSyntax, hunk.start, hunk.end);
      while (node.parent && !EXPRESSION_ROOTS.has(node.type) && !STATEMENT_ROOTS.has(node.type)) node = node.parent;
      // Later hunks inside the same node belong to this template.
      let range = beforeSyntax.rangeOf(node);
      for (let next = k + 1; next < coarse.length && coarse[next]!.start < range.end; next++) {
        while (node.parent && beforeSyntax.rangeOf(node).end < coarse[next]!.end) node = node.parent;
        while (node.parent && !EXPRESSION_ROOTS.has(node.type) && !STATEMENT_ROOTS.has(node.type)) node = node.parent;
        range = beforeSyntax.rangeOf(node);
      }
      if (node.type === 'module') return 'the change spans several statements';
      if (range.end - range.start > MAX_TEMPLATE_CHARS) return `the changed ${node.type} is longer than ${MAX_TEMPLATE_CHARS} characters`;
      templateEnd = range.end;
      const reason = this.template(beforeSyntax, afterSyntax, all, node);
      if (reason) return reason;
    }
    return null;
  }

  /**
   * Split off whole import lines at the start of an inserted text (as `add-import` rewrites): the
   * insertion of those lines, kept for offset mapping, and the rest of the hunk.
   */
  private peelImports(source: string, hunk: Hunk): { imports: Hunk | null; rest: Hunk | null } {
    const unchanged = { imports: null, rest: hunk };
    if (hunk.start > 0 && source[hunk.start - 1] !== '\n') return unchanged;
    const lines = /^((?:[ \t]*(?:import|from)[ \t][^\n]*\n)+)/.exec(hunk.text);
    if (!lines || source.slice(hunk.start, hunk.end).startsWith(lines[1]!)) return unchanged;
    const rest = trimHunk(source, { start: hunk.start, end: hunk.end, text: hunk.text.slice(lines[1]!.length) });
    // Two insertions at one point would be ambiguous; leave such a hunk whole.
    if (rest && rest.start === rest.end && rest.start === hunk.start) return unchanged;
    for (const line of lines[1]!.split('\n').map((l) => l.trim()).filter(Boolean)) this.addImport(line);
    return { imports: { start: hunk.start, end: hunk.start, text: lines[1]! }, rest };
  }

  addImport(statement: string): void {
    const match = /^import\s+([\w.]+)(?:\s+as\s+(\w+))?$/.exec(statement) ?? null;
    const from = /^from\s+[\w.]+\s+import\s+(.+)$/.exec(statement);
    let binds: string[] = [];
    if (match) binds = [match[2] ?? match[1]!.split('.')[0]!];
    else if (from) binds = from[1]!.replace(/[()]/g, '').split(',').map((part) => part.trim().split(/\s+as\s+/).at(-1)!).filter(Boolean);
    if (binds.length > 0) this.rewrites.push({ kind: 'add-import', statement, binds });
  }

  /** The change at `anchor` as a rename, or null when it is not one. */
  private rename(anchor: PythonSyntaxNode, afterText: (node: PythonSyntaxNode) => string): Rewrite | null {
    let node = anchor;
    if (node.type === 'identifier' && node.parent?.type === 'dotted_name') node = node.parent;
    if (node.type === 'dotted_name') {
      const statement = node.parent;
      const replacement = afterText(node);
      if (DOTTED.test(replacement) && statement?.type === 'import_from_statement' && same(statement.childForFieldName('module_name'), node)) {
        return { kind: 'rename-module', from: node.text, to: replacement, names: importBinds(statement).sort() };
      }
      return null;
    }
    if (node.type !== 'identifier') return null;
    const replacement = afterText(node);
    if (!IDENTIFIER.test(replacement)) return null;
    const parent = node.parent;
    if (parent?.type === 'attribute' && same(parent.childForFieldName('attribute'), node)) {
      const object = parent.childForFieldName('object');
      const binding = object?.type === 'identifier' ? this.beforeImports.binding(object.text) : null;
      return { kind: 'rename-attribute', from: node.text, to: replacement, module: binding?.qualified ?? null };
    }
    if (parent?.type === 'keyword_argument' && same(parent.childForFieldName('name'), node)) {
      const call = parent.parent?.parent;
      return { kind: 'rename-keyword', callee: call?.type === 'call' ? calledName(call) : null, from: node.text, to: replacement };
    }
    if (!this.bound.has(node.text) && !isNonReference(node)) return { kind: 'rename-name', from: node.text, to: replacement };
    return null;
  }

  private template(beforeSyntax: CellSyntax, afterSyntax: CellSyntax, hunks: readonly Hunk[], node: PythonSyntaxNode): string | null {
    const nodeRange = beforeSyntax.rangeOf(node);
    const afterRange = { start: mapOffset(hunks, nodeRange.start), end: mapOffset(hunks, nodeRange.end) };
    const placeholders = new Map<string, string>();
    const modules: Record<string, string> = {};
    let variables = 0;
    const moduleSlot = (module: string) => {
      const existing = Object.entries(modules).find(([, m]) => m === module)?.[0];
      if (existing) return existing;
      const slot = `__mle_m${Object.keys(modules).length + 1}__`;
      modules[slot] = module;
      return slot;
    };
    const abstract = (syntax: CellSyntax, range: { start: number; end: number }, identifiers: readonly PythonSyntaxNode[], imports: ImportIndex, allowNew: boolean) => {
      const edits: Hunk[] = [];
      for (const identifier of identifiers) {
        if (isNonReference(identifier)) continue;
        const name = identifier.text;
        let slot = placeholders.get(name);
        if (!slot) {
          const binding = imports.binding(name);
          if (binding && binding.name === null) slot = moduleSlot(binding.qualified);
          else if (allowNew && this.bound.has(name) && !binding) slot = `__mle_v${++variables}__`;
          if (slot) placeholders.set(name, slot);
        }
        if (!slot) continue;
        const at = syntax.rangeOf(identifier);
        edits.push({ start: at.start - range.start, end: at.end - range.start, text: slot });
      }
      const text = syntax.source.slice(range.start, range.end);
      return applyRangeEdits(text, edits.map((e) => ({ kind: 'replace-range', cellIndex: 0, ...e })));
    };
    const before = abstract(beforeSyntax, nodeRange, identifiersIn(node), this.beforeImports, true);
    const afterIdentifiers = [...afterSyntax.root.descendantsOfType('identifier')].filter((id) => {
      const at = afterSyntax.rangeOf(id);
      return at.start >= afterRange.start && at.end <= afterRange.end;
    });
    const after = abstract(afterSyntax, afterRange, afterIdentifiers, this.afterImports, false);
    // A template of placeholders alone (`__mle_v1__(__mle_v2__)`) would match any call.
    if (!/[A-Za-z_][A-Za-z0-9_]*/.test(before.replace(/__mle_[vm]\d+__/g, ''))) return 'the change has no literal anchor (only variables)';
    this.rewrites.push({ kind: 'template', root: STATEMENT_ROOTS.has(node.type) ? 'statement' : 'expression', before, after, modules });
    return null;
  }
}

/**
 * Generalize a fix (edits of a notebook) into a pattern, or say why it does not generalize:
 * deleted cells, a change spanning statements, a template of variables only, an oversized rewrite.
 * Inserted cells holding only imports become `add-import` rewrites.
 */
export function generalizeFix(parser: PythonParser, before: NormalizedNotebook, edits: readonly CellEdit[]): GeneralizeResult {
  const byCell = new Map<number, Hunk[]>();
  const addedImports: string[] = [];
  for (const edit of edits) {
    if (edit.kind === 'delete-cell') return { ok: false, reason: 'the fix deletes a cell' };
    if (edit.kind === 'insert-cell') {
      if (edit.cellType !== 'code') continue;
      addedImports.push(edit.source);
      continue;
    }
    const cell = before.cells[edit.cellIndex];
    if (!cell) return { ok: false, reason: `the fix edits cell ${edit.cellIndex}, which does not exist` };
    const hunks = byCell.get(edit.cellIndex) ?? [];
    if (edit.kind === 'replace-cell') hunks.push(...diffHunks(cell.source, edit.source));
    else hunks.push({ start: edit.start, end: edit.end, text: edit.text });
    byCell.set(edit.cellIndex, hunks);
  }
  const afterCells = before.cells.map((cell) => {
    const hunks = byCell.get(cell.index);
    return hunks ? { ...cell, source: applyRangeEdits(cell.source, hunks.map((h) => ({ kind: 'replace-range' as const, cellIndex: cell.index, ...h }))) } : cell;
  });
  const beforeContext = new FailureContext(parser, { notebook: before });
  const afterContext = new FailureContext(parser, { notebook: { ...before, cells: afterCells } });
  try {
    const generalizer = new Generalizer(beforeContext, afterContext);
    for (const source of addedImports) {
      const owned = parser.parseCell(source);
      try {
        if (owned.status !== 'ok' || owned.tree.rootNode.namedChildren.some((s) => s?.type !== 'import_statement' && s?.type !== 'import_from_statement' && s?.type !== 'comment')) {
          return { ok: false, reason: 'the fix inserts a cell that is not only imports' };
        }
      } finally {
        owned.tree.delete();
      }
      for (const line of source.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) generalizer.addImport(line);
    }
    for (const [cellIndex, hunks] of [...byCell].sort(([a], [b]) => a - b)) {
      const beforeSyntax = beforeContext.syntax(cellIndex);
      const afterSyntax = afterContext.syntax(cellIndex);
      if (!beforeSyntax || !afterSyntax) return { ok: false, reason: `cell ${cellIndex} is not Python code` };
      const sorted = [...hunks].sort((a, b) => a.start - b.start);
      const reason = generalizer.cell({ beforeSyntax, afterSyntax, hunks: sorted });
      if (reason) return { ok: false, reason: `cell ${cellIndex}: ${reason}` };
    }
    const anchored = generalizer.rewrites.filter((rewrite) => rewrite.kind !== 'add-import');
    if (anchored.length === 0) return { ok: false, reason: 'nothing to anchor the pattern on (the fix only adds code)' };
    return { ok: true, pattern: { rewrites: dedupe(generalizer.rewrites) } };
  } finally {
    beforeContext.dispose();
    afterContext.dispose();
  }
}

function dedupe(rewrites: readonly Rewrite[]): Rewrite[] {
  const seen = new Set<string>();
  return rewrites.filter((rewrite) => {
    const key = canonicalPattern({ rewrites: [rewrite] });
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The pattern as stored (`fix_cache.pattern`): JSON with sorted keys, so equal patterns are one row. */
export function canonicalPattern(pattern: FixPattern): string {
  return JSON.stringify(pattern, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}

/** One line per rewrite, for titles, messages and the README. */
export function describeRewrite(rewrite: Rewrite): string {
  switch (rewrite.kind) {
    case 'rename-attribute':
      return `replace attribute ${rewrite.module ? `${rewrite.module}.` : '.'}${rewrite.from} with .${rewrite.to}`;
    case 'rename-keyword':
      return `rename keyword ${rewrite.from}= to ${rewrite.to}= in ${rewrite.callee ?? 'calls'}(...)`;
    case 'rename-name':
      return `replace ${rewrite.from} with ${rewrite.to}`;
    case 'rename-module':
      return `import ${rewrite.names.join(', ')} from ${rewrite.to} instead of ${rewrite.from}`;
    case 'template':
      return `rewrite \`${oneLine(rewrite.before)}\` as \`${oneLine(rewrite.after)}\``;
    case 'add-import':
      return `add \`${rewrite.statement}\``;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
}

// ------------------------------------------------------------------ application

/** Where a pattern may apply: every code cell (a scan), or the failing cell first. */
export interface PatternScope {
  /** The failing cell; null = every code cell. */
  cellIndex: number | null;
}

/** One place a rewrite applies, with its edit. */
export interface PatternSite {
  rewrite: number;
  cellIndex: number;
  node: { line: number; column: number; endLine: number; endColumn: number };
  edit: CellEdit;
}

/**
 * Whether a rewrite anchors on a typed name (a module's attribute, a free name, an import path):
 * such rewrites apply across the notebook, since the signature says the API is gone everywhere.
 * Rewrites anchored on arbitrary receivers (`x.as_matrix()`, a keyword of any `fit`, a template of
 * variables) apply in the failing cell only: other cells with the same shape may be other types.
 */
function notebookWide(rewrite: Rewrite): boolean {
  if (rewrite.kind === 'rename-attribute') return rewrite.module !== null;
  if (rewrite.kind === 'template') return !/__mle_v\d+__/.test(rewrite.before);
  return rewrite.kind === 'rename-name' || rewrite.kind === 'rename-module';
}

function positionOf(node: PythonSyntaxNode): PatternSite['node'] {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1, endLine: node.endPosition.row + 1, endColumn: node.endPosition.column + 1 };
}

interface Bindings {
  text: Map<string, string>;
  nodeType: Map<string, string>;
}

/**
 * Find where a pattern applies in a failure's notebook and build the edits, or return null when an
 * anchored rewrite finds no site or a needed module is not imported. Sites of one pattern never
 * overlap (an inner site of an outer match is skipped).
 */
export function findPatternSites(parser: PythonParser, pattern: FixPattern, failure: Failure, scope: PatternScope): PatternSite[] | null {
  const imports = new ImportIndex(failure);
  const bound = notebookBoundNames(failure);
  const codeCells = failure.notebook.cells.filter((cell) => cell.cellType === 'code').map((cell) => cell.index);
  const sites: PatternSite[] = [];
  const taken: { cellIndex: number; start: number; end: number }[] = [];
  const free = (cellIndex: number, start: number, end: number) => !taken.some((t) => t.cellIndex === cellIndex && t.start < end && start < t.end);
  const push = (rewrite: number, cellIndex: number, node: PythonSyntaxNode, range: { start: number; end: number }, text: string) => {
    if (!free(cellIndex, range.start, range.end)) return;
    taken.push({ cellIndex, ...range });
    sites.push({ rewrite, cellIndex, node: positionOf(node), edit: { kind: 'replace-range', cellIndex, start: range.start, end: range.end, text } });
  };
  const addedAliases = new Map<string, string>();
  for (const rewrite of pattern.rewrites) {
    if (rewrite.kind !== 'add-import') continue;
    const plain = /^import\s+([\w.]+)(?:\s+as\s+(\w+))?$/.exec(rewrite.statement);
    if (plain) addedAliases.set(plain[1]!, plain[2] ?? plain[1]!.split('.')[0]!);
  }
  const aliasOf = (module: string) => imports.aliasesOf(module)[0] ?? addedAliases.get(module) ?? null;

  pattern.rewrites.forEach((rewrite, index) => {
    if (rewrite.kind === 'add-import') return;
    const cells = scope.cellIndex === null || notebookWide(rewrite) ? codeCells : [scope.cellIndex];
    for (const cellIndex of cells) {
      const syntax = failure.syntax(cellIndex);
      if (!syntax) continue;
      switch (rewrite.kind) {
        case 'rename-attribute':
          for (const attribute of syntax.root.descendantsOfType('attribute')) {
            const name = attribute.childForFieldName('attribute');
            const object = attribute.childForFieldName('object');
            if (!name || !object || name.text !== rewrite.from) continue;
            if (rewrite.module !== null && !(object.type === 'identifier' && imports.binding(object.text)?.qualified === rewrite.module)) continue;
            push(index, cellIndex, name, syntax.rangeOf(name), rewrite.to);
          }
          break;
        case 'rename-keyword':
          for (const keyword of syntax.root.descendantsOfType('keyword_argument')) {
            const name = keyword.childForFieldName('name');
            const call = keyword.parent?.parent;
            if (!name || name.text !== rewrite.from || call?.type !== 'call') continue;
            if (rewrite.callee !== null && calledName(call) !== rewrite.callee) continue;
            const others = call.childForFieldName('arguments')?.namedChildren ?? [];
            if (others.some((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === rewrite.to)) continue;
            push(index, cellIndex, name, syntax.rangeOf(name), rewrite.to);
          }
          break;
        case 'rename-name':
          if (bound.has(rewrite.from)) break;
          for (const identifier of syntax.root.descendantsOfType('identifier')) {
            if (identifier.text !== rewrite.from || isNonReference(identifier)) continue;
            push(index, cellIndex, identifier, syntax.rangeOf(identifier), rewrite.to);
          }
          break;
        case 'rename-module':
          for (const statement of syntax.root.descendantsOfType('import_from_statement')) {
            const module = statement.childForFieldName('module_name');
            if (!module || module.text !== rewrite.from) continue;
            const names = importBinds(statement);
            if (rewrite.names.length > 0 && !names.every((name) => rewrite.names.includes(name))) continue;
            push(index, cellIndex, module, syntax.rangeOf(module), rewrite.to);
          }
          break;
        case 'template':
          matchTemplate(parser, rewrite, syntax, imports, aliasOf, (node, range, text) => push(index, cellIndex, node, range, text));
          break;
      }
    }
  });
  if (sites.length === 0) return null;
  // Imports the rewrites need, at the top of the first edited cell, when nothing binds them yet.
  const firstCell = Math.min(...sites.map((site) => site.cellIndex));
  pattern.rewrites.forEach((rewrite, index) => {
    if (rewrite.kind !== 'add-import' || rewrite.binds.every((name) => bound.has(name))) return;
    if (!free(firstCell, 0, 0)) return;
    taken.push({ cellIndex: firstCell, start: 0, end: 0 });
    sites.push({ rewrite: index, cellIndex: firstCell, node: { line: 1, column: 1, endLine: 1, endColumn: 1 }, edit: { kind: 'replace-range', cellIndex: firstCell, start: 0, end: 0, text: `${rewrite.statement}\n` } });
  });
  // Two inserted imports at the same point would be an ambiguous (overlapping) edit list: join them.
  const inserts = sites.filter((site) => site.edit.kind === 'replace-range' && site.edit.start === 0 && site.edit.end === 0 && site.cellIndex === firstCell && pattern.rewrites[site.rewrite]?.kind === 'add-import');
  if (inserts.length > 1) {
    const joined = inserts.map((site) => (site.edit as { text: string }).text).join('');
    const [first, ...rest] = inserts;
    (first!.edit as { text: string }).text = joined;
    return sites.filter((site) => !rest.includes(site));
  }
  return sites;
}

/** Parse a template's before side and return its root node (the caller deletes the tree). */
function parseTemplate(parser: PythonParser, rewrite: Extract<Rewrite, { kind: 'template' }>, text: string) {
  const code = rewrite.root === 'expression' ? `(${text})\n` : `${text}\n`;
  const tree = parser.parseCode(code);
  const statement = tree.rootNode.namedChildren[0] ?? null;
  let root: PythonSyntaxNode | null = statement;
  if (rewrite.root === 'expression') root = statement?.namedChildren[0]?.namedChildren[0] ?? null;
  return { tree, root, offset: rewrite.root === 'expression' ? 1 : 0 };
}

function significantChildren(node: PythonSyntaxNode): PythonSyntaxNode[] {
  return node.children.filter((child) => child.type !== 'comment');
}

function unify(template: PythonSyntaxNode, target: PythonSyntaxNode, syntax: CellSyntax, bindings: Bindings, isModuleAlias: (name: string, slot: string) => boolean): boolean {
  const placeholder = template.type === 'identifier' ? PLACEHOLDER.exec(template.text) : null;
  if (placeholder) {
    const slot = template.text;
    if (placeholder[1] === 'm' && !(target.type === 'identifier' && isModuleAlias(target.text, slot))) return false;
    if (!target.isNamed || target.type === 'comment') return false;
    const range = syntax.rangeOf(target);
    const text = syntax.source.slice(range.start, range.end);
    const previous = bindings.text.get(slot);
    if (previous !== undefined) return previous === text;
    bindings.text.set(slot, text);
    bindings.nodeType.set(slot, target.type);
    return true;
  }
  if (template.type !== target.type) return false;
  const a = significantChildren(template);
  const b = significantChildren(target);
  if (a.length !== b.length) return false;
  if (a.length === 0) return template.text === target.text;
  return a.every((child, i) => unify(child, b[i]!, syntax, bindings, isModuleAlias));
}

function matchTemplate(
  parser: PythonParser,
  rewrite: Extract<Rewrite, { kind: 'template' }>,
  syntax: CellSyntax,
  imports: ImportIndex,
  aliasOf: (module: string) => string | null,
  push: (node: PythonSyntaxNode, range: { start: number; end: number }, text: string) => void,
): void {
  const before = parseTemplate(parser, rewrite, rewrite.before);
  const after = parseTemplate(parser, rewrite, rewrite.after);
  try {
    if (!before.root || before.tree.rootNode.hasError) return;
    const isModuleAlias = (name: string, slot: string) => imports.binding(name)?.qualified === rewrite.modules[slot] && imports.binding(name)?.name === null;
    for (const candidate of syntax.root.descendantsOfType(before.root.type)) {
      const bindings: Bindings = { text: new Map(), nodeType: new Map() };
      if (!unify(before.root, candidate, syntax, bindings, isModuleAlias)) continue;
      // Module slots only in the after side: the target's own alias for that module.
      for (const [slot, module] of Object.entries(rewrite.modules)) {
        if (bindings.text.has(slot)) continue;
        const alias = aliasOf(module);
        if (alias === null) return;
        bindings.text.set(slot, alias);
        bindings.nodeType.set(slot, 'identifier');
      }
      const text = instantiate(rewrite.after, after, bindings);
      if (text === null) continue;
      push(candidate, syntax.rangeOf(candidate), text);
    }
  } finally {
    before.tree.delete();
    after.tree.delete();
  }
}

/** Offset in `text` of a tree point (row, UTF-16 column). */
function offsetAt(text: string, row: number, column: number): number {
  let offset = 0;
  for (let r = 0; r < row; r++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + column;
}

/** The after side with each placeholder replaced by what it bound, parenthesized where precedence needs it. */
function instantiate(text: string, parsed: { tree: { rootNode: PythonSyntaxNode }; offset: number }, bindings: Bindings): string | null {
  const edits: { start: number; end: number; text: string }[] = [];
  const code = parsed.offset === 1 ? `(${text})\n` : `${text}\n`;
  for (const identifier of parsed.tree.rootNode.descendantsOfType('identifier')) {
    if (!PLACEHOLDER.test(identifier.text)) continue;
    const bound = bindings.text.get(identifier.text);
    if (bound === undefined) return null;
    const primary = PRIMARY.has(bindings.nodeType.get(identifier.text) ?? '');
    const replacement = primary ? bound : parenthesizeFor(identifier, bound);
    const start = offsetAt(code, identifier.startPosition.row, identifier.startPosition.column) - parsed.offset;
    const end = offsetAt(code, identifier.endPosition.row, identifier.endPosition.column) - parsed.offset;
    edits.push({ start, end, text: replacement });
  }
  return applyRangeEdits(text, edits.map((e) => ({ kind: 'replace-range', cellIndex: 0, ...e })));
}
