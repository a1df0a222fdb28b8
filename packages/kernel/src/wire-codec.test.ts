import { describe, expect, it } from 'vitest';
import { createMessage } from './jupyter-message.js';
import { MessageSigner, UnsupportedSignatureSchemeError } from './message-signer.js';
import { DELIMITER, WireCodec } from './wire-codec.js';

const KEY = '0123456789abcdef-key';

function frames(...parts: string[]): Buffer[] {
  return parts.map((part) => Buffer.from(part, 'utf8'));
}

describe('MessageSigner', () => {
  it('signs the four JSON frames exactly as jupyter_client does (key used as raw UTF-8)', () => {
    // Vector from jupyter_client.session.Session(key=b'0123456789abcdef-key').sign(...)
    const signer = new MessageSigner(KEY);
    const signed = frames('{"msg_id":"a","msg_type":"status"}', '{}', '{}', '{"execution_state":"idle"}');
    expect(signer.sign(signed)).toBe('75ed89e18cf5f0556f6b897edf58c7e2c0208764d93117d51a39196bf503cbdd');
    expect(signer.verify(Buffer.from('75ed89e18cf5f0556f6b897edf58c7e2c0208764d93117d51a39196bf503cbdd'), signed)).toBe(true);
    expect(signer.verify(Buffer.from('75ed89e18cf5f0556f6b897edf58c7e2c0208764d93117d51a39196bf503cbdc'), signed)).toBe(false);
    expect(signer.verify(Buffer.from('75ed'), signed)).toBe(false);
  });

  it('turns signing off with an empty key', () => {
    const signer = new MessageSigner('');
    expect(signer.enabled).toBe(false);
    expect(signer.sign(frames('{}', '{}', '{}', '{}'))).toBe('');
    expect(signer.verify(Buffer.alloc(0), frames('{}', '{}', '{}', '{}'))).toBe(true);
  });

  it('refuses schemes other than hmac-sha256', () => {
    expect(() => new MessageSigner(KEY, 'hmac-md5')).toThrow(UnsupportedSignatureSchemeError);
  });
});

describe('WireCodec', () => {
  it('round-trips a message with routing identities and buffers kept', () => {
    const codec = new WireCodec(KEY);
    const message = createMessage('execute_request', { code: 'print(1)', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, 'session-1');
    message.buffers = [Buffer.from([0, 1, 2, 255])];
    const wire = codec.encode(message, [Buffer.from('router-id')]);
    expect(wire[0]?.toString()).toBe('router-id');
    expect(wire[1]?.equals(DELIMITER)).toBe(true);
    expect(wire[2]?.toString()).toMatch(/^[0-9a-f]{64}$/);

    const decoded = new WireCodec(KEY).decode(wire);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.identities.map(String)).toEqual(['router-id']);
    expect(decoded.message.header).toEqual(message.header);
    expect(decoded.message.header.version).toBe('5.4');
    expect(decoded.message.header.date).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(decoded.message.content).toEqual(message.content);
    expect(decoded.message.buffers).toEqual([Buffer.from([0, 1, 2, 255])]);
  });

  it('drops and counts messages signed with another key', () => {
    const forged = new WireCodec('not-the-key').encode(createMessage('status', { execution_state: 'idle' }, 's'));
    const codec = new WireCodec(KEY);
    expect(codec.decode(forged)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(codec.decode(forged)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(codec.rejected['bad-signature']).toBe(2);
  });

  it('drops a message whose content was altered after signing', () => {
    const wire = new WireCodec(KEY).encode(createMessage('stream', { name: 'stdout', text: 'hi' }, 's'));
    wire[5] = Buffer.from('{"name":"stdout","text":"evil"}');
    const codec = new WireCodec(KEY);
    expect(codec.decode(wire)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('rejects a replayed signature', () => {
    const wire = new WireCodec(KEY).encode(createMessage('status', { execution_state: 'busy' }, 's'));
    const codec = new WireCodec(KEY);
    expect(codec.decode(wire).ok).toBe(true);
    expect(codec.decode(wire)).toEqual({ ok: false, reason: 'replayed' });
    expect(codec.rejected.replayed).toBe(1);
  });

  it('rejects frames without delimiter, truncated messages and non-object JSON', () => {
    const codec = new WireCodec('');
    expect(codec.decode(frames('a', 'b'))).toEqual({ ok: false, reason: 'no-delimiter' });
    expect(codec.decode([DELIMITER, ...frames('', '{}', '{}')])).toEqual({ ok: false, reason: 'truncated' });
    expect(codec.decode([DELIMITER, ...frames('', '[1]', '{}', '{}', '{}')])).toEqual({ ok: false, reason: 'malformed-json' });
    expect(codec.decode([DELIMITER, ...frames('', '{"msg_id":"x"}', '{}', '{}', '{}')])).toEqual({ ok: false, reason: 'malformed-json' });
    expect(codec.rejected).toEqual({ 'no-delimiter': 1, truncated: 1, 'bad-signature': 0, replayed: 0, 'malformed-json': 2 });
  });

  it('parses content lazily and reports its size', () => {
    const codec = new WireCodec('');
    const wire = [DELIMITER, ...frames('', '{"msg_id":"x","msg_type":"stream"}', '{}', '{}', '{"name":"stdout","text":"abc"}')];
    const decoded = codec.decode(wire);
    expect(decoded.ok && decoded.message.contentBytes).toBe(30);
    expect(decoded.ok && decoded.message.content).toEqual({ name: 'stdout', text: 'abc' });
  });
});
