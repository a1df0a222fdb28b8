import { stripAnsi } from './error-signature.js';

/** A Python identifier or a dotted name of them (`numpy.float`, `DataFrame`). */
const DOTTED_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_SIGNATURE_VALUE = 300;

export interface NormalizeOptions {
  /**
   * Names the notebook binds itself (its variables, functions, columns it assigned): quoted in an
   * error value they are the notebook's business, not the library's, and become `'<name>'`.
   */
  localNames?: ReadonlySet<string>;
}

/**
 * The error signature the fix cache and the `fixes` rows are keyed by: `Name: value` with what
 * varies between notebooks and runs abstracted, so that the same breakage in two notebooks has one
 * signature. From the value's first line: ANSI codes removed; paths → `<path>`, file names →
 * `<file>`, memory addresses → `<addr>`, numbers → `<num>`; quoted text that is not an identifier
 * → `'<str>'` (data values, messages), quoted identifiers kept (they name the API that broke:
 * `module 'numpy' has no attribute 'float'`) unless the notebook binds them (`localNames`);
 * whitespace collapsed.
 */
export function normalizeErrorSignature(name: string, value: string, options: NormalizeOptions = {}): string {
  let text = stripAnsi(value).split('\n')[0]!.trim();
  // Quoted strings first, so that numbers or paths inside a data value do not survive as structure.
  text = text.replace(/'([^'\n]*)'|"([^"\n]*)"/g, (_match, single: string | undefined, double: string | undefined) => {
    const inner = single ?? double ?? '';
    if (DOTTED_IDENTIFIER.test(inner)) return options.localNames?.has(inner) ? "'<name>'" : `'${inner}'`;
    return "'<str>'";
  });
  text = text
    .replace(/(?:[A-Za-z]:\\|~?\/)[^\s'",():]+/g, '<path>')
    .replace(/\b[\w-]+\.(?:py|ipynb|csv|tsv|txt|json|pkl|pickle|h5|hdf5|npy|npz|parquet|feather|zip|gz|png|jpg|jpeg)\b/g, '<file>')
    .replace(/\b0x[0-9a-fA-F]+\b/g, '<addr>')
    .replace(/(?<![\w<])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w>])/g, '<num>')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length > MAX_SIGNATURE_VALUE) text = `${text.slice(0, MAX_SIGNATURE_VALUE)}…`;
  return text ? `${name}: ${text}` : name;
}

/** The exception name of a signature (`AttributeError: ...` → `AttributeError`). */
export function signatureName(signature: string): string {
  const at = signature.indexOf(': ');
  return at < 0 ? signature : signature.slice(0, at);
}
