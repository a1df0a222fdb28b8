import type { CellEdit, CellSyntax, Failure, FailureError, Fix, FixSafety, FixType, FixTypeMeta, Match, MatchSite, PythonSyntaxNode } from '@mle/core';
import { failingLine, matchesErrorSignature } from '../error-signature.js';
import { leastSafe, safetyRank } from '../fix-safety.js';
import { EditBuilder } from './edit-builder.js';
import { unmetRequirement, type VersionRequirement } from './environment-pins.js';
import { importIndexOf, type ImportIndex } from './import-index.js';
import type { RuleDocs } from './rule-docs.js';

/** What a built-in rule sees while it searches one cell. */
export interface RuleCellContext {
  failure: Failure;
  syntax: CellSyntax;
  cellIndex: number;
  imports: ImportIndex;
  /** The error being repaired; null for a proactive scan, a timeout or a wrong score. */
  error: FailureError | null;
  /** The 1-based line of this cell the traceback points at (failing cell only). */
  errorLine: number | null;
  edits: EditBuilder;
}

/** One place a built-in rule found, with the edits that fix it there (null: guidance only). */
export interface RuleSite {
  node: PythonSyntaxNode;
  messageId: string;
  data?: Record<string, string>;
  edits: CellEdit[] | null;
  /** Defaults to the rule's `meta.safety`. */
  safety?: FixSafety;
}

/** The plain-data payload a built-in match carries from `match` to `fix`. */
export interface BuiltinMatchDetails {
  sites: { edits: CellEdit[] | null; safety: FixSafety }[];
}

export interface RuleDefinition {
  meta: Omit<FixTypeMeta, 'docsUrl'>;
  docs: RuleDocs;
  /** What the replacement needs; the fix declines in an environment pinned below it. */
  requires?: readonly VersionRequirement[];
  /** A further test of the error beyond `meta.errorSignatures` (e.g. the missing name is one of ours). */
  acceptsError?(error: FailureError): boolean;
  /** Cheap text filter: a cell that contains none of these words is not parsed for this rule. */
  mentions?: readonly string[];
  findSites(context: RuleCellContext): RuleSite[];
  /** The fix's title; `{{placeholders}}` are filled from the first fixable site's data. */
  fixTitle: string;
}

/** A fix type of the built-in catalogue: a rule plus the text its docs page is generated from. */
export interface BuiltinFixType extends FixType<BuiltinMatchDetails> {
  docs: RuleDocs;
  requires: readonly VersionRequirement[];
}

/** Docs pages ship in the package (`files: ["dist", "docs"]`), so the URL resolves wherever it is installed. */
export function docsUrlFor(code: string, id: string): string {
  return new URL(`../../docs/${code}-${id}.md`, import.meta.url).href;
}

/**
 * The cells a rule searches, in order. For an error: the failing cell, then (only if nothing is
 * found there) the cells before it, since the raising code may sit in a function defined earlier.
 * For a scan: the named cell, or every code cell.
 */
function cellGroups(failure: Failure): number[][] {
  const code = failure.notebook.cells.filter((cell) => cell.cellType === 'code').map((cell) => cell.index);
  if (failure.cellIndex === null) return [code];
  if (!failure.error) return [[failure.cellIndex]];
  const failing = failure.cellIndex;
  return [[failing], code.filter((index) => index < failing).reverse()];
}

function fill(template: string, data: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => data[name] ?? whole);
}

/** Whether two range edits of one cell touch the same text (identical edits do not count: they merge). */
function overlaps(a: CellEdit, b: CellEdit): boolean {
  if (a.kind !== 'replace-range' || b.kind !== 'replace-range' || a.cellIndex !== b.cellIndex) return false;
  if (editKey(a) === editKey(b)) return false;
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  return a.start < b.end && b.start < a.end;
}

function editKey(edit: CellEdit): string {
  return JSON.stringify(edit);
}

/**
 * Build a fix type from a rule definition: error gating by signature, the cell search order,
 * site → message conversion, and a fix that gathers the sites' edits (duplicates merged, so that
 * two sites may both ask for the same import), as safe as its least safe site.
 */
export function defineRule(definition: RuleDefinition): BuiltinFixType {
  const meta: FixTypeMeta = { ...definition.meta, docsUrl: docsUrlFor(definition.meta.code, definition.meta.id) };
  const requires = definition.requires ?? [];
  return {
    meta,
    docs: definition.docs,
    requires,
    match(failure: Failure): Match<BuiltinMatchDetails> | null {
      const error = failure.error;
      if (error) {
        if (!meta.errorSignatures || !matchesErrorSignature(meta.errorSignatures, error)) return null;
        if (definition.acceptsError && !definition.acceptsError(error)) return null;
      }
      const imports = importIndexOf(failure);
      const errorLine = error ? failingLine(error.traceback) : null;
      for (const group of cellGroups(failure)) {
        const sites: MatchSite[] = [];
        const details: BuiltinMatchDetails = { sites: [] };
        for (const cellIndex of group) {
          const cell = failure.notebook.cells[cellIndex];
          if (!cell || cell.cellType !== 'code') continue;
          if (definition.mentions && !definition.mentions.some((word) => cell.source.includes(word))) continue;
          const syntax = failure.syntax(cellIndex);
          if (!syntax) continue;
          const context: RuleCellContext = {
            failure,
            syntax,
            cellIndex,
            imports,
            error,
            errorLine: cellIndex === failure.cellIndex ? errorLine : null,
            edits: new EditBuilder(syntax),
          };
          // Sites in source order, whatever order the rule's searches found them in.
          const found = definition.findSites(context).sort((a, b) => a.node.startIndex - b.node.startIndex || b.node.endIndex - a.node.endIndex);
          for (const site of found) {
            const message = meta.messages[site.messageId];
            if (message === undefined) throw new Error(`${meta.id}: site reports unknown messageId '${site.messageId}'`);
            const safety = site.safety ?? meta.safety;
            // A site may be less safe than the rule's declared level, never more.
            if (safetyRank(safety) > safetyRank(meta.safety)) throw new Error(`${meta.id}: site safety ${safety} exceeds the rule's ${meta.safety}`);
            sites.push({
              messageId: site.messageId,
              data: site.data ?? {},
              cellIndex,
              line: site.node.startPosition.row + 1,
              column: site.node.startPosition.column + 1,
              endLine: site.node.endPosition.row + 1,
              endColumn: site.node.endPosition.column + 1,
            });
            details.sites.push({ edits: meta.fixable === 'none' ? null : site.edits, safety });
          }
        }
        if (sites.length > 0) return { sites, details };
      }
      return null;
    },
    fix(match: Match<BuiltinMatchDetails>, failure: Failure): Fix | null {
      if (meta.fixable === 'none') return null;
      if (unmetRequirement(failure.environment, requires)) return null;
      const seen = new Set<string>();
      const edits: CellEdit[] = [];
      let safety: FixSafety = meta.safety;
      let firstFixable: number | null = null;
      const accepted: CellEdit[] = [];
      match.details.sites.forEach((site, index) => {
        if (!site.edits) return;
        // A site nested in another (`df.append(a).append(b)`) waits for the next pass: its edit
        // overlaps the outer one, which already carries the inner text over unchanged.
        if (site.edits.some((edit) => accepted.some((other) => overlaps(edit, other)))) return;
        accepted.push(...site.edits);
        firstFixable ??= index;
        safety = leastSafe(safety, site.safety);
        for (const edit of site.edits) {
          const key = editKey(edit);
          if (seen.has(key)) continue;
          seen.add(key);
          edits.push(edit);
        }
      });
      if (firstFixable === null || edits.length === 0) return null;
      return { title: fill(definition.fixTitle, match.sites[firstFixable]?.data ?? {}), safety, edits };
    },
  };
}
