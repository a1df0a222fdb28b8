import { Args } from '@oclif/core';
import { MineCommand } from '../../mine-command.js';
import type { MineSummary } from '../../mine-corpus.js';
import { mineFlags, mineOptionsFromFlags } from '../../mine-flags.js';
import { DirSource } from '../../sources/dir-source.js';

export default class MineDir extends MineCommand<typeof MineDir> {
  static override summary = 'Mine every .ipynb file under one or more directories.';

  static override description = `Reads each notebook (nbformat v3 or v4, Python 2 or 3, magics and all), normalizes it,
hashes its code to find copies, records its cells, outputs and imports, and keeps ML notebooks.
Files that are not notebooks (truncated, not JSON, not a notebook) are recorded as rejected with
the reason; nothing stops the run. Re-running continues where an interrupted run stopped.

A notebook may describe itself in metadata.mle: {"date", "competition", "reported_score"}.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> ~/notebooks',
    '<%= config.bin %> <%= command.id %> corpus/ --jobs 2 --db corpus.db --json',
    '<%= config.bin %> <%= command.id %> a/ b/ --all-notebooks --limit 1000',
  ];

  static override args = {
    paths: Args.string({ description: 'directories (or single .ipynb files) to mine', required: true }),
  };

  static override strict = false;

  static override flags = { ...mineFlags };

  async run(): Promise<MineSummary> {
    return this.mine(this.positionals.map((path) => new DirSource(path)), mineOptionsFromFlags(this.flags));
  }
}
