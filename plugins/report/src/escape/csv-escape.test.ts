import { describe, expect, it } from 'vitest';
import { csvDocument, csvField } from './csv-escape.js';

describe('csvField', () => {
  it('quotes separators, quotes, line breaks and edge spaces (RFC 4180)', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line1\nline2')).toBe('"line1\nline2"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField('plain')).toBe('plain');
  });

  it('neutralizes formula starts in text but not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField(-0.5)).toBe('-0.5');
  });

  it('writes empty cells for missing and non-finite numbers', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
    expect(csvField(true)).toBe('true');
  });
});

describe('csvDocument', () => {
  it('writes a header and CRLF-terminated rows', () => {
    expect(csvDocument(['a', 'b'], [[1, 'x,y'], [null, '=1']])).toBe(`a,b\r\n1,"x,y"\r\n,'=1\r\n`);
  });
});
