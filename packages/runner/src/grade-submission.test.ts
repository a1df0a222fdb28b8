import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTo, fixtures, FIXTURES_DIR } from '../test/grader-fixtures.js';
import { loadCompetition, type Competition } from './competition.js';
import { gradeSubmission, gradeWorkingDirectory, loadAnswers, maxSubmissionRows, type GradeFailure, type GradeOutcome } from './grade-submission.js';
import { GraderRegistry } from './graders/grader-registry.js';
import type { Grader } from './graders/grader.js';

const BINARY = join(FIXTURES_DIR, 'competitions', 'synthetic-binary');
const MULTICLASS = join(FIXTURES_DIR, 'competitions', 'synthetic-multiclass');
const scratch = mkdtempSync(join(tmpdir(), 'mle-grade-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let binary: Competition;
let multiclass: Competition;
/** The binary competition's answer rows: [id, target]. */
let answerRows: string[][];
beforeAll(async () => {
  binary = await loadCompetition(BINARY);
  multiclass = await loadCompetition(MULTICLASS);
  answerRows = readFileSync(binary.answersPath, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','));
});

let files = 0;
function file(content: string | Buffer): string {
  const path = join(scratch, `submission-${++files}.csv`);
  writeFileSync(path, content);
  return path;
}
/** A well-formed binary submission (score = the answer, a perfect AUC) with `edit` applied to its rows. */
function submission(edit: (rows: string[][]) => string[][] = (rows) => rows, header = 'id,target'): string {
  const rows = edit(answerRows.map(([id, target]) => [id!, target === '1' ? '0.9' : '0.1']));
  return file(`${header}\n${rows.map((row) => row.join(',')).join('\n')}\n`);
}

function expectFailure(outcome: GradeOutcome, code: GradeFailure['code'], message: RegExp): void {
  expect(outcome.ok, JSON.stringify(outcome)).toBe(false);
  const failure = outcome as GradeFailure;
  expect(failure.code).toBe(code);
  expect(failure.message).toMatch(message);
  expect(failure.message).not.toContain('\n');
}

describe('gradeSubmission', () => {
  it('scores the reference submissions as scikit-learn does, joining rows on id whatever their order', async () => {
    for (const [slug, competition] of [['synthetic-binary', () => binary], ['synthetic-multiclass', () => multiclass]] as const) {
      const reference = fixtures.competitions[slug]!;
      const outcome = await gradeSubmission(competition(), join(competition().dir, reference.reference_submission));
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
      if (!outcome.ok) continue;
      expect(closeTo(outcome.score, reference.score), `${slug}: ${outcome.score} vs ${reference.score} (${reference.reference})`).toBe(true);
      expect(outcome.rows).toBe(readFileSync(competition().answersPath, 'utf8').trim().split('\n').length - 1);
      expect(outcome.warnings).toEqual([]);
    }
  });

  it('tolerates a BOM, spaces around cells, blank lines, extra columns and columns in another order', async () => {
    const rows = answerRows.map(([id, target]) => ` ${target === '1' ? '0.9' : '0.1'} , ${id} , x`);
    const outcome = await gradeSubmission(binary, file(`\ufefftarget,id,note\n${rows.join('\n')}\n\n`));
    expect(outcome).toMatchObject({ ok: true, score: 1, rows: answerRows.length, metric: 'roc-auc', higherIsBetter: true });
  });

  it('matches ids written as floats by value, with a warning', async () => {
    const outcome = await gradeSubmission(binary, submission((rows) => rows.map(([id, p]) => [`${id}.0`, p!])));
    expect(outcome).toMatchObject({ ok: true, score: 1 });
    expect(outcome.ok && outcome.warnings[0]).toMatch(/matched the answers by numeric value/);
  });

  it('stops reading a runaway submission and records wrong-row-count', async () => {
    const lines = Array.from({ length: maxSubmissionRows(answerRows.length) + 5 }, (_, i) => `${i},0.5`);
    expectFailure(await gradeSubmission(binary, file(`id,target\n${lines.join('\n')}\n`)), 'wrong-row-count', /expected 30 rows, got more than 10060 \(stopped reading there\)/);
  });

  it('reuses answers loaded once', async () => {
    const answers = await loadAnswers(binary);
    expect(answers.ids).toHaveLength(answerRows.length);
    expect(await gradeSubmission(binary, submission(), { answers })).toMatchObject({ ok: true, score: 1 });
  });

  const cases: [string, () => string, GradeFailure['code'], RegExp][] = [
    ['no file', () => join(scratch, 'never-written.csv'), 'missing-file', /does not exist/],
    ['an empty file', () => file(''), 'unreadable-csv', /is empty/],
    ['a directory', () => (mkdirSync(join(scratch, 'dir.csv'), { recursive: true }), join(scratch, 'dir.csv')), 'unreadable-csv', /not a regular file/],
    ['rows with too many fields', () => submission((rows) => [...rows.slice(0, 3), [rows[3]![0]!, '0.5', 'extra'], ...rows.slice(4)]), 'unreadable-csv', /Invalid Record Length: expect 2, got 3 on line 5/],
    ['an unclosed quote', () => file('id,target\n1001,"0.5\n1002,0.1\n'), 'unreadable-csv', /Quote Not Closed/],
    ['binary junk', () => file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x22, 0x00, 0x2c, 0x2c, 0x0a, 0x41, 0x2c])), 'unreadable-csv', /is not a text CSV \(NUL bytes in its first 8 KB\)/],
    ['a header with control characters', () => file('id\u0007,target\n1041,0.5\n'), 'missing-columns', /lacks column "id" \(has: id\ufffd, target\)/],
    ['a misnamed column', () => submission(undefined, 'id,Target'), 'missing-columns', /lacks column "target" \(has: id, Target\); "Target" is not "target": names are case-sensitive/],
    ['no id column', () => submission(undefined, 'row,target'), 'missing-columns', /lacks column "id"/],
    ['a header only', () => file('id,target\n'), 'missing-ids', /30 of 30 ids are missing from the submission \(0 rows\)/],
    ['two rows dropped', () => submission((rows) => rows.slice(2)), 'missing-ids', /2 of 30 ids are missing from the submission \(28 rows\): "1041", "1042"/],
    ['a duplicated row', () => submission((rows) => [...rows, rows[5]!]), 'duplicate-ids', /1 id appears more than once in the submission: "1046"/],
    ['the same id as integer and float', () => submission((rows) => [...rows.slice(1), [`${rows[1]![0]}.0`, '0.5']]), 'duplicate-ids', /are the same number/],
    ['an unknown extra row', () => submission((rows) => [...rows, ['99999', '0.5']]), 'extra-ids', /1 submission ids are not in the answers \(31 rows, 30 expected\): "99999"/],
    ['the ids of another split, fewer rows', () => submission((rows) => rows.slice(0, 20).map(([id, p]) => [String(Number(id) - 40), p!])), 'wrong-row-count', /expected 30 rows, got 20: 30 ids missing/],
    ['right row count, wrong ids', () => submission((rows) => rows.map(([id, p], i) => [i < 2 ? `x${id}` : id!, p!])), 'missing-ids', /right number of rows \(30\) but other ids: 2 ids missing \("1041", "1042"\), 2 not in the answers/],
    ['an empty score', () => submission((rows) => rows.map(([id, p], i) => [id!, i === 4 ? '' : p!])), 'nan-values', /id 1045, column 'target': missing value ""/],
    ['a NaN score', () => submission((rows) => rows.map(([id, p], i) => [id!, i === 4 ? 'NaN' : p!])), 'nan-values', /missing value "NaN"/],
    ['an infinite score', () => submission((rows) => rows.map(([id, p], i) => [id!, i === 4 ? '-inf' : p!])), 'nan-values', /infinite value "-inf"/],
    ['a word for a score', () => submission((rows) => rows.map(([id, p], i) => [id!, i === 7 ? 'high' : p!])), 'non-numeric', /id 1048, column 'target': "high" is not a number/],
    ['a hex number', () => submission((rows) => rows.map(([id, p], i) => [id!, i === 7 ? '0x1' : p!])), 'non-numeric', /"0x1" is not a number/],
  ];
  for (const [what, make, code, message] of cases) {
    it(`records ${code} for ${what}`, async () => {
      expectFailure(await gradeSubmission(binary, make()), code, message);
    });
  }

  it('records invalid-values for a probability above 1', async () => {
    const header = ['Id', ...multiclass.submissionColumns].join(',');
    const rows = readFileSync(multiclass.answersPath, 'utf8').trim().split('\n').slice(1).map((line, i) => `${line.split(',')[0]},${i === 2 ? '1.5' : '0.2'},0.3,0.5`);
    expectFailure(await gradeSubmission(multiclass, file(`${header}\n${rows.join('\n')}\n`)), 'invalid-values', /probability "1.5" is outside \[0, 1\]/);
  });

  it('records invalid-answers when the answers file went missing or is corrupt, blaming the competition', async () => {
    const dir = join(scratch, 'vanishing');
    cpSync(BINARY, dir, { recursive: true });
    const competition = await loadCompetition(dir);
    writeFileSync(competition.answersPath, 'id,target\n1041,0\n1041,1\n');
    expectFailure(await gradeSubmission(competition, submission()), 'invalid-answers', /lists id "1041" twice/);
    writeFileSync(competition.answersPath, 'id,target\n1041,maybe\n');
    expectFailure(await gradeSubmission(competition, file('id,target\n1041,0.3\n')), 'invalid-answers', /answers file: id 1041, column 'target': "maybe" is not 0 or 1/);
    rmSync(competition.answersPath);
    expectFailure(await gradeSubmission(competition, submission()), 'invalid-answers', /answers file: .*answers\.csv does not exist/);
  });

  it('records metric-undefined when the answers hold one class', async () => {
    const dir = join(scratch, 'one-class');
    cpSync(BINARY, dir, { recursive: true });
    writeFileSync(join(dir, 'private', 'answers.csv'), `id,target\n${answerRows.map(([id]) => `${id},1`).join('\n')}\n`);
    expectFailure(await gradeSubmission(await loadCompetition(dir), submission()), 'metric-undefined', /ROC AUC is undefined: the answers hold one class only/);
  });

  it('grades with a plugin grader, and records grader-failed when it throws or returns NaN', async () => {
    const mean: Grader = {
      id: 'mean-prediction',
      title: 'Mean prediction',
      higherIsBetter: true,
      description: 'The mean of the submitted values (a test grader).',
      grade: (_answers, submitted) => submitted.rows.reduce((sum, row) => sum + Number(row[0]), 0) / submitted.rows.length,
    };
    const throwing: Grader = { ...mean, id: 'throwing', grade: () => { throw new TypeError('cannot read properties of undefined'); } };
    const nan: Grader = { ...mean, id: 'nan-returning', grade: () => Number.NaN };
    const registry = new GraderRegistry();
    for (const grader of [mean, throwing, nan]) registry.register(grader);
    const make = async (metric: string) => {
      const dir = join(scratch, metric);
      cpSync(BINARY, dir, { recursive: true });
      const config = JSON.parse(readFileSync(join(dir, 'competition.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, 'competition.json'), JSON.stringify({ ...config, metric }));
      return loadCompetition(dir, { registry });
    };
    const path = submission(() => answerRows.map(([id]) => [id!, '0.25']));
    expect(await gradeSubmission(await make('mean-prediction'), path, { registry })).toMatchObject({ ok: true, score: 0.25 });
    expectFailure(await gradeSubmission(await make('throwing'), path, { registry }), 'grader-failed', /grader throwing failed: TypeError: cannot read properties of undefined/);
    expectFailure(await gradeSubmission(await make('nan-returning'), path, { registry }), 'metric-undefined', /gave no finite score \(NaN\)/);
    // Without the plugin's registry the metric is unknown at grading time.
    expectFailure(await gradeSubmission(await make('mean-prediction'), path), 'grader-failed', /no grader is registered for metric "mean-prediction"/);
  });
});

describe('gradeWorkingDirectory', () => {
  it('grades submission.csv in a run\'s working directory, and returns null when there is none', async () => {
    const work = join(scratch, 'working');
    mkdirSync(work);
    expect(await gradeWorkingDirectory(binary, work)).toBeNull();
    writeFileSync(join(work, 'Submission.csv'), readFileSync(submission()));
    expect(await gradeWorkingDirectory(binary, work)).toBeNull();
    writeFileSync(join(work, 'submission.csv'), readFileSync(submission()));
    expect(await gradeWorkingDirectory(binary, work)).toMatchObject({ ok: true, score: 1 });
    writeFileSync(join(work, 'submission.csv'), 'id,target\n');
    expect(await gradeWorkingDirectory(binary, work)).toMatchObject({ ok: false, code: 'missing-ids' });
  });
});
