import { Args } from '@oclif/core';
import { openStore } from '@mle/core';
import { findEnvironmentKernelSpec } from '@mle/kernel';
import { MleCommand } from '@mle/command';
import { ENVIRONMENT_KERNEL_NAME } from '../../create-environment.js';
import { environmentUsage, getEnvironment, getEnvironmentByKey, type EnvironmentRecord, type EnvironmentUsage } from '../../environment-store.js';

export interface EnvShowResult {
  environment: EnvironmentRecord;
  usage: EnvironmentUsage;
  /** The kernelspec inside the environment directory, when the directory is whole. */
  kernelSpecDir: string | null;
}

export default class EnvShow extends MleCommand<typeof EnvShow> {
  static override summary = 'Show one environment in full: the Python rule, what was requested, pins, lock, failure.';

  static override examples = ['<%= config.bin %> <%= command.id %> 3 --json', '<%= config.bin %> <%= command.id %> py3.10.13-8580877dcd087c79'];

  static override args = {
    id: Args.string({ description: 'environment id or key', required: true }),
  };

  async run(): Promise<EnvShowResult> {
    // Writable so that a database mined before migration 0004 gets its environment tables rather than an SQL error.
    const store = openStore(this.flags.db);
    try {
      const target = this.args.id;
      const environment = /^\d+$/.test(target) ? getEnvironment(store, Number(target)) : getEnvironmentByKey(store, target);
      if (!environment) this.error(`no environment ${target} in ${this.flags.db} (see mle env list)`, { exit: 1 });
      const spec = environment.path ? findEnvironmentKernelSpec(environment.path, ENVIRONMENT_KERNEL_NAME) : null;
      const result = { environment, usage: environmentUsage(store, environment.id), kernelSpecDir: spec?.resourceDir ?? null };
      if (!this.jsonEnabled()) {
        const { lock, ...rest } = environment;
        this.log(JSON.stringify({ ...rest, usage: result.usage, kernelSpecDir: result.kernelSpecDir }, null, 2));
        if (lock) this.log(`\n${lock}`);
      }
      return result;
    } finally {
      store.close();
    }
  }
}
