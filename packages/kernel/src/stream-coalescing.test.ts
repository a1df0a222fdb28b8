import { describe, expect, it } from 'vitest';
import { appendStreamText, applyTerminalControls, coalesceStreams, type CellOutput } from './stream-coalescing.js';

describe('applyTerminalControls', () => {
  it('lets a carriage return overwrite its line, as progress bars expect', () => {
    expect(applyTerminalControls('10%\r50%\r100%\n')).toBe('100%\n');
    expect(applyTerminalControls('a\rb\rc')).toBe('c');
    expect(applyTerminalControls('first\nx\ry\nlast')).toBe('first\ny\nlast');
  });

  it('keeps CRLF line ends and a trailing carriage return', () => {
    expect(applyTerminalControls('a\r\nb\r\n')).toBe('a\r\nb\r\n');
    expect(applyTerminalControls('done\r')).toBe('done\r');
  });

  it('applies backspaces, never across a newline', () => {
    expect(applyTerminalControls('abc\b\bX')).toBe('aX');
    expect(applyTerminalControls('a\n\bb')).toBe('a\n\bb');
    expect(applyTerminalControls('ab\b\b\b')).toBe('\b');
  });
});

describe('appendStreamText', () => {
  it('gives the same text chunk by chunk as all at once', () => {
    const whole = 'epoch 1\n 10%\r 20%\r 30%\rdone\nab\bc\r\nend';
    const chunks = ['epoch 1\n 1', '0%\r', ' 20%', '\r 30%\rdo', 'ne\nab', '\bc\r', '\nend'];
    const incremental = chunks.reduce((text, chunk) => appendStreamText(text, chunk, true), '');
    expect(incremental).toBe(applyTerminalControls(whole));
    expect(chunks.reduce((text, chunk) => appendStreamText(text, chunk, false), '')).toBe(whole);
  });
});

describe('coalesceStreams', () => {
  it('merges each stream into its first output, like nbclient', () => {
    const outputs: CellOutput[] = [
      { output_type: 'stream', name: 'stdout', text: 'a\r' },
      { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} },
      { output_type: 'stream', name: 'stdout', text: 'b\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
    ];
    expect(coalesceStreams(outputs)).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'b\n' },
      { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
    ]);
  });

  it('puts stdout before a stderr output that directly precedes it', () => {
    const outputs: CellOutput[] = [
      { output_type: 'stream', name: 'stderr', text: 'e' },
      { output_type: 'stream', name: 'stdout', text: 'o' },
    ];
    expect(coalesceStreams(outputs).map((output) => (output as { name: string }).name)).toEqual(['stdout', 'stderr']);
  });

  it('does not modify its input', () => {
    const outputs: CellOutput[] = [
      { output_type: 'stream', name: 'stdout', text: 'a' },
      { output_type: 'stream', name: 'stdout', text: 'b' },
    ];
    coalesceStreams(outputs);
    expect(outputs[0]).toEqual({ output_type: 'stream', name: 'stdout', text: 'a' });
  });
});
