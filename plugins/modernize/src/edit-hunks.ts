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
 * The changes that turn `before` into `after`, as minimal non-overlapping range edits of `before`
 * in order: lines are aligned by longest common subsequence, then each run of differing lines is
 * trimmed to the characters that differ. What a whole-cell replacement (an LLM answer) changed,
 * in the form the fix cache generalizes and `applyRangeEdits` applies.
 */
export function diffHunks(before: string, after: string): Hunk[] {
  if (before === after) return [];
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.length > MAX_LCS_LINES || b.length > MAX_LCS_LINES) {
    const single = trimHunk(before, { start: 0, end: before.length, text: after });
    return single ? [single] : [];
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
  let open: { i: number; text: string } | null = null;
  const close = () => {
    if (!open) return;
    const trimmed = trimHunk(before, { start: offsets[open.i]!, end: offsets[i]!, text: open.text });
    if (trimmed) hunks.push(trimmed);
    open = null;
  };
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      close();
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      open ??= { i, text: '' };
      open.text += b[j];
      j++;
    } else {
      open ??= { i, text: '' };
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
