import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NormalizedNotebook } from '@mle/core';
import { applyEdits } from '../apply-edits.js';
import { createFailure } from '../failure-context.js';
import { builtinFixTypes } from './builtin-fix-types.js';
import { docsFileName, renderRuleDocs } from './render-rule-docs.js';

const here = dirname(fileURLToPath(import.meta.url));
const docsDir = join(here, '../../docs');
const testSources = readdirSync(here)
  .filter((name) => name.endsWith('.test.ts') && name !== 'rule-docs.test.ts')
  .map((name) => readFileSync(join(here, name), 'utf8'));

function notebookOf(source: string): NormalizedNotebook {
  return { nbformat: 4, nbformatMinor: 5, metadata: {}, cells: [{ index: 0, cellType: 'code', source, executionCount: null, outputs: [], metadata: {} }] };
}

describe('built-in rule catalogue', () => {
  it('has one rule per catalogue row BC001…BC079', () => {
    expect(builtinFixTypes.map((rule) => rule.meta.code).filter((code) => code.startsWith('BC'))).toEqual(Array.from({ length: 79 }, (_, i) => `BC${String(i + 1).padStart(3, '0')}`));
  });

  it('has the score-calibration rules for default changes (DC001, DC002), after the catalogue rows', () => {
    expect(builtinFixTypes.map((rule) => rule.meta.code).filter((code) => !code.startsWith('BC'))).toEqual(['DC001', 'DC002']);
    expect(builtinFixTypes.filter((rule) => rule.meta.code.startsWith('DC')).map((rule) => rule.meta.kind)).toEqual(['score-calibration', 'score-calibration']);
  });

  it('has no stale docs pages', () => {
    const expected = new Set(builtinFixTypes.map(docsFileName));
    expect(readdirSync(docsDir).filter((name) => name.endsWith('.md') && !expected.has(name))).toEqual([]);
  });

  describe.each(builtinFixTypes.map((rule) => [`${rule.meta.code} ${rule.meta.id}`, rule] as const))('%s', (_name, rule) => {
    it('has a docs page in sync with its meta and docs text (regenerate: node plugins/modernize/scripts/write-docs.mjs)', () => {
      const path = join(docsDir, docsFileName(rule));
      expect(existsSync(path), `${path} is missing`).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(renderRuleDocs(rule));
      expect(rule.meta.docsUrl.endsWith(`/docs/${docsFileName(rule)}`)).toBe(true);
    });

    it('has FixTypeTester cases in a test file beside it', () => {
      const mentioned = testSources.filter((source) => source.includes('FixTypeTester.run(') && (source.includes(`'${rule.meta.id}'`) || source.includes(`'${rule.meta.code}'`)));
      expect(mentioned.length, `no *.test.ts in fix-types/ runs FixTypeTester on ${rule.meta.id}`).toBeGreaterThan(0);
    });

    it("has a docs example that the rule matches and, when it fixes, turns into the page's 'Use instead'", async () => {
      const { exampleFailure } = rule.docs;
      const at = exampleFailure?.error.indexOf(': ') ?? -1;
      const example = notebookOf(rule.docs.example);
      const failure = await createFailure({
        notebook: rule.docs.exampleNotebookDate ? { cells: example.cells, date: rule.docs.exampleNotebookDate } : example,
        cellIndex: exampleFailure ? 0 : null,
        error: exampleFailure ? { name: exampleFailure.error.slice(0, at), value: exampleFailure.error.slice(at + 2), traceback: exampleFailure.line ? [`Cell In[1], line ${exampleFailure.line}`] : [] } : null,
        environment: {},
      });
      try {
        const match = rule.match(failure);
        expect(match, 'the example does not match').not.toBeNull();
        const fix = rule.fix(match!, failure);
        if (rule.meta.fixable === 'none') {
          expect(fix).toBeNull();
          return;
        }
        expect(fix, 'no fix for the example').not.toBeNull();
        expect(applyEdits(notebookOf(rule.docs.example), fix!.edits).cells[0]!.source).toBe(rule.docs.useInstead);
      } finally {
        failure.dispose();
      }
    });
  });
});
