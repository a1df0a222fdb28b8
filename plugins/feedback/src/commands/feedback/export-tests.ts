import { Args, Flags } from '@oclif/core';
import { writeFile } from 'node:fs/promises';
import { getNotebook, loadNotebook, openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { assertionsOf } from '../../synthesize/assertion-store.js';
import { exportPytest } from '../../export/export-pytest.js';

export default class FeedbackExportTests extends MleCommand<typeof FeedbackExportTests> {
  static override summary = "Write a notebook's validated assertions as a pytest file that runs the notebook.";

  static override examples = ['<%= config.bin %> <%= command.id %> 12 --out test_notebook_12.py'];

  static override args = { notebook: Args.string({ description: 'notebook id', required: true }) };

  static override flags = {
    out: Flags.file({ summary: 'Where to write the pytest file (default: stdout).' }),
  };

  async run(): Promise<{ notebookId: number; assertions: number; out: string | null }> {
    const { args, flags } = this;
    if (!/^\d+$/.test(args.notebook)) this.error(`${args.notebook} is not a notebook id`, { exit: 2 });
    const store = openStore(flags.db, { readonly: true });
    try {
      const notebookId = Number(args.notebook);
      const notebook = loadNotebook(store, notebookId);
      if (!notebook || !getNotebook(store, notebookId)) this.error(`notebook ${notebookId} is not in ${flags.db}`, { exit: 2 });
      const assertions = assertionsOf(store, notebookId, { validatedOnly: true });
      if (assertions.length === 0) this.error(`notebook ${notebookId} has no validated assertions: run \`mle feedback synthesize ${notebookId} --validate\``, { exit: 1 });
      const text = exportPytest(notebook, `notebook ${notebookId}`, assertions);
      if (flags.out) await writeFile(flags.out, text);
      else if (!this.jsonEnabled()) process.stdout.write(text);
      if (flags.out && !this.jsonEnabled()) this.log(`${assertions.length} assertions → ${flags.out}`);
      return { notebookId, assertions: assertions.length, out: flags.out ?? null };
    } finally {
      store.close();
    }
  }
}
