import { Flags } from '@oclif/core';
import { feedbackStats, openStore, type FeedbackStats } from '@mle/core';
import { MleCommand } from '@mle/command';
import { formatFeedbackStats } from '../../format-feedback.js';

export default class FeedbackStatsCommand extends MleCommand<typeof FeedbackStatsCommand> {
  static override summary = 'Count feedback mechanisms and categories in the scanned notebooks.';

  static override description = `Per mechanism and per category: instances and their share, notebooks and cells with at least one, mean per notebook, explicit vs implicit, over each notebook's latest scan. Also how many cells the study's method (Python 3 ast.parse, cells that fail dropped) would have lost, and what mle found in them.

--ml-only applies the study's ML filter (a code cell containing "import" matches sklearn|torch|tensorflow|keras); --study-only keeps the instances the study's method would count.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --ml-only --json',
    '<%= config.bin %> <%= command.id %> --ml-only --study-only',
  ];

  static override flags = {
    'ml-only': Flags.boolean({ summary: "Only notebooks the study's ML filter keeps.", default: false }),
    'study-only': Flags.boolean({ summary: "Only instances the study's method would have counted.", default: false }),
  };

  async run(): Promise<FeedbackStats> {
    const store = openStore(this.flags.db, { readonly: true });
    try {
      const hasTable = store.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'feedback_scans'").get();
      if (!hasTable) throw new Error(`${this.flags.db} has no feedback yet; run \`mle feedback scan\` first`);
      const stats = feedbackStats(store, { mlOnly: this.flags['ml-only'], studyOnly: this.flags['study-only'] });
      if (!this.jsonEnabled()) this.log(formatFeedbackStats(stats));
      return stats;
    } finally {
      store.close();
    }
  }
}
