import { describe, expect, it } from 'vitest';
import { markdownLiteral, markdownNotebookText, markdownProse } from './markdown-escape.js';

describe('markdownNotebookText (notebook code, error messages, paths)', () => {
  it('turns every <, > and & into an entity so a renderer shows markup as text', () => {
    expect(markdownNotebookText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdownNotebookText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownNotebookText('a < b && c > d')).toBe('a &lt; b &amp;&amp; c &gt; d');
    // An entity in the notebook stays the literal text it was, not the character it names.
    expect(markdownNotebookText('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('keeps a table cell one cell on one row and cannot open links or code spans', () => {
    expect(markdownNotebookText('a | b\nc\u2028d')).toBe('a \\| b c d');
    expect(markdownNotebookText('[click](javascript:alert(1))')).toBe('\\[click\\](javascript:alert(1))');
    expect(markdownNotebookText("name 'x_train' is not defined")).toBe("name 'x_train' is not defined");
    expect(markdownNotebookText('`code` *b* _i_ ~s~ \\')).toBe('\\`code\\` \\*b\\* \\_i\\_ \\~s\\~ \\\\');
  });
});

describe('markdownLiteral (table cells written by mle: names, statuses, numbers)', () => {
  it('leaves text that Markdown does not read alone', () => {
    expect(markdownLiteral('< 0.001')).toBe('< 0.001');
    expect(markdownLiteral('>100%')).toBe('>100%');
    expect(markdownLiteral('last_cell')).toBe('last_cell');
    expect(markdownLiteral('score-mismatch')).toBe('score-mismatch');
    expect(markdownLiteral('- item')).toBe('- item');
    expect(markdownLiteral('R&D')).toBe('R&D');
  });

  it('escapes the pipe, line breaks and inline syntax', () => {
    expect(markdownLiteral('a|b\nc')).toBe('a\\|b c');
    expect(markdownLiteral('![x](http://e/x.png)')).toBe('!\\[x\\](http://e/x.png)');
    expect(markdownLiteral('_lead and trail_ and __dunder__')).toBe('\\_lead and trail\\_ and \\_\\_dunder\\_\\_');
    expect(markdownLiteral('`rm`')).toBe('\\`rm\\`');
  });

  it('cannot open raw HTML, an autolink or a character reference, whoever named the experiment', () => {
    expect(markdownLiteral('<script>x</script>')).toBe('&lt;script>x&lt;/script>');
    expect(markdownLiteral('<!-- c --> <?php ?> <http://e>')).toBe('&lt;!-- c --> &lt;?php ?> &lt;http://e>');
    expect(markdownLiteral('&lt; &#60; &#x3c;')).toBe('&amp;lt; &amp;#60; &amp;#x3c;');
  });
});

describe('markdownProse (sentences mle writes, with data interpolated)', () => {
  it('keeps code spans and comparison signs as written', () => {
    expect(markdownProse('Pass `--experiment NAME` several times.')).toBe('Pass `--experiment NAME` several times.');
    expect(markdownProse('McNemar exact p < 0.001; |score − reported| / |reported|')).toBe('McNemar exact p < 0.001; |score − reported| / |reported|');
    expect(markdownProse('last_cell, R&D, 5 > 3')).toBe('last_cell, R&D, 5 > 3');
  });

  it('neutralises HTML, links and block markers that interpolated data could bring', () => {
    expect(markdownProse('<img src=x onerror=alert(1)> (baseline)')).toBe('&lt;img src=x onerror=alert(1)> (baseline)');
    expect(markdownProse('[y](javascript:alert(1)): 5 reproduced')).toBe('\\[y\\](javascript:alert(1)): 5 reproduced');
    expect(markdownProse('# big\n- item')).toBe('\\# big - item');
    expect(markdownProse('> quoted')).toBe('\\> quoted');
    expect(markdownProse('1. first')).toBe('1\\. first');
    expect(markdownProse('--- and *** rules')).toBe('\\--- and *** rules');
    expect(markdownProse('50.0% (2/4) of environments; -1.5 s; #3 of 5')).toBe('50.0% (2/4) of environments; -1.5 s; #3 of 5');
  });
});
