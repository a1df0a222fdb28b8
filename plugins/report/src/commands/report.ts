import { Flags } from '@oclif/core';
import { MleCommand } from '@mle/command';
import { formatProportion, formatUsd } from '../tables/format-cell.js';
import { defaultReportDir, generateReport } from '../write-report.js';
import type { Headline } from '../report-data.js';

export interface ReportCommandResult {
  outDir: string;
  index: string;
  summary: string;
  files: string[];
  headline: Headline;
}

export default class Report extends MleCommand<typeof Report> {
  static override summary = 'Write the comparative report: index.html, summary.md, tables/*.csv, figures/*.svg and *.png.';

  static override description = `Reads only the database. The HTML file is self-contained (charts drawn by the bundled Vega
runtime, no network), the figures are rendered without a browser, and every number comes with
its denominator and a 95% Wilson interval. Without --experiment, all experiments are reported
and compared; with it, only the named ones, in the order given, with paired McNemar tests on
the notebooks they share.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --experiment rules-only --experiment rules-llm --out reports/llm-vs-rules',
    '<%= config.bin %> <%= command.id %> --db corpus.db --json',
  ];

  static override flags = {
    experiment: Flags.string({ summary: 'Experiment to report on and compare (repeat for several; default: all).', multiple: true }),
    out: Flags.string({ summary: 'Directory to write the report into.', description: 'Default: reports/<database file name>/.' }),
    provenance: Flags.boolean({
      summary: 'Write the "generated from <db> at <time>" line.',
      description: 'With --no-provenance the same database gives byte-identical files.',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<ReportCommandResult> {
    const outDir = this.flags.out ?? defaultReportDir(this.flags.db);
    const result = await generateReport(this.flags.db, { outDir, experiments: this.flags.experiment ?? [], provenance: this.flags.provenance });
    for (const warning of result.warnings) this.warn(warning);
    if (!this.jsonEnabled()) {
      for (const e of result.headline.experiments) {
        const rescued = e.rescued ? `, rescued ${formatProportion(e.rescued)}` : '';
        const cost = e.costUsd > 0 ? `, ${formatUsd(e.costUsd)}` : '';
        this.log(`${e.name} (${e.kind}): reproducible ${formatProportion(e.reproducible)}${rescued}${cost}`);
      }
      this.log(`report: ${result.indexPath}`);
    }
    return { outDir: result.outDir, index: result.indexPath, summary: result.summaryPath, files: result.files, headline: result.headline };
  }
}
