import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotebook } from '../notebook/read-notebook.js';
import { FeedbackAnalyzer } from './feedback-analyzer.js';
import { analyzeNotebookFeedback, analyzeNotebookText, executeResultText, isStudyMlNotebook } from './notebook-feedback.js';

let analyzer: FeedbackAnalyzer;
beforeAll(async () => {
  analyzer = await FeedbackAnalyzer.create();
});
afterAll(() => analyzer.delete());

const v4 = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
  cells: [
    { cell_type: 'markdown', source: ['# Title'], metadata: {} },
    'not a cell',
    {
      cell_type: 'code',
      source: ['import numpy.testing as npt\n', 'from sklearn.svm import SVC\n', 'X.shape'],
      metadata: {},
      execution_count: 1,
      outputs: [
        { output_type: 'display_data', data: { 'image/png': 'iVBOR' }, metadata: {} },
        { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': ['(100,', ' 4)'] }, metadata: {} },
      ],
    },
    { cell_type: 'code', source: 'npt.assert_equal(a, b)', metadata: {}, execution_count: 2, outputs: [] },
  ],
};

describe('analyzeNotebookText', () => {
  it('reads v4 cells straight from the JSON with the indexes readNotebook gives', () => {
    const text = JSON.stringify(v4);
    const result = analyzeNotebookText(`\ufeff${text}`, analyzer);
    if (!result.ok) throw new Error(result.reason);
    const read = readNotebook(text);
    if (!read.ok) throw new Error(read.reason);
    const general = analyzeNotebookFeedback(read.notebook.cells.filter((c) => c.cellType === 'code').map((c) => ({ index: c.index, source: c.source, outputs: c.outputs })), analyzer);
    expect(result.feedback).toEqual(general);
    expect(result.feedback.cells.map((c) => c.cell)).toEqual([1, 2]);
    expect(result.feedback.cells[0]!.instances[0]).toMatchObject({ mechanism: 'last_cell', output: '(100, 4)', study: true });
    expect(result.feedback.cells[1]!.instances[0]).toMatchObject({ mechanism: 'assert_call', library: 'numpy.testing' });
    expect(result.feedback.studyMl).toBe(true);
  });

  it('reads nbformat v3 through the tolerant reader', () => {
    const v3 = { nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [{ cells: [{ cell_type: 'code', language: 'python', input: 'print "x"', outputs: [], metadata: {} }] }] };
    const result = analyzeNotebookText(JSON.stringify(v3), analyzer);
    if (!result.ok) throw new Error(result.reason);
    expect(result.feedback.cells[0]).toMatchObject({ studyParse: 'python2', instances: [{ mechanism: 'print', variant: 'statement' }] });
  });

  it.each([
    ['{"cells": [', 'invalid-json'],
    ['', 'empty-file'],
    ['[1, 2]', 'not-a-notebook'],
    [JSON.stringify({ nbformat: 4, nbformat_minor: 2, metadata: { kernelspec: { name: 'ir', language: 'R' } }, cells: [] }), 'non-python'],
  ])('refuses %j with %s', (text, code) => {
    expect(analyzeNotebookText(text, analyzer)).toMatchObject({ ok: false, code });
  });
});

describe('executeResultText', () => {
  it('finds the execute_result among stored outputs, as JSON text or parsed', () => {
    const outputs = [{ output_type: 'stream', name: 'stdout', text: 'hi' }, { output_type: 'execute_result', data: { 'text/plain': 'value' } }];
    expect(executeResultText(outputs)).toBe('value');
    expect(executeResultText(JSON.stringify(outputs))).toBe('value');
    expect(executeResultText('[{"output_type":"stream","text":"x"}]')).toBeNull();
    expect(executeResultText('not json execute_result')).toBeNull();
    expect(executeResultText([{ output_type: 'execute_result', data: { 'text/plain': { mle_truncated: true, head: 'first lines' } } }])).toBe('first lines');
    expect(executeResultText([{ output_type: 'execute_result', data: { 'image/png': 'x' } }])).toBe('');
  });
});

describe('isStudyMlNotebook', () => {
  it('applies the study regex to cells containing import, as a raw substring', () => {
    expect(isStudyMlNotebook(['import torchvision'])).toBe(true);
    expect(isStudyMlNotebook(['import pandas', 'model = keras.Sequential()'])).toBe(false);
    expect(isStudyMlNotebook(['from tensorflow import keras'])).toBe(true);
  });
});
