import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attribute, escapeHtml, relativeFileHref, scriptJson } from './html-escape.js';

describe('escapeHtml', () => {
  it('escapes every character that can open a tag, an entity or end an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('leaves other text alone, including non-ASCII', () => {
    expect(escapeHtml('ValueError: shapes (3,) and (4,) — ok')).toBe('ValueError: shapes (3,) and (4,) — ok');
  });

  it('double-quotes attribute values and refuses unsafe attribute names', () => {
    expect(attribute('title', '" onmouseover="alert(1)')).toBe('title="&quot; onmouseover=&quot;alert(1)"');
    expect(() => attribute('onclick" x', 'y')).toThrow();
  });
});

describe('scriptJson', () => {
  it('cannot end a script element or open a comment, and stays the same JSON value', () => {
    const value = { code: '</script><script>alert(1)</script>', comment: '<!-- -->', amp: 'a&b', ls: 'x\u2028y\u2029z' };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json.toLowerCase()).not.toContain('</script');
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('relativeFileHref', () => {
  const out = path.resolve('/r/reports/demo');

  it('links relative to the report directory, each segment percent-encoded', () => {
    expect(relativeFileHref(out, '/r/runs/a b/nb#1.ipynb')).toBe('../../runs/a%20b/nb%231.ipynb');
    expect(relativeFileHref(out, '/r/reports/demo/x.ipynb')).toBe('./x.ipynb');
  });

  it('turns a path spelled like a URL scheme into a file name', () => {
    expect(relativeFileHref(out, '/r/reports/demo/javascript:alert(1)')).toBe('./javascript%3Aalert(1)');
    expect(relativeFileHref(out, '/r/reports/demo/"><script>')).toBe('./%22%3E%3Cscript%3E');
  });

  it('has no link for the directory itself', () => {
    expect(relativeFileHref(out, out)).toBeNull();
  });
});
