import { describe, expect, it } from 'vitest';
import { maskCell } from './mask-cell.js';

describe('maskCell', () => {
  it('masks magics and shell lines like maskMagics, keeping line numbers', () => {
    const masked = maskCell('%matplotlib inline\nx = 1\n!ls\nx');
    expect(masked.code.split('\n')).toHaveLength(4);
    expect(masked.masked.map((line) => line.line)).toEqual([1, 3]);
    expect(masked.code.split('\n')[1]).toBe('x = 1');
    expect(masked.dedented).toBe(0);
  });

  it('keeps a % that continues an expression inside brackets', () => {
    const source = 'print("rate %s"\n      % rate)\n%time f()';
    const masked = maskCell(source);
    expect(masked.code.split('\n')[1]).toBe('      % rate)');
    expect(masked.masked.map((line) => line.line)).toEqual([3]);
  });

  it('keeps lines continued by a backslash or inside a triple-quoted string', () => {
    expect(maskCell('x = a \\\n% b').masked).toEqual([]);
    expect(maskCell('s = """\n%not a magic\n"""').masked).toEqual([]);
  });

  it('keeps masking a shell command continued with backslashes', () => {
    const masked = maskCell('!saved_model_cli run --dir d \\\n    --tag_set serve \\\n    --inputs x=a.npy\nx');
    expect(masked.masked.map((line) => line.line)).toEqual([1, 2, 3]);
  });

  it('is not confused by quotes in shell lines', () => {
    const masked = maskCell(`!echo "it's"\nprint(1)\n%ls`);
    expect(masked.masked.map((line) => line.line)).toEqual([1, 3]);
  });

  it('dedents a cell whose first line is indented, as IPython does', () => {
    const masked = maskCell('\n  df.head()\n  # note');
    expect(masked.dedented).toBe(2);
    expect(masked.code).toBe('\ndf.head()\n# note');
  });

  it('leaves foreign cell magics alone', () => {
    expect(maskCell('%%bash\nls -l').foreignCell).toBe('bash');
  });
});
