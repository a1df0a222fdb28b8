import { describe, expect, it } from 'vitest';
import { createMessage } from '../jupyter-message.js';
import { decodeFrame, encodeMessage } from './json-wire.js';

/** A binary frame as jupyter_server's serialize_binary_message builds it. */
function binaryFrame(message: object, buffers: Buffer[]): Buffer {
  const parts = [Buffer.from(JSON.stringify(message)), ...buffers];
  const offsets: number[] = [4 * (parts.length + 1)];
  for (const part of parts.slice(0, -1)) offsets.push(offsets.at(-1)! + part.length);
  const head = Buffer.alloc(4 * (parts.length + 1));
  head.writeUInt32BE(parts.length, 0);
  offsets.forEach((offset, i) => head.writeUInt32BE(offset, 4 * (i + 1)));
  return Buffer.concat([head, ...parts]);
}

const header = { msg_id: 'm1', session: 's', username: 'u', date: '2026-11-23T16:00:00.000001Z', msg_type: 'stream', version: '5.4' };

describe('websocket JSON messages', () => {
  it('encodes a message with its channel and without a signature', () => {
    const message = createMessage('execute_request', { code: '1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, 'session-1');
    const wire = JSON.parse(encodeMessage('shell', message)) as Record<string, unknown>;
    expect(wire.channel).toBe('shell');
    expect(wire.header).toEqual(message.header);
    expect(wire.content).toEqual(message.content);
    expect(wire).not.toHaveProperty('signature');
  });

  it('decodes a text frame, keeping the date string and measuring the content', () => {
    const decoded = decodeFrame(Buffer.from(JSON.stringify({ channel: 'iopub', header, parent_header: { msg_id: 'p' }, metadata: {}, content: { name: 'stdout', text: 'héllo' } })), false);
    expect(decoded?.channel).toBe('iopub');
    expect(decoded?.message.header.date).toBe(header.date);
    expect(decoded?.message.parent_header.msg_id).toBe('p');
    expect(decoded?.message.content).toEqual({ name: 'stdout', text: 'héllo' });
    expect(decoded?.message.contentBytes).toBe(Buffer.byteLength(JSON.stringify({ name: 'stdout', text: 'héllo' })));
  });

  it('decodes a binary frame with buffers', () => {
    const frame = binaryFrame({ channel: 'iopub', header: { ...header, msg_type: 'comm_msg' }, parent_header: {}, metadata: {}, content: { data: {} } }, [Buffer.from([1, 2, 3]), Buffer.from('tail')]);
    const decoded = decodeFrame(frame, true);
    expect(decoded?.message.header.msg_type).toBe('comm_msg');
    expect(decoded?.message.buffers.map((buffer) => [...buffer])).toEqual([[1, 2, 3], [...Buffer.from('tail')]]);
  });

  it('rejects what is not a Jupyter message', () => {
    expect(decodeFrame(Buffer.from('not json'), false)).toBeNull();
    expect(decodeFrame(Buffer.from(JSON.stringify({ channel: 'nope', header })), false)).toBeNull();
    expect(decodeFrame(Buffer.from(JSON.stringify({ header })), false)).toBeNull();
    expect(decodeFrame(Buffer.from([0, 0, 0, 9, 1]), true)).toBeNull();
  });
});
