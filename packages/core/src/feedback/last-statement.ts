/** Where the last top-level statement of a cell starts, found without parsing. */
export interface LastStatementStart {
  /** Offset (UTF-16 code units) where the statement starts. */
  offset: number;
  /** 0-based line of that offset. */
  row: number;
}

/** Clauses that start at column 0 but continue the previous compound statement. */
const CONTINUATION_CLAUSE = /^(?:else|elif|except|finally)\b/;
/** Lines whose `;` separates statements of a suite (`if x: a; b`), not top-level statements. */
const COMPOUND_HEADER = /^(?:if|elif|else|for|while|with|def|class|try|except|finally|async|match|case)\b/;

/**
 * Find the start of the last top-level logical statement with a one-pass scan that tracks
 * brackets, strings, comments, backslash continuations and `;` separators, so that a cell the
 * pre-filter skipped needs only its (short) last statement parsed. Returns undefined when the cell
 * holds no statement (blank or comments only), null when the scan is not sure (unbalanced
 * brackets, an unterminated string): the caller then parses the whole cell.
 */
export function lastStatementStart(code: string): LastStatementStart | null | undefined {
  const n = code.length;
  let depth = 0;
  let row = 0;
  let lineStart = true;
  let continued = false;
  let last: LastStatementStart | null = null;
  let afterSemicolon = false;
  // Whether `;` on the current logical line separates top-level statements: the line starts at
  // column 0 and is not a compound statement's header (whose `;` splits its one-line suite).
  let semicolonSplitsTopLevel = false;
  let i = 0;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && !continued) {
        const first = code.charCodeAt(i);
        semicolonSplitsTopLevel = false;
        // Only a line starting at column 0 with code can start a top-level statement.
        if (first !== 32 && first !== 9 && first !== 12 && first !== 10 && first !== 35 && first !== 13) {
          const head = code.slice(i, i + 8);
          if (!CONTINUATION_CLAUSE.test(head)) last = { offset: i, row };
          semicolonSplitsTopLevel = !COMPOUND_HEADER.test(head);
        }
      }
      continued = false;
    }
    const c = code[i]!;
    if (afterSemicolon && c !== ' ' && c !== '\t' && c !== ';') {
      afterSemicolon = false;
      if (c !== '\n' && c !== '#' && c !== '\r') last = { offset: i, row };
    }
    switch (c) {
      case '\n':
        row++;
        lineStart = true;
        i++;
        continue;
      case '#':
        while (i < n && code[i] !== '\n') i++;
        continue;
      case '\\':
        // A backslash-newline joins the next line to this one: that line starts no statement.
        if (code[i + 1] === '\n' || (code[i + 1] === '\r' && code[i + 2] === '\n')) {
          continued = true;
          lineStart = true;
          row++;
          i += code[i + 1] === '\n' ? 2 : 3;
          continue;
        }
        i++;
        continue;
      case '(':
      case '[':
      case '{':
        depth++;
        i++;
        continue;
      case ')':
      case ']':
      case '}':
        depth--;
        if (depth < 0) return null;
        i++;
        continue;
      case ';':
        if (depth === 0 && semicolonSplitsTopLevel) afterSemicolon = true;
        i++;
        continue;
      case '"':
      case "'": {
        const end = skipString(code, i);
        if (end < 0) return null;
        for (let k = i; k < end; k++) if (code.charCodeAt(k) === 10) row++;
        i = end;
        continue;
      }
      default:
        i++;
    }
  }
  if (depth !== 0) return null;
  return last ?? undefined;
}

/** Index just past the string literal opening at `start`, or -1 when it never closes. */
function skipString(code: string, start: number): number {
  const quote = code[start]!;
  const triple = code[start + 1] === quote && code[start + 2] === quote;
  let i = start + (triple ? 3 : 1);
  const n = code.length;
  while (i < n) {
    const c = code[i]!;
    // A backslash escapes the next character in every kind of literal as far as tokenizing goes
    // (even raw strings cannot end on an odd backslash).
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (!triple) return i + 1;
      if (code[i + 1] === quote && code[i + 2] === quote) return i + 3;
    } else if (c === '\n' && !triple) {
      return -1;
    }
    i++;
  }
  return -1;
}

/**
 * Whether the code after a statement ends its cell with `;` (comments and blank space aside),
 * which is how IPython is told not to display the last expression's value.
 */
export function endsWithSemicolon(code: string, from: number): boolean {
  let i = from;
  let sawSemicolon = false;
  while (i < code.length) {
    const c = code[i]!;
    if (c === '#') {
      while (i < code.length && code[i] !== '\n') i++;
      continue;
    }
    if (c === ';') sawSemicolon = true;
    else if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '\f') return false;
    i++;
  }
  return sawSemicolon;
}
