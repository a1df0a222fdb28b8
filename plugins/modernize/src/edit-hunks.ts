/** One changed region: `before.slice(start, end)` became `text`. */
export interface Hunk {
  start: number;
  end: number;
  text: string;
}

/** Above this many lines on either side, the diff is one hunk between common prefix and suffix. */
const MAX_LCS_LINES = 2000;

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** Shrink a hunk to the characters that really differ (common prefix and suffix removed). */
export function trimHunk(before: string, hunk: Hunk): Hunk | null {
  const old = before.slice(hunk.start, hunk.end);
  let prefix = 0;
  while (prefix < old.length && prefix < hunk.text.length && old[prefix] === hunk.text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < old.length - prefix && suffix < hunk.text.length - prefix && old[old.length - 1 - suffix] === hunk.text[hunk.text.length - 1 - suffix]) suffix++;
  const trimmed = { start: hunk.start + prefix, end: hunk.end - suffix, text: hunk.text.slice(prefix, hunk.text.length - suffix) };
  return trimmed.start === trimmed.end && trimmed.text === '' ? null : trimmed;
}

/**
 * Expand a hunk to whole words at both ends when the change starts or ends inside a word, so that
 * inserting `64` after `float` reads as `float` → `float64`.
 */
export function alignToWords(source: string, hunk: Hunk): Hunk {
  let { start, end, text } = hunk;
  const word = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_]/.test(ch);
  while (start > 0 && word(source[start - 1]) && (start < end && word(source[start]) ? true : word(text[0]))) {
    start--;
    text = source[start]! + text;
  }
  while (end < source.length && word(source[end]) && (start < end && word(source[end - 1]) ? true : word(text.at(-1)))) {
    text += source[end]!;
    end++;
  }
  return { start, end, text };
}

function significantTokens(line: string): string[] {
  return line.match(/[A-Za-z0-9_]+|[^A-Za-z0-9_\s]/g) ?? [];
}

/** Two lines are versions of one another when their tokens mostly agree (Dice coefficient ≥ 0.5). */
function similar(a: string, b: string): boolean {
  const x = significantTokens(a);
  const y = significantTokens(b);
  if (x.length === 0 || y.length === 0) return x.length === y.length;
  const counts = new Map<string, number>();
  for (const token of x) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of y) {
    const n = counts.get(token) ?? 0;
    if (n > 0) {
      common++;
      counts.set(token, n - 1);
    }
  }
  return (2 * common) / (x.length + y.length) >= 0.5;
}

/**
 * The hunks of one block of differing lines: removed lines `a` (starting at offset `at`) became
 * lines `b`. Lines that are versions of one another are paired and diffed within the line; the
 * rest are whole-line insertions and deletions. An edited line followed by an added one is two
 * hunks, not one hunk across a line break.
 */
function blockHunks(before: string, at: number, a: readonly string[], b: readonly string[]): Hunk[] {
  const pairs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      pairs[i]![j] = similar(a[i]!, b[j]!) ? pairs[i + 1]![j + 1]! + 1 : Math.max(pairs[i + 1]![j]!, pairs[i]![j + 1]!);
    }
  }
  const hunks: Hunk[] = [];
  let pending: Hunk | null = null;
  const flush = () => {
    if (pending) {
      const trimmed = trimHunk(before, pending);
      if (trimmed) hunks.push(alignToWords(before, trimmed));
    }
    pending = null;
  };
  let i = 0;
  let j = 0;
  let offset = at;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && similar(a[i]!, b[j]!) && pairs[i]![j] === pairs[i + 1]![j + 1]! + 1) {
      flush();
      pending = { start: offset, end: offset + a[i]!.length, text: b[j]! };
      flush();
      offset += a[i]!.length;
      i++;
      j++;
    } else if (j < b.length && (i === a.length || pairs[i]![j + 1]! >= pairs[i + 1]![j]!)) {
      pending ??= { start: offset, end: offset, text: '' };
      pending.text += b[j];
      j++;
    } else {
      pending ??= { start: offset, end: offset, text: '' };
      offset += a[i]!.length;
      pending.end = offset;
      i++;
    }
  }
  flush();
  return hunks;
}

/**
 * The changes that turn `before` into `after`, as minimal non-overlapping range edits of `before`
 * in order: lines are aligned by longest common subsequence; within a block of differing lines,
 * similar lines are paired and trimmed to the characters that differ (widened to whole words).
 * What a whole-cell replacement (an LLM answer) changed, in the form the fix cache generalizes
 * and `applyRangeEdits` applies.
 */
export function diffHunks(before: string, after: string): Hunk[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES) {
    const single = trimHunk(before, { start: 0, end: before.length, text: after });
    return single ? [alignToWords(before, single)] : [];
  }
  // lcs[i][j]: common lines of a[i..] and b[j..].
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const offsets = [0];
  for (const line of a) offsets.push(offsets.at(-1)! + line.length);
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: { i: number; j: number } | null = null;
  const close = () => {
    if (!open) return;
    hunks.push(...blockHunks(before, offsets[open.i]!, a.slice(open.i, i), b.slice(open.j, j)));
    open = null;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      open ??= { i, j };
      j++;
    } else {
      open ??= { i, j };
      i++;
    }
  }
  close();
  return hunks;
}

/** Above this many tokens on either side, a hunk is not refined. */
const MAX_LCS_TOKENS = 600;

function tokens(text: string): string[] {
  return text.match(/[A-Za-z0-9_]+|\s+|[^A-Za-z0-9_\s]/g) ?? [];
}

/**
 * Split one hunk into token-level hunks (words, runs of whitespace, single symbols aligned by
 * longest common subsequence): `np.float(1) + np.float(2)` → `np.float64(1) + np.float64(2)` is
 * two renames, not one rewritten expression. Returns `[hunk]` when it cannot be refined.
 */
export function refineHunk(source: string, hunk: Hunk): Hunk[] {
  const a = tokens(source.slice(hunk.start, hunk.end));
  const b = tokens(hunk.text);
  if (a.length > MAX_LCS_TOKENS || b.length > MAX_LCS_TOKENS || a.length === 0 || b.length === 0) return [hunk];
  const lcs: Uint32Array[] = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let offset = hunk.start;
  let open: Hunk | null = null;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      if (open) hunks.push(open);
      open = null;
      offset += a[i]!.length;
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      open ??= { start: offset, end: offset, text: '' };
      open.text += b[j];
      j++;
    } else {
      open ??= { start: offset, end: offset, text: '' };
      offset += a[i]!.length;
      open.end = offset;
      i++;
    }
  }
  if (open) hunks.push(open);
  return hunks.length > 0 ? hunks : [hunk];
}
