import type { BuiltinFixType } from './builtin-fix-type.js';
import { pandasChainedAssignment } from './chained-assignment.js';
import { imagingPlottingFixTypes } from './imaging-plotting-fix-types.js';
import { kerasTensorflowFixTypes } from './keras-tensorflow-fix-types.js';
import { lightgbmFixTypes } from './lightgbm-fix-types.js';
import { numpyAliasFixTypes, numpyAsscalar, numpyFindCommonType } from './numpy-aliases.js';
import { pandasFixTypes } from './pandas-fix-types.js';
import { python3FixTypes } from './python3-fix-types.js';
import { restoreEraDefault } from './restore-era-default.js';
import { sklearnFixTypes } from './sklearn-fix-types.js';

/** Two rules claim one code or id: the catalogue's codes are stable keys and must stay unique. */
export class DuplicateFixTypeError extends Error {
  override name = 'DuplicateFixTypeError';
}

function byCode(rules: readonly BuiltinFixType[]): readonly BuiltinFixType[] {
  const codes = new Set<string>();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (codes.has(rule.meta.code)) throw new DuplicateFixTypeError(`two built-in fix types have code ${rule.meta.code}`);
    if (ids.has(rule.meta.id)) throw new DuplicateFixTypeError(`two built-in fix types have id ${rule.meta.id}`);
    codes.add(rule.meta.code);
    ids.add(rule.meta.id);
  }
  return Object.freeze([...rules].sort((a, b) => a.meta.code.localeCompare(b.meta.code)));
}

/**
 * The built-in catalogue: one fix type per row of `breaking-changes.csv` (BC001…BC079), in code
 * order. Rows with a mechanical rewrite fix; the others report guidance (display-only). Then the
 * score-calibration rules for default changes that raise no error (DC001, DC002).
 */
export const builtinFixTypes: readonly BuiltinFixType[] = byCode([
  ...numpyAliasFixTypes,
  numpyAsscalar,
  numpyFindCommonType,
  ...pandasFixTypes,
  ...sklearnFixTypes,
  ...kerasTensorflowFixTypes,
  ...imagingPlottingFixTypes,
  ...lightgbmFixTypes,
  ...python3FixTypes,
  pandasChainedAssignment,
  restoreEraDefault,
]);

export function fixTypeByCode(code: string): BuiltinFixType | undefined {
  return builtinFixTypes.find((rule) => rule.meta.code === code);
}

export function fixTypeById(id: string): BuiltinFixType | undefined {
  return builtinFixTypes.find((rule) => rule.meta.id === id);
}
