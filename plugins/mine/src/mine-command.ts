import type { Command } from '@oclif/core';
import { openStore, type NotebookSource } from '@mle/core';
import { MleCommand } from '@mle/command';
import { mineCorpus, type MineOptions, type MineSummary } from './mine-corpus.js';
import { formatMineSummary } from './mine-flags.js';

/** Base of the `mle mine` commands: each builds its sources, then mines them the same way. */
export abstract class MineCommand<T extends typeof Command> extends MleCommand<T> {
  /**
   * Mine `sources` into `--db` with a progress bar, print the summary (plus `details()`, when
   * given, for source-specific lines) unless --json, and close the database whatever happens.
   */
  protected async mine(sources: NotebookSource[], options: MineOptions, details?: () => string): Promise<MineSummary> {
    const { db } = this.flags;
    const store = openStore(db);
    const progress = this.progress('mining');
    try {
      const summary = await mineCorpus(store, sources, {
        ...options,
        signal: this.signal,
        onProgress: (p) => progress.update(p.seen, `${p.stored} stored`),
      });
      progress.stop();
      if (!this.jsonEnabled()) this.log(details ? `${formatMineSummary(summary, db)}\n${details()}` : formatMineSummary(summary, db));
      return summary;
    } finally {
      progress.stop();
      store.close();
    }
  }
}
