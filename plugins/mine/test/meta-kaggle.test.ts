import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { mineCorpus } from '../src/mine-corpus.js';
import { chooseSubmission } from '../src/sources/meta-kaggle/choose-submission.js';
import { CodeFileLocator, codeShard } from '../src/sources/meta-kaggle/code-file.js';
import { parseKaggleDate } from '../src/sources/meta-kaggle/kaggle-values.js';
import { MetaKaggleSource, type MetaKaggleStats } from '../src/sources/meta-kaggle/meta-kaggle-source.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const CLI = join(ROOT, 'packages/cli/bin/run.js');
const FIXTURE = join(HERE, 'fixtures/meta-kaggle');
const CSV = join(FIXTURE, 'csv');
const CODE = join(FIXTURE, 'code');
const work = mkdtempSync(join(tmpdir(), 'mle-meta-kaggle-'));
const scratchDir = join(work, 'scratch');
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HOUSE = 'house-prices-advanced-regression-techniques';

interface Row {
  origin_key: string;
  path: string;
  kernel_version_id: number;
  date: string;
  status: string;
  reason_code: string | null;
  reason: string | null;
  competition: string;
  reportedScore: number | undefined;
  reportedScoreKind: string | undefined;
  submissionId: number;
  submissionRule: string;
}

/** Origins with the join facts a reader checks first, in the order they were mined. */
function rows(store: WritableStore): Row[] {
  const raw = store.db.prepare('SELECT origin_key, path, kernel_version_id, date, status, reason_code, reason, details FROM origins ORDER BY id').all() as (Omit<Row, 'competition' | 'reportedScore' | 'reportedScoreKind' | 'submissionId' | 'submissionRule'> & { details: string })[];
  return raw.map(({ details, ...row }) => {
    const d = JSON.parse(details) as { competition: string; reportedScore?: number; reportedScoreKind?: string; submissionId: number; submissionRule: string };
    return { ...row, competition: d.competition, reportedScore: d.reportedScore, reportedScoreKind: d.reportedScoreKind, submissionId: d.submissionId, submissionRule: d.submissionRule };
  });
}

function details(store: WritableStore, key: string): Record<string, unknown> {
  return JSON.parse(store.db.prepare('SELECT details FROM origins WHERE origin_key = ?').pluck().get(key) as string) as Record<string, unknown>;
}

const stored = (key: string, path: string, id: number, date: string, competition: string, score: number, kind: string, submissionId: number, rule: string): Row => ({
  origin_key: key, path, kernel_version_id: id, date, status: 'stored', reason_code: null, reason: null,
  competition, reportedScore: score, reportedScoreKind: kind, submissionId, submissionRule: rule,
});

// Hand-checked against the fixture CSVs (see the comments for why each row is what it is).
const A = stored('titanic/230026147', '0230/026/230026147.ipynb', 230026147, '2019-03-12T00:00:00.000Z', 'titanic', 0.75, 'private', 5002, 'score-date');
const B = stored('titanic/230026200', '0230/026/230026200.ipynb', 230026200, '2019-04-01T00:00:00.000Z', 'titanic', 0.72, 'private', 5011, 'creation-date');
const F = stored('titanic/230026500', '0230/026/230026500.ipynb', 230026500, '2019-03-20T00:00:00.000Z', 'titanic', 0.8, 'private', 5050, 'score-date');

const EXPECTED_ALL: Row[] = [
  // No private score: the public one, recorded as such. Scored on the EvaluationDate.
  stored(`${HOUSE}/1234567`, '0001/234/1234567.ipynb', 1234567, '2018-06-01T00:00:00.000Z', HOUSE, 0.1234, 'public', 5030, 'score-date'),
  // Three submissions of one version (team 100): 5001 is newest, but 5002 was scored on the
  // version's EvaluationDate (03/12); its title is the multi-line quoted field.
  A,
  // 5010 is newest; no ScoreDate on EvaluationDate 04/02; 5011 was submitted on CreationDate 04/01.
  // Team 101's submission 5012 has no SourceKernelVersionId and joins nothing.
  B,
  // 5020 is newest but its private score is 0: of 5021/5022 (no date matches) the newest.
  stored('titanic/230026300', '0230/026/230026300.ipynb', 230026300, '2019-05-08T00:00:00.000Z', 'titanic', 0.79, 'private', 5021, 'newest'),
  // No file in Meta Kaggle Code: rejected as unreadable, the join facts kept.
  {
    origin_key: `${HOUSE}/230026400`, path: '0230/026/230026400.*', kernel_version_id: 230026400, date: '2019-07-02T00:00:00.000Z', status: 'rejected',
    reason_code: 'unreadable', reason: `no code file for kernel version 230026400: nothing matches 0230/026/230026400.* in ${CODE}`,
    competition: HOUSE, reportedScore: 0.15, reportedScoreKind: 'private', submissionId: 5040, submissionRule: 'newest',
  },
  // 230026500 (one dataset) and 230026600 (two) are left out; 230026700 never submitted;
  // 230026800 is a .py script; 230027000 has no KernelVersions row.
  stored('titanic/230026900', '0230/026/230026900.ipynb', 230026900, '2019-05-20T00:00:00.000Z', 'titanic', 0.76, 'private', 5080, 'score-date'),
  // An R notebook: offered, and filtered by the miner's language filter.
  {
    origin_key: `${HOUSE}/230027100`, path: '0230/027/230027100.ipynb', kernel_version_id: 230027100, date: '2019-07-10T00:00:00.000Z', status: 'filtered',
    reason_code: 'non-python', reason: 'kernel language is r', competition: HOUSE, reportedScore: 0.14, reportedScoreKind: 'private', submissionId: 5100, submissionRule: 'score-date',
  },
  stored('other-comp/230027200', '0230/027/230027200.ipynb', 230027200, '2019-08-05T00:00:00.000Z', 'other-comp', 0.6, 'private', 5110, 'score-date'),
];

describe('MetaKaggleSource on the fixture dump', () => {
  it('reproduces the join: competitions → teams → submissions → kernel versions → code files', async () => {
    const store = openStore(join(work, 'all.db'));
    try {
      const source = new MetaKaggleSource({ csvDir: CSV, codeDir: CODE, scratchDir });
      const summary = await mineCorpus(store, [source]);
      expect(rows(store)).toEqual(EXPECTED_ALL);
      expect(summary).toMatchObject({ seen: 8, stored: 6, rejected: { unreadable: 1 }, filtered: { 'non-python': 1 } });
      expect(source.stats).toEqual({
        join: { competitions: 3, teams: 6, kernelSubmissions: 17, submittedVersions: 12, submittedVersionsWithoutRow: 1 },
        scratch: expect.stringMatching(/\.sqlite$/),
        pairs: 11,
        skipped: { 'attached-datasets': 2, 'runtime-over-limit': 0, 'runtime-unknown': 0, script: 1 },
        candidates: 8,
        scores: { private: 7, public: 1, none: 0 },
        codeFiles: { notebook: 7, script: 1, missing: 1, ambiguous: 0 },
        runtimeFilter: 'off',
      } satisfies MetaKaggleStats);

      expect(details(store, 'titanic/230026147')).toEqual({
        competitionId: 3136,
        teamId: 100,
        submissionId: 5002,
        submissionDate: '2019-03-12T00:00:00.000Z',
        scoreDate: '2019-03-12T00:00:00.000Z',
        privateScore: 0.75,
        publicScore: 0.76,
        submissionRule: 'score-date',
        submissionsFromVersion: 3,
        kernelId: 9001,
        versionNumber: 3,
        title: 'Titanic, first try\nwith RandomForest',
        versionCreationDate: '2019-03-10T08:00:00.000Z',
        versionEvaluationDate: '2019-03-12T00:00:00.000Z',
        authorUserId: 11,
        userName: 'alice',
        url: 'https://www.kaggle.com/code/alice/titanic-random-forest?scriptVersionId=230026147',
        languageId: 9,
        language: 'IPython Notebook',
        forkParentKernelVersionId: null,
        runningTimeMs: 120000,
        isInternetEnabled: false,
        acceleratorTypeId: 0,
        dockerImage: 'gcr.io/kaggle-images/python@sha256:4f2d',
        datasetVersionIds: [],
        competition: 'titanic',
        reportedScore: 0.75,
        reportedScoreKind: 'private',
      });
      expect(details(store, 'titanic/230026300')).toMatchObject({ forkParentKernelVersionId: 230026147, runningTimeMs: null, submissionsFromVersion: 3, privateScore: 0.79 });
      expect(details(store, `${HOUSE}/1234567`)).toMatchObject({ privateScore: null, publicScore: 0.1234, dockerImage: null, userName: 'bob', url: 'https://www.kaggle.com/code/bob/house-prices-lasso?scriptVersionId=1234567' });

      // The stored notebook carries the origin's facts.
      const notebook = store.db
        .prepare("SELECT n.date, n.competition, n.reported_score, n.reported_score_kind FROM notebooks n JOIN origins o ON o.id = n.primary_origin_id WHERE o.origin_key = ?")
        .get(`${HOUSE}/1234567`);
      expect(notebook).toEqual({ date: '2018-06-01T00:00:00.000Z', competition: HOUSE, reported_score: 0.1234, reported_score_kind: 'public' });

      // Re-running skips every origin and reuses the scratch join instead of rebuilding it.
      const scratch = source.stats.scratch!;
      const builtAt = statSync(scratch).mtimeMs;
      const again = new MetaKaggleSource({ csvDir: CSV, codeDir: CODE, scratchDir });
      const resumed = await mineCorpus(store, [again]);
      expect(resumed.sources[0]).toMatchObject({ seen: 8, alreadyMined: 8, stored: 0 });
      expect(again.stats.scratch).toBe(scratch);
      expect(statSync(scratch).mtimeMs).toBe(builtAt);
      expect(rows(store)).toEqual(EXPECTED_ALL);
    } finally {
      store.close();
    }
  });

  it('applies --competition, --max-runtime and --single-dataset', async () => {
    const store = openStore(join(work, 'filtered.db'));
    try {
      const source = new MetaKaggleSource({ csvDir: CSV, codeDir: CODE, scratchDir, competitions: ['titanic'], maxRuntimeSeconds: 600, singleDataset: true });
      await mineCorpus(store, [source]);
      // 230026200 ran exactly 600 s (kept); 230026300 has no runtime and 230026900 ran 900 s
      // (both left out); 230026500's one dataset is allowed, 230026600's two are not.
      expect(rows(store)).toEqual([A, B, F]);
      expect(details(store, 'titanic/230026500')).toMatchObject({ datasetVersionIds: [77], runningTimeMs: 300000 });
      expect(source.stats).toMatchObject({
        join: { competitions: 1, teams: 3, kernelSubmissions: 11, submittedVersions: 6, submittedVersionsWithoutRow: 0 },
        pairs: 6,
        skipped: { 'attached-datasets': 1, 'runtime-over-limit': 1, 'runtime-unknown': 1, script: 0 },
        candidates: 3,
        runtimeFilter: 'applied',
      });
      // Another competition filter is another scratch join.
      expect(readdirSync(scratchDir).filter((name) => name.endsWith('.sqlite'))).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});

/** A copy of the fixture CSVs with one table rewritten (every field quoted, as a CSV writer may). */
function fixtureWith(name: string, table: string, edit: (records: string[][]) => string[][]): string {
  const dir = join(work, name);
  cpSync(CSV, dir, { recursive: true });
  const records = parse(readFileSync(join(CSV, table), 'utf8')) as string[][];
  const quote = (field: string) => `"${field.replace(/"/g, '""')}"`;
  writeFileSync(join(dir, table), edit(records).map((record) => record.map(quote).join(',')).join('\r\n') + '\r\n');
  return dir;
}

describe('MetaKaggleSource on other dumps', () => {
  it('reads columns by name in any order, and warns that --max-runtime cannot apply without RunningTimeInMilliseconds', async () => {
    // Columns reversed and the runtime column dropped, CRLF line ends: the same join comes out.
    const csvDir = fixtureWith('no-runtime', 'KernelVersions.csv', (records) => {
      const drop = records[0]!.indexOf('RunningTimeInMilliseconds');
      return records.map((record) => record.filter((_, i) => i !== drop).reverse());
    });
    const warnings: string[] = [];
    const source = new MetaKaggleSource({ csvDir, codeDir: CODE, scratchDir, competitions: ['titanic'], maxRuntimeSeconds: 600, onWarning: (message) => warnings.push(message) });
    const store = openStore(join(work, 'no-runtime.db'));
    try {
      await mineCorpus(store, [source]);
      expect(rows(store).map((row) => row.origin_key)).toEqual(['titanic/230026147', 'titanic/230026200', 'titanic/230026300', 'titanic/230026900']);
      expect(rows(store)[0]).toEqual(A);
      expect(details(store, 'titanic/230026147')).toMatchObject({ title: 'Titanic, first try\nwith RandomForest', runningTimeMs: null });
      expect(source.stats.runtimeFilter).toBe('no-column');
      expect(warnings).toEqual(['KernelVersions.csv has no RunningTimeInMilliseconds column: --max-runtime is not applied']);
    } finally {
      store.close();
    }
  });

  it('fails with one clear line on a missing table or a missing column', async () => {
    const noUsers = join(work, 'no-users');
    cpSync(CSV, noUsers, { recursive: true });
    rmSync(join(noUsers, 'Users.csv'));
    await expect(new MetaKaggleSource({ csvDir: noUsers, codeDir: CODE, scratchDir }).prepare()).rejects.toThrow(`no Users.csv in ${noUsers}`);
    const noTeamColumn = fixtureWith('no-team-column', 'Submissions.csv', (records) => records.map((record) => record.slice(0, 2).concat(record.slice(3))));
    await expect(new MetaKaggleSource({ csvDir: noTeamColumn, codeDir: CODE, scratchDir }).prepare()).rejects.toThrow(/^Submissions\.csv has no column TeamId \(it has Id, SubmittedUserId, SourceKernelVersionId, /);
    // A failed build leaves no scratch file behind.
    expect(readdirSync(scratchDir).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('stops before building anything when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const store = openStore(join(work, 'aborted.db'));
    try {
      const summary = await mineCorpus(store, [new MetaKaggleSource({ csvDir: CSV, codeDir: CODE, scratchDir: join(work, 'scratch-aborted') })], { signal: controller.signal });
      expect(summary).toMatchObject({ interrupted: true, seen: 0 });
    } finally {
      store.close();
    }
  });
});

describe('Meta Kaggle Code layout', () => {
  it('shards by the zero-padded id and takes the extension from the one match', async () => {
    expect(codeShard(230026147)).toEqual({ dir: '0230/026', stem: '230026147' });
    expect(codeShard(7)).toEqual({ dir: '0000/000', stem: '7' });
    const codeDir = join(work, 'code-layout');
    mkdirSync(join(codeDir, '0230/026'), { recursive: true });
    writeFileSync(join(codeDir, '0230/026/230026001.ipynb'), '{}');
    writeFileSync(join(codeDir, '0230/026/230026002.py'), '');
    writeFileSync(join(codeDir, '0230/026/230026002.ipynb'), '{}');
    writeFileSync(join(codeDir, '0230/026/2300260011.ipynb'), '{}');
    const locator = new CodeFileLocator(codeDir);
    expect(await locator.locate(230026001)).toEqual({ kind: 'found', path: '0230/026/230026001.ipynb', extension: 'ipynb' });
    expect(await locator.locate(230026002)).toEqual({ kind: 'ambiguous', pattern: '0230/026/230026002.*', paths: ['0230/026/230026002.ipynb', '0230/026/230026002.py'] });
    expect(await locator.locate(230026003)).toEqual({ kind: 'missing', pattern: '0230/026/230026003.*' });
    expect(await locator.locate(240000000)).toEqual({ kind: 'missing', pattern: '0240/000/240000000.*' });
  });
});

describe('chooseSubmission', () => {
  const version = { creationDate: '2019-03-10T08:00:00.000Z', evaluationDate: '2019-03-12T00:00:00.000Z' };
  const s = (id: number, day: string, scoreDay: string, privateScore: number | null, publicScore: number | null = null) => ({
    id, submissionDate: `2019-03-${day}T00:00:00.000Z`, scoreDate: `2019-03-${scoreDay}T00:00:00.000Z`, privateScore, publicScore,
  });

  it('breaks ties within a day by the newer submission id', () => {
    const choice = chooseSubmission([s(1, '20', '20', 0.5), s(2, '20', '20', 0.6)], version);
    expect(choice).toMatchObject({ submission: { id: 2 }, rule: 'newest', score: { value: 0.6, kind: 'private' } });
  });

  it('prefers the score-date rule over the creation-date rule and keeps a version with no score at all', () => {
    expect(chooseSubmission([s(1, '10', '10', 0.5), s(2, '11', '12', 0.6), s(3, '13', '13', 0.7)], version)).toMatchObject({ submission: { id: 2 }, rule: 'score-date' });
    expect(chooseSubmission([s(1, '10', '10', 0), s(2, '14', '14', null)], version)).toEqual({ submission: s(1, '10', '10', 0), rule: 'creation-date', score: null });
  });
});

describe('parseKaggleDate', () => {
  it('reads the dump formats as UTC and refuses impossible dates', () => {
    expect(parseKaggleDate('03/12/2019')).toBe('2019-03-12T00:00:00.000Z');
    expect(parseKaggleDate('3/2/2019 7:05:09')).toBe('2019-03-02T07:05:09.000Z');
    expect(parseKaggleDate('2019-03-12 23:59:59')).toBe('2019-03-12T23:59:59.000Z');
    expect(parseKaggleDate('2019-03-12T23:59:59.250Z')).toBe('2019-03-12T23:59:59.250Z');
    expect(parseKaggleDate('02/30/2019')).toBeNull();
    expect(parseKaggleDate('')).toBeNull();
    expect(parseKaggleDate('soon')).toBeNull();
  });
});

describe('mle mine meta-kaggle (built CLI)', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [CLI, 'mine', 'meta-kaggle', '--csv', CSV, '--code', CODE, ...args], { cwd: work, env: { ...process.env, XDG_CACHE_HOME: join(work, 'xdg') }, encoding: 'utf8' });

  it('mines one competition with --scripts and prints the summary with the join counts as JSON', () => {
    const db = join(work, 'cli.db');
    const result = cli(['--competition', 'other-comp', '--scripts', '--db', db, '--json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { seen: number; stored: number; metaKaggle: MetaKaggleStats };
    expect(summary).toMatchObject({ seen: 2, stored: 2 });
    expect(summary.metaKaggle).toMatchObject({ pairs: 2, candidates: 2, codeFiles: { notebook: 1, script: 1 }, skipped: { script: 0 } });
    expect(summary.metaKaggle.scratch).toContain(join(work, 'xdg', 'mle', 'meta-kaggle'));
    const store = openStore(db);
    try {
      expect(rows(store)).toEqual([
        // A Kaggle script, read as a one-cell Python notebook.
        stored('other-comp/230026800', '0230/026/230026800.py', 230026800, '2019-08-01T00:00:00.000Z', 'other-comp', 0.5, 'private', 5070, 'score-date'),
        stored('other-comp/230027200', '0230/027/230027200.ipynb', 230027200, '2019-08-05T00:00:00.000Z', 'other-comp', 0.6, 'private', 5110, 'score-date'),
      ]);
      expect(store.db.prepare("SELECT c.source FROM cells c JOIN origins o ON o.notebook_id = c.notebook_id WHERE o.origin_key = 'other-comp/230026800'").pluck().all()).toEqual([
        'import sklearn\nkernel_version = 230026800\n',
      ]);
    } finally {
      store.close();
    }
  });

  it('exits non-zero with a one-line error for an unknown competition', () => {
    const result = cli(['--competition', 'no-such-competition', '--db', join(work, 'cli-error.db'), '--json']);
    expect(result.status).not.toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ error: { name: 'MetaKaggleFormatError', message: `no competition no-such-competition in ${join(CSV, 'Competitions.csv')}` } });
  });
});
