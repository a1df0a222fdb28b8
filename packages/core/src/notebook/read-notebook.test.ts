import { describe, expect, it } from 'vitest';
import { contentHash, normalizedCode } from './content-hash.js';
import { detectLanguage } from './language.js';
import { readNotebook } from './read-notebook.js';
import { writeNotebook } from './write-notebook.js';

const v3 = {
  nbformat: 3,
  nbformat_minor: 0,
  metadata: { name: 'old' },
  worksheets: [
    {
      cells: [
        { cell_type: 'heading', level: 2, source: ['Results'], metadata: {} },
        {
          cell_type: 'code',
          language: 'python',
          input: ['x = 1\n', 'print x'],
          prompt_number: 7,
          collapsed: true,
          metadata: {},
          outputs: [
            { output_type: 'stream', stream: 'stdout', text: ['1\n'] },
            { output_type: 'pyout', prompt_number: 7, text: ['1'], png: 'AAAA', metadata: {} },
            { output_type: 'pyerr', ename: 'NameError', evalue: "name 'y' is not defined", traceback: ['tb'] },
          ],
        },
      ],
      metadata: {},
    },
  ],
};

describe('readNotebook', () => {
  it('upgrades nbformat v3 cells and outputs to the v4 model', () => {
    const result = readNotebook(JSON.stringify(v3));
    if (!result.ok) throw new Error(result.reason);
    const [heading, code] = result.notebook.cells;
    expect(result.notebook.nbformat).toBe(3);
    expect(heading).toMatchObject({ cellType: 'markdown', source: '## Results' });
    expect(code).toMatchObject({ cellType: 'code', source: 'x = 1\nprint x', executionCount: 7, metadata: { collapsed: true } });
    expect(code!.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '1\n' },
      { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': '1', 'image/png': 'AAAA' }, metadata: {} },
      { output_type: 'error', ename: 'NameError', evalue: "name 'y' is not defined", traceback: ['tb'] },
    ]);
    expect(result.notebook.languageHint).toBe('python');
  });

  it('accepts string and list sources alike and keeps cell ids', () => {
    const nb = (source: string | string[]) =>
      readNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ id: 'a1', cell_type: 'code', source, outputs: [], execution_count: null, metadata: {} }] }));
    const a = nb('import os\nos.getcwd()');
    const b = nb(['import os\n', 'os.getcwd()']);
    if (!a.ok || !b.ok) throw new Error('not read');
    expect(a.notebook.cells[0]!.source).toBe(b.notebook.cells[0]!.source);
    expect(a.notebook.cells[0]!.id).toBe('a1');
  });

  it.each([
    ['', 'empty-file'],
    ['{"cells": [', 'invalid-json'],
    ['[1, 2]', 'not-a-notebook'],
    ['{"name": "package", "version": "1.0"}', 'not-a-notebook'],
    ['{"nbformat": 2, "foo": []}', 'unsupported-nbformat'],
  ])('rejects %j as %s', (text, code) => {
    const result = readNotebook(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe(code);
      expect(result.reason).not.toContain('\n');
    }
  });

  it('tolerates odd metadata, unknown cell types and outputs, and a BOM', () => {
    const text = '\ufeff' + JSON.stringify({ nbformat: 4, nbformat_minor: 2, metadata: null, cells: [{ cell_type: 'weird', source: 5 }, { cell_type: 'code', source: 'a', outputs: [{ output_type: 'mystery' }, 7] }] });
    const result = readNotebook(text);
    if (!result.ok) throw new Error(result.reason);
    expect(result.notebook.cells.map((cell) => cell.cellType)).toEqual(['raw', 'code']);
    expect(result.notebook.cells[1]!.outputs).toEqual([]);
    expect(result.warnings.some((w) => w.includes('mystery'))).toBe(true);
  });
});

describe('writeNotebook', () => {
  it('writes nbformat 4.5 that reads back to the same cells', () => {
    const first = readNotebook(JSON.stringify(v3));
    if (!first.ok) throw new Error(first.reason);
    const written = JSON.parse(writeNotebook(first.notebook));
    expect(written.nbformat).toBe(4);
    expect(written.nbformat_minor).toBe(5);
    expect(written.cells.every((cell: { id?: string }) => typeof cell.id === 'string')).toBe(true);
    expect(new Set(written.cells.map((cell: { id: string }) => cell.id)).size).toBe(written.cells.length);
    const again = readNotebook(JSON.stringify(written));
    if (!again.ok) throw new Error(again.reason);
    expect(again.notebook.cells.map(({ id: _id, ...cell }) => cell)).toEqual(first.notebook.cells);
  });
});

describe('contentHash', () => {
  const notebook = (sources: string[], outputs = false) => {
    const result = readNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 4,
        metadata: {},
        cells: sources.map((source) => ({ cell_type: 'code', source, metadata: {}, execution_count: null, outputs: outputs ? [{ output_type: 'stream', name: 'stdout', text: 'x' }] : [] })),
      }),
    );
    if (!result.ok) throw new Error(result.reason);
    return result.notebook;
  };

  it('ignores outputs, trailing white space and line endings', () => {
    expect(contentHash(notebook(['a = 1  \r\nb = 2\n\n'], true))).toBe(contentHash(notebook(['a = 1\nb = 2'])));
  });

  it('tells different code and different cell splits apart', () => {
    expect(contentHash(notebook(['a = 1']))).not.toBe(contentHash(notebook(['a = 2'])));
    expect(normalizedCode(notebook(['a = 1', 'b = 2']))).not.toBe(normalizedCode(notebook(['a = 1\nb = 2'])));
  });
});

describe('detectLanguage', () => {
  const read = (metadata: object) => {
    const result = readNotebook(JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata, cells: [] }));
    if (!result.ok) throw new Error(result.reason);
    return result.notebook;
  };
  it('prefers kernelspec.language, then language_info, then the kernel name', () => {
    expect(detectLanguage(read({ kernelspec: { language: 'R', name: 'ir' } }))).toMatchObject({ language: 'r', evidence: 'kernelspec.language' });
    expect(detectLanguage(read({ language_info: { name: 'julia' } }))).toMatchObject({ language: 'julia', evidence: 'language_info.name' });
    expect(detectLanguage(read({ kernelspec: { name: 'python2' } }))).toMatchObject({ language: 'python', pythonMajor: 2 });
  });
  it('uses the file extension and finally defaults to Python', () => {
    expect(detectLanguage(read({}), 'r')).toMatchObject({ language: 'r', evidence: 'file-extension' });
    expect(detectLanguage(read({}))).toMatchObject({ language: 'python', evidence: 'default' });
  });
  it('reads the Python major version from language_info', () => {
    expect(detectLanguage(read({ language_info: { name: 'python', version: '2.7.15' } })).pythonMajor).toBe(2);
  });
});
