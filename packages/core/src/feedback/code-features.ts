/**
 * What the category rules look at in a feedback statement, extracted from its text in one pass
 * (no syntax tree: the names and shapes the rules need are lexical, and staying in JS avoids
 * wasm crossings per node).
 */
export interface CodeFeatures {
  /** The code with every string literal's text replaced by `S` (f-string expressions kept). */
  code: string;
  /** Last segment of every called name, lowercased: `len`, `value_counts`, `exists`. */
  calls: Set<string>;
  /** Every dotted call chain, lowercased: `os.path.exists`, `torch.cuda.is_available`. */
  dottedCalls: string[];
  /** Every dotted chain, called or not, lowercased: `tf.__version__`, `history.history`. */
  chains: string[];
  /** Attribute names read without a call, lowercased (`shape`, `dtypes`), plus `T` kept as is. */
  attributes: Set<string>;
  /** Identifier parts, lowercased, split at `_`, camelCase and digits (`val_acc` → val, acc). */
  tokens: Set<string>;
  /** Whole identifiers, lowercased. */
  names: Set<string>;
  /** Lowercased words of the string literals (messages, labels, format strings). */
  words: Set<string>;
  /** The whole expression is one identifier (`df`, `model`). */
  bareName: string | null;
  /** The whole expression is a literal (a string, a number). */
  literal: boolean;
}

const IDENTIFIER_CHAIN = /[A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)*/g;
const WORD = /[a-z][a-z0-9]*/g;
/** Exception class names say nothing about what is checked (`ValueError` is not an error metric). */
const EXCEPTION_NAME = /(?:Error|Exception|Warning)$/;

/** Split an identifier into lowercased parts: `rocAucScore2` → roc, auc, score, 2; `val_acc` → val, acc. */
export function identifierParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/_+/)
    .filter((part) => part.length > 0);
}

/** Strings out, words collected; f-string replacement fields stay in the code. */
function stripStrings(code: string, words: Set<string>): string {
  let out = '';
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code[i]!;
    if (c === '#') {
      while (i < n && code[i] !== '\n') i++;
      continue;
    }
    if (c !== '"' && c !== "'") {
      out += c;
      i++;
      continue;
    }
    // The prefix (f, rb, ...) was copied already; an f-string keeps its `{expr}` parts as code.
    let p = out.length - 1;
    while (p >= 0 && /[A-Za-z]/.test(out[p]!)) p--;
    const prefix = out.slice(p + 1).toLowerCase();
    const isF = prefix.length <= 3 && prefix.includes('f') && /^[rbfu]*$/.test(prefix);
    const triple = code[i + 1] === c && code[i + 2] === c;
    let j = i + (triple ? 3 : 1);
    let text = '';
    let fields = '';
    while (j < n) {
      const d = code[j]!;
      if (d === '\\') {
        text += ' ';
        j += 2;
        continue;
      }
      if (d === c && (!triple || (code[j + 1] === c && code[j + 2] === c))) {
        j += triple ? 3 : 1;
        break;
      }
      if (isF && d === '{') {
        if (code[j + 1] === '{') {
          j += 2;
          continue;
        }
        let depth = 1;
        let k = j + 1;
        let field = '';
        while (k < n && depth > 0) {
          const e = code[k]!;
          if (e === '{') depth++;
          else if (e === '}') depth--;
          if (depth > 0) field += e;
          k++;
        }
        // Drop the format spec and conversion (`:.4f`, `!r`) but keep the expression.
        fields += ` ${field.replace(/![rsa]$/, '').replace(/:[^()[\]]*$/, '')} `;
        j = k;
        continue;
      }
      text += d;
      j++;
    }
    for (const word of text.toLowerCase().match(WORD) ?? []) words.add(word);
    out = out.slice(0, p + 1) + 'S' + (fields ? ` (${fields})` : '');
    i = j;
  }
  return out;
}

/** Extract the lexical features of one feedback statement. */
export function codeFeatures(source: string): CodeFeatures {
  const words = new Set<string>();
  const code = stripStrings(source, words);
  const calls = new Set<string>();
  const dottedCalls: string[] = [];
  const chains: string[] = [];
  const attributes = new Set<string>();
  const tokens = new Set<string>();
  const names = new Set<string>();
  IDENTIFIER_CHAIN.lastIndex = 0;
  for (let match = IDENTIFIER_CHAIN.exec(code); match; match = IDENTIFIER_CHAIN.exec(code)) {
    const start = match.index;
    const before = start > 0 ? code[start - 1]! : '';
    // A chain glued to a number (`1e5`) or after a dot (`)(.attr)`) is handled by the dot branch.
    if (/[0-9]/.test(before)) continue;
    const parts = match[0].split(/\s*\.\s*/);
    let k = start + match[0].length;
    while (k < code.length && (code[k] === ' ' || code[k] === '\t')) k++;
    const called = code[k] === '(';
    const afterDot = before === '.' || /\.\s*$/.test(code.slice(Math.max(0, start - 4), start));
    parts.forEach((part, index) => {
      if (part === 'S' && index === 0) return;
      const lower = part.toLowerCase();
      const isLast = index === parts.length - 1;
      if (!EXCEPTION_NAME.test(part)) {
        names.add(lower);
        for (const piece of identifierParts(part)) tokens.add(piece);
      }
      if (isLast && called) calls.add(lower);
      else if (index > 0 || afterDot) attributes.add(part === 'T' ? 'T' : lower);
    });
    if (parts.length > 1) {
      const chain = parts.join('.').toLowerCase();
      chains.push(chain);
      if (called) dottedCalls.push(chain);
    }
  }
  const trimmed = source.trim();
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(trimmed) ? trimmed : null;
  // After stripping, a lone string is its prefix letters and `S`; implicit concatenation gives `S S`.
  const literal = /^(?:[rRbBuUfF]{0,2}S\s*)+$/.test(code.trim()) || /^-?[0-9][0-9_.eE+-]*$/.test(trimmed);
  return { code, calls, dottedCalls, chains, attributes, tokens, names, words, bareName: bare, literal };
}
