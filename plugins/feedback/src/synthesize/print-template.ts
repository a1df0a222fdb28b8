import type { SyntaxNode, TemplatePart } from '@mle/core';

/** One value a print call writes: the expression and how it is formatted. */
export interface PrintHole {
  expression: string;
  /** The expression's syntax node, for the safety check. */
  node: SyntaxNode;
  /** Format spec without the colon (`.3f`), `%`-conversion (`.4f`), or null for `str()`. */
  spec: string | null;
  /** `!r` / `%r`: the repr is printed. */
  repr: boolean;
}

export interface PrintTemplate {
  /** Literal text and holes (hole numbers index `holes`). */
  parts: TemplatePart[];
  holes: PrintHole[];
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function unescape(text: string, raw: boolean): string {
  if (raw) return text;
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, c: string) =>
    c.length > 1 ? String.fromCharCode(parseInt(c.slice(1), 16)) : (ESCAPES[c] ?? `\\${c}`),
  );
}

/** The pieces of a string node: literal text and interpolations (f-strings). Null for bytes or unreadable strings. */
function stringPieces(node: SyntaxNode): { raw: boolean; pieces: ({ text: string } | { interpolation: SyntaxNode })[] } | null {
  const start = node.children.find((c) => c?.type === 'string_start');
  const prefix = (start?.text ?? '').replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b')) return null;
  const raw = prefix.includes('r');
  const fstring = prefix.includes('f');
  const pieces: ({ text: string } | { interpolation: SyntaxNode })[] = [];
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'string_content') pieces.push({ text: unescape(fstring ? child.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : child.text, raw) });
    else if (child.type === 'escape_sequence') pieces.push({ text: unescape(child.text, false) });
    else if (child.type === 'interpolation') pieces.push({ interpolation: child });
  }
  return { raw, pieces };
}

class Builder {
  parts: TemplatePart[] = [];
  holes: PrintHole[] = [];
  literal(text: string): void {
    if (text === '') return;
    const last = this.parts.at(-1);
    if (last && 'literal' in last) last.literal += text;
    else this.parts.push({ literal: text });
  }
  hole(hole: PrintHole): void {
    // Two holes side by side cannot be told apart.
    if (this.parts.at(-1) && 'hole' in this.parts.at(-1)!) throw new Error('adjacent holes');
    this.parts.push({ hole: this.holes.length });
    this.holes.push(hole);
  }
}

/** `%`-format: `'%.4f +/- %.4f' % (a, b)`. */
function percentFormat(builder: Builder, format: string, values: SyntaxNode[]): boolean {
  let v = 0;
  const re = /%(?:\(([^)]*)\))?([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([diouxXeEfFgGcrsa%])/g;
  let last = 0;
  for (const m of format.matchAll(re)) {
    builder.literal(format.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[5] === '%') {
      builder.literal('%');
      continue;
    }
    if (m[1] !== undefined || m[3] === '*' || m[4] === '*') return false;
    const node = values[v++];
    if (!node) return false;
    builder.hole({ expression: node.text, node, spec: `${m[2] ?? ''}${m[3] ?? ''}${m[4] !== undefined ? `.${m[4]}` : ''}${m[5]}`, repr: m[5] === 'r' });
  }
  builder.literal(format.slice(last));
  return v === values.length;
}

/** `'{:.3f} {}'.format(a, b)` with automatic or explicit positional fields. */
function braceFormat(builder: Builder, format: string, args: SyntaxNode[], keywords: Map<string, SyntaxNode>): boolean {
  let auto = 0;
  let last = 0;
  const re = /\{\{|\}\}|\{([^{}!:]*)(![rsa])?(?::([^{}]*))?\}/g;
  for (const m of format.matchAll(re)) {
    builder.literal(format.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[0] === '{{' || m[0] === '}}') {
      builder.literal(m[0][0]!);
      continue;
    }
    const field = m[1] ?? '';
    const node = field === '' ? args[auto++] : /^\d+$/.test(field) ? args[Number(field)] : keywords.get(field);
    if (!node) return false;
    builder.hole({ expression: node.text, node, spec: m[3] ?? null, repr: m[2] === '!r' });
  }
  builder.literal(format.slice(last));
  return true;
}

function stringText(node: SyntaxNode): string | null {
  if (node.type !== 'string') return null;
  const pieces = stringPieces(node);
  if (!pieces || pieces.pieces.some((p) => 'interpolation' in p)) return null;
  return pieces.pieces.map((p) => ('text' in p ? p.text : '')).join('');
}

/** Add one print argument's text to the template. */
function addArgument(builder: Builder, node: SyntaxNode): boolean {
  if (node.type === 'string') {
    const pieces = stringPieces(node);
    if (!pieces) return false;
    for (const piece of pieces.pieces) {
      if ('text' in piece) {
        builder.literal(piece.text);
        continue;
      }
      const interpolation = piece.interpolation;
      const expression = interpolation.childForFieldName('expression') ?? interpolation.namedChildren.find((c) => c && c.type !== 'type_conversion' && c.type !== 'format_specifier');
      if (!expression) return false;
      const conversion = interpolation.children.find((c) => c?.type === 'type_conversion')?.text ?? null;
      const spec = interpolation.children.find((c) => c?.type === 'format_specifier')?.text.replace(/^:/, '') ?? null;
      // `{x=}` self-documenting and nested `{w}` specs are not read back.
      if (interpolation.children.some((c) => c?.type === '=')) return false;
      if (spec?.includes('{')) return false;
      builder.hole({ expression: expression.text, node: expression, spec, repr: conversion === '!r' });
    }
    return true;
  }
  if (node.type === 'binary_operator' && node.childForFieldName('operator')?.text === '%') {
    const format = stringText(node.childForFieldName('left')!);
    const right = node.childForFieldName('right')!;
    if (format === null) return false;
    const values = right.type === 'tuple' ? right.namedChildren.filter((c): c is SyntaxNode => c !== null) : [right];
    return percentFormat(builder, format, values);
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
      const format = stringText(fn.childForFieldName('object')!);
      if (format !== null) {
        const args: SyntaxNode[] = [];
        const keywords = new Map<string, SyntaxNode>();
        for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
          if (!arg) continue;
          if (arg.type === 'keyword_argument') keywords.set(arg.childForFieldName('name')!.text, arg.childForFieldName('value')!);
          else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') return false;
          else args.push(arg);
        }
        return braceFormat(builder, format, args, keywords);
      }
    }
  }
  if (node.type === 'concatenated_string') return false;
  builder.hole({ expression: node.text, node, spec: null, repr: false });
  return true;
}

/**
 * The template of a `print(...)` call: what it writes, with a hole per formatted value. Null when
 * the call cannot be read back (writes to a file, `*args`, computed separators, adjacent holes).
 */
export function printTemplate(call: SyntaxNode): PrintTemplate | null {
  const args = call.childForFieldName('arguments');
  if (!args || args.type !== 'argument_list') return null;
  const positional: SyntaxNode[] = [];
  let sep = ' ';
  let end = '\n';
  for (const arg of args.namedChildren) {
    if (!arg || arg.type === 'comment') continue;
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = stringText(arg.childForFieldName('value')!);
      if (name === 'sep' && value !== null) sep = value;
      else if (name === 'end' && value !== null) end = value;
      else if (name === 'flush') continue;
      else return null;
    } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') return null;
    else positional.push(arg);
  }
  const builder = new Builder();
  try {
    for (const [i, arg] of positional.entries()) {
      if (i > 0) builder.literal(sep);
      if (!addArgument(builder, arg)) return null;
    }
    builder.literal(end);
  } catch {
    return null;
  }
  return { parts: builder.parts, holes: builder.holes };
}
