import { Args } from '@oclif/core';
import { formatNotebookStructuralDiff } from '@mle/core';
import { MleCommand } from '@mle/command';
import { diffNotebookFiles, type NotebookFileDiff } from '../../notebook-file-diff.js';

export default class ModernizeDiff extends MleCommand<typeof ModernizeDiff> {
  static override summary = 'Show the structural diff of two versions of a notebook, cell by cell.';

  static override description = `Cells are aligned on identical sources; each edited code cell is compared on its syntax tree
(magics masked, comments ignored), reporting inserted, deleted and moved statements and
expressions, renamed identifiers and updated literals or operators, with their line:column.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> kernel.ipynb kernel.modernized.ipynb',
    '<%= config.bin %> <%= command.id %> before.ipynb after.ipynb --json',
  ];

  static override args = {
    before: Args.string({ description: 'the original notebook', required: true }),
    after: Args.string({ description: 'the modified notebook', required: true }),
  };

  async run(): Promise<NotebookFileDiff> {
    const diff = await diffNotebookFiles(this.args.before, this.args.after);
    if (!this.jsonEnabled()) this.log(formatNotebookStructuralDiff(diff));
    return diff;
  }
}
