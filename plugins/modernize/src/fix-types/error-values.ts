/** What an AttributeError / ImportError says is missing, parsed from its message. */
export interface MissingName {
  /** `module` for a module attribute, `object` for an instance attribute, `import` for `cannot import name`, `module-not-found`. */
  kind: 'module' | 'object' | 'import' | 'module-not-found' | 'removed';
  /** The module (`numpy`), the object's type (`DataFrame`) or, for module-not-found, the missing module. */
  owner: string;
  /** The missing attribute or name; for module-not-found, the missing module again. */
  name: string;
}

/**
 * Parse the missing name out of Python's error messages:
 * `module 'numpy' has no attribute 'float'`, `'DataFrame' object has no attribute 'append'`,
 * `` `np.float_` was removed in the NumPy 2.0 release``, `cannot import name 'Imputer' from
 * 'sklearn.preprocessing' (...)`, `No module named 'sklearn.cross_validation'`.
 */
export function missingName(value: string): MissingName | null {
  let m = /module '([\w.]+)' has no attribute '(\w+)'/.exec(value);
  if (m) return { kind: 'module', owner: m[1]!, name: m[2]! };
  m = /'(\w+)' object has no attribute '(\w+)'/.exec(value);
  if (m) return { kind: 'object', owner: m[1]!, name: m[2]! };
  m = /`np\.(\w+)` was removed/.exec(value);
  if (m) return { kind: 'removed', owner: 'numpy', name: m[1]! };
  m = /cannot import name '(\w+)' from '([\w.]+)'/.exec(value);
  if (m) return { kind: 'import', owner: m[2]!, name: m[1]! };
  m = /No module named '([\w.]+)'/.exec(value);
  if (m) return { kind: 'module-not-found', owner: m[1]!, name: m[1]! };
  return null;
}

/** The keyword a TypeError says a call did not expect: `got an unexpected keyword argument 'squeeze'`. */
export function unexpectedKeyword(value: string): string | null {
  return /unexpected keyword argument '(\w+)'/.exec(value)?.[1] ?? null;
}

/** Escape text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
