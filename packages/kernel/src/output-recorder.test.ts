import type { NormalizedCell } from '@mle/core';
import { describe, expect, it } from 'vitest';
import { createMessage, type KnownMessageType, type MessageContentMap, type ReceivedMessage } from './jupyter-message.js';
import { OutputRecorder } from './output-recorder.js';
import { appendStreamText, coalesceStreams } from './stream-coalescing.js';
import { WireCodec } from './wire-codec.js';

// Messages go through the real codec, as they would arrive from a kernel.
const codec = new WireCodec('k');
function iopub<T extends KnownMessageType>(type: T, content: MessageContentMap[T]): ReceivedMessage {
  const decoded = codec.decode(new WireCodec('k').encode(createMessage(type, content, 'kernel')));
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.message;
}

function cell(index: number): NormalizedCell {
  return { index, cellType: 'code', source: '', executionCount: null, outputs: [{ output_type: 'stream', name: 'stdout', text: 'stale' }], metadata: {} };
}

const options = { maxOutputBytesPerCell: 1000, coalesceStreams: true };

describe('OutputRecorder', () => {
  it('forgets old outputs and merges consecutive stream chunks with terminal controls applied', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: '1/3\r' }));
    recorder.handle(iopub('stream', { name: 'stdout', text: '3/3\n' }));
    recorder.handle(iopub('stream', { name: 'stderr', text: 'warning\n' }));
    const recorded = recorder.endCell();
    expect(target.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '3/3\n' },
      { output_type: 'stream', name: 'stderr', text: 'warning\n' },
    ]);
    expect(recorded).toEqual({ outputBytes: Buffer.byteLength(JSON.stringify(target.outputs)), truncated: false, droppedBytes: 0 });
  });

  it('keeps raw stream text when coalescing is off', () => {
    const recorder = new OutputRecorder({ ...options, coalesceStreams: false });
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: 'a\r' }));
    recorder.handle(iopub('stream', { name: 'stdout', text: 'b' }));
    recorder.endCell();
    expect(target.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'a\rb' }]);
  });

  it('defers clear_output(wait=True) until the next output', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: 'old\n' }));
    recorder.handle(iopub('clear_output', { wait: true }));
    expect(target.outputs).toHaveLength(1);
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'new' }, metadata: {} }));
    expect(target.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'new' }, metadata: {} }]);
    recorder.handle(iopub('clear_output', { wait: false }));
    expect(target.outputs).toEqual([]);
  });

  it('updates every output with a display_id, in earlier cells too, without adding one', () => {
    const recorder = new OutputRecorder(options);
    const first = cell(0);
    const second = cell(1);
    recorder.beginCell(first);
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }));
    recorder.endCell();
    recorder.beginCell(second);
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }));
    recorder.handle(iopub('update_display_data', { data: { 'text/plain': 'v2' }, metadata: { x: 1 }, transient: { display_id: 'd' } }));
    recorder.endCell();
    expect(first.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { x: 1 } }]);
    expect(second.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: { x: 1 } }]);
  });

  it('stops tracking a display once its cell is re-run', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }));
    recorder.endCell();
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: 'rerun' }));
    recorder.handle(iopub('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } }));
    recorder.endCell();
    expect(target.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'rerun' }]);
  });

  it('keeps the head of a single huge stream message without parsing all of it', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: 'kept\n' }));
    const huge = iopub('stream', { name: 'stdout', text: `é\n"quoted"\t${'y'.repeat(200_000)}` });
    recorder.handle(huge);
    const recorded = recorder.endCell();
    const text = (target.outputs[0] as { text: string }).text;
    expect(text.startsWith('kept\né\n"quoted"\tyyy')).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(target.outputs[0]))).toBeLessThanOrEqual(1100);
    expect(recorded.truncated).toBe(true);
    expect(recorded.droppedBytes).toBeGreaterThan(190_000);
  });

  it('drops a rich output larger than the room left, keeping what came before', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'small' }, metadata: {} }));
    recorder.handle(iopub('display_data', { data: { 'image/png': 'A'.repeat(5000) }, metadata: {} }));
    const recorded = recorder.endCell();
    expect(target.outputs[0]).toEqual({ output_type: 'display_data', data: { 'text/plain': 'small' }, metadata: {} });
    expect(target.outputs).toHaveLength(2);
    expect(recorded).toMatchObject({ truncated: true });
    expect(recorded.droppedBytes).toBeGreaterThan(5000);
  });

  it('caps output per cell with one truncation marker and counts what it dropped', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    for (let i = 0; i < 50; i += 1) recorder.handle(iopub('stream', { name: 'stdout', text: `${'x'.repeat(99)}\n` }));
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'late' }, metadata: {} }));
    recorder.handle(iopub('error', { ename: 'ValueError', evalue: 'bad', traceback: ['\u001b[31mValueError\u001b[0m'] }));
    const recorded = recorder.endCell();
    expect(recorded.truncated).toBe(true);
    expect(target.outputs).toHaveLength(3);
    const [stream, marker, error] = target.outputs as Array<{ output_type: string; text?: string; ename?: string }>;
    expect(stream?.text?.length).toBeLessThanOrEqual(1000);
    expect(marker?.text).toContain('output truncated');
    expect(error?.ename).toBe('ValueError');
    expect(recorded.droppedBytes).toBeGreaterThan(3000);
  });
});

describe('OutputRecorder sizes, kept incrementally', () => {
  // A small deterministic generator: the same chunks on every run.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }
  const PIECES = ['a', 'bc', '\n', '\r', '\x08', '"', '\\', '\t', 'é', '😀', '\u0001', '1/3\r', 'done\n', ''];

  /** What re-measuring everything gives: plain appends, then nbclient's coalescing of the whole cell. */
  function reference(chunks: Array<{ name: 'stdout' | 'stderr'; text: string }>): { outputs: unknown[]; bytes: number } {
    const outputs: Array<{ output_type: 'stream'; name: string; text: string }> = [];
    for (const { name, text } of chunks) {
      const last = outputs.at(-1);
      if (last && last.name === name) last.text = appendStreamText(last.text, text, true);
      else if (text !== '') outputs.push({ output_type: 'stream', name, text: appendStreamText('', text, true) });
    }
    const merged = coalesceStreams(outputs);
    return { outputs: merged, bytes: Buffer.byteLength(JSON.stringify(merged)) };
  }

  it('match a full re-serialization for random stream chunks with terminal controls, escapes and both streams', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const chunks = Array.from({ length: 1 + Math.floor(next() * 12) }, () => ({
        name: next() < 0.7 ? ('stdout' as const) : ('stderr' as const),
        text: Array.from({ length: Math.floor(next() * 6) }, () => PIECES[Math.floor(next() * PIECES.length)]).join(''),
      }));
      const recorder = new OutputRecorder({ maxOutputBytesPerCell: 1_000_000, coalesceStreams: true });
      const target = cell(0);
      recorder.beginCell(target);
      for (const chunk of chunks) recorder.handle(iopub('stream', chunk));
      const recorded = recorder.endCell();
      const expected = reference(chunks);
      expect(target.outputs, `seed ${seed}`).toEqual(expected.outputs);
      expect(recorded.outputBytes, `seed ${seed}`).toBe(expected.bytes);
    }
  });

  it('follow display updates, clear_output and mixed outputs', () => {
    const recorder = new OutputRecorder(options);
    const target = cell(0);
    recorder.beginCell(target);
    recorder.handle(iopub('stream', { name: 'stdout', text: 'gone\n' }));
    recorder.handle(iopub('clear_output', { wait: false }));
    recorder.handle(iopub('stream', { name: 'stdout', text: 'a "quoted"\n' }));
    recorder.handle(iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'p' } }));
    recorder.handle(iopub('stream', { name: 'stdout', text: 'b\r' }));
    recorder.handle(iopub('update_display_data', { data: { 'text/plain': 'a much longer v2' }, metadata: { k: [1, 2] }, transient: { display_id: 'p' } }));
    recorder.handle(iopub('stream', { name: 'stdout', text: 'c\n' }));
    recorder.handle(iopub('error', { ename: 'E', evalue: 'v', traceback: ['t'] }));
    const recorded = recorder.endCell();
    expect(recorded.outputBytes).toBe(Buffer.byteLength(JSON.stringify(target.outputs)));
    expect(target.outputs.map((output) => output.output_type)).toEqual(['stream', 'display_data', 'error']);
    expect(target.outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: 'a "quoted"\nc\n' });
  });
});
