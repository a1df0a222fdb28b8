import { availableParallelism } from 'node:os';
import { Args, Flags } from '@oclif/core';
import { openStore } from '@mle/core';
import { MleCommand } from '@mle/command';
import { outputsLocalizer } from '@mle/plugin-feedback';
import { allNotebookIds, defaultCompetitionsDir, ingestNotebookFile, parseBytes, resolveKernel, gatewayFlags, toleranceFlag, gatewayTargetFromFlags, gatewayKernel, onGateway } from '@mle/runner';
import { collectFixTypes, FIX_TYPES_HOOK } from '../../installed-fix-types.js';
import { DEFAULT_PRICES, loadPriceTable } from '../../llm-prices.js';
import { formatModernizeSummary } from '../../format-modernize-summary.js';
import { modernizeExperiment, type ModernizeSummary } from '../../modernize-experiment.js';
import { chatClientFromEnvironment } from '../../openai-chat-client.js';

export default class Modernize extends MleCommand<typeof Modernize> {
  static override summary = 'Repair notebooks that no longer reproduce: rule fix types first, the fix cache second, an LLM last.';

  static override description = `For each notebook: run it on a fresh kernel (or reuse its run in --baseline); while it does not
reproduce, dispatch on the outcome (timeout → runtime reduction, a cell error → error repair of the
first failing cell, a score off or no submission → score calibration), take one fix from the first
source that has one — rule fix types (safe ones; --unsafe for more; display-only rules are recorded
as hints), then fix cache entries learned on earlier notebooks with the same error signature, then
the LLM — apply it, and run again. A fix is kept if the run got better and no cell that passed
before now fails; otherwise it is rolled back. When the first error has a catalogued signature,
every safe rule fix in the notebook is applied in one step first (--rule-policy fix-all).

Stops when the notebook reproduces, after --max-fixes fixes, when --llm-budget (USD per notebook)
is spent, or when no source has a fix left. Every run, fix and LLM call is recorded; the best
version is written to <out>/<experiment>/<id>/modernized.ipynb with its structural diff
(modernized.diff.json and .txt) beside it. Re-running the same command resumes: finished notebooks
are skipped, interrupted ones restart from the original.

The LLM is any OpenAI-compatible endpoint: OPENAI_API_KEY, OPENAI_BASE_URL, --model. Without a key
the LLM step is skipped and recorded as such; --no-llm turns it off.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --all --experiment modernize --env contemporary',
    '<%= config.bin %> <%= command.id %> 12 13 --experiment mod-rules --no-llm --json',
    'OPENAI_API_KEY=... <%= config.bin %> <%= command.id %> --all --experiment mod-llm --model gpt-5.2 --llm-budget 0.5 --baseline baseline',
    '<%= config.bin %> <%= command.id %> old.ipynb --env mle-tools --experiment try --granularity notebook',
  ];

  static override strict = false;

  static override args = {
    notebooks: Args.string({ description: 'notebook ids or .ipynb paths (or --all)' }),
  };

  static override flags = {
    all: Flags.boolean({ summary: 'Modernize every notebook in the database (of --competition, when given).', default: false }),
    competition: Flags.string({ summary: 'With --all: only notebooks of this competition (repeatable).', multiple: true }),
    experiment: Flags.string({ summary: 'Experiment name the loops and runs are recorded under.', default: 'modernize' }),
    env: Flags.string({ summary: 'Kernel: an `mle env` id, "contemporary" (default), a venv directory or a kernelspec name.' }),
    baseline: Flags.string({ summary: "Reuse each notebook's latest run in this experiment as its initial run." }),
    'max-fixes': Flags.integer({ summary: 'Fixes (each followed by a run) per notebook before giving up.', default: 16, min: 1 }),
    unsafe: Flags.boolean({ summary: 'Also apply unsafe rule fixes (valid code whose intent may differ).', default: false }),
    'rule-policy': Flags.option({ options: ['fix-all', 'one-per-run'] as const, summary: 'fix-all: all safe rule fixes in one step on a catalogued error; one-per-run: one rule fix per run.', default: 'fix-all' as const })(),
    oracle: Flags.option({ options: ['outputs'] as const, summary: "Tell the LLM where a run's outputs first diverge from those the notebook stored (validated assertions from `mle feedback synthesize`, then sanitized text) when it calibrates a score." })(),
    llm: Flags.boolean({ summary: 'Ask the LLM when rules and the cache have nothing (--no-llm to turn it off).', default: true, allowNo: true }),
    model: Flags.string({ summary: 'Chat model of the OpenAI-compatible endpoint.', default: 'gpt-5.2', env: 'MLE_LLM_MODEL' }),
    granularity: Flags.option({ options: ['cell', 'notebook'] as const, summary: 'LLM prompt: the failing cell with the cells it depends on, or the whole notebook.', default: 'cell' as const })(),
    'llm-budget': Flags.string({ summary: 'USD the LLM may spend per notebook (default: no limit).' }),
    prices: Flags.file({ summary: 'JSON price table {model: {input, cachedInput, output}} in USD per 1M tokens, over the defaults (the study\'s prices).', exists: true }),
    jobs: Flags.integer({ char: 'j', summary: 'Notebooks repaired in parallel, each on its own kernels.', default: 1, min: 1, max: Math.max(1, availableParallelism() * 4) }),
    timeout: Flags.integer({ summary: "Whole-notebook budget in seconds (default: the competition's runtime budget, else 600).", min: 1 }),
    'cell-timeout': Flags.integer({ summary: 'Per-cell limit in seconds (default: none).', min: 1 }),
    tolerance: toleranceFlag(),
    sandbox: Flags.boolean({ summary: 'Run kernels under bubblewrap (--no-sandbox to disable).', default: true, allowNo: true }),
    memory: Flags.string({ summary: 'Memory limit per kernel (a memory cgroup; the address space when no cgroup can be made), e.g. 8G.', default: '8G' }),
    'max-processes': Flags.integer({ summary: 'Process/thread limit per kernel.', default: 1024, min: 16 }),
    competitions: Flags.directory({ summary: 'Directory of competitions (<dir>/<slug>/competition.json); default: the bundled datasets/competitions.' }),
    out: Flags.directory({ summary: 'Where attempts and modernized notebooks are written.', default: 'mle-runs' }),
    ...gatewayFlags,
  };

  async run(): Promise<ModernizeSummary> {
    const { flags } = this;
    const targets = this.positionals;
    if (!flags.all && targets.length === 0) this.error('name notebooks to modernize (ids or .ipynb paths), or pass --all', { exit: 2 });
    const { tolerance } = flags;
    const budget = flags['llm-budget'] === undefined ? null : Number(flags['llm-budget']);
    if (budget !== null && !(Number.isFinite(budget) && budget >= 0)) this.error(`--llm-budget ${flags['llm-budget']} is not a non-negative number of USD`, { exit: 2 });
    const prices = flags.prices ? await loadPriceTable(flags.prices) : DEFAULT_PRICES;
    const hook = await this.config.runHook(FIX_TYPES_HOOK, {}, undefined, true);
    const installed = collectFixTypes(hook.successes.map((success) => ({ source: success.plugin.name, result: success.result as unknown })));
    for (const failure of hook.failures) this.warn(`${failure.plugin.name}: the ${FIX_TYPES_HOOK} hook failed: ${failure.error.message}`);
    for (const problem of installed.problems) this.warn(problem);

    const gateway = gatewayTargetFromFlags(flags);
    const store = openStore(flags.db);
    try {
      const ids = flags.all ? allNotebookIds(store, flags.competition) : [];
      for (const target of targets) ids.push(/^\d+$/.test(target) ? Number(target) : await ingestNotebookFile(store, target));
      // On a gateway, --env (when given) names the local environment whose versions the rules consult.
      const kernel = !gateway ? resolveKernel(store, flags.env) : flags.env ? onGateway(resolveKernel(store, flags.env), gateway) : gatewayKernel(gateway);
      const client = flags.llm ? chatClientFromEnvironment() : null;
      if (flags.llm && !client && !this.jsonEnabled()) this.warn('OPENAI_API_KEY is not set: LLM steps are skipped (and recorded as skipped)');
      const progress = this.progress('modernizing', new Set(ids).size);
      const summary = await modernizeExperiment(store, {
        experiment: flags.experiment,
        kernel,
        notebookIds: ids,
        competitionsDir: flags.competitions ?? defaultCompetitionsDir(),
        outputDir: flags.out,
        jobs: flags.jobs,
        maxFixes: flags['max-fixes'],
        unsafe: flags.unsafe,
        rulePolicy: flags['rule-policy'],
        granularity: flags.granularity,
        baseline: flags.baseline ?? null,
        tolerance,
        sandbox: flags.sandbox,
        cellTimeoutMs: flags['cell-timeout'] ? flags['cell-timeout'] * 1000 : null,
        notebookTimeoutMs: flags.timeout ? flags.timeout * 1000 : null,
        memoryBytes: parseBytes(flags.memory),
        maxProcesses: flags['max-processes'],
        fixTypes: installed.fixTypes.map((f) => f.fixType),
        llm: { enabled: flags.llm, client, model: flags.model, prices, budgetUsd: budget },
        ...(flags.oracle === 'outputs' ? { localize: outputsLocalizer } : {}),
        signal: this.signal,
        onNotebook: (result, done) => progress.update(done, `notebook ${result.notebookId}: ${result.status}`),
        onWarning: (message) => this.warn(message),
      });
      progress.stop();
      if (!this.jsonEnabled()) this.log(formatModernizeSummary(summary));
      return summary;
    } finally {
      store.close();
    }
  }
}
