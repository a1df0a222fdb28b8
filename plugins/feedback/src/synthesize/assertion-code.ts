import type { ObservedValue, ValueTolerance } from '@mle/core';

/** What an assertion checks; decides its form and how a later output is compared. */
export const ASSERTION_KINDS = ['shape', 'length', 'number', 'metric', 'dtypes', 'columns', 'value-counts', 'series', 'frame', 'array', 'sequence', 'literal'] as const;
export type AssertionKind = (typeof ASSERTION_KINDS)[number];

/** Longest assertion written; larger observed values are summarized by their shape instead. */
export const MAX_ASSERTION_CHARS = 4000;

/** A JS number as a Python literal. */
export function pyNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`${value} has no Python literal`);
  return Number.isInteger(value) && Math.abs(value) < 1e16 ? String(value) : String(value).replace(/^(-?)\./, '$10.');
}

/** A Python string literal (JSON's escapes are Python's). */
export function pyString(value: string): string {
  return JSON.stringify(value);
}

/** A value as a Python literal: exact values only (null when it holds something without one). */
export function pyLiteral(value: ObservedValue): string | null {
  switch (value.type) {
    case 'number':
      return Number.isFinite(value.value) ? pyNumber(value.value) : null;
    case 'string':
      return pyString(value.value);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'sequence': {
      const items = value.items.map(pyLiteral);
      if (items.some((i) => i === null)) return null;
      return value.kind === 'tuple' ? `(${items.join(', ')}${items.length === 1 ? ',' : ''})` : `[${items.join(', ')}]`;
    }
    case 'index':
      return pyLiteral({ type: 'sequence', kind: 'list', items: value.items });
    default:
      return null;
  }
}

const numbers = (values: readonly ObservedValue[]): number[] | null => {
  const out: number[] = [];
  for (const v of values) {
    if (v.type !== 'number' || !Number.isFinite(v.value)) return null;
    out.push(v.value);
  }
  return out;
};

const strings = (values: readonly string[]) => `[${values.map(pyString).join(', ')}]`;
const closeAll = (actual: string, expected: number[], tol: number) => `all(abs(a - b) <= ${pyNumber(tol)} for a, b in zip(${actual}, [${expected.map(pyNumber).join(', ')}]))`;

/**
 * The Python assertion that `expression` still has the observed value: `==` for exact values,
 * `abs(x - v) <= tol` for printed floats. `(lambda s: …)(E)` evaluates the expression once.
 * Null when the value has no faithful check of this kind.
 */
export function assertionCode(kind: AssertionKind, expression: string, value: ObservedValue, tolerance: ValueTolerance | null): string | null {
  const e = `(${expression})`;
  const tol = tolerance?.abs ?? 0;
  let code: string | null = null;
  switch (kind) {
    case 'shape':
    case 'length':
    case 'literal':
    case 'sequence': {
      if (tolerance === null) {
        const literal = pyLiteral(value);
        code = literal === null ? null : value.type === 'string' ? `assert str${e} == ${literal}` : `assert ${e} == ${literal}`;
      } else if (value.type === 'sequence') {
        const expected = numbers(value.items);
        code = expected ? `assert (lambda t: len(t) == ${expected.length} and ${closeAll('t', expected, tol)})${e}` : null;
      }
      break;
    }
    case 'number':
      if (value.type !== 'number') break;
      code = tolerance === null ? `assert ${e} == ${pyNumber(value.value)}` : `assert abs(${e} - ${pyNumber(value.value)}) <= ${pyNumber(tol)}`;
      break;
    case 'metric':
      if (value.type !== 'number' || !tolerance?.rel) break;
      code = `assert abs(${e} - ${pyNumber(value.value)}) <= ${pyNumber(tolerance.rel)} * abs(${pyNumber(value.value)})`;
      break;
    case 'columns':
      if (value.type === 'index' || value.type === 'sequence') code = `assert [str(c) for c in ${e}] == ${strings(value.items.map((i) => (i.type === 'string' ? i.value : pyLiteral(i) ?? '?')))}`;
      break;
    case 'dtypes':
      if (value.type === 'series') code = `assert {str(k): str(v) for k, v in ${e}.items()} == {${value.index.map((k, i) => `${pyString(k)}: ${pyString(value.values[i]!.type === 'string' ? (value.values[i] as { value: string }).value : '?')}`).join(', ')}}`;
      break;
    case 'value-counts':
    case 'series': {
      if (value.type !== 'series') break;
      if (tolerance === null) {
        const items = value.values.map(pyLiteral);
        if (items.some((i) => i === null)) break;
        code = `assert {str(k): v for k, v in ${e}.items()} == {${value.index.map((k, i) => `${pyString(k)}: ${items[i]}`).join(', ')}}`;
      } else {
        const expected = numbers(value.values);
        if (!expected) break;
        code = `assert (lambda s: [str(k) for k in s.index] == ${strings(value.index)} and ${closeAll('s.tolist()', expected, tol)})${e}`;
      }
      break;
    }
    case 'frame': {
      if (value.type !== 'frame') break;
      const shape = `d.shape == (${value.index.length}, ${value.columns.length})`;
      const expected = numbers(value.rows.flat());
      code = expected
        ? `assert (lambda d: [str(c) for c in d.columns] == ${strings(value.columns)} and ${shape} and ${closeAll('d.to_numpy(dtype=float).ravel().tolist()', expected, tol)})${e}`
        : `assert (lambda d: [str(c) for c in d.columns] == ${strings(value.columns)} and ${shape})${e}`;
      break;
    }
    case 'array': {
      if (value.type !== 'array') break;
      const expected = numbers(value.values);
      if (!expected) break;
      code = `assert (lambda a: a.shape == (${value.shape.join(', ')}${value.shape.length === 1 ? ',' : ''}) and ${closeAll('a.ravel().tolist()', expected, tol)})(__import__('numpy').asarray${e})`;
      break;
    }
  }
  return code !== null && code.length <= MAX_ASSERTION_CHARS ? code : null;
}
