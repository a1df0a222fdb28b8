import { Flags } from '@oclif/core';
import { MineCommand } from '../../mine-command.js';
import type { MineSummary } from '../../mine-corpus.js';
import { mineFlags, mineOptionsFromFlags } from '../../mine-flags.js';
import { MetaKaggleSource, type MetaKaggleStats } from '../../sources/meta-kaggle/meta-kaggle-source.js';

export type MetaKaggleMineSummary = MineSummary & { metaKaggle: MetaKaggleStats };

function formatStats(stats: MetaKaggleStats): string {
  const skipped = Object.entries(stats.skipped).filter(([, n]) => n > 0).map(([reason, n]) => `${n} ${reason}`).join(', ') || 'none';
  const join = stats.join;
  return [
    join
      ? `  join: ${join.competitions} competitions, ${join.teams} teams, ${join.kernelSubmissions} submissions from ${join.submittedVersions} kernel versions (${join.submittedVersionsWithoutRow} not in KernelVersions.csv)`
      : '  join: not built',
    `  ${stats.pairs} version/competition pairs, ${stats.candidates} offered; left out: ${skipped}`,
    `  scores: ${stats.scores.private} private, ${stats.scores.public} public, ${stats.scores.none} none; code files missing: ${stats.codeFiles.missing}`,
  ].join('\n');
}

export default class MineMetaKaggle extends MineCommand<typeof MineMetaKaggle> {
  static override summary = 'Mine the notebooks behind scored Kaggle submissions from the Meta Kaggle and Meta Kaggle Code dumps.';

  static override description = `Joins Competitions → Teams → Submissions (SourceKernelVersionId) → KernelVersions → Kernels, with Users (for the notebook's URL), KernelLanguages and KernelVersionDatasetSources, and reads each kernel version's file from Meta Kaggle Code ({f[0:4]}/{f[4:7]}/{Id}.ipynb, f = the id padded to 10 digits). One notebook per (kernel version, competition):
- reported score: PrivateScoreFullPrecision when present and not 0, else the public score (the kind is recorded);
- among several submissions of a version, newest first: the one scored on the version's EvaluationDate, else the one submitted on its CreationDate, else the newest;
- date: that submission's date (the version's CreationDate is kept in the origin's details).

By default versions with an attached dataset are left out (--single-dataset allows one) and Kaggle scripts (.py, .r, .rmd) are skipped (--scripts reads each as a one-cell notebook). A version whose code file is missing is recorded as rejected (unreadable).

The CSVs are streamed, never loaded whole: the rows that can join are kept in a scratch SQLite file under $XDG_CACHE_HOME/mle/meta-kaggle (~/.cache/mle/meta-kaggle), built once per dump and competition filter and reused by later and resumed runs.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --csv ~/meta-kaggle --code ~/meta-kaggle-code --competition titanic',
    '<%= config.bin %> <%= command.id %> --csv mk --code mkc --competition spaceship-titanic --competition house-prices-advanced-regression-techniques --max-runtime 600 --json',
  ];

  static override flags = {
    ...mineFlags,
    csv: Flags.directory({ summary: 'Folder with the Meta Kaggle CSV files.', required: true, exists: true }),
    code: Flags.directory({ summary: 'Root folder of Meta Kaggle Code.', required: true, exists: true }),
    competition: Flags.string({ summary: 'Competition slug to mine (repeatable); all competitions when absent.', multiple: true }),
    'max-runtime': Flags.integer({
      summary: 'Keep versions that ran at most this many seconds (the study used 600).',
      description: 'Uses KernelVersions.RunningTimeInMilliseconds; versions with no recorded runtime are left out. Ignored, with a warning, when the dump has no such column.',
      min: 1,
    }),
    'single-dataset': Flags.boolean({ summary: 'Allow one attached dataset besides the competition data (default: none).', default: false }),
    scripts: Flags.boolean({ summary: 'Also mine Kaggle scripts (.py, .r, .rmd), each as a one-cell notebook.', default: false }),
  };

  async run(): Promise<MetaKaggleMineSummary> {
    const joining = this.progress('joining Meta Kaggle');
    const source = new MetaKaggleSource({
      csvDir: this.flags.csv,
      codeDir: this.flags.code,
      ...(this.flags.competition ? { competitions: this.flags.competition } : {}),
      ...(this.flags['max-runtime'] !== undefined ? { maxRuntimeSeconds: this.flags['max-runtime'] } : {}),
      singleDataset: this.flags['single-dataset'],
      scripts: this.flags.scripts,
      onProgress: (table, rows) => joining.update(rows, table),
      onWarning: (message) => this.warn(message),
    });
    // Build the join before opening the database: a malformed dump fails with nothing written.
    await source.prepare(this.signal);
    joining.stop();
    const summary = await this.mine([source], mineOptionsFromFlags(this.flags), () => formatStats(source.stats));
    return { ...summary, metaKaggle: source.stats };
  }
}
