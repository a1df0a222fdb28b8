import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GraderOptions } from './graders/grader.js';
import { GraderRegistry } from './graders/grader-registry.js';
import { CsvReadError, readCsvHeader } from './read-csv-columns.js';

/**
 * A competition on disk:
 *
 * ```
 * <competition>/
 *   competition.json        what is graded and how (see CompetitionConfig)
 *   description.md          optional; used when competition.json has no "description"
 *   data/                   mounted read-only at /kaggle/input/<slug>: what notebooks see
 *     train.csv
 *     test.csv
 *     sample_submission.csv the submission's columns: id column + submission columns
 *     ...                   any other files (images, extra tables)
 *   private/                never mounted: the held-out truth
 *     answers.csv           id column + target columns, one row per test id
 * ```
 *
 * The answers live beside `data/`, not inside it, so mounting `data/` can never expose them;
 * loading refuses a competition whose `data/` holds a file named like the answers file.
 */
export const COMPETITION_FILE = 'competition.json';
export const DATA_DIR = 'data';
export const PRIVATE_DIR = 'private';
export const DESCRIPTION_FILE = 'description.md';
export const SAMPLE_SUBMISSION_FILE = 'sample_submission.csv';
export const DEFAULT_DATA_FILES: readonly string[] = Object.freeze(['train.csv', 'test.csv', SAMPLE_SUBMISSION_FILE]);
/** The study's external limit per notebook (meta-kaggle.md §5). */
export const DEFAULT_RUNTIME_BUDGET_SECONDS = 600;

/** Kaggle's runtime layout: data under /kaggle/input/<slug>, the notebook works in /kaggle/working. */
export const KAGGLE_INPUT_DIR = '/kaggle/input';
export const KAGGLE_WORKING_DIR = '/kaggle/working';
/** The file collected from the working directory after a run and graded. */
export const SUBMISSION_FILE = 'submission.csv';

/** `competition.json`, as written (snake_case, like Kaggle's and MLE-bench's files). */
export interface CompetitionConfig {
  /** Kaggle's URL slug; the mount name under /kaggle/input. */
  slug: string;
  title: string;
  /** A grader id (`roc-auc`) or a common spelling (`AUC`, `MAP@5`). */
  metric: string;
  /** Options for the grader (`{ "k": 5 }` for map-at-k, `{ "eps": 1e-15 }` for log-loss). */
  metric_options?: Record<string, unknown>;
  /** Must agree with the metric; stated anyway so a wrong metric name cannot flip the verdict. */
  higher_is_better: boolean;
  id_column: string;
  /** What is predicted: the answers file's graded column(s) (give target_column or target_columns). */
  target_column?: string;
  target_columns?: string[];
  /**
   * The submission's columns, the id column first or not: by default the id and the target
   * columns; different when the submission gives one probability per class
   * (`["id", "class_0", "class_1"]` against a `cultivar` target).
   */
  submission_columns?: string[];
  /** What sample_submission.csv holds in each submission column (provenance, written by datasets/prepare.py). */
  sample_guess?: string[];
  /** How the data was split into train and test (provenance). */
  split?: Record<string, unknown>;
  /** Where the data came from (provenance). */
  source?: Record<string, unknown>;
  /** ISO 8601; the date an environment is rebuilt for when a notebook has none. */
  deadline?: string | null;
  runtime_budget_seconds?: number;
  /** File name of the answers inside private/ (default answers.csv). */
  answers?: string;
  description?: string;
  /** Files data/ must hold (default train.csv, test.csv, sample_submission.csv). */
  data_files?: string[];
}

const KNOWN_KEYS = new Set([
  'slug', 'title', 'metric', 'metric_options', 'higher_is_better', 'id_column', 'target_column', 'target_columns',
  'submission_columns', 'deadline', 'runtime_budget_seconds', 'answers', 'description', 'data_files',
  'sample_guess', 'split', 'source',
]);

/** A loaded, validated competition: everything grading and mounting need, paths absolute. */
export interface Competition {
  slug: string;
  title: string;
  /** The resolved grader id. */
  metric: string;
  metricOptions: GraderOptions;
  higherIsBetter: boolean;
  idColumn: string;
  /** The answers file's graded columns. */
  targetColumns: string[];
  /** The submission's graded columns, without the id column. */
  submissionColumns: string[];
  deadline: string | null;
  runtimeBudgetSeconds: number;
  description: string;
  dir: string;
  dataDir: string;
  dataFiles: string[];
  sampleSubmissionPath: string;
  answersPath: string;
  /** sha256 of competition.json and of the answers file as loaded: scores compare only under the same pair. */
  configSha256: string;
  answersSha256: string;
}

/** A competition directory that cannot be used; the message is one line that starts with the path at fault. */
export class CompetitionError extends Error {
  override name = 'CompetitionError';
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
  }
}

/** Where the competition's data appears inside the sandbox. */
export function competitionMountPath(competition: Pick<Competition, 'slug'>): string {
  return `${KAGGLE_INPUT_DIR}/${competition.slug}`;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '') ? (value as string[]) : undefined;
}

/** A plain file name: no directories, nothing that could point outside its folder. */
function isPlainFileName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\\]/.test(name) && !name.includes('\0');
}

/** Check the parsed competition.json and turn it into the fields of a Competition. */
function validateConfig(file: string, raw: unknown, registry: GraderRegistry) {
  const fail = (message: string): never => {
    throw new CompetitionError(file, message);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must hold a JSON object');
  const config = raw as Record<string, unknown>;
  const unknown = Object.keys(config).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) fail(`unknown key ${unknown.map((key) => `"${key}"`).join(', ')} (known: ${[...KNOWN_KEYS].join(', ')})`);

  const text = (key: string, required: boolean): string | undefined => {
    const value = config[key];
    if (value === undefined || value === null) return required ? fail(`"${key}" is required`) : undefined;
    if (typeof value !== 'string' || value.trim() === '') return fail(`"${key}" must be a non-empty string`);
    return value;
  };

  const slug = text('slug', true)!;
  // The slug becomes a path segment (/kaggle/input/<slug>) and a database key.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(slug) || slug.includes('..')) fail(`"slug" must be letters, digits, '.', '_' or '-' (a Kaggle URL slug), got ${JSON.stringify(slug)}`);
  const title = text('title', true)!;

  const metricName = text('metric', true)!;
  const resolved = registry.resolve(metricName);
  if (!resolved) fail(`unknown metric ${JSON.stringify(metricName)} (known: ${registry.ids().join(', ')})`);
  const { grader, impliedOptions } = resolved!;
  const explicitOptions = config.metric_options ?? {};
  if (typeof explicitOptions !== 'object' || explicitOptions === null || Array.isArray(explicitOptions)) fail('"metric_options" must be an object');
  const metricOptions: GraderOptions = { ...impliedOptions, ...(explicitOptions as Record<string, unknown>) };
  try {
    grader.checkOptions?.(metricOptions);
  } catch (error) {
    fail(`"metric_options": ${error instanceof Error ? error.message : String(error)}`);
  }

  if (typeof config.higher_is_better !== 'boolean') fail('"higher_is_better" is required and must be true or false');
  if (config.higher_is_better !== grader.higherIsBetter) {
    fail(`"higher_is_better" is ${String(config.higher_is_better)} but ${grader.id} is ${grader.higherIsBetter ? 'higher' : 'lower'}-is-better`);
  }

  const idColumn = text('id_column', true)!;
  if (config.target_column !== undefined && config.target_columns !== undefined) fail('give "target_column" or "target_columns", not both');
  let targetColumns: string[];
  if (config.target_columns !== undefined) {
    const list = stringList(config.target_columns);
    if (!list || list.length === 0) return fail('"target_columns" must be a non-empty list of column names');
    targetColumns = list;
  } else {
    targetColumns = [text('target_column', false) ?? fail('"target_column" or "target_columns" is required')];
  }
  let submissionColumns = targetColumns;
  if (config.submission_columns !== undefined) {
    const list = stringList(config.submission_columns)?.filter((column) => column !== idColumn);
    if (!list || list.length === 0) return fail('"submission_columns" must list the submission\'s column names besides the id');
    submissionColumns = list;
  }
  for (const [key, list] of [['target_columns', targetColumns], ['submission_columns', submissionColumns]] as const) {
    if (new Set(list).size !== list.length) fail(`"${key}" lists a column twice`);
    if (key === 'target_columns' && list.includes(idColumn)) fail(`"${key}" includes the id column ${JSON.stringify(idColumn)}`);
  }

  let deadline: string | null = null;
  if (config.deadline !== undefined && config.deadline !== null) {
    const value = config.deadline;
    // A date-time without a zone would be read in this machine's zone; Kaggle deadlines are UTC.
    const utc = typeof value === 'string' && /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/.test(value) ? `${value}Z` : value;
    const time = typeof utc === 'string' && /^\d{4}-\d{2}-\d{2}/.test(utc) ? Date.parse(utc) : Number.NaN;
    if (Number.isNaN(time)) fail(`"deadline" must be an ISO 8601 date such as "2019-03-01T00:00:00Z", got ${JSON.stringify(value)}`);
    deadline = new Date(time).toISOString();
  }

  const budget = config.runtime_budget_seconds ?? DEFAULT_RUNTIME_BUDGET_SECONDS;
  if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) fail(`"runtime_budget_seconds" must be a positive number, got ${JSON.stringify(budget)}`);

  const answers = text('answers', false) ?? 'answers.csv';
  if (!isPlainFileName(answers)) fail(`"answers" must be a file name inside ${PRIVATE_DIR}/, got ${JSON.stringify(answers)}`);

  const description = config.description;
  if (description !== undefined && typeof description !== 'string') fail('"description" must be a string');

  let dataFiles = [...DEFAULT_DATA_FILES];
  if (config.data_files !== undefined) {
    const list = stringList(config.data_files);
    if (!list || !list.every(isPlainFileName)) return fail('"data_files" must be a list of file names inside data/');
    dataFiles = list.includes(SAMPLE_SUBMISSION_FILE) ? list : [...list, SAMPLE_SUBMISSION_FILE];
  }

  return {
    slug,
    title,
    metric: grader.id,
    metricOptions,
    higherIsBetter: grader.higherIsBetter,
    idColumn,
    targetColumns,
    submissionColumns,
    deadline,
    runtimeBudgetSeconds: budget as number,
    answersFile: answers,
    description: description as string | undefined,
    dataFiles,
    dataFilesListed: config.data_files !== undefined,
  };
}

/** Fail unless `path`'s header holds every one of `columns`; case mismatches are named. */
async function requireHeader(path: string, columns: readonly string[], what: string): Promise<void> {
  let header: string[];
  try {
    header = await readCsvHeader(path);
  } catch (error) {
    if (error instanceof CsvReadError) throw new CompetitionError(path, `${what} cannot be read: ${error.message}`, { cause: error });
    throw error;
  }
  const missing = columns.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new CompetitionError(path, `${what} lacks column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} named in ${COMPETITION_FILE} (its header: ${header.join(', ')})`);
  }
}

export interface LoadCompetitionOptions {
  /** Graders to resolve `metric` against (default: the built-in ones). */
  registry?: GraderRegistry;
}

/**
 * Load and check a competition directory: competition.json is complete and consistent with its
 * metric, data/ holds the listed files, sample_submission.csv has the id and target columns,
 * private/<answers> exists with the id and target columns, and data/ does not leak the answers.
 * Throws CompetitionError with a one-line message on the first problem.
 */
export async function loadCompetition(dir: string, options: LoadCompetitionOptions = {}): Promise<Competition> {
  const root = resolve(dir);
  if (!(await isDirectory(root))) throw new CompetitionError(root, 'not a directory (a competition is a directory holding competition.json, data/ and private/)');
  const file = join(root, COMPETITION_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new CompetitionError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing: a competition directory needs a competition.json' : `cannot be read (${String(error)})`, { cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new CompetitionError(file, `not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const config = validateConfig(file, raw, options.registry ?? new GraderRegistry());

  const dataDir = join(root, DATA_DIR);
  if (!(await isDirectory(dataDir))) throw new CompetitionError(dataDir, `missing: the data notebooks see lives in ${DATA_DIR}/`);
  for (const name of config.dataFiles) {
    if (!(await isFile(join(dataDir, name)))) throw new CompetitionError(join(dataDir, name), `missing (${config.dataFilesListed ? 'listed in data_files' : `data_files defaults to ${DEFAULT_DATA_FILES.join(', ')}`})`);
  }
  const answersPath = join(root, PRIVATE_DIR, config.answersFile);
  if (!(await isFile(answersPath))) throw new CompetitionError(answersPath, `missing: the answers file belongs in ${PRIVATE_DIR}/, outside the mounted ${DATA_DIR}/`);
  const dataNames = await readdir(dataDir);
  if (dataNames.includes(config.answersFile)) {
    throw new CompetitionError(join(dataDir, config.answersFile), `has the answers file's name: notebooks would see it; keep answers in ${PRIVATE_DIR}/ only`);
  }
  const sampleSubmissionPath = join(dataDir, SAMPLE_SUBMISSION_FILE);
  await requireHeader(sampleSubmissionPath, [config.idColumn, ...config.submissionColumns], 'the sample submission');
  await requireHeader(answersPath, [config.idColumn, ...config.targetColumns], 'the answers file');

  let description = config.description;
  if (description === undefined) description = await readFile(join(root, DESCRIPTION_FILE), 'utf8').catch(() => '');

  return {
    slug: config.slug,
    title: config.title,
    metric: config.metric,
    metricOptions: config.metricOptions,
    higherIsBetter: config.higherIsBetter,
    idColumn: config.idColumn,
    targetColumns: config.targetColumns,
    submissionColumns: config.submissionColumns,
    deadline: config.deadline,
    runtimeBudgetSeconds: config.runtimeBudgetSeconds,
    description,
    dir: root,
    dataDir,
    dataFiles: config.dataFiles,
    sampleSubmissionPath,
    answersPath,
    configSha256: sha256(bytes),
    answersSha256: sha256(await readFile(answersPath)),
  };
}

/**
 * Every competition directly under `root` (each subdirectory holding a competition.json), in
 * name order. One broken competition does not hide the others: its error is returned beside them.
 */
export async function loadCompetitions(root: string, options: LoadCompetitionOptions = {}): Promise<{ competitions: Competition[]; errors: CompetitionError[] }> {
  const entries = (await readdir(resolve(root), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const competitions: Competition[] = [];
  const errors: CompetitionError[] = [];
  for (const name of entries) {
    const dir = join(resolve(root), name);
    if (!(await isFile(join(dir, COMPETITION_FILE)))) continue;
    try {
      const competition = await loadCompetition(dir, options);
      // A directory may be named otherwise than its slug, but two slugs must not collide.
      if (competitions.some((other) => other.slug === competition.slug)) throw new CompetitionError(dir, `slug "${competition.slug}" is used by another competition under ${root}`);
      competitions.push(competition);
    } catch (error) {
      if (error instanceof CompetitionError) errors.push(error);
      else throw error;
    }
  }
  return { competitions, errors };
}
