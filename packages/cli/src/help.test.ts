import { describe, expect, it } from 'vitest';
import { unwrapParagraphs } from './help.js';

describe('unwrapParagraphs', () => {
  it('joins the wrapped lines of a paragraph and keeps paragraph breaks', () => {
    expect(unwrapParagraphs('Runs the notebook\nand grades it.\n\nThen stops.')).toBe('Runs the notebook and grades it.\n\nThen stops.');
  });

  it('keeps list items, indented lines and examples on their own lines', () => {
    const text = 'Steps:\n- mine\n- run\n  mle run --all\n$ mle demo';
    expect(unwrapParagraphs(text)).toBe(text);
  });
});
