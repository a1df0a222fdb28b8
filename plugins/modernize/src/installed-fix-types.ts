import type { FixType } from '@mle/core';
import { validateFixTypeMeta } from './fix-type-tester.js';
import { builtinFixTypes } from './fix-types/builtin-fix-types.js';

/**
 * The oclif hook through which a plugin package adds fix types: its package.json declares
 * `"oclif": { "hooks": { "mle:fix-types": "./dist/hooks/fix-types.js" } }` and the hook returns an
 * array of fix types. `mle plugins install <package>` is then all it takes.
 */
export const FIX_TYPES_HOOK = 'mle:fix-types';

/** Where a fix type came from: `builtin` or the name of the plugin package whose hook returned it. */
export interface InstalledFixType {
  fixType: FixType;
  source: string;
}

export interface InstalledFixTypes {
  fixTypes: InstalledFixType[];
  /** Contributions that were rejected (malformed, duplicate code or id, a hook that threw), one line each. */
  problems: string[];
}

/** What one plugin's hook returned, unchecked. */
export interface FixTypeContribution {
  source: string;
  result: unknown;
}

function isFixType(value: unknown): value is FixType {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { meta?: unknown; match?: unknown; fix?: unknown };
  return typeof candidate.meta === 'object' && candidate.meta !== null && typeof candidate.match === 'function' && typeof candidate.fix === 'function';
}

/**
 * The built-in catalogue followed by plugin contributions, each checked: a malformed fix type, or
 * one that reuses a code or id already taken (built-ins first, then plugins in load order), is
 * rejected with a problem line rather than allowed to shadow another rule.
 */
export function collectFixTypes(contributions: readonly FixTypeContribution[], builtins: readonly FixType[] = builtinFixTypes): InstalledFixTypes {
  const fixTypes: InstalledFixType[] = builtins.map((fixType) => ({ fixType, source: 'builtin' }));
  const problems: string[] = [];
  const codes = new Set(builtins.map((f) => f.meta.code));
  const ids = new Set(builtins.map((f) => f.meta.id));
  for (const { source, result } of contributions) {
    if (!Array.isArray(result)) {
      problems.push(`${source}: the ${FIX_TYPES_HOOK} hook returned ${typeof result}, not an array of fix types`);
      continue;
    }
    result.forEach((value: unknown, index) => {
      if (!isFixType(value)) {
        problems.push(`${source}: item ${index} is not a fix type (needs meta, match and fix)`);
        return;
      }
      try {
        validateFixTypeMeta(value.meta);
      } catch (error) {
        problems.push(`${source}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      if (codes.has(value.meta.code) || ids.has(value.meta.id)) {
        problems.push(`${source}: ${value.meta.code} ${value.meta.id} reuses a code or id that is already installed`);
        return;
      }
      codes.add(value.meta.code);
      ids.add(value.meta.id);
      fixTypes.push({ fixType: value, source });
    });
  }
  return { fixTypes, problems };
}

/** One row of `mle modernize fix-types`. */
export interface FixTypeRow {
  code: string;
  id: string;
  kind: string;
  safety: string;
  fixable: string;
  description: string;
  source: string;
  docsUrl: string;
  errorSignatures: { name: string; value: string | null }[];
}

export function fixTypeRows(installed: readonly InstalledFixType[]): FixTypeRow[] {
  return installed.map(({ fixType: { meta }, source }) => ({
    code: meta.code,
    id: meta.id,
    kind: meta.kind,
    safety: meta.safety,
    fixable: meta.fixable,
    description: meta.description,
    source,
    docsUrl: meta.docsUrl,
    errorSignatures: (meta.errorSignatures ?? []).map((s) => ({ name: s.name, value: s.value?.source ?? null })),
  }));
}

/** The rows as an aligned text table. */
export function formatFixTypeTable(rows: readonly FixTypeRow[]): string {
  const columns: (keyof FixTypeRow)[] = ['code', 'id', 'kind', 'safety', 'fixable'];
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  const header = `${line(columns.map((c) => c.toUpperCase()))}  DESCRIPTION`;
  const body = rows.map((row) => `${line(columns.map((c) => String(row[c])))}  ${row.description}${row.source === 'builtin' ? '' : ` [${row.source}]`}`);
  return [header, ...body].join('\n');
}
