import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackAnalyzer, PythonParser, type NormalizedCell, type NormalizedNotebook } from '@mle/core';
import { exportPytest } from '../export/export-pytest.js';
import type { StoredAssertion } from '../synthesize/assertion-store.js';
import { proposeAssertions } from '../synthesize/propose-assertions.js';
import { instrumentNotebook, readMarkers } from '../validate/instrument-notebook.js';
import { firstDivergence } from './first-divergence.js';

let parser: PythonParser;
let analyzer: FeedbackAnalyzer;
const dir = mkdtempSync(join(tmpdir(), 'mle-oracle-unit-'));
beforeAll(async () => {
  parser = await PythonParser.create();
  analyzer = await FeedbackAnalyzer.create({ prefilter: false });
});
afterAll(() => {
  analyzer.delete();
  parser.delete();
  rmSync(dir, { recursive: true, force: true });
});

const stdout = (text: string) => ({ output_type: 'stream', name: 'stdout', text }) as NormalizedCell['outputs'][number];
const stderr = (text: string) => ({ output_type: 'stream', name: 'stderr', text }) as NormalizedCell['outputs'][number];
const shown = (text: string) => ({ output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': text } }) as NormalizedCell['outputs'][number];
const cell = (index: number, source: string, outputs: NormalizedCell['outputs']): NormalizedCell => ({ index, cellType: 'code', source, executionCount: index, outputs, metadata: {} });
const notebook = (cells: NormalizedCell[]): NormalizedNotebook => ({ nbformat: 4, nbformatMinor: 5, metadata: {}, cells });

const storedCells = [
  cell(0, "import xgboost as xgb\nprint('xgboost', xgb.__version__)", [stdout('xgboost 1.7.5\n'), stderr('/opt/conda/lib/python3.10/site-packages/x.py:1: Warning\n')]),
  cell(1, "df = load()\nprint(df.shape)\ndf['y'].value_counts()", [stdout('(891, 12)\n'), shown('0    549\n1    342\nName: y, dtype: int64')]),
  cell(2, "rmse = fit()\nprint(f'RMSE: {rmse:.3f}')", [stdout('RMSE: 94.457\n')]),
];
const stored = notebook(storedCells);

function validated(nb: NormalizedNotebook): StoredAssertion[] {
  const { proposals } = proposeAssertions(nb.cells.map((c) => ({ index: c.index, source: c.source, outputs: c.outputs })), parser, analyzer);
  return proposals.map((p, i) => ({ ...p, id: i + 1, notebookId: 1, extraction: p.extraction, validation: 'pass', validationDetail: null }));
}

describe('firstDivergence', () => {
  it('finds none when only versions, stderr, float noise and pandas footers changed', () => {
    const rerun = notebook([
      cell(0, storedCells[0]!.source, [stdout('xgboost 2.1.3\n')]),
      cell(1, storedCells[1]!.source, [stdout('(891, 12)\n'), shown('y\n0    549\n1    342\nName: count, dtype: int64')]),
      cell(2, storedCells[2]!.source, [stdout('RMSE: 94.457\n')]),
    ]);
    expect(firstDivergence(stored, rerun, validated(stored))).toMatchObject({ divergence: null, cellsCompared: 3 });
  });

  it('names the first cell whose validated value moved, with the value before and after', () => {
    const rerun = notebook([
      cell(0, storedCells[0]!.source, [stdout('xgboost 2.1.3\n')]),
      cell(1, storedCells[1]!.source, [stdout('(891, 11)\n'), shown('0    549\n1    342\nName: y, dtype: int64')]),
      cell(2, storedCells[2]!.source, [stdout('RMSE: 60.100\n')]),
    ]);
    const verdict = firstDivergence(stored, rerun, validated(stored));
    expect(verdict.divergence).toMatchObject({ cell: 1, via: 'assertion', expression: 'df.shape' });
    expect(verdict.divergence?.message).toBe('diverges first at cell 1: `df.shape` was (891, 12), now (891, 11)');
  });

  it('falls back on the sanitized text, and reports a cell that raised', () => {
    const text = notebook([cell(0, storedCells[0]!.source, [stdout('xgboost 1.7.5\n')]), cell(1, storedCells[1]!.source, [stdout('(891, 12)\nextra line\n'), shown('0    549\n1    342\nName: y, dtype: int64')])]);
    expect(firstDivergence(stored, text, []).divergence).toMatchObject({ cell: 1, via: 'text' });
    const raised = notebook([cell(0, storedCells[0]!.source, [{ output_type: 'error', ename: 'KeyError', evalue: "'y'", traceback: [] } as NormalizedCell['outputs'][number]])]);
    expect(firstDivergence(stored, raised, []).divergence?.message).toBe("diverges first at cell 0: raised KeyError: 'y'");
  });
});

describe('instrumented notebooks and exported tests', () => {
  const assertions = () => validated(stored).map((a) => ({ id: a.id, cell: a.cell, line: a.line, code: a.code }));

  it('inserts guarded assertions after their statements and reads their verdicts back', () => {
    const instrumented = instrumentNotebook(stored, assertions());
    expect(instrumented.cells[1]!.source.split('\n')[2]).toBe('try:');
    for (const c of instrumented.cells) {
      const tree = parser.parseCode(c.source);
      expect(tree.rootNode.hasError, c.source).toBe(false);
      tree.delete();
    }
    const withMarkers = notebook([cell(1, '', [stdout("(891, 12)\n[mle-assert 1 pass]\n[mle-assert 2 fail]\n[mle-assert 3 error] NameError name 'df' is not defined\n")])]);
    expect([...readMarkers(withMarkers)]).toEqual([
      [1, { outcome: 'pass', detail: null }],
      [2, { outcome: 'fail', detail: null }],
      [3, { outcome: 'error', detail: "NameError name 'df' is not defined" }],
    ]);
  });

  it('writes a pytest module that is valid Python', () => {
    const text = exportPytest(stored, 'notebook 1', validated(stored));
    const tree = parser.parseCode(text);
    expect(tree.rootNode.hasError).toBe(false);
    tree.delete();
    const file = join(dir, 'test_notebook.py');
    writeFileSync(file, text);
    execFileSync('python3', ['-m', 'py_compile', file]);
    expect(text).toContain('def test_assertion(verdicts, assertion_id, cell, code):');
  });
});
