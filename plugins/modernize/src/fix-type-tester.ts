import assert from 'node:assert/strict';
import type { FailureError, FailureKind, FixEnvironment, FixSafety, FixType, FixTypeMeta, NormalizedCell, NormalizedNotebook, ScoreGap } from '@mle/core';
import { applyEdits } from './apply-edits.js';
import { FailureContext } from './failure-context.js';
import { safetyRank } from './fix-safety.js';
import { formatMessage, placeholdersOf } from './format-message.js';
import { sharedPythonParser } from './python-parser.js';

/** A cell of a test notebook: a string is a code cell. */
export type TestCell = string | { cellType: 'code' | 'markdown' | 'raw'; source: string };

/** The failure a case is matched against; absent = a proactive scan of every cell. */
export interface TestFailure {
  kind?: FailureKind;
  /** `'AttributeError: module ...'` or the parts; a string is split at the first `: `. */
  error?: string | { name: string; value: string; traceback?: string[] };
  /** The failing cell; defaults to the last code cell when there is an error, else null (all cells). */
  cellIndex?: number | null;
  environment?: Partial<FixEnvironment>;
  score?: ScoreGap;
  /** The notebook's publication date (`FixNotebook.date`), for rules that depend on its era. */
  notebookDate?: string;
}

export interface ValidCase {
  name?: string;
  /** One code cell (a string) or a list of cells. */
  cells: string | TestCell[];
  failure?: TestFailure;
}

export interface ExpectedMatch {
  messageId: string;
  /** Compared whole when given. */
  data?: Record<string, string>;
  line?: number;
  column?: number;
  cellIndex?: number;
}

export interface InvalidCase {
  name?: string;
  cells: string | TestCell[];
  failure?: TestFailure;
  /** The sites `match` must report, in order. */
  matches: ExpectedMatch[];
  /**
   * The cells after the fix (a string for a one-cell case). Null, the default, asserts that no fix
   * is offered — as eqeqeq's tests default `output` to null, "no fix" is checked, not assumed.
   */
  output?: string | TestCell[] | null;
  /** The fix's expected safety; checked when given. */
  safety?: FixSafety;
}

export interface FixTypeTestCases {
  valid: (string | ValidCase)[];
  invalid: InvalidCase[];
}

type SuiteFunction = (name: string, body: () => void) => void;
type TestFunction = (name: string, body: () => Promise<void>) => void;

interface TestGlobals {
  describe?: SuiteFunction;
  it?: TestFunction;
}

/** Broken rule metadata, found before any case runs. */
export class InvalidFixTypeMetaError extends Error {
  override name = 'InvalidFixTypeMetaError';
}

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CATALOGUE_CODE = /^[A-Z][A-Z0-9]*\d{3}$/;

/** Throw on meta that tools could not rely on (names, codes, message templates). */
export function validateFixTypeMeta(meta: FixTypeMeta): void {
  const problems: string[] = [];
  if (!KEBAB_CASE.test(meta.id)) problems.push(`id '${meta.id}' is not kebab-case`);
  if (!CATALOGUE_CODE.test(meta.code)) problems.push(`code '${meta.code}' is not a catalogue code like BC001`);
  if (!meta.description.trim()) problems.push('description is empty');
  if (!meta.docsUrl.trim()) problems.push('docsUrl is empty');
  if (Object.keys(meta.messages).length === 0) problems.push('no messages');
  if (meta.fixable === 'none' && meta.safety !== 'display-only') problems.push(`fixable 'none' but safety '${meta.safety}' (a rule that never fixes is display-only)`);
  if (meta.fixable !== 'none' && meta.safety === 'display-only') problems.push(`safety 'display-only' but fixable '${meta.fixable}'`);
  if (meta.errorSignatures?.length === 0) problems.push('errorSignatures is empty (omit it instead)');
  if (problems.length > 0) throw new InvalidFixTypeMetaError(`${meta.id || '(no id)'}: ${problems.join('; ')}`);
}

function toCells(cells: string | TestCell[]): NormalizedCell[] {
  const list = typeof cells === 'string' ? [cells] : cells;
  return list.map((cell, index) => {
    const { cellType, source } = typeof cell === 'string' ? { cellType: 'code' as const, source: cell } : cell;
    return { index, cellType, source, executionCount: null, outputs: [], metadata: {} };
  });
}

function toNotebook(cells: string | TestCell[]): NormalizedNotebook {
  return { nbformat: 4, nbformatMinor: 5, metadata: {}, cells: toCells(cells) };
}

function toError(error: TestFailure['error']): FailureError | null {
  if (error === undefined) return null;
  if (typeof error === 'string') {
    const at = error.indexOf(': ');
    return at < 0 ? { name: error, value: '', traceback: [] } : { name: error.slice(0, at), value: error.slice(at + 2), traceback: [] };
  }
  return { name: error.name, value: error.value, traceback: error.traceback ?? [] };
}

async function failureFor(notebook: NormalizedNotebook, spec: TestFailure | undefined): Promise<FailureContext> {
  const parser = await sharedPythonParser();
  const error = toError(spec?.error);
  const lastCode = [...notebook.cells].reverse().find((cell) => cell.cellType === 'code')?.index ?? null;
  const cellIndex = spec?.cellIndex !== undefined ? spec.cellIndex : error ? lastCode : null;
  return new FailureContext(parser, {
    kind: spec?.kind ?? (error ? 'error' : 'scan'),
    error,
    cellIndex,
    notebook: spec?.notebookDate ? { cells: notebook.cells, date: spec.notebookDate } : notebook,
    environment: spec?.environment ?? {},
    score: spec?.score ?? null,
  });
}

function caseName(index: number, given: string | undefined, cells: string | TestCell[]): string {
  if (given) return given;
  const first = typeof cells === 'string' ? cells : cells.map((cell) => (typeof cell === 'string' ? cell : cell.source)).join(' ⏎ ');
  const flat = first.replace(/\s+/g, ' ').trim();
  return `#${index + 1} ${flat.length > 60 ? `${flat.slice(0, 57)}...` : flat}`;
}

function expectedSources(output: string | TestCell[]): string[] {
  return toCells(output).map((cell) => cell.source);
}

/**
 * Runs a fix type over data cases, as ESLint's RuleTester runs a rule: each case is one test.
 * Valid cases must not match. Invalid cases must match with exactly the expected sites (messageId,
 * data, line), every message must fill its placeholders, and the fix must produce `output` — or
 * no fix at all when `output` is null (the default). A produced fix must also parse as well as
 * the input did, be no safer than the rule declares, and leave nothing more to fix.
 *
 * It calls the test framework through `FixTypeTester.describe` / `FixTypeTester.it`, which default
 * to globals of that name; with vitest (no globals) assign them once per test file:
 * `FixTypeTester.describe = describe; FixTypeTester.it = it;`.
 */
export class FixTypeTester {
  static describe: SuiteFunction | undefined;
  static it: TestFunction | undefined;

  private static framework(): { describe: SuiteFunction; it: TestFunction } {
    const globals = globalThis as TestGlobals;
    const describe = FixTypeTester.describe ?? globals.describe;
    const it = FixTypeTester.it ?? globals.it;
    if (!describe || !it) {
      throw new Error('FixTypeTester needs a test framework: set FixTypeTester.describe and FixTypeTester.it (e.g. from vitest) or enable test globals');
    }
    return { describe, it };
  }

  // The Details type parameter is the rule's own business; the tester only passes matches back.
  static run<Details>(id: string, fixType: FixType<Details>, cases: FixTypeTestCases): void {
    const { describe, it } = FixTypeTester.framework();
    describe(`${fixType.meta.code} ${id}`, () => {
      it('has valid meta', async () => {
        assert.equal(fixType.meta.id, id, `the rule's meta.id is '${fixType.meta.id}', tested as '${id}'`);
        validateFixTypeMeta(fixType.meta);
        assert.ok(cases.invalid.length > 0, 'a fix type needs at least one invalid case');
        assert.ok(cases.valid.length > 0, 'a fix type needs at least one valid case');
        if (fixType.meta.fixable !== 'none') {
          assert.ok(cases.invalid.some((c) => c.output != null), `fixable '${fixType.meta.fixable}' but no invalid case has an output`);
        }
      });
      describe('valid', () => {
        cases.valid.forEach((given, index) => {
          const valid: ValidCase = typeof given === 'string' ? { cells: given } : given;
          it(caseName(index, valid.name, valid.cells), () => FixTypeTester.checkValid(fixType, valid));
        });
      });
      describe('invalid', () => {
        cases.invalid.forEach((invalid, index) => {
          it(caseName(index, invalid.name, invalid.cells), () => FixTypeTester.checkInvalid(fixType, invalid));
        });
      });
    });
  }

  /** Assert that a valid case does not match. */
  static async checkValid<Details>(fixType: FixType<Details>, valid: ValidCase): Promise<void> {
    const failure = await failureFor(toNotebook(valid.cells), valid.failure);
    try {
      const match = fixType.match(failure);
      assert.equal(match, null, `expected no match, got ${JSON.stringify(match?.sites)}`);
    } finally {
      failure.dispose();
    }
  }

  /** Assert an invalid case's matches, messages and fix output. */
  static async checkInvalid<Details>(fixType: FixType<Details>, invalid: InvalidCase): Promise<void> {
    const { meta } = fixType;
    const notebook = toNotebook(invalid.cells);
    const failure = await failureFor(notebook, invalid.failure);
    let fixed: NormalizedNotebook | null = null;
    const inputStatus: ('ok' | 'partial' | null)[] = [];
    try {
      const match = fixType.match(failure);
      assert.ok(match, 'expected a match, got null');
      const actual = match.sites.map((site, index) => {
        const expected = invalid.matches[index];
        const picked: Partial<ExpectedMatch> = { messageId: site.messageId };
        if (expected?.data !== undefined) picked.data = { ...site.data };
        if (expected?.line !== undefined) picked.line = site.line;
        if (expected?.column !== undefined) picked.column = site.column;
        if (expected?.cellIndex !== undefined) picked.cellIndex = site.cellIndex;
        return picked;
      });
      assert.deepEqual(actual, invalid.matches, 'matched sites differ');
      for (const site of match.sites) {
        const template = meta.messages[site.messageId];
        assert.ok(template !== undefined, `messageId '${site.messageId}' is not in meta.messages`);
        for (const name of placeholdersOf(template)) assert.ok(site.data[name] !== undefined, `message '${site.messageId}' needs data.${name}`);
        formatMessage(meta, site);
      }
      for (const cell of notebook.cells) inputStatus.push(failure.syntax(cell.index)?.status ?? null);

      const fix = fixType.fix(match, failure);
      const output = invalid.output ?? null;
      if (meta.fixable === 'none') assert.equal(fix, null, `fixable 'none' but fix() returned ${JSON.stringify(fix)}`);
      if (output === null) {
        assert.equal(fix, null, `expected no fix, got "${fix?.title}" with ${JSON.stringify(fix?.edits)}`);
        return;
      }
      assert.ok(fix, 'expected a fix, got null');
      assert.ok(fix.title.trim() !== '' && !/\{\{/.test(fix.title), `fix title '${fix.title}' is empty or has an unfilled placeholder`);
      assert.ok(fix.edits.length > 0, 'a fix needs at least one edit');
      assert.ok(safetyRank(fix.safety) <= safetyRank(meta.safety), `fix safety '${fix.safety}' is above the rule's '${meta.safety}'`);
      assert.notEqual(fix.safety, 'display-only', 'a fix that edits cannot be display-only');
      if (invalid.safety) assert.equal(fix.safety, invalid.safety, 'fix safety differs');
      fixed = applyEdits(notebook, fix.edits);
      assert.deepEqual(fixed.cells.map((cell) => cell.source), expectedSources(output), 'fixed cells differ');
    } finally {
      failure.dispose();
    }
    if (fixed) await FixTypeTester.checkFixedOutput(fixType, fixed, inputStatus, invalid.failure);
  }

  /** The fixed notebook parses as well as the input did, and a scan finds nothing more to fix. */
  private static async checkFixedOutput<Details>(fixType: FixType<Details>, fixed: NormalizedNotebook, inputStatus: readonly ('ok' | 'partial' | null)[], spec: TestFailure | undefined): Promise<void> {
    const rescan = await failureFor(fixed, { environment: spec?.environment ?? {}, ...(spec?.notebookDate ? { notebookDate: spec.notebookDate } : {}) });
    try {
      fixed.cells.forEach((cell, index) => {
        const status = rescan.syntax(cell.index)?.status ?? null;
        if (inputStatus[index] === 'ok') assert.equal(status, 'ok', `the fix left a syntax error in cell ${cell.index}:\n${cell.source}`);
      });
      const again = fixType.match(rescan);
      const more = again ? fixType.fix(again, rescan) : null;
      assert.equal(more, null, `after the fix, a scan still offers "${more?.title}" (${JSON.stringify(more?.edits)}): the fix is incomplete`);
    } finally {
      rescan.dispose();
    }
  }
}
