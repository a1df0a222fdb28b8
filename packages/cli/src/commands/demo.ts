import { Flags } from '@oclif/core';
import { MleCommand } from '@mle/command';
import { DEMO_CONTEMPORARY_DATE, runDemo, type DemoSummary } from '../demo.js';

export default class Demo extends MleCommand<typeof Demo> {
  static override summary = 'Run the whole pipeline on the bundled corpus and write the report.';

  static override description = `Prepares the bundled competitions, mines the era notebooks (datasets/notebooks), scans their
feedback, builds the contemporary environment (resolved as of ${DEMO_CONTEMPORARY_DATE}, so the numbers stay
the same), runs the baseline, backports every notebook to the environment of its date, turns the
prints and last-cell values stored in the notebooks into assertions and keeps those that pass in
the dated environments (mle feedback synthesize --validate), modernizes
the notebooks that do not reproduce (rules and cached fixes; the LLM too when OPENAI_API_KEY is
set), and writes the report to reports/demo/. Everything is cached: a second run only re-reads the database.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --jobs 1 --json'];

  static override flags = {
    db: Flags.string({ summary: 'SQLite database of the demo (default: reports/demo.db in the repository).', env: 'MLE_DEMO_DB' }),
    jobs: Flags.integer({ char: 'j', summary: 'Notebooks run in parallel.', default: 2, min: 1 }),
    out: Flags.directory({ summary: 'Report directory (default: reports/demo in the repository).' }),
    'contemporary-at': Flags.string({ summary: `Date the contemporary environment is resolved as of (default ${DEMO_CONTEMPORARY_DATE}).` }),
  };

  async run(): Promise<DemoSummary> {
    const summary = await runDemo({
      ...(this.flags.db ? { db: this.flags.db } : {}),
      ...(this.flags.out ? { out: this.flags.out } : {}),
      ...(this.flags['contemporary-at'] ? { contemporaryAt: this.flags['contemporary-at'] } : {}),
      jobs: this.flags.jobs,
      signal: this.signal,
      log: (line) => {
        if (!this.jsonEnabled()) this.log(line);
      },
    });
    if (!this.jsonEnabled()) this.log(`\nreport: ${summary.report}\ndatabase: ${summary.db}`);
    return summary;
  }
}
