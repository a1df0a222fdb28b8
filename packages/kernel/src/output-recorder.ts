import type { NormalizedCell } from '@mle/core';
import { contentOf, type ReceivedMessage } from './jupyter-message.js';
import { streamPrefix } from './stream-prefix.js';
import { applyTerminalControls, coalesceStreams, isStream, type CellOutput, type StreamOutput } from './stream-coalescing.js';

export interface OutputRecorderOptions {
  /** Output kept per cell, in bytes; past it, one truncation marker replaces further output. */
  maxOutputBytesPerCell: number;
  /** Apply `\r`/`\b` and merge streams as nbclient's coalesce_streams does. */
  coalesceStreams: boolean;
}

/** What the recorder kept for the cell that just finished. */
export interface RecordedCell {
  outputBytes: number;
  truncated: boolean;
  /** Bytes of output received but dropped past the cap. */
  droppedBytes: number;
}

/** Error outputs are kept past the cap (they say why a run failed), trimmed to this size. */
const MAX_ERROR_OUTPUT_BYTES = 64 * 1024;

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

// Characters JSON.stringify escapes: `"`, `\`, control characters; surrogates (a lone one is escaped).
const JSON_SPECIAL = /["\\\u0000-\u001f]/g;
const SURROGATE = /[\ud800-\udfff]/;
const SHORT_ESCAPES = new Set(['"', '\\', '\b', '\f', '\n', '\r', '\t']);

/**
 * Bytes a string adds inside a JSON string literal (escapes included, quotes not), without
 * serializing it: its UTF-8 length plus one byte per two-character escape (`\n`) and five per
 * `\u00XX`. Text with surrogates (where a lone one would change the count) is serialized.
 */
function escapedBytes(text: string): number {
  if (text === '') return 0;
  if (SURROGATE.test(text)) return jsonBytes(text) - 2;
  let extra = 0;
  for (const [special] of text.matchAll(JSON_SPECIAL)) extra += SHORT_ESCAPES.has(special) ? 1 : 5;
  return Buffer.byteLength(text, 'utf8') + extra;
}

/** JSON bytes of an empty stream output of that name (what a stream output costs beside its text). */
function streamOverhead(name: string): number {
  return jsonBytes({ output_type: 'stream', name, text: '' });
}

/**
 * The stream output that chunks are being appended to. Its text is kept as finished lines (`head`,
 * only ever appended to) and the open last line (`tail`, which `\r` and `\b` may still rewrite),
 * with their sizes, so an append costs the size of the chunk and the open line, never the whole
 * text: no re-measuring, and no slicing that would flatten a long concatenated string.
 */
interface OpenStream {
  output: StreamOutput;
  head: string;
  tail: string;
  /** Escaped JSON bytes of head and of tail. */
  headJson: number;
  tailJson: number;
  /** UTF-8 bytes of tail (head's are already in the cap's count). */
  tailUtf8: number;
}

function fitToBytes(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  // Cutting inside a multi-byte character leaves a replacement character at the end: drop it.
  return Buffer.from(text, 'utf8').subarray(0, bytes).toString('utf8').replace(/\uFFFD$/, '');
}

export function truncationMarker(limitBytes: number): CellOutput {
  return {
    output_type: 'stream',
    name: 'stderr',
    text: `\n[mle] output truncated: this cell produced more than ${limitBytes} bytes of output; the rest was dropped\n`,
  };
}

function displayIdOf(content: { transient?: { display_id?: string } | null }): string | null {
  const id = content.transient?.display_id;
  return typeof id === 'string' && id !== '' ? id : null;
}

/**
 * Turns IOPub output messages into nbformat outputs on the notebook's cells: stream chunks
 * merged, `clear_output` (deferred with `wait`), `display_id` updates across cells, and a
 * per-cell byte cap so that a cell flooding output cannot exhaust memory.
 */
export class OutputRecorder {
  readonly #options: OutputRecorderOptions;
  /** display_id → cell index → outputs carrying that id. */
  readonly #displays = new Map<string, Map<number, CellOutput[]>>();
  #cell: NormalizedCell | null = null;
  /** Bytes counted against the cap: UTF-8 text of streams, JSON of other outputs. */
  #bytes = 0;
  /** JSON size of each output of the current cell, kept as they change. */
  readonly #sizes = new Map<CellOutput, number>();
  #open: OpenStream | null = null;
  #dropped = 0;
  /** The truncation marker of the current cell, once output passed the cap. */
  #marker: CellOutput | null = null;
  #clearPending = false;

  constructor(options: OutputRecorderOptions) {
    this.#options = options;
  }

  /** Start recording into a cell: its previous outputs and display ids are forgotten. */
  beginCell(cell: NormalizedCell): void {
    this.#cell = cell;
    cell.outputs = [];
    this.#forgetDisplays(cell.index);
    this.#bytes = 0;
    this.#sizes.clear();
    this.#open = null;
    this.#dropped = 0;
    this.#marker = null;
    this.#clearPending = false;
  }

  #add(cell: NormalizedCell, output: CellOutput, size: number = jsonBytes(output)): void {
    cell.outputs.push(output);
    this.#sizes.set(output, size);
    this.#open = null;
  }

  /** JSON size of the cell's outputs array, from the sizes kept (measured only for outputs never counted). */
  #outputBytes(outputs: readonly CellOutput[]): number {
    // The brackets, and a comma between outputs.
    let total = outputs.length === 0 ? 2 : outputs.length + 1;
    for (const output of outputs) total += this.#sizes.get(output) ?? jsonBytes(output);
    return total;
  }

  /** Finish the current cell: coalesce its streams if asked, and report its size. */
  endCell(): RecordedCell {
    const cell = this.#cell;
    if (!cell) return { outputBytes: 0, truncated: false, droppedBytes: 0 };
    if (this.#options.coalesceStreams && this.#needsCoalescing(cell.outputs)) {
      // Streams of one name in several outputs get merged: the merged texts are new, measure them.
      cell.outputs = coalesceStreams(cell.outputs, new Set(this.#marker ? [this.#marker] : []));
      for (const output of cell.outputs) if (isStream(output) && output !== this.#marker) this.#sizes.set(output, jsonBytes(output));
    } else if (this.#options.coalesceStreams) {
      // One output per stream name: its text already had terminal controls applied as it came,
      // so all coalescing would still do is put stdout before a stderr right before it.
      this.#swapStderrBeforeStdout(cell.outputs);
    }
    const recorded = { outputBytes: this.#outputBytes(cell.outputs), truncated: this.#marker !== null, droppedBytes: this.#dropped };
    this.#cell = null;
    this.#open = null;
    this.#sizes.clear();
    return recorded;
  }

  /** coalesceStreams's last step: a stderr output directly followed by a stdout output changes place with it. */
  #swapStderrBeforeStdout(outputs: CellOutput[]): void {
    for (let i = 0; i + 1 < outputs.length; i += 1) {
      const current = outputs[i] as CellOutput;
      const next = outputs[i + 1] as CellOutput;
      if (current === this.#marker || next === this.#marker) continue;
      if (isStream(current) && current.name === 'stderr' && isStream(next) && next.name === 'stdout') {
        outputs[i] = next;
        outputs[i + 1] = current;
      }
    }
  }

  /** More than one stream output of the same name (besides the truncation marker). */
  #needsCoalescing(outputs: readonly CellOutput[]): boolean {
    const seen = new Set<string>();
    for (const output of outputs) {
      if (!isStream(output) || output === this.#marker) continue;
      if (seen.has(output.name)) return true;
      seen.add(output.name);
    }
    return false;
  }

  /** Handle one IOPub message of the running cell; returns true when it changed outputs. */
  handle(message: ReceivedMessage): boolean {
    const cell = this.#cell;
    if (!cell) return false;
    switch (message.header.msg_type) {
      case 'clear_output': {
        if (contentOf(message, 'clear_output').wait) this.#clearPending = true;
        else this.#clear(cell);
        return true;
      }
      case 'update_display_data': {
        const content = contentOf(message, 'update_display_data');
        const id = displayIdOf(content);
        if (id) this.#updateDisplay(id, content.data ?? {}, content.metadata ?? {});
        return id !== null;
      }
      case 'stream':
        return this.#stream(cell, message);
      case 'display_data':
      case 'execute_result':
        return this.#rich(cell, message);
      case 'error':
        return this.#error(cell, message);
      default:
        return false;
    }
  }

  #clear(cell: NormalizedCell): void {
    cell.outputs = [];
    this.#forgetDisplays(cell.index);
    this.#bytes = 0;
    this.#sizes.clear();
    this.#open = null;
    this.#marker = null;
    this.#clearPending = false;
  }

  #beforeOutput(cell: NormalizedCell): void {
    if (this.#clearPending) this.#clear(cell);
  }

  #truncate(cell: NormalizedCell, droppedBytes: number): void {
    this.#dropped += droppedBytes;
    if (this.#marker) return;
    this.#marker = truncationMarker(this.#options.maxOutputBytesPerCell);
    this.#add(cell, this.#marker);
  }

  #stream(cell: NormalizedCell, message: ReceivedMessage): boolean {
    this.#beforeOutput(cell);
    if (this.#marker) {
      // Dropped unparsed: a flood past the cap costs no JSON parsing.
      this.#dropped += message.contentBytes;
      return false;
    }
    const room = this.#options.maxOutputBytesPerCell - this.#bytes;
    let name: 'stdout' | 'stderr';
    let text: string;
    /** Bytes of this message that will not be kept; 0 when it fits. */
    let dropped = 0;
    if (message.contentBytes > room + 65536) {
      // Far bigger than the room left (a print of a huge string): parsing it whole would cost
      // several times its size in memory; read just the part that can be kept.
      const prefix = streamPrefix(message.contentFrame, room);
      if (!prefix) {
        this.#truncate(cell, message.contentBytes);
        return false;
      }
      ({ name, text } = prefix);
      text = fitToBytes(text, room);
      dropped = message.contentBytes - Buffer.byteLength(text, 'utf8');
    } else {
      const content = contentOf(message, 'stream');
      name = content.name === 'stderr' ? 'stderr' : 'stdout';
      text = typeof content.text === 'string' ? content.text : '';
      const size = Buffer.byteLength(text, 'utf8');
      if (size > room) {
        text = fitToBytes(text, room);
        dropped = size - Buffer.byteLength(text, 'utf8');
      }
    }
    let open = this.#open;
    if (!open || open.output.name !== name || cell.outputs.at(-1) !== open.output) {
      if (text === '') {
        if (dropped > 0) this.#truncate(cell, dropped);
        return true;
      }
      const output: StreamOutput = { output_type: 'stream', name, text: '' };
      const overhead = streamOverhead(name);
      this.#add(cell, output, overhead);
      this.#bytes += overhead;
      open = this.#open = { output, head: '', tail: '', headJson: 0, tailJson: 0, tailUtf8: 0 };
    }
    this.#append(open, text);
    if (dropped > 0) this.#truncate(cell, dropped);
    return true;
  }

  /**
   * Append a chunk to the open stream output. With coalescing, terminal controls apply to the open
   * last line only: lines before the last newline are final (as in appendStreamText).
   */
  #append(open: OpenStream, chunk: string): void {
    let finished: string;
    let tail: string;
    if (this.#options.coalesceStreams) {
      const combined = applyTerminalControls(open.tail + chunk);
      const lineStart = combined.lastIndexOf('\n') + 1;
      finished = combined.slice(0, lineStart);
      tail = combined.slice(lineStart);
    } else {
      finished = chunk;
      tail = '';
    }
    const finishedJson = escapedBytes(finished);
    const tailJson = escapedBytes(tail);
    const tailUtf8 = Buffer.byteLength(tail, 'utf8');
    this.#bytes += Buffer.byteLength(finished, 'utf8') + tailUtf8 - open.tailUtf8;
    open.head += finished;
    open.headJson += finishedJson;
    open.tail = tail;
    open.tailJson = tailJson;
    open.tailUtf8 = tailUtf8;
    open.output.text = open.head + open.tail;
    this.#sizes.set(open.output, streamOverhead(open.output.name) + open.headJson + open.tailJson);
  }

  #rich(cell: NormalizedCell, message: ReceivedMessage): boolean {
    this.#beforeOutput(cell);
    if (this.#marker) {
      this.#dropped += message.contentBytes;
      return false;
    }
    if (this.#bytes + message.contentBytes > this.#options.maxOutputBytesPerCell + 1024) {
      // Clearly too big (a huge image): dropped before parsing. The slack covers `transient`.
      this.#truncate(cell, message.contentBytes);
      return false;
    }
    const type = message.header.msg_type as 'display_data' | 'execute_result';
    const content = contentOf(message, type);
    const data = (content.data ?? {}) as Record<string, unknown>;
    const metadata = (content.metadata ?? {}) as Record<string, unknown>;
    const id = displayIdOf(content);
    if (id) this.#updateDisplay(id, data, metadata);
    const output = (
      type === 'execute_result'
        ? { output_type: 'execute_result', execution_count: (content as { execution_count?: number }).execution_count ?? null, data, metadata }
        : { output_type: 'display_data', data, metadata }
    ) as CellOutput;
    const size = jsonBytes(output);
    if (this.#bytes + size > this.#options.maxOutputBytesPerCell) {
      this.#truncate(cell, size);
      return false;
    }
    this.#bytes += size;
    this.#add(cell, output, size);
    if (id) {
      let byCell = this.#displays.get(id);
      if (!byCell) this.#displays.set(id, (byCell = new Map()));
      const list = byCell.get(cell.index) ?? [];
      list.push(output);
      byCell.set(cell.index, list);
    }
    return true;
  }

  #error(cell: NormalizedCell, message: ReceivedMessage): boolean {
    this.#beforeOutput(cell);
    const content = contentOf(message, 'error');
    const traceback = Array.isArray(content.traceback) ? content.traceback.map(String) : [];
    let kept = traceback;
    let total = 0;
    for (let i = traceback.length - 1; i >= 0; i -= 1) {
      total += Buffer.byteLength(traceback[i] as string, 'utf8');
      // The innermost frames (at the end) say the most; drop outer frames first.
      if (total > MAX_ERROR_OUTPUT_BYTES) {
        kept = ['[mle] traceback truncated', ...traceback.slice(i + 1)];
        break;
      }
    }
    const output = { output_type: 'error', ename: String(content.ename ?? ''), evalue: fitToBytes(String(content.evalue ?? ''), MAX_ERROR_OUTPUT_BYTES), traceback: kept } as CellOutput;
    const size = jsonBytes(output);
    this.#add(cell, output, size);
    this.#bytes += size;
    return true;
  }

  #updateDisplay(id: string, data: Record<string, unknown>, metadata: Record<string, unknown>): void {
    const byCell = this.#displays.get(id);
    if (!byCell) return;
    for (const outputs of byCell.values()) {
      for (const output of outputs) {
        const rich = output as { data: unknown; metadata: unknown };
        rich.data = data;
        rich.metadata = metadata;
        if (this.#sizes.has(output)) this.#sizes.set(output, jsonBytes(output));
      }
    }
  }

  #forgetDisplays(cellIndex: number): void {
    for (const byCell of this.#displays.values()) byCell.delete(cellIndex);
  }
}
