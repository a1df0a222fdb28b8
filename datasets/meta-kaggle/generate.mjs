#!/usr/bin/env node
// A small Meta Kaggle + Meta Kaggle Code dump that points at the era notebooks, so that
// `mle mine meta-kaggle --csv <out>/csv --code <out>/code` runs on the bundled corpus exactly as
// on the real dump (same files, same columns, same sharded code layout).
//
//   node datasets/meta-kaggle/generate.mjs [--out DIR]     (default .mle/meta-kaggle-fixture)
//
// Every era notebook becomes one kernel whose submitted version is the notebook (without its
// `metadata.mle`: the join, not the notebook, must supply competition, date and score), dated by
// `metadata.mle.date`, with a scored submission carrying `metadata.mle.reported_score`. Notebooks
// with no reported score (the Python 2 ones) get a submission that was never scored. Around them,
// the cases the miner must filter out: a draft version that never submitted and a later version
// with an attached dataset, an unscored newer submission, a submission uploaded by hand (no
// SourceKernelVersionId), a submission from a deleted kernel version, a Python script that
// submitted, and a kernel with no competition source at all. Ids are derived from dates and
// sorted paths only, so the output is the same on every machine.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NOTEBOOKS = join(ROOT, 'datasets', 'notebooks');
const COMPETITIONS = join(ROOT, 'datasets', 'competitions');

// Kaggle's names for the metrics the bundled competitions use.
const METRIC_ABBREVIATION = {
  roc_auc: ['AUC', 'Area Under Receiver Operating Characteristic Curve'],
  rmse: ['RMSE', 'Root Mean Squared Error'],
  accuracy: ['CategorizationAccuracy', 'Categorization Accuracy'],
  rmsle: ['RMSLE', 'Root Mean Squared Logarithmic Error'],
  quadratic_weighted_kappa: ['QuadraticWeightedKappa', 'Quadratic Weighted Kappa'],
  log_loss: ['MulticlassLoss', 'Multi Class Log Loss'],
};

// KernelLanguages.csv as the dumps write it (ScriptLanguageId 9 is a Python notebook).
const LANGUAGES = [
  [1, 'R', 'R', 'False'],
  [2, 'Python', 'Python', 'False'],
  [3, 'RMarkdown', 'RMarkdown', 'False'],
  [9, 'IPython Notebook', 'Python', 'True'],
  [12, 'IRNotebook', 'R', 'True'],
];
const PYTHON_NOTEBOOK = 9;
const PYTHON_SCRIPT = 2;
const DOCKER_IMAGE = 'gcr.io/kaggle-images/python';

const DAY_MS = 86_400_000;
const EPOCH = Date.UTC(2015, 0, 1);

/** Kernel version ids grow with time on Kaggle; 60,000 a day from 2015 keeps ours in realistic shards. */
function versionIdAt(isoDay, serial) {
  return 1_000_000 + Math.round((Date.parse(`${isoDay}T00:00:00Z`) - EPOCH) / DAY_MS) * 60_000 + serial;
}

const shiftDays = (isoDay, days) => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** `MM/DD/YYYY` (Submissions) or `MM/DD/YYYY HH:MM:SS` (versions, kernels), as Meta Kaggle writes dates. */
function kaggleDate(isoDay, time) {
  const [y, m, d] = isoDay.split('-');
  return time === undefined ? `${m}/${d}/${y}` : `${m}/${d}/${y} ${time}`;
}

/** Where Meta Kaggle Code keeps a version: f = id padded to 10 digits, `{f[0:4]}/{f[4:7]}/{id}.{ext}`. */
export function codePath(versionId, extension) {
  const f = String(versionId).padStart(10, '0');
  return `${f.slice(0, 4)}/${f.slice(4, 7)}/${versionId}.${extension}`;
}

function csvCell(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function writeCsv(dir, name, header, rows) {
  const lines = [header.join(','), ...rows.map((row) => header.map((column) => csvCell(row[column])).join(','))];
  writeFileSync(join(dir, name), `${lines.join('\r\n')}\r\n`);
}

function* walkNotebooks(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walkNotebooks(path);
    else if (entry.name.endsWith('.ipynb')) yield path;
  }
}

const sourceText = (cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source ?? '');

/** The notebook as Kaggle stores it: our own `metadata.mle` removed, everything else kept. */
function asKaggleStores(notebook) {
  const { mle: _mle, ...metadata } = notebook.metadata ?? {};
  return { ...notebook, metadata };
}

function titleOf(notebook, fallback) {
  const first = notebook.cells.find((cell) => cell.cell_type === 'markdown');
  const heading = first ? sourceText(first).split('\n').find((line) => line.startsWith('#')) : undefined;
  return heading ? heading.replace(/^#+\s*/, '').trim() : fallback;
}

function codeLines(notebook) {
  return notebook.cells.filter((cell) => cell.cell_type === 'code').reduce((n, cell) => n + sourceText(cell).split('\n').length, 0);
}

function readEraNotebooks() {
  const observed = JSON.parse(readFileSync(join(NOTEBOOKS, 'observed.json'), 'utf8')).notebooks;
  const notebooks = [];
  for (const path of walkNotebooks(NOTEBOOKS)) {
    const key = relative(NOTEBOOKS, path).split('\\').join('/');
    const notebook = JSON.parse(readFileSync(path, 'utf8'));
    const mle = notebook.metadata?.mle;
    if (!mle?.date || !mle.competition || !mle.author) throw new Error(`${key}: metadata.mle needs date, competition and author`);
    const title = titleOf(notebook, key.split('/').at(-1).replace(/\.ipynb$/, ''));
    const runtime = observed[key]?.dated?.runtime_seconds;
    notebooks.push({
      key,
      notebook,
      date: mle.date,
      competition: mle.competition,
      author: mle.author,
      score: typeof mle.reported_score === 'number' ? mle.reported_score : null,
      // The dated run is the notebook's original run; a notebook that never ran here (Python 2) has none.
      runningTimeMs: typeof runtime === 'number' ? Math.round(runtime * 1000) : null,
      // Kaggle derives a kernel's URL slug from its title.
      urlSlug: title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50).replace(/-$/, ''),
      title,
    });
  }
  notebooks.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.key < b.key ? -1 : 1));
  return notebooks;
}

function readCompetitions(slugs) {
  return slugs.map((slug) => {
    const spec = JSON.parse(readFileSync(join(COMPETITIONS, slug, 'competition.json'), 'utf8'));
    if (!METRIC_ABBREVIATION[spec.metric]) throw new Error(`${slug}: no Kaggle name for metric ${spec.metric}`);
    return spec;
  });
}

/** A notebook with one markdown and one code cell, for the versions that are not era notebooks. */
function smallNotebook(markdown, code) {
  return {
    cells: [
      { cell_type: 'markdown', metadata: {}, source: [markdown] },
      { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: code.split(/(?<=\n)/) },
    ],
    metadata: {
      kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
      language_info: { name: 'python', pygments_lexer: 'ipython3', version: '3.10.12' },
    },
    nbformat: 4,
    nbformat_minor: 4,
  };
}

export function generate(outDir) {
  const era = readEraNotebooks();
  const slugs = [...new Set(era.map((n) => n.competition))].sort();
  const competitions = readCompetitions(slugs);
  const csvDir = join(outDir, 'csv');
  const codeDir = join(outDir, 'code');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(csvDir, { recursive: true });
  mkdirSync(codeDir, { recursive: true });

  const competitionId = new Map(slugs.map((slug, i) => [slug, 81_000 + i * 17]));
  const authors = [...new Set(era.map((n) => n.author))].sort();
  const userId = new Map(authors.map((author, i) => [author, 4_200_000 + i * 331]));
  const firstDate = new Map();
  for (const n of era) if (!firstDate.has(n.author) || n.date < firstDate.get(n.author)) firstDate.set(n.author, n.date);

  const kernels = [];
  const versions = [];
  const submissions = [];
  const competitionSources = [];
  const datasetSources = [];
  const teams = new Map();
  const files = [];
  const manifest = { eraVersions: {}, edgeCases: {} };
  let submissionSerial = 0;
  let versionSerial = 0;
  const nextSubmissionId = () => 31_000_000 + ++submissionSerial * 7;

  const teamFor = (slug, author, date) => {
    const key = `${slug}/${author}`;
    let team = teams.get(key);
    if (!team) {
      team = { Id: 6_500_000 + teams.size * 13, CompetitionId: competitionId.get(slug), TeamLeaderId: userId.get(author), TeamName: author, first: date, last: date, IsBenchmark: 'False' };
      teams.set(key, team);
    }
    if (date < team.first) team.first = date;
    if (date > team.last) team.last = date;
    return team;
  };

  const addVersion = ({ id, kernelId, author, date, time, number, title, lines, runningTimeMs, language = PYTHON_NOTEBOOK, parent = null }) => {
    versions.push({
      Id: id, ScriptId: kernelId, ParentScriptVersionId: parent, ScriptLanguageId: language, AuthorUserId: userId.get(author),
      CreationDate: kaggleDate(date, time), VersionNumber: number, Title: title, EvaluationDate: kaggleDate(date), IsChange: 'True', TotalLines: lines,
      TotalVotes: 0, IsInternetEnabled: 'False', RunningTimeInMilliseconds: runningTimeMs, AcceleratorTypeId: 0, DockerImage: DOCKER_IMAGE,
    });
  };

  const addSubmission = ({ versionId, slug, author, date, score }) => {
    const team = teamFor(slug, author, date);
    const id = nextSubmissionId();
    // The fixture has one held-out split, so the public score is the private one.
    submissions.push({
      Id: id, SubmittedUserId: userId.get(author), TeamId: team.Id, SourceKernelVersionId: versionId, SubmissionDate: kaggleDate(date), ScoreDate: score === null ? null : kaggleDate(date),
      IsAfterDeadline: 'False', IsSelected: 'False', PublicScoreLeaderboardDisplay: score, PublicScoreFullPrecision: score, PrivateScoreLeaderboardDisplay: score, PrivateScoreFullPrecision: score,
    });
    return id;
  };

  const writeCode = (versionId, extension, content) => {
    const path = codePath(versionId, extension);
    mkdirSync(join(codeDir, dirname(path)), { recursive: true });
    writeFileSync(join(codeDir, path), content);
    files.push(path);
    return path;
  };

  // Edge cases hang off fixed positions in date order, so they land on notebooks with scores.
  const scored = era.filter((n) => n.score !== null);
  const multiVersion = scored[0];
  const unscoredRetry = scored[1];
  const handUpload = scored[2];

  era.forEach((n, i) => {
    const kernelId = 12_300_000 + i * 101;
    const versionId = versionIdAt(n.date, ++versionSerial);
    const hasDraft = n === multiVersion;
    const time = `${String(8 + (i % 12)).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:00`;
    const kernel = {
      Id: kernelId, AuthorUserId: userId.get(n.author), CurrentKernelVersionId: versionId, ForkParentKernelVersionId: null, FirstKernelVersionId: versionId,
      CreationDate: kaggleDate(n.date, time), EvaluationDate: kaggleDate(n.date), MadePublicDate: kaggleDate(n.date), IsProjectLanguageTemplate: 'False',
      CurrentUrlSlug: n.urlSlug, Medal: null, TotalViews: 100 + i * 37, TotalComments: i % 4, TotalVotes: i % 9,
    };
    kernels.push(kernel);

    if (hasDraft) {
      // Version 1, three days earlier: a draft with no submission cell that was never submitted.
      const draftId = versionIdAt(shiftDays(n.date, -3), ++versionSerial);
      const draft = asKaggleStores(n.notebook);
      const cut = draft.cells.findLastIndex((cell) => cell.cell_type === 'code' && sourceText(cell).includes('to_csv'));
      draft.cells = draft.cells.slice(0, cut > 0 ? cut : draft.cells.length - 1);
      addVersion({ id: draftId, kernelId, author: n.author, date: shiftDays(n.date, -3), time, number: 1, title: n.title, lines: codeLines(draft), runningTimeMs: n.runningTimeMs });
      competitionSources.push({ KernelVersionId: draftId, SourceCompetitionId: competitionId.get(n.competition) });
      writeCode(draftId, 'ipynb', `${JSON.stringify(draft, null, 1)}\n`);
      kernel.FirstKernelVersionId = draftId;
      kernel.CreationDate = kaggleDate(shiftDays(n.date, -3), time);
      manifest.edgeCases.draftVersion = draftId;
    }

    addVersion({ id: versionId, kernelId, author: n.author, date: n.date, time, number: hasDraft ? 2 : 1, title: n.title, lines: codeLines(n.notebook), runningTimeMs: n.runningTimeMs, parent: hasDraft ? manifest.edgeCases.draftVersion : null });
    competitionSources.push({ KernelVersionId: versionId, SourceCompetitionId: competitionId.get(n.competition) });
    writeCode(versionId, 'ipynb', `${JSON.stringify(asKaggleStores(n.notebook), null, 1)}\n`);
    addSubmission({ versionId, slug: n.competition, author: n.author, date: n.date, score: n.score });
    manifest.eraVersions[n.key] = versionId;

    if (n === unscoredRetry) {
      // Resubmitted the next day, but the submission errored and was never scored: the scored one stands.
      manifest.edgeCases.unscoredSubmission = addSubmission({ versionId, slug: n.competition, author: n.author, date: shiftDays(n.date, 1), score: null });
    }
    if (n === handUpload) {
      // A CSV uploaded by hand (no SourceKernelVersionId): it joins no notebook.
      const team = teamFor(n.competition, n.author, shiftDays(n.date, 2));
      const id = nextSubmissionId();
      submissions.push({
        Id: id, SubmittedUserId: userId.get(n.author), TeamId: team.Id, SourceKernelVersionId: null, SubmissionDate: kaggleDate(shiftDays(n.date, 2)), ScoreDate: kaggleDate(shiftDays(n.date, 2)),
        IsAfterDeadline: 'False', IsSelected: 'True', PublicScoreLeaderboardDisplay: n.score, PublicScoreFullPrecision: n.score, PrivateScoreLeaderboardDisplay: n.score, PrivateScoreFullPrecision: n.score,
      });
      manifest.edgeCases.handUploadedSubmission = id;
    }
    if (hasDraft) {
      // Version 3, two days later, attaches an external dataset and submits: left out (competition data only).
      const laterDate = shiftDays(n.date, 2);
      const laterId = versionIdAt(laterDate, ++versionSerial);
      const later = asKaggleStores(n.notebook);
      later.cells = [...later.cells, { cell_type: 'markdown', metadata: {}, source: ['v3: blending with an external dataset of extra samples'] }];
      addVersion({ id: laterId, kernelId, author: n.author, date: laterDate, time, number: 3, title: n.title, lines: codeLines(later), runningTimeMs: n.runningTimeMs, parent: versionId });
      competitionSources.push({ KernelVersionId: laterId, SourceCompetitionId: competitionId.get(n.competition) });
      datasetSources.push({ KernelVersionId: laterId, SourceDatasetVersionId: 5_550_001 });
      writeCode(laterId, 'ipynb', `${JSON.stringify(later, null, 1)}\n`);
      addSubmission({ versionId: laterId, slug: n.competition, author: n.author, date: laterDate, score: n.score });
      kernel.CurrentKernelVersionId = laterId;
      manifest.edgeCases.attachedDatasetVersion = laterId;
    }
  });

  // A Python script (not a notebook) that submitted: skipped unless `--scripts`.
  const scriptAuthor = scored.at(-1);
  const scriptDate = shiftDays(scriptAuthor.date, 5);
  const scriptVersion = versionIdAt(scriptDate, ++versionSerial);
  const scriptKernel = 12_300_000 + era.length * 101;
  kernels.push({ Id: scriptKernel, AuthorUserId: userId.get(scriptAuthor.author), CurrentKernelVersionId: scriptVersion, FirstKernelVersionId: scriptVersion, CreationDate: kaggleDate(scriptDate, '12:00:00'), EvaluationDate: kaggleDate(scriptDate), MadePublicDate: kaggleDate(scriptDate), IsProjectLanguageTemplate: 'False', CurrentUrlSlug: `${scriptAuthor.competition}-quick-script`, TotalViews: 12, TotalComments: 0, TotalVotes: 0 });
  addVersion({ id: scriptVersion, kernelId: scriptKernel, author: scriptAuthor.author, date: scriptDate, time: '12:00:00', number: 1, title: 'quick script', lines: 6, runningTimeMs: 4_000, language: PYTHON_SCRIPT });
  competitionSources.push({ KernelVersionId: scriptVersion, SourceCompetitionId: competitionId.get(scriptAuthor.competition) });
  writeCode(scriptVersion, 'py', [
    'import pandas as pd',
    'from sklearn.dummy import DummyClassifier',
    `train = pd.read_csv('/kaggle/input/${scriptAuthor.competition}/train.csv')`,
    `test = pd.read_csv('/kaggle/input/${scriptAuthor.competition}/test.csv')`,
    'print(train.shape, test.shape)',
    "pd.read_csv('/kaggle/input/" + scriptAuthor.competition + "/sample_submission.csv').to_csv('submission.csv', index=False)",
    '',
  ].join('\n'));
  addSubmission({ versionId: scriptVersion, slug: scriptAuthor.competition, author: scriptAuthor.author, date: scriptDate, score: scriptAuthor.score });
  manifest.edgeCases.scriptVersion = scriptVersion;

  // A submission whose kernel version was deleted: no KernelVersions row and no code file.
  const deleted = scored[3];
  const deletedVersion = versionIdAt(shiftDays(deleted.date, 1), ++versionSerial);
  addSubmission({ versionId: deletedVersion, slug: deleted.competition, author: deleted.author, date: shiftDays(deleted.date, 1), score: deleted.score });
  manifest.edgeCases.deletedVersion = deletedVersion;

  // A kernel with no competition source (it explores an uploaded dataset) and no submission.
  const explorer = scored[4];
  const exploreDate = shiftDays(explorer.date, 10);
  const exploreVersion = versionIdAt(exploreDate, ++versionSerial);
  const exploreKernel = 12_300_000 + (era.length + 1) * 101;
  kernels.push({ Id: exploreKernel, AuthorUserId: userId.get(explorer.author), CurrentKernelVersionId: exploreVersion, FirstKernelVersionId: exploreVersion, CreationDate: kaggleDate(exploreDate, '15:30:00'), EvaluationDate: kaggleDate(exploreDate), MadePublicDate: kaggleDate(exploreDate), IsProjectLanguageTemplate: 'False', CurrentUrlSlug: 'housing-prices-eda', TotalViews: 40, TotalComments: 1, TotalVotes: 2 });
  const exploreNotebook = smallNotebook('# Housing prices: a first look', "import pandas as pd\nfrom sklearn.linear_model import LinearRegression\n\ndf = pd.read_csv('/kaggle/input/housing-prices/housing.csv')\ndf.describe()\n");
  addVersion({ id: exploreVersion, kernelId: exploreKernel, author: explorer.author, date: exploreDate, time: '15:30:00', number: 1, title: 'Housing prices: a first look', lines: codeLines(exploreNotebook), runningTimeMs: 3_000 });
  datasetSources.push({ KernelVersionId: exploreVersion, SourceDatasetVersionId: 5_550_002 });
  writeCode(exploreVersion, 'ipynb', `${JSON.stringify(exploreNotebook, null, 1)}\n`);
  manifest.edgeCases.noCompetitionSource = exploreVersion;

  // Rows are written in id order, as the dumps are.
  const byId = (a, b) => a.Id - b.Id;
  const numbered = (rows) => rows.sort((a, b) => a.KernelVersionId - b.KernelVersionId).map((row, i) => ({ Id: 900_000 + i, ...row }));

  const perCompetition = (slug, what) => era.filter((n) => n.competition === slug).map((n) => n[what]).sort();
  writeCsv(csvDir, 'Competitions.csv',
    ['Id', 'Slug', 'Title', 'Subtitle', 'HostSegmentTitle', 'ForumId', 'OrganizationId', 'EnabledDate', 'DeadlineDate', 'ProhibitNewEntrantsDeadlineDate', 'TeamMergerDeadlineDate', 'TeamModelDeadlineDate', 'ModelSubmissionDeadlineDate', 'FinalLeaderboardHasBeenVerified', 'HasKernels', 'OnlyAllowKernelSubmissions', 'HasLeaderboard', 'LeaderboardPercentage', 'ScoreTruncationNumDecimals', 'EvaluationAlgorithmAbbreviation', 'EvaluationAlgorithmName', 'EvaluationAlgorithmDescription', 'EvaluationAlgorithmIsMax', 'MaxDailySubmissions', 'NumScoredSubmissions', 'MaxTeamSize', 'BanTeamMergers', 'EnableTeamModels', 'RewardType', 'RewardQuantity', 'NumPrizes', 'UserRankMultiplier', 'CanQualifyTiers', 'TotalTeams', 'TotalCompetitors', 'TotalSubmissions'],
    competitions.map((spec) => {
      const [abbreviation, name] = METRIC_ABBREVIATION[spec.metric];
      const teamCount = [...teams.values()].filter((team) => team.CompetitionId === competitionId.get(spec.slug)).length;
      return {
        Id: competitionId.get(spec.slug), Slug: spec.slug, Title: spec.title, Subtitle: spec.description, HostSegmentTitle: 'Playground', ForumId: competitionId.get(spec.slug) + 1,
        EnabledDate: kaggleDate(shiftDays(perCompetition(spec.slug, 'date')[0], -30), '00:00:00'), DeadlineDate: kaggleDate(spec.deadline, '23:59:00'),
        FinalLeaderboardHasBeenVerified: 'False', HasKernels: 'True', OnlyAllowKernelSubmissions: 'False', HasLeaderboard: 'True', LeaderboardPercentage: 30,
        EvaluationAlgorithmAbbreviation: abbreviation, EvaluationAlgorithmName: name, EvaluationAlgorithmDescription: `${name}, "${spec.higher_is_better ? 'higher' : 'lower'} is better"`,
        EvaluationAlgorithmIsMax: spec.higher_is_better ? 'True' : 'False', MaxDailySubmissions: 5, MaxTeamSize: 1, RewardType: 'Knowledge', NumPrizes: 0,
        TotalTeams: teamCount, TotalCompetitors: teamCount, TotalSubmissions: submissions.filter((s) => [...teams.values()].some((t) => t.Id === s.TeamId && t.CompetitionId === competitionId.get(spec.slug))).length,
      };
    }));
  writeCsv(csvDir, 'Teams.csv',
    ['Id', 'CompetitionId', 'TeamLeaderId', 'TeamName', 'ScoreFirstSubmittedDate', 'LastSubmissionDate', 'PublicLeaderboardSubmissionId', 'PrivateLeaderboardSubmissionId', 'IsBenchmark', 'Medal', 'MedalAwardDate', 'PublicLeaderboardRank', 'PrivateLeaderboardRank', 'WriteUpForumTopicId'],
    [...teams.values()].sort(byId).map(({ first, last, ...team }) => ({ ...team, ScoreFirstSubmittedDate: kaggleDate(first), LastSubmissionDate: kaggleDate(last) })));
  writeCsv(csvDir, 'Submissions.csv',
    ['Id', 'SubmittedUserId', 'TeamId', 'SourceKernelVersionId', 'SubmissionDate', 'ScoreDate', 'IsAfterDeadline', 'IsSelected', 'PublicScoreLeaderboardDisplay', 'PublicScoreFullPrecision', 'PrivateScoreLeaderboardDisplay', 'PrivateScoreFullPrecision'],
    submissions.sort(byId));
  writeCsv(csvDir, 'KernelVersions.csv',
    ['Id', 'ScriptId', 'ParentScriptVersionId', 'ScriptLanguageId', 'AuthorUserId', 'CreationDate', 'VersionNumber', 'Title', 'EvaluationDate', 'IsChange', 'TotalLines', 'LinesInsertedFromPrevious', 'LinesChangedFromPrevious', 'LinesUnchangedFromPrevious', 'LinesInsertedFromFork', 'LinesDeletedFromFork', 'LinesChangedFromFork', 'LinesUnchangedFromFork', 'TotalVotes', 'IsInternetEnabled', 'RunningTimeInMilliseconds', 'AcceleratorTypeId', 'DockerImage'],
    versions.sort(byId));
  writeCsv(csvDir, 'Kernels.csv',
    ['Id', 'AuthorUserId', 'CurrentKernelVersionId', 'ForkParentKernelVersionId', 'ForumTopicId', 'FirstKernelVersionId', 'CreationDate', 'EvaluationDate', 'MadePublicDate', 'IsProjectLanguageTemplate', 'CurrentUrlSlug', 'Medal', 'MedalAwardDate', 'TotalViews', 'TotalComments', 'TotalVotes'],
    kernels.sort(byId));
  writeCsv(csvDir, 'Users.csv',
    ['Id', 'UserName', 'DisplayName', 'RegisterDate', 'PerformanceTier', 'Country', 'LocationSharingOptOut'],
    authors.map((author) => ({ Id: userId.get(author), UserName: author, DisplayName: author, RegisterDate: kaggleDate(shiftDays(firstDate.get(author), -200)), PerformanceTier: 1, LocationSharingOptOut: 'True' })));
  writeCsv(csvDir, 'KernelLanguages.csv', ['Id', 'Name', 'DisplayName', 'IsNotebook'], LANGUAGES.map(([Id, Name, DisplayName, IsNotebook]) => ({ Id, Name, DisplayName, IsNotebook })));
  writeCsv(csvDir, 'KernelVersionCompetitionSources.csv', ['Id', 'KernelVersionId', 'SourceCompetitionId'], numbered(competitionSources));
  writeCsv(csvDir, 'KernelVersionDatasetSources.csv', ['Id', 'KernelVersionId', 'SourceDatasetVersionId'], numbered(datasetSources));
  writeCsv(csvDir, 'KernelVersionKernelSources.csv', ['Id', 'KernelVersionId', 'SourceKernelVersionId'], []);

  // Not part of the dump: which version holds which era notebook, and where each edge case went.
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify({ ...manifest, codeFiles: files.sort() }, null, 1)}\n`);
  return { csvDir, codeDir, notebooks: era.length, versions: versions.length, submissions: submissions.length, files: files.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  if (args.some((arg) => arg !== '--out' && (at < 0 || arg !== args[at + 1])) || (at >= 0 && !args[at + 1])) {
    console.error('usage: node datasets/meta-kaggle/generate.mjs [--out DIR]');
    process.exit(2);
  }
  const out = resolve(at >= 0 ? args[at + 1] : join(ROOT, '.mle', 'meta-kaggle-fixture'));
  const result = generate(out);
  console.log(`wrote ${result.versions} kernel versions (${result.notebooks} era notebooks), ${result.submissions} submissions and ${result.files} code files to ${out}`);
  console.log(`mine it with: mle mine meta-kaggle --csv ${result.csvDir} --code ${result.codeDir}`);
}
