import { Args, Flags } from '@oclif/core';
import { MineCommand } from '../../mine-command.js';
import type { MineSummary } from '../../mine-corpus.js';
import { mineFlags, mineOptionsFromFlags } from '../../mine-flags.js';
import { GitSource } from '../../sources/git-source.js';

export default class MineGit extends MineCommand<typeof MineGit> {
  static override summary = 'Mine the notebooks of git repositories (local paths or clone URLs).';

  static override description = `By default takes every .ipynb at HEAD, dated by the commit that last wrote its content (committer date, UTC) and recorded with that commit's id: the date backporting rebuilds the environment for. With --all-commits takes every distinct version (blob) of every .ipynb in HEAD's history, each with the oldest commit that wrote it. Origins are keyed <commit>:<path> in both modes.

A clone URL is mirrored bare into $XDG_CACHE_HOME/mle/git/<hash> (~/.cache/mle/git/<hash>) and fetched again on later runs; if that fetch fails, the cached copy is mined with a warning. Re-running continues where an interrupted run stopped.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> ~/src/my-analysis',
    '<%= config.bin %> <%= command.id %> https://github.com/owner/notebooks.git --all-commits --json',
    '<%= config.bin %> <%= command.id %> repo-a repo-b --db corpus.db --jobs 2',
  ];

  static override args = {
    repos: Args.string({ description: 'local repository paths or clone URLs', required: true }),
  };

  static override strict = false;

  static override flags = {
    ...mineFlags,
    'all-commits': Flags.boolean({ summary: 'Every distinct version of every notebook in history, not only HEAD.', default: false }),
  };

  async run(): Promise<MineSummary> {
    const sources = this.positionals.map((repo) => new GitSource(repo, { allCommits: this.flags['all-commits'], onWarning: (message) => this.warn(message) }));
    // Clone, fetch and check every repository before anything is written to the database.
    for (const source of sources) await source.prepare();
    return this.mine(sources, mineOptionsFromFlags(this.flags));
  }
}
