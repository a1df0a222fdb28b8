import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MetaKaggleFormatError, openCsvTable } from './csv-table.js';
import { IdSet } from './id-set.js';
import { parseBool, parseId, parseKaggleDate, parseNumber } from './kaggle-values.js';

/** The Meta Kaggle tables the join reads. */
export const META_KAGGLE_TABLES = [
  'Competitions.csv',
  'Teams.csv',
  'Submissions.csv',
  'KernelVersions.csv',
  'Kernels.csv',
  'Users.csv',
  'KernelLanguages.csv',
  'KernelVersionDatasetSources.csv',
] as const;

/** Bumped whenever the scratch schema or what is kept in it changes, so old scratch files are not reused. */
const SCRATCH_FORMAT = 1;

export interface MetaKaggleJoinOptions {
  /** Folder with the Meta Kaggle CSV files. */
  csvDir: string;
  /** Competition slugs to keep; all competitions when absent or empty. */
  competitions?: readonly string[];
  /** Where scratch databases are kept; default `$XDG_CACHE_HOME/mle/meta-kaggle` or `~/.cache/mle/meta-kaggle`. */
  scratchDir?: string;
  signal?: AbortSignal;
  /** Rows read so far from a table while the scratch database is built. */
  onProgress?: (table: string, rows: number) => void;
}

export interface JoinedSubmission {
  id: number;
  teamId: number;
  competitionId: number;
  competitionSlug: string;
  submittedUserId: number | null;
  submissionDate: string | null;
  scoreDate: string | null;
  publicScore: number | null;
  privateScore: number | null;
  isAfterDeadline: boolean | null;
  isSelected: boolean | null;
}

/** A kernel version with at least one submission in the chosen competitions, and what the other tables say of it. */
export interface JoinedVersion {
  id: number;
  scriptId: number | null;
  languageId: number | null;
  /** `KernelLanguages.Name` of `ScriptLanguageId`. */
  language: string | null;
  authorUserId: number | null;
  userName: string | null;
  currentUrlSlug: string | null;
  forkParentKernelVersionId: number | null;
  creationDate: string | null;
  evaluationDate: string | null;
  versionNumber: number | null;
  title: string | null;
  runningTimeMs: number | null;
  isInternetEnabled: boolean | null;
  acceleratorTypeId: number | null;
  dockerImage: string | null;
  /** Rows of KernelVersionDatasetSources for this version: datasets attached besides the competition's. */
  datasetSources: number;
  /** Their `SourceDatasetVersionId`s. */
  datasetVersionIds: number[];
  submissions: JoinedSubmission[];
}

export interface MetaKaggleJoinCounts {
  competitions: number;
  teams: number;
  /** Submissions of those teams made from a kernel version. */
  kernelSubmissions: number;
  /** Distinct kernel versions those submissions name. */
  submittedVersions: number;
  /** Of those, the ones KernelVersions.csv has no row for (deleted or private notebooks). */
  submittedVersionsWithoutRow: number;
}

const SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE competitions (id INTEGER PRIMARY KEY, slug TEXT NOT NULL);
CREATE TABLE teams (id INTEGER PRIMARY KEY, competition_id INTEGER NOT NULL);
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL, kernel_version_id INTEGER NOT NULL, submitted_user_id INTEGER,
  submission_date TEXT, score_date TEXT, public_score REAL, private_score REAL, is_after_deadline INTEGER, is_selected INTEGER);
CREATE TABLE kernel_versions (
  id INTEGER PRIMARY KEY, script_id INTEGER, language_id INTEGER, author_user_id INTEGER, creation_date TEXT, evaluation_date TEXT,
  version_number INTEGER, title TEXT, running_time_ms REAL, is_internet_enabled INTEGER, accelerator_type_id INTEGER, docker_image TEXT);
CREATE TABLE kernels (id INTEGER PRIMARY KEY, current_url_slug TEXT, fork_parent_kernel_version_id INTEGER);
CREATE TABLE users (id INTEGER PRIMARY KEY, user_name TEXT);
CREATE TABLE languages (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE dataset_sources (kernel_version_id INTEGER NOT NULL, dataset_version_id INTEGER);
`;

export function defaultScratchDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.trim() !== '' ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'mle', 'meta-kaggle');
}

/** Normalized competition filter: lower-case, sorted, distinct. */
function competitionFilter(slugs: readonly string[] | undefined): string[] {
  return [...new Set((slugs ?? []).map((slug) => slug.trim().toLowerCase()).filter(Boolean))].sort();
}

/**
 * What the scratch database was built from: the CSV files (path, size, modification time)
 * and the competition filter. A rebuilt dump or another filter gets another scratch file.
 */
function signatureOf(csvDir: string, competitions: string[]): string {
  const files = META_KAGGLE_TABLES.map((name) => {
    const path = join(csvDir, name);
    if (!existsSync(path)) throw new MetaKaggleFormatError(`no ${name} in ${csvDir}`);
    const info = statSync(path);
    return [name, info.size, Math.round(info.mtimeMs)];
  });
  return createHash('sha256').update(JSON.stringify({ format: SCRATCH_FORMAT, csvDir, files, competitions })).digest('hex').slice(0, 24);
}

class Aborted extends Error {}

/**
 * Build the scratch database by streaming each table once, in join order, keeping only rows
 * that can still join: the chosen competitions, then their teams, then those teams'
 * submissions that name a kernel version, then those versions, then their kernels, authors
 * and attached datasets. Between passes the ids that filter the next table are held as
 * sorted arrays (8 bytes an id); rows themselves go to SQLite, never to the JS heap.
 */
async function build(path: string, csvDir: string, competitions: string[], options: MetaKaggleJoinOptions): Promise<void> {
  const db = new Database(path);
  try {
    // A scratch file rebuilt from the CSVs when lost: durability is not needed, speed is.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -65536');
    db.exec(SCHEMA);

    const pass = async <C extends string>(table: string, rows: AsyncGenerator<Record<C, string | undefined>>, each: (row: Record<C, string | undefined>) => void) => {
      let n = 0;
      db.exec('BEGIN');
      for await (const row of rows) {
        each(row);
        if (++n % 20_000 === 0) {
          if (options.signal?.aborted) throw new Aborted();
          options.onProgress?.(table, n);
        }
      }
      db.exec('COMMIT');
      options.onProgress?.(table, n);
    };
    const ids = (sql: string) => IdSet.fromSorted(db.prepare(sql).pluck().iterate() as IterableIterator<number>);

    const competitionTable = await openCsvTable(csvDir, 'Competitions.csv', ['Id', 'Slug']);
    const insertCompetition = db.prepare('INSERT OR IGNORE INTO competitions (id, slug) VALUES (?, ?)');
    const wanted = new Set(competitions);
    const competitionIds = new Set<number>();
    await pass('Competitions.csv', competitionTable.rows(), (row) => {
      const id = parseId(row.Id);
      const slug = row.Slug?.trim();
      if (id === null || !slug || (wanted.size > 0 && !wanted.has(slug.toLowerCase()))) return;
      insertCompetition.run(id, slug);
      competitionIds.add(id);
    });
    if (wanted.size > 0) {
      const found = new Set((db.prepare('SELECT slug FROM competitions').pluck().all() as string[]).map((slug) => slug.toLowerCase()));
      const unknown = competitions.filter((slug) => !found.has(slug));
      if (unknown.length > 0) throw new MetaKaggleFormatError(`no competition ${unknown.join(', ')} in ${join(csvDir, 'Competitions.csv')}`);
    }

    const teamTable = await openCsvTable(csvDir, 'Teams.csv', ['Id', 'CompetitionId']);
    const insertTeam = db.prepare('INSERT OR IGNORE INTO teams (id, competition_id) VALUES (?, ?)');
    await pass('Teams.csv', teamTable.rows(), (row) => {
      const competitionId = parseId(row.CompetitionId);
      const id = parseId(row.Id);
      if (id !== null && competitionId !== null && competitionIds.has(competitionId)) insertTeam.run(id, competitionId);
    });
    const teamIds = ids('SELECT id FROM teams ORDER BY id');

    const submissionTable = await openCsvTable(
      csvDir,
      'Submissions.csv',
      ['Id', 'TeamId', 'SourceKernelVersionId', 'SubmissionDate'],
      ['SubmittedUserId', 'ScoreDate', 'PublicScoreFullPrecision', 'PrivateScoreFullPrecision', 'PublicScoreLeaderboardDisplay', 'PrivateScoreLeaderboardDisplay', 'IsAfterDeadline', 'IsSelected'],
    );
    const insertSubmission = db.prepare(
      `INSERT OR IGNORE INTO submissions (id, team_id, kernel_version_id, submitted_user_id, submission_date, score_date, public_score, private_score, is_after_deadline, is_selected)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Older dumps lack the full-precision columns; the leaderboard display value is the next best.
    const publicColumn = submissionTable.has('PublicScoreFullPrecision') ? 'PublicScoreFullPrecision' : 'PublicScoreLeaderboardDisplay';
    const privateColumn = submissionTable.has('PrivateScoreFullPrecision') ? 'PrivateScoreFullPrecision' : 'PrivateScoreLeaderboardDisplay';
    const bool = (value: boolean | null) => (value === null ? null : value ? 1 : 0);
    await pass('Submissions.csv', submissionTable.rows(), (row) => {
      const versionId = parseId(row.SourceKernelVersionId);
      if (versionId === null) return;
      const teamId = parseId(row.TeamId);
      const id = parseId(row.Id);
      if (id === null || teamId === null || !teamIds.has(teamId)) return;
      insertSubmission.run(
        id, teamId, versionId, parseId(row.SubmittedUserId), parseKaggleDate(row.SubmissionDate), parseKaggleDate(row.ScoreDate),
        parseNumber(row[publicColumn]), parseNumber(row[privateColumn]), bool(parseBool(row.IsAfterDeadline)), bool(parseBool(row.IsSelected)),
      );
    });
    // Indexes once the bulk inserts are done: cheaper than maintaining them row by row.
    db.exec('CREATE INDEX submissions_version ON submissions (kernel_version_id)');
    const submittedVersionIds = ids('SELECT DISTINCT kernel_version_id FROM submissions ORDER BY 1');

    const versionTable = await openCsvTable(
      csvDir,
      'KernelVersions.csv',
      ['Id', 'ScriptId', 'CreationDate'],
      ['ScriptLanguageId', 'AuthorUserId', 'VersionNumber', 'Title', 'EvaluationDate', 'RunningTimeInMilliseconds', 'IsInternetEnabled', 'AcceleratorTypeId', 'DockerImage'],
    );
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('hasRunningTime', versionTable.has('RunningTimeInMilliseconds') ? '1' : '0');
    const insertVersion = db.prepare(
      `INSERT OR IGNORE INTO kernel_versions (id, script_id, language_id, author_user_id, creation_date, evaluation_date, version_number, title, running_time_ms, is_internet_enabled, accelerator_type_id, docker_image)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    await pass('KernelVersions.csv', versionTable.rows(), (row) => {
      const id = parseId(row.Id);
      if (id === null || !submittedVersionIds.has(id)) return;
      insertVersion.run(
        id, parseId(row.ScriptId), parseId(row.ScriptLanguageId), parseId(row.AuthorUserId), parseKaggleDate(row.CreationDate), parseKaggleDate(row.EvaluationDate),
        parseId(row.VersionNumber), row.Title ?? null, parseNumber(row.RunningTimeInMilliseconds), bool(parseBool(row.IsInternetEnabled)),
        parseId(row.AcceleratorTypeId), row.DockerImage?.trim() || null,
      );
    });
    const keptVersionIds = ids('SELECT id FROM kernel_versions ORDER BY id');
    const scriptIds = ids('SELECT DISTINCT script_id FROM kernel_versions WHERE script_id IS NOT NULL ORDER BY 1');
    const authorIds = ids('SELECT DISTINCT author_user_id FROM kernel_versions WHERE author_user_id IS NOT NULL ORDER BY 1');

    const kernelTable = await openCsvTable(csvDir, 'Kernels.csv', ['Id', 'CurrentUrlSlug'], ['ForkParentKernelVersionId']);
    const insertKernel = db.prepare('INSERT OR IGNORE INTO kernels (id, current_url_slug, fork_parent_kernel_version_id) VALUES (?, ?, ?)');
    await pass('Kernels.csv', kernelTable.rows(), (row) => {
      const id = parseId(row.Id);
      if (id !== null && scriptIds.has(id)) insertKernel.run(id, row.CurrentUrlSlug?.trim() || null, parseId(row.ForkParentKernelVersionId));
    });

    const userTable = await openCsvTable(csvDir, 'Users.csv', ['Id', 'UserName']);
    const insertUser = db.prepare('INSERT OR IGNORE INTO users (id, user_name) VALUES (?, ?)');
    await pass('Users.csv', userTable.rows(), (row) => {
      const id = parseId(row.Id);
      if (id !== null && authorIds.has(id)) insertUser.run(id, row.UserName?.trim() || null);
    });

    const languageTable = await openCsvTable(csvDir, 'KernelLanguages.csv', ['Id', 'Name']);
    const insertLanguage = db.prepare('INSERT OR IGNORE INTO languages (id, name) VALUES (?, ?)');
    await pass('KernelLanguages.csv', languageTable.rows(), (row) => {
      const id = parseId(row.Id);
      if (id !== null) insertLanguage.run(id, row.Name?.trim() || null);
    });

    const datasetTable = await openCsvTable(csvDir, 'KernelVersionDatasetSources.csv', ['KernelVersionId'], ['SourceDatasetVersionId']);
    const insertDataset = db.prepare('INSERT INTO dataset_sources (kernel_version_id, dataset_version_id) VALUES (?, ?)');
    await pass('KernelVersionDatasetSources.csv', datasetTable.rows(), (row) => {
      const versionId = parseId(row.KernelVersionId);
      if (versionId !== null && keptVersionIds.has(versionId)) insertDataset.run(versionId, parseId(row.SourceDatasetVersionId));
    });
    db.exec('CREATE INDEX dataset_sources_version ON dataset_sources (kernel_version_id)');
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('complete', new Date().toISOString());
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
}

/**
 * The Meta Kaggle join, materialized in a scratch SQLite file: built once per dump and filter
 * (a resumed or repeated `mle mine meta-kaggle` reuses it), then read in kernel version id
 * order, a page at a time.
 */
export class MetaKaggleJoin {
  readonly counts: MetaKaggleJoinCounts;
  /** KernelVersions.csv has `RunningTimeInMilliseconds` (older dumps do not). */
  readonly hasRunningTime: boolean;

  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    this.hasRunningTime = db.prepare("SELECT value FROM meta WHERE key = 'hasRunningTime'").pluck().get() === '1';
    this.counts = {
      competitions: count('SELECT COUNT(*) FROM competitions'),
      teams: count('SELECT COUNT(*) FROM teams'),
      kernelSubmissions: count('SELECT COUNT(*) FROM submissions'),
      submittedVersions: count('SELECT COUNT(DISTINCT kernel_version_id) FROM submissions'),
      submittedVersionsWithoutRow: count('SELECT COUNT(DISTINCT kernel_version_id) FROM submissions WHERE kernel_version_id NOT IN (SELECT id FROM kernel_versions)'),
    };
  }

  /** Open the scratch join for a dump, building it first when needed; `null` when aborted while building. */
  static async open(options: MetaKaggleJoinOptions): Promise<MetaKaggleJoin | null> {
    const csvDir = resolve(options.csvDir);
    const competitions = competitionFilter(options.competitions);
    const scratchDir = options.scratchDir ?? defaultScratchDir();
    const path = join(scratchDir, `${signatureOf(csvDir, competitions)}.sqlite`);
    if (!MetaKaggleJoin.isComplete(path)) {
      await mkdir(scratchDir, { recursive: true });
      // Built under another name and renamed when whole: a killed build is never reused.
      const partial = `${path}.partial-${process.pid}`;
      await rm(partial, { force: true });
      try {
        await build(partial, csvDir, competitions, options);
        await rename(partial, path);
      } catch (error) {
        await rm(partial, { force: true });
        if (error instanceof Aborted) return null;
        throw error;
      }
    }
    return new MetaKaggleJoin(path, new Database(path, { readonly: true, fileMustExist: true }));
  }

  private static isComplete(path: string): boolean {
    if (!existsSync(path)) return false;
    try {
      const db = new Database(path, { readonly: true, fileMustExist: true });
      try {
        return db.prepare("SELECT value FROM meta WHERE key = 'complete'").pluck().get() !== undefined;
      } finally {
        db.close();
      }
    } catch {
      return false;
    }
  }

  /** Every joined kernel version, ascending by id, read in pages so no table is held whole. */
  *versions(pageSize = 500): Generator<JoinedVersion> {
    const page = this.db.prepare(`
      SELECT v.*, k.current_url_slug, k.fork_parent_kernel_version_id, u.user_name, l.name AS language
      FROM kernel_versions v
      LEFT JOIN kernels k ON k.id = v.script_id
      LEFT JOIN users u ON u.id = v.author_user_id
      LEFT JOIN languages l ON l.id = v.language_id
      WHERE v.id > ? ORDER BY v.id LIMIT ?`);
    const submissionsOf = this.db.prepare(`
      SELECT s.*, t.competition_id, c.slug
      FROM submissions s JOIN teams t ON t.id = s.team_id JOIN competitions c ON c.id = t.competition_id
      WHERE s.kernel_version_id BETWEEN ? AND ? ORDER BY s.kernel_version_id, s.id`);
    const datasetsOf = this.db.prepare('SELECT kernel_version_id, dataset_version_id FROM dataset_sources WHERE kernel_version_id BETWEEN ? AND ? ORDER BY kernel_version_id, dataset_version_id');
    let after = -1;
    for (;;) {
      const rows = page.all(after, pageSize) as VersionRow[];
      if (rows.length === 0) return;
      const first = rows[0]!.id;
      const last = rows.at(-1)!.id;
      const submissions = groupBy(submissionsOf.all(first, last) as SubmissionRow[], (row) => row.kernel_version_id);
      const datasets = groupBy(datasetsOf.all(first, last) as { kernel_version_id: number; dataset_version_id: number | null }[], (row) => row.kernel_version_id);
      for (const row of rows) {
        yield {
          id: row.id,
          scriptId: row.script_id,
          languageId: row.language_id,
          language: row.language,
          authorUserId: row.author_user_id,
          userName: row.user_name,
          currentUrlSlug: row.current_url_slug,
          forkParentKernelVersionId: row.fork_parent_kernel_version_id,
          creationDate: row.creation_date,
          evaluationDate: row.evaluation_date,
          versionNumber: row.version_number,
          title: row.title,
          runningTimeMs: row.running_time_ms,
          isInternetEnabled: row.is_internet_enabled === null ? null : row.is_internet_enabled === 1,
          acceleratorTypeId: row.accelerator_type_id,
          dockerImage: row.docker_image,
          datasetSources: (datasets.get(row.id) ?? []).length,
          datasetVersionIds: (datasets.get(row.id) ?? []).map((d) => d.dataset_version_id).filter((id): id is number => id !== null),
          submissions: (submissions.get(row.id) ?? []).map((s) => ({
            id: s.id,
            teamId: s.team_id,
            competitionId: s.competition_id,
            competitionSlug: s.slug,
            submittedUserId: s.submitted_user_id,
            submissionDate: s.submission_date,
            scoreDate: s.score_date,
            publicScore: s.public_score,
            privateScore: s.private_score,
            isAfterDeadline: s.is_after_deadline === null ? null : s.is_after_deadline === 1,
            isSelected: s.is_selected === null ? null : s.is_selected === 1,
          })),
        };
      }
      after = last;
    }
  }

  close(): void {
    this.db.close();
  }
}

interface VersionRow {
  id: number;
  script_id: number | null;
  language_id: number | null;
  author_user_id: number | null;
  creation_date: string | null;
  evaluation_date: string | null;
  version_number: number | null;
  title: string | null;
  running_time_ms: number | null;
  is_internet_enabled: number | null;
  accelerator_type_id: number | null;
  docker_image: string | null;
  current_url_slug: string | null;
  fork_parent_kernel_version_id: number | null;
  user_name: string | null;
  language: string | null;
}

interface SubmissionRow {
  id: number;
  team_id: number;
  kernel_version_id: number;
  submitted_user_id: number | null;
  submission_date: string | null;
  score_date: string | null;
  public_score: number | null;
  private_score: number | null;
  is_after_deadline: number | null;
  is_selected: number | null;
  competition_id: number;
  slug: string;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
