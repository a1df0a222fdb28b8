import { describe, expect, it } from 'vitest';
import { parseAnswer, type AnswerContext } from './llm-answer.js';
import { sharedPythonParser } from './python-parser.js';

const parser = await sharedPythonParser();
const context: AnswerContext = { editableCells: new Set([2]), sources: new Map([[0, '# title'], [1, 'import os'], [2, 'x = d.keys()[0]']]), parser };
const answer = (value: unknown) => parseAnswer(JSON.stringify(value), context);

describe('parseAnswer', () => {
  it('turns a valid answer into replace-cell edits', () => {
    expect(answer({ plan: ' keys() is a view. ', edits: [{ cell: 2, source: 'x = list(d.keys())[0]' }] })).toEqual({
      ok: true,
      plan: 'keys() is a view.',
      edits: [{ kind: 'replace-cell', cellIndex: 2, source: 'x = list(d.keys())[0]' }],
    });
  });

  it.each([
    [null, 'empty answer'],
    ['```json\n{"plan": "p", "edits": []}\n```', /^not JSON/],
    ['[1, 2]', 'the answer is not a JSON object'],
    [JSON.stringify({ plan: 'p', edits: [], notebook: 'all of it' }), 'unexpected fields: notebook'],
    [JSON.stringify({ plan: 1, edits: [] }), 'plan is not a string'],
    [JSON.stringify({ plan: 'p', edits: {} }), 'edits is not an array'],
    [JSON.stringify({ plan: 'p', edits: [] }), 'no edits'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: 'y', diff: '+y' }] }), 'edit 0 is not {cell, source}'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: '2', source: 'y' }] }), 'edit 0: cell is not an integer'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: 3 }] }), 'edit 0: source is not a string'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 7, source: 'y' }] }), 'edit 0: there is no cell 7'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 1, source: 'import sys' }] }), 'edit 0: cell 1 was not offered for editing'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: 'y = 1' }, { cell: 2, source: 'y = 2' }] }), 'edit 1: cell 2 is edited twice'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: '  \n' }] }), 'edit 0: empty source for cell 2'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: 'x = d.keys()[0]' }] }), 'edit 0: cell 2 is unchanged'],
    [JSON.stringify({ plan: 'p', edits: [{ cell: 2, source: 'x = list(d.keys()[0]' }] }), 'edit 0: the new source of cell 2 has a syntax error'],
  ])('rejects %s', (content, reason) => {
    const result = parseAnswer(content, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
