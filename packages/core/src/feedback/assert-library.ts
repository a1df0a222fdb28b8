/** Where an assertion helper comes from, as stored in `feedback.library`. */
export type AssertLibrary = 'numpy.testing' | 'pandas.testing' | 'tf.debugging' | 'torch.testing' | 'unittest' | 'user-defined';

/** Conventional aliases, used when the notebook's own imports do not say. */
const CONVENTIONAL: ReadonlyMap<string, string> = new Map([
  ['np', 'numpy'],
  ['npt', 'numpy.testing'],
  ['pd', 'pandas'],
  ['tm', 'pandas.testing'],
  ['tf', 'tensorflow'],
]);

const LIBRARY_PATTERNS: readonly [RegExp, AssertLibrary][] = [
  [/^numpy\.testing\b/, 'numpy.testing'],
  [/^pandas\.(?:testing|util\.testing|_testing)\b/, 'pandas.testing'],
  [/^tensorflow\.(?:debugging\b|compat\.v1\.(?:debugging\b|assert)|assert|test\.TestCase\b)/, 'tf.debugging'],
  [/^torch\.testing\b/, 'torch.testing'],
  [/^(?:self\.assert|unittest\b|cls\.assert)|TestCase\.assert/, 'unittest'],
];

/**
 * The library behind an assertion call such as `np.testing.assert_allclose`, `npt.assert_equal`,
 * `self.assertEqual` or a bare `assert_frame_equal` imported from pandas.testing; anything else is
 * `user-defined` (a helper the notebook wrote or a library we do not name).
 */
export function resolveAssertLibrary(dotted: string, aliases?: ReadonlyMap<string, string>): AssertLibrary {
  const [head = '', ...rest] = dotted.split('.');
  const origin = aliases?.get(head) ?? CONVENTIONAL.get(head);
  const expanded = origin ? [origin, ...rest].join('.') : dotted;
  for (const [pattern, library] of LIBRARY_PATTERNS) if (pattern.test(expanded)) return library;
  return 'user-defined';
}

const IMPORT_AS = /^[ \t]*import[ \t]+([\w.]+)[ \t]+as[ \t]+(\w+)/gm;
const FROM_IMPORT = /^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n#]+)/gm;

/**
 * Local names bound by imports anywhere in a notebook's cells (`import numpy.testing as npt`,
 * `from pandas.testing import assert_frame_equal as afe`), found with two regular expressions:
 * the names only serve to attribute assertion helpers, so a missed multi-line import costs a
 * `user-defined` label, not an instance.
 */
export function importAliases(sources: Iterable<string>): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const source of sources) {
    if (!source.includes('import')) continue;
    for (const match of source.matchAll(IMPORT_AS)) aliases.set(match[2]!, match[1]!);
    for (const match of source.matchAll(FROM_IMPORT)) {
      for (const part of match[2]!.split(',')) {
        const [name, alias] = part.trim().split(/\s+as\s+/);
        if (name && /^\w+$/.test(name)) aliases.set(alias?.trim() || name, `${match[1]}.${name}`);
      }
    }
  }
  return aliases;
}
