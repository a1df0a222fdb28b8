/**
 * Values read back from what a notebook printed or displayed: Python literals (numbers, strings,
 * tuples, lists), numpy scalars and arrays, pandas Index, Series and DataFrame text (and the HTML
 * table pandas writes beside it). Used to turn a stored output into an expected value and to read
 * the same value from a later run's output.
 */

export type ObservedValue =
  | { type: 'number'; value: number; integer: boolean; /** half a unit in the last printed digit */ halfUnit: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'none' }
  | { type: 'nan' }
  | { type: 'sequence'; kind: 'tuple' | 'list'; items: ObservedValue[] }
  | { type: 'index'; items: ObservedValue[] }
  | { type: 'array'; shape: number[]; values: ObservedValue[] }
  | { type: 'series'; index: string[]; values: ObservedValue[] }
  | { type: 'frame'; columns: string[]; index: string[]; rows: ObservedValue[][] };

const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A printed number and half a unit in its last printed digit (`0.805` → 0.0005, `1.2e-05` → 5e-8). */
export function parseNumber(text: string): ObservedValue | null {
  const t = text.trim().replace(/_/g, '');
  if (/^[-+]?nan$/i.test(t)) return { type: 'nan' };
  if (/^[-+]?inf$/i.test(t)) return { type: 'number', value: t.startsWith('-') ? -Infinity : Infinity, integer: false, halfUnit: 0 };
  if (!NUMBER.test(t)) return null;
  const value = Number(t);
  if (!Number.isFinite(value)) return null;
  const [mantissa = '', exponent] = t.toLowerCase().split('e');
  const decimals = mantissa.includes('.') ? mantissa.length - mantissa.indexOf('.') - 1 : 0;
  const integer = !mantissa.includes('.') && exponent === undefined;
  const halfUnit = 0.5 * 10 ** (-decimals + Number(exponent ?? 0));
  return { type: 'number', value, integer, halfUnit };
}

/** Split `a, b, (c, d)` at top-level commas, respecting brackets and quotes. */
function splitTopLevel(text: string, separator = ','): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (quote || depth !== 0) return null;
  parts.push(text.slice(start));
  return parts;
}

function parseStringLiteral(text: string): string | null {
  const m = /^(?:[rRuU]?)(['"])([\s\S]*)\1$/.exec(text);
  if (!m) return null;
  const body = m[2]!;
  if (new RegExp(`(?<!\\\\)${m[1]}`).test(body)) return null;
  return body.replace(/\\(['"\\nt])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** A Python literal as `repr` prints it (with numpy 2's `np.float64(…)` scalar reprs), or null. */
export function parseLiteral(text: string): ObservedValue | null {
  const t = text.trim();
  if (t === '') return null;
  const numpyScalar = /^np\.(?:float|int|uint|bool_?|str_)\w*\(([\s\S]*)\)$/.exec(t);
  if (numpyScalar) return parseLiteral(numpyScalar[1]!);
  const number = parseNumber(t);
  if (number) return number;
  if (t === 'True' || t === 'False') return { type: 'bool', value: t === 'True' };
  if (t === 'None') return { type: 'none' };
  const string = parseStringLiteral(t);
  if (string !== null) return { type: 'string', value: string };
  const open = t[0];
  const close = t[t.length - 1];
  if ((open === '(' && close === ')') || (open === '[' && close === ']')) {
    const inner = t.slice(1, -1).trim();
    if (inner === '') return { type: 'sequence', kind: open === '(' ? 'tuple' : 'list', items: [] };
    const parts = splitTopLevel(inner);
    if (!parts) return null;
    if (parts.at(-1)!.trim() === '') parts.pop();
    const items: ObservedValue[] = [];
    for (const part of parts) {
      const item = parseLiteral(part);
      if (!item) return null;
      items.push(item);
    }
    return { type: 'sequence', kind: open === '(' ? 'tuple' : 'list', items };
  }
  return null;
}

/** pandas `Index([...], dtype='object')` / `Index(['a', 'b'], dtype='object', name='x')`. */
function parseIndexRepr(text: string): ObservedValue | null {
  const m = /^(?:Index|RangeIndex|Int64Index|Float64Index)\((\[[\s\S]*\])\s*(?:,\s*dtype=[^)]*)?\)$/.exec(text.trim());
  if (!m) return null;
  const list = parseLiteral(m[1]!.replace(/\n\s*/g, ' '));
  return list && list.type === 'sequence' ? { type: 'index', items: list.items } : null;
}

/** numpy's `str` of an array (`[[0.074 0.926 0.   ]\n [0.208 …]]`) or its `repr` (`array([...])`). */
export function parseArray(text: string): ObservedValue | null {
  let t = text.trim();
  const repr = /^array\(([\s\S]*?)(?:,\s*dtype=\w+)?\)$/.exec(t);
  if (repr) t = repr[1]!.replace(/,/g, ' ');
  if (!t.startsWith('[') || t.includes('...')) return null;
  const shape: number[] = [];
  const values: ObservedValue[] = [];
  let pos = 0;
  const skip = () => {
    while (pos < t.length && /\s/.test(t[pos]!)) pos++;
  };
  const parseLevel = (depth: number): number | null => {
    skip();
    if (t[pos] !== '[') return null;
    pos++;
    let count = 0;
    for (;;) {
      skip();
      if (t[pos] === ']') {
        pos++;
        break;
      }
      if (t[pos] === '[') {
        if (parseLevel(depth + 1) === null) return null;
      } else {
        const m = /^[^\s\]]+/.exec(t.slice(pos));
        if (!m) return null;
        const value = parseNumber(m[0]) ?? (m[0] === 'True' || m[0] === 'False' ? { type: 'bool' as const, value: m[0] === 'True' } : null);
        if (!value) return null;
        values.push(value);
        pos += m[0].length;
      }
      count++;
    }
    if (shape[depth] === undefined) shape[depth] = count;
    else if (shape[depth] !== count) return null;
    return count;
  };
  if (parseLevel(0) === null) return null;
  skip();
  if (pos !== t.length || values.length === 0) return null;
  return { type: 'array', shape, values };
}

function parseCell(token: string): ObservedValue {
  return parseNumber(token) ?? (token === 'True' || token === 'False' ? { type: 'bool', value: token === 'True' } : token === 'None' ? { type: 'none' } : { type: 'string', value: token });
}

const SERIES_FOOTER = /^(?:Name: .*, )?(?:Length: \d+, )?dtype: \S+$|^Name: [^,]*$/;

/**
 * pandas Series text: `key   value` rows, optionally an index-name header line (pandas ≥ 2's
 * value_counts) and a `Name: …, dtype: …` footer. Keys may contain spaces; the value is the last token.
 */
export function parseSeriesText(text: string): ObservedValue | null {
  const lines = text.replace(/\s+$/, '').split('\n');
  if (lines.length < 2) return null;
  const footer = lines.at(-1)!.trim();
  if (!SERIES_FOOTER.test(footer)) return null;
  const rows = lines.slice(0, -1);
  if (rows.some((line) => line.includes('...'))) return null;
  const index: string[] = [];
  const values: ObservedValue[] = [];
  for (const [i, line] of rows.entries()) {
    const m = /^(.*?\S)\s{2,}(\S+)$|^(\S+)\s+(\S+)$/.exec(line.trimEnd());
    if (!m) {
      // A lone first line is the index's name (pandas ≥ 2 prints it for value_counts).
      if (i === 0 && /^\S+$/.test(line.trim())) continue;
      return null;
    }
    index.push((m[1] ?? m[3])!.trim());
    values.push(parseCell((m[2] ?? m[4])!));
  }
  return index.length > 0 ? { type: 'series', index, values } : null;
}

function decodeHtml(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The table pandas writes as `text/html` (`<table class="dataframe">`), or null. */
export function parseFrameHtml(html: string): ObservedValue | null {
  const table = /<table[^>]*class="dataframe"[^>]*>([\s\S]*?)<\/table>/.exec(html);
  if (!table) return null;
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(table[1]!)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1]!)?.[1] ?? '';
  const rowsOf = (part: string) => [...part.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<(t[hd])[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => ({ tag: c[1]!, text: decodeHtml(c[2]!) })));
  const headRows = rowsOf(head);
  const bodyRows = rowsOf(body);
  if (headRows.length === 0 || headRows.length > 2 || bodyRows.length === 0) return null;
  // A second header row names the index (groupby results); its other cells are empty.
  if (headRows.length === 2 && headRows[1]!.slice(1).some((c) => c.text !== '')) return null;
  const columns = headRows[0]!.slice(1).map((c) => c.text);
  const index: string[] = [];
  const rows: ObservedValue[][] = [];
  for (const row of bodyRows) {
    if (row[0]?.tag !== 'th' || row.length !== columns.length + 1) return null;
    index.push(row[0].text);
    rows.push(row.slice(1).map((c) => (c.text === 'NaN' ? { type: 'nan' as const } : parseCell(c.text))));
  }
  // A truncated display shows `...` cells: the frame is not all there.
  if (columns.includes('...') || index.includes('...')) return null;
  return { type: 'frame', columns, index, rows };
}

/** The value a text/plain output (and its text/html, when pandas wrote a table) shows, or null. */
export function parseOutputValue(text: string, html?: string | null): ObservedValue | null {
  if (html) {
    const frame = parseFrameHtml(html);
    if (frame) return frame;
  }
  const t = text.trim();
  return parseLiteral(t) ?? parseIndexRepr(t) ?? parseArray(t) ?? parseSeriesText(t);
}

export interface ValueTolerance {
  /** Numbers may differ by this much (absolute), when set. */
  abs?: number;
  /** Numbers may differ by this fraction of the expected value, when set. */
  rel?: number;
}

/** The widest half-unit among a value's numbers: how precisely it was printed. */
export function printedHalfUnit(value: ObservedValue): number {
  switch (value.type) {
    case 'number':
      return value.integer ? 0 : value.halfUnit;
    case 'sequence':
    case 'index':
    case 'array':
    case 'series': {
      const items = value.type === 'sequence' || value.type === 'index' ? value.items : value.values;
      return Math.max(0, ...items.map(printedHalfUnit));
    }
    case 'frame':
      return Math.max(0, ...value.rows.flat().map(printedHalfUnit));
    default:
      return 0;
  }
}

/** Whether the value holds a non-integer number (so comparing it needs a tolerance). */
export function hasFloat(value: ObservedValue): boolean {
  return printedHalfUnit(value) > 0 || (value.type === 'number' && !value.integer);
}

function numbersClose(expected: number, observed: number, tolerance: ValueTolerance): boolean {
  if (expected === observed) return true;
  const diff = Math.abs(expected - observed);
  const abs = tolerance.abs ?? 0;
  const rel = (tolerance.rel ?? 0) * Math.abs(expected);
  return diff <= Math.max(abs, rel) * (1 + 1e-9);
}

/** A short description of a value as a Python-ish literal, for messages. */
export function describeValue(value: ObservedValue, maxChars = 80): string {
  let text: string;
  switch (value.type) {
    case 'number':
      text = String(value.value);
      break;
    case 'string':
      text = JSON.stringify(value.value).replace(/^"|"$/g, "'");
      break;
    case 'bool':
      text = value.value ? 'True' : 'False';
      break;
    case 'none':
      text = 'None';
      break;
    case 'nan':
      text = 'nan';
      break;
    case 'sequence':
      text = value.kind === 'tuple' ? `(${value.items.map((i) => describeValue(i)).join(', ')}${value.items.length === 1 ? ',' : ''})` : `[${value.items.map((i) => describeValue(i)).join(', ')}]`;
      break;
    case 'index':
      text = `Index([${value.items.map((i) => describeValue(i)).join(', ')}])`;
      break;
    case 'array':
      text = `array(shape=(${value.shape.join(', ')}), [${value.values.slice(0, 6).map((i) => describeValue(i)).join(', ')}${value.values.length > 6 ? ', …' : ''}])`;
      break;
    case 'series':
      text = `{${value.index.map((k, i) => `${k}: ${describeValue(value.values[i]!)}`).join(', ')}}`;
      break;
    case 'frame':
      text = `frame ${value.index.length}×${value.columns.length} [${value.columns.join(', ')}]`;
      break;
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

/**
 * Whether `observed` matches `expected` as the synthesized assertion would judge it: numbers
 * within the tolerance, everything else equal; Series compared as mappings when `unordered`
 * (value counts, dtypes). Returns null when they match, else what differs.
 */
export function compareValues(expected: ObservedValue, observed: ObservedValue, tolerance: ValueTolerance, unordered = false): string | null {
  const differ = () => `${describeValue(expected)} → ${describeValue(observed)}`;
  if (expected.type === 'number' && observed.type === 'number') return numbersClose(expected.value, observed.value, tolerance) ? null : differ();
  if (expected.type !== observed.type) {
    // A tuple printed by print() and by repr() is the same value; lists vs Index are not.
    return differ();
  }
  switch (expected.type) {
    case 'string':
    case 'bool':
      return expected.value === (observed as typeof expected).value ? null : differ();
    case 'none':
    case 'nan':
      return null;
    case 'sequence':
    case 'index': {
      const o = observed as typeof expected;
      if (expected.items.length !== o.items.length) return differ();
      for (let i = 0; i < expected.items.length; i++) if (compareValues(expected.items[i]!, o.items[i]!, tolerance) !== null) return differ();
      return null;
    }
    case 'array': {
      const o = observed as typeof expected;
      if (expected.shape.join('x') !== o.shape.join('x')) return `shape (${expected.shape.join(', ')}) → (${o.shape.join(', ')})`;
      for (let i = 0; i < expected.values.length; i++) {
        if (compareValues(expected.values[i]!, o.values[i]!, tolerance) !== null) return `element ${i}: ${describeValue(expected.values[i]!)} → ${describeValue(o.values[i]!)}`;
      }
      return null;
    }
    case 'series': {
      const o = observed as typeof expected;
      if (expected.index.length !== o.index.length) return `length ${expected.index.length} → ${o.index.length}`;
      const observedByKey = new Map(o.index.map((k, i) => [k, o.values[i]!]));
      for (let i = 0; i < expected.index.length; i++) {
        const key = expected.index[i]!;
        const other = unordered ? observedByKey.get(key) : o.index[i] === key ? o.values[i] : undefined;
        if (!other) return `${key} missing`;
        if (compareValues(expected.values[i]!, other, tolerance) !== null) return `${key}: ${describeValue(expected.values[i]!)} → ${describeValue(other)}`;
      }
      return null;
    }
    case 'frame': {
      const o = observed as typeof expected;
      if (expected.columns.join('\u0000') !== o.columns.join('\u0000')) return `columns [${expected.columns.join(', ')}] → [${o.columns.join(', ')}]`;
      if (expected.index.length !== o.index.length) return `shape (${expected.index.length}, ${expected.columns.length}) → (${o.index.length}, ${o.columns.length})`;
      for (let r = 0; r < expected.rows.length; r++) {
        for (let c = 0; c < expected.columns.length; c++) {
          const e = expected.rows[r]![c]!;
          const v = o.rows[r]![c]!;
          if (compareValues(e, v, tolerance) !== null) return `[${expected.index[r]}, ${expected.columns[c]}]: ${describeValue(e)} → ${describeValue(v)}`;
        }
      }
      return null;
    }
  }
  return null;
}
