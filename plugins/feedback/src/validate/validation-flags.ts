import { Flags } from '@oclif/core';
import { defaultCompetitionsDir, parseBytes } from '@mle/runner';
import type { ValidateNotebooksOptions } from './validate-notebooks.js';

/** The flags of `mle feedback validate` and `mle feedback synthesize --validate`. */
export const validationFlags = {
  env: Flags.string({ summary: "The kernel (`mle run --env`); default: each notebook's dated environment." }),
  jobs: Flags.integer({ char: 'j', summary: 'Notebooks validated at the same time, each on its own kernel.', default: 1, min: 1 }),
  sandbox: Flags.boolean({ summary: 'Run kernels under bubblewrap (--no-sandbox to disable).', default: true, allowNo: true }),
  memory: Flags.string({ summary: 'Memory limit per kernel (a memory cgroup; the address space when no cgroup can be made), e.g. 8G.', default: '8G' }),
  competitions: Flags.directory({ summary: 'Directory of competitions; default: the bundled datasets/competitions.' }),
  out: Flags.directory({ summary: 'Where instrumented, executed notebooks are written.', default: 'mle-runs' }),
};

export function validationOptions(flags: { env?: string | undefined; jobs: number; sandbox: boolean; memory: string; competitions?: string | undefined; out: string }): ValidateNotebooksOptions {
  return {
    ...(flags.env ? { env: flags.env } : {}),
    jobs: flags.jobs,
    competitionsDir: flags.competitions ?? defaultCompetitionsDir(),
    outputDir: flags.out,
    sandbox: flags.sandbox,
    memoryBytes: parseBytes(flags.memory),
  };
}
