import { Args, Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { allNotebookIds, ingestNotebookFile } from '@mle/runner';
import { synthesizeNotebooks, type SynthesizeSummary } from '../../synthesize/synthesize-notebooks.js';
import { validateNotebooks } from '../../validate/validate-notebooks.js';
import { validationFlags, validationOptions } from '../../validate/validation-flags.js';
import type { NotebookValidation } from '../../validate/validate-assertions.js';

export default class FeedbackSynthesize extends MleCommand<typeof FeedbackSynthesize> {
  static override summary = 'Turn implicit feedback with stored outputs (prints, last-cell values) into explicit assertions.';

  static override description = `For each print value and last-cell value a notebook stored, propose the assertion that would have checked it: shapes and lengths exactly, numbers within their printed precision, metrics with a relative tolerance, dtypes, column lists, value counts, Series and frames. Outputs that would not come back (timestamps, durations, memory addresses, paths, versions, progress bars, object reprs, values after unseeded randomness) and expressions that cannot be re-evaluated without side effects are skipped with the reason.

With --validate, each notebook then runs in its dated environment (or --env) with the assertions inserted after their statements; only those that pass count as validated (see \`mle feedback validate\`).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --all',
    '<%= config.bin %> <%= command.id %> 12 --validate --json',
    '<%= config.bin %> <%= command.id %> analysis.ipynb --validate --env mle-tools',
  ];

  static override strict = false;

  static override args = { notebooks: Args.string({ description: 'notebook ids or .ipynb paths (or --all)' }) };

  static override flags = {
    all: Flags.boolean({ summary: 'Every notebook in the database.', default: false }),
    validate: Flags.boolean({ summary: 'Also run each notebook with its assertions and keep those that pass.', default: false }),
    ...validationFlags,
  };

  async run(): Promise<SynthesizeSummary & { validations?: (NotebookValidation | { notebookId: number; error: string })[] }> {
    const { flags } = this;
    if (!flags.all && this.positionals.length === 0) this.error('name notebooks (ids or .ipynb paths), or pass --all', { exit: 2 });
    const store = openStore(flags.db);
    try {
      const ids = flags.all ? allNotebookIds(store) : [];
      for (const target of this.positionals) ids.push(/^\d+$/.test(target) ? Number(target) : await ingestNotebookFile(store, target));
      const unique = [...new Set(ids)];
      const summary = await synthesizeNotebooks(store, unique, { signal: this.signal });
      if (!this.jsonEnabled()) {
        this.log(`${summary.proposals} assertions proposed for ${summary.instancesWithOutput} implicit instances with stored outputs in ${summary.notebooks} notebooks (${summary.alreadyDone} already synthesized)`);
        for (const [reason, n] of Object.entries(summary.skipReasons).sort((a, b) => b[1] - a[1])) this.log(`  skipped ${n}: ${reason}`);
      }
      if (!flags.validate) return summary;
      const progress = this.progress('validating', unique.length);
      let done = 0;
      const validations = await validateNotebooks(store, unique, {
        ...validationOptions(flags),
        signal: this.signal,
        onWarning: (message) => this.warn(message),
        onNotebook: (result) => progress.update(++done, `notebook ${result.notebookId}`),
      });
      progress.stop();
      if (!this.jsonEnabled()) for (const v of validations) this.log(formatValidation(v));
      return { ...summary, validations };
    } finally {
      store.close();
    }
  }
}

export function formatValidation(v: NotebookValidation | { notebookId: number; error: string }): string {
  if ('error' in v) return `  notebook ${v.notebookId}: not validated: ${v.error}`;
  return `  notebook ${v.notebookId} on ${v.kernel}: ${v.passed}/${v.proposals} passed, ${v.failed} failed, ${v.errors} errors, ${v.notRun} not run (run ${v.runStatus}${v.runError ? `: ${v.runError}` : ''})`;
}
