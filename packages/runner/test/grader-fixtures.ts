import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the fixture competitions and the generated JSON live. */
export const FIXTURES_DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));

type JsonNumber = number | 'nan' | 'inf' | '-inf';

export interface FixtureTable {
  columns: string[];
  rows: string[][];
}

export interface GraderCase {
  id: string;
  metric: string;
  options: Record<string, unknown>;
  answers: FixtureTable;
  submission: FixtureTable;
  reference: string;
  /** scikit-learn's value; null when it refused (`sklearn_error` says why). */
  expected: number | null;
  sklearn_error?: string;
}

interface RawFixtures {
  versions: Record<string, string>;
  graders: GraderCase[];
  betainc: { a: number; b: number; x: number; value: JsonNumber }[];
  student_t: { t: number; df: number; cdf: JsonNumber; sf: JsonNumber }[];
  ttest_1samp: { id: string; scores: number[]; popmean: number; statistic: JsonNumber; pvalue: JsonNumber; df: number }[];
  issta: {
    id: string;
    higher_is_better: boolean;
    rows: { scores: number[]; target: number; score_norm: number[]; target_norm: number; statistic: JsonNumber | null; pvalue: JsonNumber | null }[];
  }[];
  competitions: Record<string, { reference_submission: string; score: number; reference: string }>;
}

/** JSON cannot hold NaN or infinities; the generator writes them as strings. */
export function decode(value: JsonNumber): number {
  if (value === 'nan') return Number.NaN;
  if (value === 'inf') return Number.POSITIVE_INFINITY;
  if (value === '-inf') return Number.NEGATIVE_INFINITY;
  return value;
}

export const fixtures: RawFixtures = JSON.parse(readFileSync(new URL('./fixtures/grader-fixtures.json', import.meta.url), 'utf8')) as RawFixtures;

/** |actual - expected| <= 1e-9 relative; exactly zero may be missed by rounding only (1e-15). */
export function closeTo(actual: number, expected: number, relative = 1e-9): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (expected === 0) return Math.abs(actual) <= 1e-15;
  return Math.abs(actual - expected) <= relative * Math.abs(expected);
}
