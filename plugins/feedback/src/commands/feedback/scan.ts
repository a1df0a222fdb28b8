import { Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { formatScanSummary } from '../../format-feedback.js';
import { scanFeedback, type ScanFeedbackSummary } from '../../scan-feedback.js';

export default class FeedbackScan extends MleCommand<typeof FeedbackScan> {
  static override summary = 'Find and classify feedback mechanisms in every mined notebook.';

  static override description = `Analyses every code cell of the notebooks in the database on tree-sitter's Python grammar (magics and shell lines masked, Python 2 read, cells with syntax errors analysed where intact) and fills the feedback table: assertions, assertion calls and raise guards (explicit feedback); prints, display(), logging, stdout writers and last-cell values (implicit feedback), each with a category, its confidence and the rule that chose it.

Resumable: notebooks already scanned by this analyzer version are skipped, so an interrupted scan continues where it stopped. A newer analyzer version scans again into new rows.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --db corpus.db --jobs 2 --json',
  ];

  static override flags = {
    jobs: Flags.integer({ char: 'j', summary: 'Worker threads that parse cells.', default: 1, min: 1, max: Math.max(1, availableParallelism() * 2) }),
    'full-parse': Flags.boolean({
      summary: 'Parse every cell whole instead of pre-filtering cells without feedback tokens.',
      description: 'The instances found are the same either way. Cells without a feedback token are then parsed whole, so their status becomes exact (ok or partial) instead of not-parsed, and syntax errors in them count among the cells the study would drop. Slower.',
      default: false,
    }),
    limit: Flags.integer({ summary: 'Scan at most this many notebooks in this run.', min: 1 }),
  };

  async run(): Promise<ScanFeedbackSummary> {
    const store = openStore(this.flags.db);
    const progress = this.progress('scanning');
    try {
      const summary = await scanFeedback(store, {
        jobs: this.flags.jobs,
        fullParse: this.flags['full-parse'],
        ...(this.flags.limit !== undefined ? { limit: this.flags.limit } : {}),
        signal: this.signal,
        onProgress: (done, total) => progress.update(done, '', total),
      });
      progress.stop();
      if (!this.jsonEnabled()) this.log(formatScanSummary(summary, this.flags.db));
      return summary;
    } finally {
      progress.stop();
      store.close();
    }
  }
}
