import { Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { describeEnvironment } from '../../environment-flags.js';
import { environmentUsage, listEnvironments, type EnvironmentRecord, type EnvironmentUsage } from '../../environment-store.js';

export interface EnvListItem extends Omit<EnvironmentRecord, 'lock' | 'requested' | 'pythonRule'> {
  usage: EnvironmentUsage;
}

export interface EnvListResult {
  environments: EnvListItem[];
  usage: EnvironmentUsage;
}

export default class EnvList extends MleCommand<typeof EnvList> {
  static override summary = 'List recorded environments: ready, failed (with their failure mode) and removed.';

  static override description = 'Each environment once, with how often it was built and reused. `mle env show ID` gives one in full (lock, rule, request).';

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --status failed --json'];

  static override flags = {
    status: Flags.option({ summary: 'Only environments with this status.', options: ['ready', 'failed', 'removed'] as const })(),
    kind: Flags.option({ summary: 'Only environments of this kind.', options: ['contemporary', 'backport', 'lock'] as const })(),
  };

  async run(): Promise<EnvListResult> {
    // Writable so that a database mined before migration 0004 gets its environment tables rather than an SQL error.
    const store = openStore(this.flags.db);
    try {
      const environments = listEnvironments(store, { ...(this.flags.status ? { status: this.flags.status } : {}), ...(this.flags.kind ? { kind: this.flags.kind } : {}) });
      const items = environments.map(({ lock: _lock, requested: _requested, pythonRule: _rule, ...rest }) => ({ ...rest, usage: environmentUsage(store, rest.id) }));
      const result = { environments: items, usage: environmentUsage(store) };
      if (!this.jsonEnabled()) {
        for (const item of items) this.log(`${describeEnvironment({ ...item, requested: {}, pythonRule: {} })} (built ${item.usage.builds}, reused ${item.usage.reuses})`);
        this.log(`${items.length} environments; ${result.usage.builds} builds, ${result.usage.reuses} reuses, ${result.usage.failures} failures recorded`);
      }
      return result;
    } finally {
      store.close();
    }
  }
}
