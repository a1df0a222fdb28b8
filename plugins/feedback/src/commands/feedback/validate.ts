import { Args, Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { synthesizedNotebooks } from '../../synthesize/assertion-store.js';
import { validateNotebooks } from '../../validate/validate-notebooks.js';
import { validationFlags, validationOptions } from '../../validate/validation-flags.js';
import type { NotebookValidation } from '../../validate/validate-assertions.js';
import { formatValidation } from './synthesize.js';

export default class FeedbackValidate extends MleCommand<typeof FeedbackValidate> {
  static override summary = 'Run notebooks with their synthesized assertions inserted and keep those that pass.';

  static override description = `Each notebook runs once (every cell, errors allowed) in its dated environment — built or reused like \`mle backport\` does — or in --env, with each proposed assertion inserted right after its statement and guarded so a failure is reported, not raised. Every outcome (pass, fail, error, not-run) is stored; only passing assertions are used by the oracle and by \`mle feedback export-tests\`.`;

  static override examples = ['<%= config.bin %> <%= command.id %> --all', '<%= config.bin %> <%= command.id %> 12 --env 3'];

  static override strict = false;

  static override args = { notebooks: Args.string({ description: 'notebook ids (or --all: every synthesized notebook)' }) };

  static override flags = {
    all: Flags.boolean({ summary: 'Every notebook with synthesized assertions.', default: false }),
    ...validationFlags,
  };

  async run(): Promise<(NotebookValidation | { notebookId: number; error: string })[]> {
    const { flags } = this;
    if (!flags.all && this.positionals.length === 0) this.error('name notebook ids, or pass --all', { exit: 2 });
    const bad = this.positionals.find((t) => !/^\d+$/.test(t));
    if (bad) this.error(`${bad} is not a notebook id (run \`mle feedback synthesize ${bad}\` first)`, { exit: 2 });
    const store = openStore(flags.db);
    try {
      const ids = flags.all ? synthesizedNotebooks(store) : this.positionals.map(Number);
      const progress = this.progress('validating', ids.length);
      let done = 0;
      const results = await validateNotebooks(store, ids, {
        ...validationOptions(flags),
        signal: this.signal,
        onWarning: (message) => this.warn(message),
        onNotebook: (result) => progress.update(++done, `notebook ${result.notebookId}`),
      });
      progress.stop();
      if (!this.jsonEnabled()) for (const r of results) this.log(formatValidation(r));
      return results;
    } finally {
      store.close();
    }
  }
}
