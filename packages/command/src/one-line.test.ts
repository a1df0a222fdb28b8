import { describe, expect, it } from 'vitest';
import { oneLine } from './mle-command.js';

describe('oneLine', () => {
  it("keeps the indented reason oclif puts under a flag's parsing error", () => {
    expect(oneLine('Parsing --tolerance \n\tabc is not a non-negative number')).toBe('Parsing --tolerance abc is not a non-negative number');
  });

  it('drops what follows the first line when it is not indented (a traceback, a second message)', () => {
    expect(oneLine('kernel died\nTraceback (most recent call last):\n  File "x"')).toBe('kernel died');
  });
});
