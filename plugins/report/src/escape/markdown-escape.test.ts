import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from './markdown-escape.js';

describe('escapeMarkdown', () => {
  it('turns HTML into entities so a renderer shows it as text', () => {
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('keeps a table cell one cell on one row', () => {
    expect(escapeMarkdown('a | b\nc')).toBe('a \\| b c');
  });

  it('cannot open links, images, code spans or emphasis', () => {
    expect(escapeMarkdown('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(escapeMarkdown('![x](http://e/x.png)')).toBe('!\\[x\\](http://e/x.png)');
    expect(escapeMarkdown('`code` *b* _i_ ~s~ \\')).toBe('\\`code\\` \\*b\\* \\_i\\_ \\~s\\~ \\\\');
  });

  it('escapes block markers only at the start', () => {
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('score-mismatch')).toBe('score-mismatch');
  });
});
