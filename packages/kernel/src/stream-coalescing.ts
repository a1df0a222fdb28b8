import type { NormalizedCell } from '@mle/core';

export type CellOutput = NormalizedCell['outputs'][number];
export type StreamOutput = Extract<CellOutput, { output_type: 'stream' }>;

// Python's `.` matches `\r`, JavaScript's does not: `[^\n]` is nbclient's `.`.
const CARRIAGE_RETURN = /[^\n]*\r(?=[^\n])/g;
const BACKSPACE = /[^\n\x08]\x08/g;

export function isStream(output: CellOutput): output is StreamOutput {
  return output.output_type === 'stream';
}

export function streamText(output: StreamOutput): string {
  return Array.isArray(output.text) ? output.text.join('') : output.text;
}

/**
 * Apply terminal overwrites the way a console shows them: a backspace erases the character before
 * it, and a carriage return not followed by a newline erases its line so far (progress bars).
 * Same rules as nbclient's coalesce_streams, whose backspace pass never runs because its regex
 * uses `\b` (a word boundary in Python); here the backspace character is matched as `\x08`.
 */
export function applyTerminalControls(text: string): string {
  let result = text;
  if (result.includes('\x08')) {
    let before: string;
    do {
      before = result;
      result = result.replace(BACKSPACE, '');
    } while (result.length < before.length);
  }
  return result.includes('\r') ? result.replace(CARRIAGE_RETURN, '') : result;
}

/**
 * Append a stream chunk to text already shown, applying terminal controls to the open last line
 * only: lines before the last newline are final, so the work per chunk stays small.
 */
export function appendStreamText(existing: string, chunk: string, applyControls: boolean): string {
  if (!applyControls) return existing + chunk;
  const lineStart = existing.lastIndexOf('\n') + 1;
  return existing.slice(0, lineStart) + applyTerminalControls(existing.slice(lineStart) + chunk);
}

/**
 * nbclient's coalesce_streams: all stdout text goes into the first stdout output and all stderr
 * into the first stderr output, terminal controls are applied, and a stderr output directly
 * followed by a stdout output is swapped with it (the two streams race, so order is not meaningful).
 * Outputs in `keepAsIs` (such as a truncation marker) are left where they are and never merged.
 */
export function coalesceStreams(outputs: readonly CellOutput[], keepAsIs: ReadonlySet<CellOutput> = new Set()): CellOutput[] {
  const merged: CellOutput[] = [];
  const firstByName = new Map<string, StreamOutput>();
  for (const output of outputs) {
    if (!isStream(output) || keepAsIs.has(output)) {
      merged.push(output);
      continue;
    }
    const first = firstByName.get(output.name);
    if (first) {
      first.text = streamText(first) + streamText(output);
    } else {
      const copy: StreamOutput = { ...output, text: streamText(output) };
      firstByName.set(output.name, copy);
      merged.push(copy);
    }
  }
  for (const output of firstByName.values()) output.text = applyTerminalControls(streamText(output));
  for (let i = 0; i + 1 < merged.length; i += 1) {
    const current = merged[i] as CellOutput;
    const next = merged[i + 1] as CellOutput;
    if (keepAsIs.has(current) || keepAsIs.has(next)) continue;
    if (isStream(current) && current.name === 'stderr' && isStream(next) && next.name === 'stdout') {
      merged[i] = next;
      merged[i + 1] = current;
    }
  }
  return merged;
}
