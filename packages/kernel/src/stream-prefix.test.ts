import { describe, expect, it } from 'vitest';
import { streamPrefix } from './stream-prefix.js';

function frame(content: unknown, spaced = true): Buffer {
  // jupyter_client's json.dumps uses ', ' and ': ' separators; compact JSON must work too.
  const json = JSON.stringify(content);
  return Buffer.from(spaced ? json.replace(/^\{"name":"(\w+)","text":/, '{"name": "$1", "text": ') : json, 'utf8');
}

describe('streamPrefix', () => {
  it('decodes the whole text when it fits, escapes included', () => {
    const text = 'tab\tquote" backslash\\ newline\n unicode é ✓ \u0001 emoji 😀';
    for (const spaced of [true, false]) expect(streamPrefix(frame({ name: 'stderr', text }, spaced), 1000)).toEqual({ name: 'stderr', text });
  });

  it('stops near maxBytes', () => {
    const prefix = streamPrefix(frame({ name: 'stdout', text: 'x'.repeat(10_000) }), 100);
    expect(prefix?.text).toBe('x'.repeat(100));
  });

  it('never ends in half a multi-byte character', () => {
    const prefix = streamPrefix(frame({ name: 'stdout', text: 'é'.repeat(100) }), 51);
    expect(prefix?.text).toBe('é'.repeat(25));
  });

  it('gives up on frames of another shape', () => {
    expect(streamPrefix(Buffer.from('{"text": "a", "name": "stdout"}'), 10)).toBeNull();
    expect(streamPrefix(Buffer.from('{"name": "stdout", "text": "bad \\q escape"}'), 100)).toBeNull();
  });
});
