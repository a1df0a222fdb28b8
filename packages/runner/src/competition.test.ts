import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES_DIR } from '../test/grader-fixtures.js';
import { CompetitionError, competitionMountPath, loadCompetition, loadCompetitions } from './competition.js';

const BINARY = join(FIXTURES_DIR, 'competitions', 'synthetic-binary');
const MULTICLASS = join(FIXTURES_DIR, 'competitions', 'synthetic-multiclass');
const scratch = mkdtempSync(join(tmpdir(), 'mle-competition-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let copies = 0;
/** A copy of the binary fixture with competition.json edited and files changed. */
function variant(edit: (config: Record<string, unknown>) => void = () => {}, files: (dir: string) => void = () => {}): string {
  const dir = join(scratch, `variant-${++copies}`);
  cpSync(BINARY, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'competition.json'), 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(join(dir, 'competition.json'), JSON.stringify(config));
  files(dir);
  return dir;
}

async function loadError(dir: string): Promise<CompetitionError> {
  const error = await loadCompetition(dir).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CompetitionError);
  expect((error as Error).message).not.toContain('\n');
  return error as CompetitionError;
}

describe('loadCompetition', () => {
  it('loads a binary competition with absolute paths, defaults and hashes', async () => {
    const competition = await loadCompetition(BINARY);
    expect(competition).toMatchObject({
      slug: 'synthetic-binary',
      metric: 'roc-auc',
      higherIsBetter: true,
      idColumn: 'id',
      targetColumns: ['target'],
      submissionColumns: ['target'],
      deadline: '2020-06-30T23:59:00.000Z',
      runtimeBudgetSeconds: 600,
      dir: BINARY,
      dataDir: join(BINARY, 'data'),
      answersPath: join(BINARY, 'private', 'answers.csv'),
      dataFiles: ['train.csv', 'test.csv', 'sample_submission.csv'],
    });
    expect(competition.configSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(competition.answersSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(competitionMountPath(competition)).toBe('/kaggle/input/synthetic-binary');
  });

  it('loads per-class probability columns graded against one class-name column', async () => {
    const competition = await loadCompetition(MULTICLASS);
    expect(competition).toMatchObject({ metric: 'log-loss', higherIsBetter: false, targetColumns: ['species'], submissionColumns: ['setosa', 'versicolor', 'virginica'] });
  });

  it('resolves common metric spellings, with the options they imply', async () => {
    const competition = await loadCompetition(
      variant(
        (config) => Object.assign(config, { metric: 'MAP@5', target_columns: undefined, target_column: 'target' }),
      ),
    );
    expect(competition.metric).toBe('map-at-k');
    expect(competition.metricOptions).toEqual({ k: 5 });
    expect((await loadCompetition(variant((config) => (config.metric = 'AUC')))).metric).toBe('roc-auc');
  });

  it('reads deadlines as UTC: a date, or a date-time with or without a zone', async () => {
    const deadline = async (value: string) => (await loadCompetition(variant((config) => (config.deadline = value)))).deadline;
    expect(await deadline('2025-12-31')).toBe('2025-12-31T00:00:00.000Z');
    expect(await deadline('2019-03-01T12:30:00')).toBe('2019-03-01T12:30:00.000Z');
    expect(await deadline('2019-03-01T12:30:00+02:00')).toBe('2019-03-01T10:30:00.000Z');
  });

  it('reads description.md when competition.json has no description', async () => {
    const dir = variant(
      (config) => delete config.description,
      (d) => writeFileSync(join(d, 'description.md'), '# Synthetic\nPredict the target.\n'),
    );
    expect((await loadCompetition(dir)).description).toBe('# Synthetic\nPredict the target.\n');
  });

  const broken: [string, () => string, RegExp][] = [
    ['a missing directory', () => join(scratch, 'nope'), /not a directory/],
    ['a missing competition.json', () => variant(undefined, (d) => rmSync(join(d, 'competition.json'))), /needs a competition\.json/],
    ['invalid JSON', () => variant(undefined, (d) => writeFileSync(join(d, 'competition.json'), '{"slug": ')), /not valid JSON/],
    ['a JSON array', () => variant(undefined, (d) => writeFileSync(join(d, 'competition.json'), '[]')), /JSON object/],
    ['a misspelt key', () => variant((c) => (c.higher_is_beter = true)), /unknown key "higher_is_beter"/],
    ['no slug', () => variant((c) => delete c.slug), /"slug" is required/],
    ['a slug that is a path', () => variant((c) => (c.slug = '../etc')), /"slug" must be/],
    ['an unknown metric', () => variant((c) => (c.metric = 'brier')), /unknown metric "brier" \(known: accuracy, f1-macro/],
    ['a direction that contradicts the metric', () => variant((c) => (c.higher_is_better = false)), /roc-auc is higher-is-better/],
    ['bad metric options', () => variant((c) => Object.assign(c, { metric: 'log-loss', higher_is_better: false, metric_options: { eps: 2 } })), /eps must be a number in \(0, 0\.5\)/],
    ['map-at-k without k', () => variant((c) => (c.metric = 'map-at-k')), /needs metric_options\.k/],
    ['both target_column and target_columns', () => variant((c) => (c.target_column = 'target')), /not both/],
    ['the id among the targets', () => variant((c) => (c.target_columns = ['id', 'target'])), /includes the id column/],
    ['an unparseable deadline', () => variant((c) => (c.deadline = 'next spring')), /"deadline" must be an ISO 8601 date/],
    ['a zero runtime budget', () => variant((c) => (c.runtime_budget_seconds = 0)), /positive number/],
    ['an answers path leaving private/', () => variant((c) => (c.answers = '../data/train.csv')), /must be a file name inside private\//],
    ['no data directory', () => variant(undefined, (d) => rmSync(join(d, 'data'), { recursive: true })), /\/data: missing: the data notebooks see lives in data\//],
    ['a missing default data file', () => variant(undefined, (d) => rmSync(join(d, 'data', 'train.csv'))), /train\.csv: missing \(data_files defaults to/],
    ['a missing listed data file', () => variant((c) => (c.data_files = ['images.zip'])), /images\.zip: missing \(listed in data_files\)/],
    ['no answers file', () => variant(undefined, (d) => rmSync(join(d, 'private'), { recursive: true })), /answers\.csv: missing: the answers file belongs in private\//],
    ['answers leaked into data/', () => variant(undefined, (d) => cpSync(join(d, 'private', 'answers.csv'), join(d, 'data', 'answers.csv'))), /notebooks would see it/],
    ['a sample submission without the target column', () => variant(undefined, (d) => writeFileSync(join(d, 'data', 'sample_submission.csv'), 'id,Target\n1,0.5\n')), /the sample submission lacks column "target"/],
    ['answers without the id column', () => variant(undefined, (d) => writeFileSync(join(d, 'private', 'answers.csv'), 'ID,target\n1,0\n')), /the answers file lacks column "id"/],
    ['an empty answers file', () => variant(undefined, (d) => writeFileSync(join(d, 'private', 'answers.csv'), '')), /answers file cannot be read: .* is empty/],
  ];
  for (const [what, make, message] of broken) {
    it(`refuses ${what} with a one-line error`, async () => {
      expect((await loadError(make())).message).toMatch(message);
    });
  }
});

describe('loadCompetitions', () => {
  it('loads every competition under a directory and reports broken ones beside them', async () => {
    const root = join(scratch, 'root');
    mkdirSync(root);
    cpSync(BINARY, join(root, 'a'), { recursive: true });
    cpSync(MULTICLASS, join(root, 'b'), { recursive: true });
    cpSync(BINARY, join(root, 'c-same-slug'), { recursive: true });
    mkdirSync(join(root, 'not-a-competition'));
    const { competitions, errors } = await loadCompetitions(root);
    expect(competitions.map((c) => c.slug)).toEqual(['synthetic-binary', 'synthetic-multiclass']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/slug "synthetic-binary" is used by another competition/);
  });
});
