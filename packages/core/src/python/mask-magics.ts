import { continuationLines } from './continuation-lines.js';

/** A line that IPython would transform before Python sees it. */
export interface MaskedLine {
  /** 1-based line within the cell. */
  line: number;
  kind: 'line-magic' | 'cell-magic' | 'shell' | 'help' | 'assigned-magic';
  text: string;
}

export interface MaskedSource {
  /** The cell with IPython syntax blanked out; same number of lines as the input. */
  code: string;
  masked: MaskedLine[];
  /** A cell magic whose body is not Python (`%%bash`, `%%writefile`, ...): nothing to analyse. */
  foreignCell: string | null;
}

/** Cell magics whose body is still Python; every other `%%` cell is skipped whole. */
const PYTHON_BODY_CELL_MAGICS = new Set(['time', 'timeit', 'capture', 'prun', 'debug', 'python', 'python3', 'ipython', 'pypy', 'memit', 'mprun', 'skip', 'cython', 'tensorflow_version']);

const ASSIGNED_MAGIC = /^(\s*[A-Za-z_][\w.,\s\[\]]*?=\s*)([!%].*)$/;

/** Same-length filler so that columns after the masked text keep their offsets. */
function filler(length: number, value: string): string {
  return value.length >= length ? value : value + ' '.repeat(length - value.length);
}

/**
 * Blank out what IPython transforms (`%magic`, `%%cell magic`, `!shell`, `x = !cmd`, `obj?`) so
 * that tree-sitter sees plain Python while line numbers stay those of the notebook. A masked
 * statement becomes `pass` (or `None` on the right of an assignment), so an indented block that
 * held only a magic still parses. A `%` or `!` that continues an expression (inside brackets, a
 * triple-quoted string or after a backslash) is the operator it looks like and stays code.
 */
export function maskMagics(source: string): MaskedSource {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const masked: MaskedLine[] = [];
  const firstCode = lines.findIndex((line) => line.trim() !== '');
  const first = firstCode >= 0 ? lines[firstCode]!.trim() : '';
  if (first.startsWith('%%')) {
    const name = first.slice(2).split(/\s/)[0] ?? '';
    masked.push({ line: firstCode + 1, kind: 'cell-magic', text: first });
    if (!PYTHON_BODY_CELL_MAGICS.has(name)) {
      return { code: lines.map(() => '').join('\n'), masked, foreignCell: name };
    }
    lines[firstCode] = '';
  }
  const continued = continuationLines(lines);
  let continuing = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!continuing && continued.has(i)) continue;
    const trimmed = line.trimStart();
    const indent = line.slice(0, line.length - trimmed.length);
    if (continuing) {
      masked.push({ line: i + 1, kind: 'line-magic', text: line });
      lines[i] = '';
      continuing = trimmed.endsWith('\\');
      continue;
    }
    let kind: MaskedLine['kind'] | null = null;
    if (trimmed.startsWith('%') || trimmed.startsWith('!')) kind = trimmed.startsWith('!') ? 'shell' : 'line-magic';
    else if (/^\?\??[\w.]/.test(trimmed) || /^[\w.\[\]()]+\?\??\s*$/.test(trimmed)) kind = 'help';
    if (kind) {
      masked.push({ line: i + 1, kind, text: trimmed });
      lines[i] = indent + filler(trimmed.length, 'pass');
      continuing = trimmed.endsWith('\\');
      continue;
    }
    const assigned = ASSIGNED_MAGIC.exec(line);
    if (assigned && !assigned[1]!.includes('==')) {
      masked.push({ line: i + 1, kind: 'assigned-magic', text: assigned[2]! });
      lines[i] = assigned[1]! + filler(assigned[2]!.length, 'None');
      continuing = assigned[2]!.endsWith('\\');
    }
  }
  return { code: lines.join('\n'), masked, foreignCell: null };
}
