import type { NormalizedCell } from '@mle/core';
import { contentOf, type ReceivedMessage } from './jupyter-message.js';
import { streamPrefix } from './stream-prefix.js';
import { appendStreamText, coalesceStreams, isStream, streamText, type CellOutput } from './stream-coalescing.js';

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
  #bytes = 0;
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
    this.#dropped = 0;
    this.#marker = null;
    this.#clearPending = false;
  }

  /** Finish the current cell: coalesce its streams if asked, and report its size. */
  endCell(): RecordedCell {
    const cell = this.#cell;
    if (!cell) return { outputBytes: 0, truncated: false, droppedBytes: 0 };
    if (this.#options.coalesceStreams && cell.outputs.some(isStream)) {
      cell.outputs = coalesceStreams(cell.outputs, new Set(this.#marker ? [this.#marker] : []));
    }
    const recorded = { outputBytes: jsonBytes(cell.outputs), truncated: this.#marker !== null, droppedBytes: this.#dropped };
    this.#cell = null;
    return recorded;
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
    cell.outputs.push(this.#marker);
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
    const last = cell.outputs.at(-1);
    if (last && isStream(last) && last.name === name) {
      const before = streamText(last);
      last.text = appendStreamText(before, text, this.#options.coalesceStreams);
      this.#bytes += Buffer.byteLength(last.text, 'utf8') - Buffer.byteLength(before, 'utf8');
    } else if (text !== '') {
      const output: CellOutput = { output_type: 'stream', name, text: appendStreamText('', text, this.#options.coalesceStreams) };
      cell.outputs.push(output);
      this.#bytes += jsonBytes(output);
    }
    if (dropped > 0) this.#truncate(cell, dropped);
    return true;
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
    cell.outputs.push(output);
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
    cell.outputs.push(output);
    this.#bytes += jsonBytes(output);
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
      }
    }
  }

  #forgetDisplays(cellIndex: number): void {
    for (const byCell of this.#displays.values()) byCell.delete(cellIndex);
  }
}
