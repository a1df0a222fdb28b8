import { Args, Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { allNotebookIds, defaultCompetitionsDir, parseBytes, gatewayFlags, toleranceFlag, gatewayTargetFromFlags } from '@mle/runner';
import { backportExperiment, type BackportSummary } from '../backport-experiment.js';
import { EnvironmentBuilder } from '../create-environment.js';
import { buildFlags, environmentOptionsFromFlags } from '../environment-flags.js';

export default class Backport extends MleCommand<typeof Backport> {
  static override summary = 'Run notebooks in Python environments rebuilt as of their date (the backporting experiment).';

  static override description = `For each notebook: choose the Python of its date (the newest minor release before it, minus
one, or the nearest interpreter here), resolve its imports as uploaded before that date with uv
(--exclude-newer), build or reuse that environment, and run the notebook in it exactly as \`mle run\`
does (sandbox, limits, grading). Environments are cached by their pins, so a corpus needs one build
per distinct pin set. A notebook whose environment fails gets an env-failed run naming the failure
mode (no-interpreter, no-wheel, resolution-conflict, distribution-not-found, timeout, disk, ...).

The summary gives the transitions from the baseline experiment (\`mle run --experiment baseline\`).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --all',
    '<%= config.bin %> <%= command.id %> --all --experiment backport-weekly --date-granularity week --jobs 2 --json',
    '<%= config.bin %> <%= command.id %> 4 7 --baseline baseline',
  ];

  static override strict = false;

  static override args = { notebooks: Args.string({ description: 'notebook ids (or --all)' }) };

  static override flags = {
    ...buildFlags,
    all: Flags.boolean({ summary: 'Backport every notebook in the database (of --competition, when given).', default: false }),
    competition: Flags.string({ summary: 'With --all: only notebooks of this competition (repeatable).', multiple: true }),
    experiment: Flags.string({ summary: 'Experiment name the runs are recorded under.', default: 'backport' }),
    baseline: Flags.string({ summary: 'Experiment whose statuses the transitions start from.', default: 'baseline' }),
    jobs: Flags.integer({ char: 'j', summary: 'Notebooks run in parallel (environments are built one at a time).', default: 1, min: 1, max: Math.max(1, availableParallelism() * 4) }),
    timeout: Flags.integer({ summary: "Whole-notebook budget in seconds (default: the competition's runtime budget, else 600).", min: 1 }),
    tolerance: toleranceFlag(),
    sandbox: Flags.boolean({ summary: 'Run kernels under bubblewrap (--no-sandbox to disable).', default: true, allowNo: true }),
    memory: Flags.string({ summary: 'Memory limit per kernel (a memory cgroup; the address space when no cgroup can be made), e.g. 8G.', default: '8G' }),
    competitions: Flags.directory({ summary: 'Directory of competitions; default: the bundled datasets/competitions.' }),
    out: Flags.directory({ summary: 'Where executed notebooks and submissions are written.', default: 'mle-runs' }),
    ...gatewayFlags,
  };

  async run(): Promise<BackportSummary> {
    const { flags } = this;
    if (!flags.all && this.positionals.length === 0) this.error('name notebook ids to backport, or pass --all', { exit: 2 });
    const { tolerance } = flags;
    const gateway = gatewayTargetFromFlags(flags);
    // The dated environments are built here; a gateway has them only as kernelspecs named by {env}.
    if (gateway && !gateway.kernelName?.includes('{env}')) this.warn(`--gateway without {env} in --gateway-kernel: every notebook runs on the gateway's ${gateway.kernelName ?? 'default'} kernelspec, not in the environment of its date`);
    const store = openStore(flags.db);
    try {
      const ids = flags.all ? allNotebookIds(store, flags.competition) : this.positionals.map(Number);
      const progress = this.progress('backporting', ids.length);
      const builder = new EnvironmentBuilder(store, { ...environmentOptionsFromFlags(flags), signal: this.signal });
      const summary = await backportExperiment(store, {
        experiment: flags.experiment,
        baseline: flags.baseline,
        builder,
        notebookIds: ids,
        competitionsDir: flags.competitions ?? defaultCompetitionsDir(),
        outputDir: flags.out,
        jobs: flags.jobs,
        sandbox: flags.sandbox,
        gateway,
        tolerance,
        ...(flags.timeout ? { notebookTimeoutMs: flags.timeout * 1000 } : {}),
        memoryBytes: parseBytes(flags.memory),
        signal: this.signal,
        onProgress: (p) => progress.update(p.done, `notebook ${p.notebookId}: ${p.status}`),
        onWarning: (message) => this.warn(message),
      });
      progress.stop();
      if (!this.jsonEnabled()) {
        const counts = Object.entries(summary.statuses).map(([s, n]) => `${n} ${s}`).join(', ') || 'nothing run';
        this.log(`${summary.experiment}: ${counts}`);
        this.log(`  environments: ${summary.environments.built} built, ${summary.environments.reused} reused, ${summary.environments.failed} failed, ${summary.environments.skipped} not attempted`);
        for (const [transition, n] of Object.entries(summary.transitions)) this.log(`  ${summary.baseline} → ${summary.experiment}: ${transition}  ${n}`);
        if (summary.interrupted) this.log('interrupted: re-run the same command to resume');
      }
      return summary;
    } finally {
      store.close();
    }
  }
}
