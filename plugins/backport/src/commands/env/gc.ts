import { Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { defaultEnvDir } from '../../create-environment.js';
import { envDirFlag } from '../../environment-flags.js';
import { gcEnvironments, type GcResult } from '../../gc-environments.js';

export default class EnvGc extends MleCommand<typeof EnvGc> {
  static override summary = 'Remove environment directories that no ready environment of this database uses.';

  static override description = `Removes half-built and failed environment directories, directories no environment of --db points at,
stale build locks, and (with --unused-days) ready environments unused for that long. Run it with the database that
owns the directory: directories made through another database look unreferenced. A removed ready environment is
rebuilt from its recorded lock, without resolving, the next time it is asked for.`;

  static override examples = ['<%= config.bin %> <%= command.id %> --dry-run', '<%= config.bin %> <%= command.id %> --unused-days 30 --json'];

  static override flags = {
    'env-dir': envDirFlag,
    'dry-run': Flags.boolean({ summary: 'List what would be removed; remove nothing.', default: false }),
    'unused-days': Flags.integer({ summary: 'Also remove ready environments not used for this many days.', min: 0 }),
  };

  async run(): Promise<GcResult> {
    const store = openStore(this.flags.db);
    try {
      const result = gcEnvironments(store, {
        envDir: this.flags['env-dir'] ?? defaultEnvDir(),
        dryRun: this.flags['dry-run'],
        ...(this.flags['unused-days'] !== undefined ? { unusedForDays: this.flags['unused-days'] } : {}),
      });
      if (!this.jsonEnabled()) {
        const verb = result.dryRun ? 'would remove' : 'removed';
        for (const entry of result.removed) this.log(`${verb} ${entry.path} (${entry.reason}, ${(entry.bytes / 1024 ** 2).toFixed(1)} MiB)`);
        this.log(`${verb} ${result.removed.length} entries (${(result.bytes / 1024 ** 2).toFixed(1)} MiB) from ${result.envDir}; kept ${result.kept}; ${result.missing.length} recorded environments were already gone`);
      }
      return result;
    } finally {
      store.close();
    }
  }
}
