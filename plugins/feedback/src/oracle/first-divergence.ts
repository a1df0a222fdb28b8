import {
  compareValues,
  describeValue,
  executeResultOf,
  isObjectRepr,
  isValueText,
  matchTemplate,
  normalizeOutputText,
  stdoutText,
  type NormalizedCell,
  type NormalizedNotebook,
  type ObservedValue,
} from '@mle/core';
import type { StoredAssertion } from '../synthesize/assertion-store.js';
import { readValue } from '../synthesize/propose-assertions.js';
import { unseededRandomness } from '../synthesize/unseeded-randomness.js';
import { MARKER } from '../validate/instrument-notebook.js';

export interface Divergence {
  cell: number;
  /** `assertion`: a validated assertion's value changed; `text`: the normalized output text did; `error`: the cell raised. */
  via: 'assertion' | 'text' | 'error';
  assertionId: number | null;
  expression: string | null;
  expected: string | null;
  observed: string | null;
  /** "diverges first at cell 14: `df.shape` was (891, 12), now (891, 11)" */
  message: string;
}

export interface OracleVerdict {
  divergence: Divergence | null;
  cellsCompared: number;
  assertionsChecked: number;
}

/** The part of an assertion's check a later output is held to (frames without numbers: columns and shape only). */
function checkedPart(kind: StoredAssertion['kind'], value: ObservedValue): ObservedValue {
  if (kind === 'frame' && value.type === 'frame' && value.rows.flat().some((v) => v.type !== 'number')) {
    return { ...value, rows: value.rows.map((r) => r.map(() => ({ type: 'none' as const }))) };
  }
  return value;
}

/** Read an assertion's value from a cell's outputs, as it was read from the stored ones. */
export function observedValueOf(assertion: StoredAssertion, outputs: readonly unknown[]): ObservedValue | null {
  const extraction = assertion.extraction;
  if (extraction.channel === 'execute_result') {
    const result = executeResultOf(outputs);
    return result ? readValue(result.text, result.html, extraction.reader ?? 'value', false) : null;
  }
  const holes = matchTemplate(extraction.template, stdoutText(outputs).replace(MARKER, ''), isValueText);
  const text = holes?.get(extraction.hole);
  return text === undefined ? null : readValue(text, null, extraction.reader ?? 'value', true);
}

/** Whether the later value passes the assertion's check; null when it does, else what changed. */
export function checkAssertion(assertion: StoredAssertion, observed: ObservedValue | null): string | null {
  if (!observed) return 'the value is no longer shown';
  const unordered = assertion.kind === 'value-counts' || assertion.kind === 'dtypes';
  return compareValues(checkedPart(assertion.kind, assertion.observed), checkedPart(assertion.kind, observed), assertion.tolerance ?? {}, unordered);
}

function cellError(cell: NormalizedCell): string | null {
  for (const output of cell.outputs) {
    const o = output as { output_type?: string; ename?: string; evalue?: string };
    if (o.output_type === 'error') return `${o.ename ?? 'Error'}: ${(o.evalue ?? '').split('\n')[0]}`;
  }
  return null;
}

/** The text a reader compares: stdout and the displayed value, normalized; numbers masked after unseeded randomness. */
function comparableText(cell: NormalizedCell, random: boolean): string {
  const result = executeResultOf(cell.outputs);
  const shown = result && !isObjectRepr(result.text) ? result.text : '';
  let text = `${normalizeOutputText(stdoutText(cell.outputs).replace(MARKER, ''))}\n${normalizeOutputText(shown)}`;
  if (random) text = text.replace(/[-+]?\d*\.\d+(?:[eE][-+]?\d+)?/g, '<num>');
  return text;
}

const quote = (text: string, max = 70) => `\`${text.length > max ? `${text.slice(0, max - 1)}…` : text}\``;

/**
 * The first code cell whose observed values left the stored ones: a validated assertion's value
 * (read back from the new outputs), a cell raising where it did not, or its normalized text output
 * (stdout and displayed value, with sanitizers). Cells are compared in order; the run is assumed
 * to execute the same cells as the stored notebook (cells are matched by index).
 */
export interface FirstDivergenceOptions {
  /** Also compare normalized text outputs (default true); false: only the validated assertions and errors. */
  text?: boolean;
}

export function firstDivergence(stored: NormalizedNotebook, executed: NormalizedNotebook, assertions: readonly StoredAssertion[], options: FirstDivergenceOptions = {}): OracleVerdict {
  const compareText = options.text ?? true;
  const executedByIndex = new Map(executed.cells.map((cell) => [cell.index, cell]));
  const codeCells = stored.cells.filter((cell) => cell.cellType === 'code');
  const random = unseededRandomness(codeCells.map((cell) => cell.source));
  let cellsCompared = 0;
  let assertionsChecked = 0;
  for (const [position, cell] of codeCells.entries()) {
    const now = executedByIndex.get(cell.index);
    if (!now || (now.executionCount === null && now.outputs.length === 0)) break;
    cellsCompared++;
    const at = `diverges first at cell ${cell.index}`;
    // A cell that raised (or was interrupted) where it did not is the divergence, whatever it printed first.
    const error = cellError(now);
    if (error && !cellError(cell)) {
      return { divergence: { cell: cell.index, via: 'error', assertionId: null, expression: null, expected: null, observed: error, message: `${at}: raised ${error}` }, cellsCompared, assertionsChecked };
    }
    for (const assertion of assertions.filter((a) => a.cell === cell.index)) {
      assertionsChecked++;
      const observed = observedValueOf(assertion, now.outputs);
      const change = checkAssertion(assertion, observed);
      if (change === null) continue;
      const expected = describeValue(assertion.observed);
      const seen = observed ? describeValue(observed) : null;
      return {
        divergence: {
          cell: cell.index,
          via: 'assertion',
          assertionId: assertion.id,
          expression: assertion.expression,
          expected,
          observed: seen,
          message: seen ? `${at}: ${quote(assertion.expression)} was ${expected}, now ${seen}` : `${at}: ${quote(assertion.expression)} was ${expected}, now not shown`,
        },
        cellsCompared,
        assertionsChecked,
      };
    }
    if (!compareText) continue;
    const before = comparableText(cell, random[position] !== null);
    const after = comparableText(now, random[position] !== null);
    if (before !== after) {
      const a = before.split('\n');
      const b = after.split('\n');
      let line = 0;
      while (line < Math.min(a.length, b.length) && a[line] === b[line]) line++;
      const expected = a[line] ?? '';
      const observed = b[line] ?? '';
      return {
        divergence: { cell: cell.index, via: 'text', assertionId: null, expression: null, expected, observed, message: `${at}: output line ${line + 1} was ${quote(expected)}, now ${quote(observed)}` },
        cellsCompared,
        assertionsChecked,
      };
    }
  }
  return { divergence: null, cellsCompared, assertionsChecked };
}
