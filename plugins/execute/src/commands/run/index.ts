import { Args, Flags } from '@oclif/core';
import { availableParallelism } from 'node:os';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { outputsOracle } from '@mle/plugin-feedback';
import { ingestNotebookFile, resolveKernel, allNotebookIds, runExperiment, type RunExperimentSummary, defaultCompetitionsDir, parseBytes, EXPERIMENT_KINDS, gatewayFlags, toleranceFlag, gatewayTargetFromFlags, gatewayKernel } from '@mle/runner';

export default class Run extends MleCommand<typeof Run> {
  static override summary = 'Execute notebooks on real Jupyter kernels, grade their submissions and measure reproducibility.';

  static override description = `Each attempt runs on a fresh kernel, sandboxed with bubblewrap when it is installed (no network,
read-only system, the competition's data read-only at /kaggle/input/<slug>, a private writable
/kaggle/working), with memory, process and time limits. The submission.csv it writes is graded
against the competition's private answers and compared with the notebook's reported score:
reproduced when the relative error is within --tolerance (with --repeats, a one-sample t-test).

Statuses: reproduced, score-mismatch, completed (nothing to compare), error, timeout,
kernel-died, no-submission, grading-error, env-failed. Each attempt is stored with its cells in
runs/run_cells; the executed notebook is written under --out. Interrupted runs resume: attempts
already recorded are skipped.

NOTEBOOK is a notebook id from the database or a path to an .ipynb file (added to the database
and run as a plain notebook runner, like \`jupyter execute\`; graded when its metadata.mle names a
competition).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> analysis.ipynb --env mle-tools',
    '<%= config.bin %> <%= command.id %> --all --experiment baseline --jobs 2',
    '<%= config.bin %> <%= command.id %> 12 13 --env 3 --experiment backport-check --repeats 3 --json',
    '<%= config.bin %> <%= command.id %> --all --competition digits --timeout 300 --no-sandbox',
    '<%= config.bin %> <%= command.id %> --all --jobs 8 --gateway https://gateway.example.org --gateway-kernel mle-python --gateway-data-root /kaggle/input',
  ];

  static override strict = false;

  static override args = {
    notebooks: Args.string({ description: 'notebook ids or .ipynb paths (or --all)' }),
  };

  static override flags = {
    all: Flags.boolean({ summary: 'Run every notebook in the database (of --competition, when given).', default: false }),
    competition: Flags.string({ summary: 'With --all: only notebooks of this competition (repeatable).', multiple: true }),
    env: Flags.string({
      summary: 'Kernel: an `mle env` id, "contemporary" (default: the newest contemporary environment), a venv directory or a kernelspec name.',
    }),
    experiment: Flags.string({ summary: 'Experiment name the runs are recorded under (default: baseline; adhoc for .ipynb paths).' }),
    kind: Flags.option({ options: EXPERIMENT_KINDS, summary: 'Experiment kind (default: baseline; adhoc for .ipynb paths).' })(),
    repeats: Flags.integer({ summary: 'Attempts per notebook; the verdict then uses a one-sample t-test.', default: 1, min: 1 }),
    jobs: Flags.integer({ char: 'j', summary: 'Notebooks run in parallel, each on its own kernel.', default: 1, min: 1, max: Math.max(1, availableParallelism() * 4) }),
    timeout: Flags.integer({ summary: "Whole-notebook budget in seconds (default: the competition's runtime budget, else 600)." , min: 1 }),
    'cell-timeout': Flags.integer({ summary: 'Per-cell limit in seconds (default: none).', min: 1 }),
    tolerance: toleranceFlag(),
    'allow-errors': Flags.boolean({ summary: 'Keep running after a cell raises (the study ran this way); default stops at the first error.', default: false }),
    sandbox: Flags.boolean({ summary: 'Run kernels under bubblewrap (--no-sandbox to disable).', default: true, allowNo: true }),
    memory: Flags.string({ summary: 'Memory limit per kernel (a memory cgroup; the address space when no cgroup can be made), e.g. 8G.', default: '8G' }),
    'max-processes': Flags.integer({ summary: 'Process/thread limit per kernel.', default: 1024, min: 16 }),
    competitions: Flags.directory({ summary: 'Directory of competitions (<dir>/<slug>/competition.json); default: the bundled datasets/competitions.' }),
    out: Flags.directory({ summary: 'Where executed notebooks and submissions are written.', default: 'mle-runs' }),
    oracle: Flags.option({ options: ['outputs'] as const, summary: 'Record the first cell whose outputs diverge from the stored ones (validated assertions, then sanitized text).' })(),
    ...gatewayFlags,
  };

  async run(): Promise<RunExperimentSummary> {
    const { flags } = this;
    const targets = this.positionals;
    if (!flags.all && targets.length === 0) this.error('name notebooks to run (ids or .ipynb paths), or pass --all', { exit: 2 });
    const { tolerance } = flags;
    const gateway = gatewayTargetFromFlags(flags);
    const store = openStore(flags.db);
    try {
      const files = targets.filter((t) => !/^\d+$/.test(t));
      const ids = flags.all ? allNotebookIds(store, flags.competition) : [];
      for (const target of targets) ids.push(/^\d+$/.test(target) ? Number(target) : await ingestNotebookFile(store, target));
      const adhoc = files.length > 0 && !flags.all && files.length === targets.length;
      // On a gateway the kernel is the gateway's unless --env names a local environment (for {env}).
      const kernel = gateway && !flags.env ? gatewayKernel(gateway) : resolveKernel(store, flags.env);
      const progress = this.progress('running', ids.length * (adhoc ? 1 : flags.repeats));
      const summary = await runExperiment(store, {
        experiment: flags.experiment ?? (adhoc ? 'adhoc' : 'baseline'),
        kind: flags.kind ?? (adhoc ? 'adhoc' : 'baseline'),
        kernel,
        notebookIds: [...new Set(ids)],
        competitionsDir: flags.competitions ?? defaultCompetitionsDir(),
        outputDir: flags.out,
        repeats: flags.repeats,
        jobs: flags.jobs,
        sandbox: flags.sandbox,
        gateway,
        allowErrors: flags['allow-errors'],
        tolerance,
        ...(flags['cell-timeout'] ? { cellTimeoutMs: flags['cell-timeout'] * 1000 } : {}),
        ...(flags.timeout ? { notebookTimeoutMs: flags.timeout * 1000 } : {}),
        memoryBytes: parseBytes(flags.memory),
        maxProcesses: flags['max-processes'],
        rerun: adhoc,
        ...(flags.oracle === 'outputs' ? { oracle: outputsOracle } : {}),
        signal: this.signal,
        onProgress: (p) => progress.update(p.done, `notebook ${p.notebookId}: ${p.status}`),
        onWarning: (message) => this.warn(message),
      });
      progress.stop();
      if (!this.jsonEnabled()) this.log(formatSummary(summary));
      if (adhoc && summary.runs.some((run) => run.status !== 'completed' && run.status !== 'reproduced')) process.exitCode = 1;
      return summary;
    } finally {
      store.close();
    }
  }
}

function formatSummary(summary: RunExperimentSummary): string {
  const lines = summary.runs.map((run) => {
    const score = run.score === null ? '' : ` score ${run.score.toPrecision(6)}${run.reportedScore === null ? '' : ` (reported ${run.reportedScore}, rel. error ${(run.relativeError! * 100).toFixed(1)}%)`}`;
    const error = run.errorName ? ` ${run.errorName} in cell ${run.failingCell ?? '?'}` : '';
    const divergence = run.divergence === undefined ? '' : `\n    oracle: ${run.divergence ?? 'outputs match the stored ones'}`;
    return `  notebook ${run.notebookId} #${run.attempt}: ${run.status}${score}${error} → ${run.outputPath ?? ''}${divergence}`;
  });
  const counts = Object.entries(summary.statuses).map(([status, n]) => `${n} ${status}`).join(', ') || 'nothing run';
  lines.unshift(`${summary.experiment} on ${summary.kernel}: ${counts}${summary.alreadyRun > 0 ? ` (${summary.alreadyRun} attempts already recorded)` : ''}`);
  if (summary.judged > 0) lines.push(`  reproducible: ${summary.reproducible} of ${summary.judged} notebooks with a reported score`);
  if (summary.interrupted) lines.push('interrupted: re-run the same command to resume');
  return lines.join('\n');
}
