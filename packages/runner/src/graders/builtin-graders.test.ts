import { describe, expect, it } from 'vitest';
import { closeTo, fixtures, type FixtureTable } from '../../test/grader-fixtures.js';
import { GradingError } from '../grading-error.js';
import type { GradingTable } from './grader.js';
import { BUILTIN_GRADERS, GraderRegistry } from './grader-registry.js';

const registry = new GraderRegistry();
const asTable = (table: FixtureTable): GradingTable => ({ ids: table.rows.map((_, i) => String(i + 1)), columns: table.columns, rows: table.rows });

describe('built-in graders against scikit-learn', () => {
  it(`uses fixtures from scikit-learn ${fixtures.versions['scikit-learn']} with at least three cases per grader`, () => {
    for (const grader of BUILTIN_GRADERS) {
      expect(fixtures.graders.filter((c) => c.metric === grader.id).length, grader.id).toBeGreaterThanOrEqual(3);
    }
  });

  for (const testCase of fixtures.graders) {
    const grader = registry.get(testCase.metric);
    if (testCase.expected !== null) {
      const expected = testCase.expected;
      it(`${testCase.id} = ${expected} (${testCase.reference})`, () => {
        expect(grader, testCase.metric).toBeDefined();
        grader!.checkOptions?.(testCase.options);
        const score = grader!.grade(asTable(testCase.answers), asTable(testCase.submission), testCase.options);
        expect(closeTo(score, expected), `${score} vs scikit-learn ${expected}`).toBe(true);
      });
    } else {
      // scikit-learn returned NaN (undefined metric) or raised (values outside the domain).
      const code = testCase.sklearn_error?.startsWith('undefined') ? 'metric-undefined' : 'invalid-values';
      it(`${testCase.id} is a ${code} grading error (scikit-learn: ${testCase.sklearn_error})`, () => {
        let caught: unknown;
        try {
          grader!.grade(asTable(testCase.answers), asTable(testCase.submission), testCase.options);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(GradingError);
        expect((caught as GradingError).code).toBe(code);
        expect((caught as GradingError).message).not.toContain('\n');
      });
    }
  }
});
