import { Args, Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import { MleCommand } from '@mle/command';
import { analyzeFiles, type AnalyzeFilesSummary } from '../../file-feedback.js';

export default class FeedbackFile extends MleCommand<typeof FeedbackFile> {
  static override summary = 'Find feedback mechanisms in notebook files, without a database.';

  static override description = `Analyses the notebooks named (directories are searched for .ipynb files) the way \`mle feedback scan\` does and prints every instance. With --json, prints JSON Lines, one object per instance, in file and cell order:

  {"notebook","cell","line","mechanism","form","category","code","output"}

cell is the 0-based cell index, line is 1-based within the cell, output is the stored execute_result's text/plain for last-cell values (null otherwise). Files that cannot be analysed are reported on stderr and make the exit code 1.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> analysis.ipynb',
    '<%= config.bin %> <%= command.id %> notebooks/ --jobs 2 --json > feedback.jsonl',
  ];

  static override args = {
    notebooks: Args.string({ description: 'notebook files or directories', required: true }),
  };

  static override strict = false;

  static override flags = {
    'full-parse': Flags.boolean({
      summary: 'Parse every cell whole instead of pre-filtering cells without feedback tokens.',
      description: 'The instances found are the same either way. Cells without a feedback token are then parsed whole, so their status becomes exact (ok or partial) instead of not-parsed, and syntax errors in them count among the cells the study would drop. Slower.',
      default: false,
    }),
    jobs: Flags.integer({ char: 'j', summary: 'Worker threads that read and parse notebooks.', default: 1, min: 1, max: Math.max(1, availableParallelism() * 2) }),
  };

  async run(): Promise<AnalyzeFilesSummary | undefined> {
    const json = this.jsonEnabled();
    const out: string[] = [];
    const flush = () => {
      if (out.length === 0) return;
      process.stdout.write(out.join(''));
      out.length = 0;
    };
    const summary = await analyzeFiles(this.positionals, {
      jobs: this.flags.jobs,
      fullParse: this.flags['full-parse'],
      signal: this.signal,
      onResult: (result) => {
        if (!result.ok) process.stderr.write(`${result.notebook}: ${result.reason}\n`);
        for (const instance of result.instances) {
          out.push(json ? `${JSON.stringify(instance)}\n` : `${instance.notebook}:${instance.cell}:${instance.line}  ${instance.mechanism.padEnd(11)} ${instance.category.padEnd(21)} ${instance.code.split('\n')[0]}\n`);
        }
        if (out.length > 512) flush();
      },
    });
    flush();
    if (!json) this.log(`${summary.files} notebooks, ${summary.cells} code cells, ${summary.instances} instances${summary.failed ? `, ${summary.failed} not analysed` : ''}`);
    if (summary.failed > 0) process.exitCode = 1;
    // The JSON Lines above are the --json output; returning nothing keeps oclif from adding a summary object.
    return json ? undefined : summary;
  }
}
