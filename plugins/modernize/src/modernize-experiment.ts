import { join, resolve } from 'node:path';
import { finishExperiment, ensureExperiment, loadAnswers, loadCompetition, readCsvHeader, recordCompetition, type ResolvedKernel } from '@mle/runner';
import { prepare, type FixType, type Store, type WritableStore } from '@mle/core';
import type { ChatClient } from './chat-client.js';
import { environmentFacts } from './environment-facts.js';
import { FixCache } from './fix-cache.js';
import { builtinFixTypes } from './fix-types/builtin-fix-types.js';
import { LlmFixer, type LlmFixerOptions } from './llm-fixer.js';
import type { PriceTable } from './llm-prices.js';
import { DEFAULT_LOOP_OPTIONS, modernizeNotebook, type LoadedCompetition, type Localizer, type LoopEvent, type LoopOptions, type NotebookModernization } from './modernize-notebook.js';
import { getModernization, MODERNIZATION_STATUSES, type FixSource, type ModernizationRow, type ModernizationStatus } from './modernize-store.js';
import { sharedPythonParser } from './python-parser.js';

export interface ModernizeLlmOptions extends Pick<LlmFixerOptions, 'maxOutputTokens' | 'timeoutMs' | 'maxAttempts' | 'retryBaseMs' | 'retryMaxMs' | 'maxPromptChars' | 'sleep'> {
  /** False with `--no-llm`: the loop stops where rules and the cache stop. */
  enabled: boolean;
  /** Null without OPENAI_API_KEY: LLM steps are recorded as skipped. */
  client: ChatClient | null;
  model: string;
  prices?: PriceTable;
  /** USD per notebook; null = no limit. */
  budgetUsd?: number | null;
}

export interface ModernizeExperimentOptions extends Partial<Omit<LoopOptions, 'safety'>> {
  experiment: string;
  kernel: ResolvedKernel;
  notebookIds: number[];
  competitionsDir: string;
  /** Files go to `<outputDir>/<experiment>/<notebook id>/`. */
  outputDir: string;
  jobs?: number;
  /** Apply unsafe rule fixes too (`--unsafe`). */
  unsafe?: boolean;
  llm: ModernizeLlmOptions;
  /** Default: the built-in catalogue (the command adds plugin fix types from the mle:fix-types hook). */
  fixTypes?: readonly FixType[];
  /** Where a run's outputs first depart from the stored ones (`--oracle outputs`): shown to the LLM for score calibration. */
  localize?: Localizer;
  signal?: AbortSignal;
  onStep?: (event: LoopEvent) => void;
  onNotebook?: (result: NotebookModernization, done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

/** Per source: fixes kept (improved or rescued) and fixes run (any outcome but not-applied). */
export interface SourceCounts {
  rule: number;
  cache: number;
  llm: number;
}

export interface ModernizeSummary {
  experiment: string;
  experimentId: number;
  kernel: string;
  notebooks: NotebookModernization[];
  statuses: Record<ModernizationStatus, number>;
  /**
   * Notebooks with a reported score whose loop started from a run that did not reproduce it: the
   * rescue rate's denominator, as in the study (which only counts notebooks with a leaderboard score).
   */
  nonReproducible: number;
  /** Of those, the ones whose best run reproduces the reported score. */
  rescued: number;
  /** Notebooks without a reported score that the loop made run to the end (`completed`): not in the rate. */
  runAgainWithoutScore: number;
  /** rescued / nonReproducible; null when there were none. */
  rescueRate: number | null;
  /** Fixes that ran (each cost a run), in the rescued notebooks, per rescued notebook. */
  fixesPerRescued: number | null;
  /** The same, by source. */
  fixesPerRescuedBySource: SourceCounts | null;
  /** Fixes kept in the rescued notebooks, per rescued notebook. */
  keptFixesPerRescued: number | null;
  /** Runs (initial included) per rescued notebook. */
  runsPerRescued: number | null;
  llmCalls: number;
  llmCallsPerRescued: number | null;
  /** LLM calls by status over all notebooks. */
  llmCallStatuses: Record<string, number>;
  costUsd: number;
  costPerNotebook: number | null;
  /** Fix cache entries used (hits) and the kept ones among them, over these notebooks. */
  cacheHits: number;
  cacheSuccesses: number;
  /** Notebooks done in an earlier run of the command. */
  alreadyDone: number;
  interrupted: boolean;
}

/** A small promise pool: at most `jobs` loops in flight; stops taking new work once aborted. */
async function pool<T>(items: readonly T[], jobs: number, signal: AbortSignal | undefined, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
}

/**
 * Modernize notebooks as one `modernize` experiment: a loop per notebook (`modernizeNotebook`),
 * `jobs` of them at a time, sharing the fix cache, the environment facts and the competitions.
 * Re-running the same command resumes it: finished loops are skipped, interrupted ones restart.
 * Returns the summary over the given notebooks, earlier runs of the command included.
 */
export async function modernizeExperiment(store: WritableStore, options: ModernizeExperimentOptions): Promise<ModernizeSummary> {
  const loopKeys = new Set<string>([...Object.keys(DEFAULT_LOOP_OPTIONS), 'memoryBytes', 'maxProcesses']);
  const loop: LoopOptions = {
    ...DEFAULT_LOOP_OPTIONS,
    ...Object.fromEntries(Object.entries(options).filter(([key, value]) => loopKeys.has(key) && value !== undefined)),
    safety: options.unsafe ? 'unsafe' : 'safe',
  };
  const experiment = ensureExperiment(store, {
    name: options.experiment,
    kind: 'modernize',
    config: {
      kernel: options.kernel.label,
      tolerance: loop.tolerance,
      sandbox: loop.sandbox,
      maxFixes: loop.maxFixes,
      safety: loop.safety,
      rulePolicy: loop.rulePolicy,
      granularity: loop.granularity,
      baseline: loop.baseline,
      cellTimeoutMs: loop.cellTimeoutMs,
      notebookTimeoutMs: loop.notebookTimeoutMs,
      memoryBytes: loop.memoryBytes ?? null,
      maxProcesses: loop.maxProcesses ?? null,
      llm: options.llm.enabled ? { model: options.llm.model, budgetUsd: options.llm.budgetUsd ?? null } : null,
    },
  });
  const parser = await sharedPythonParser();
  const environment = await environmentFacts(store, options.kernel);
  const competitions = new Map<string, Promise<LoadedCompetition | null>>();
  const competitionFor = (slug: string | null): Promise<LoadedCompetition | null> => {
    if (!slug) return Promise.resolve(null);
    let loaded = competitions.get(slug);
    if (!loaded) {
      loaded = loadForPrompt(store, options.competitionsDir, slug).catch((error: Error) => {
        options.onWarning?.(`competition ${slug}: ${error.message}; its notebooks run ungraded`);
        return null;
      });
      competitions.set(slug, loaded);
    }
    return loaded;
  };
  const llmOptions: LlmFixerOptions = {
    client: options.llm.client,
    model: options.llm.model,
    ...(options.llm.prices ? { prices: options.llm.prices } : {}),
    budgetUsd: options.llm.budgetUsd ?? null,
    ...Object.fromEntries(
      (['maxOutputTokens', 'timeoutMs', 'maxAttempts', 'retryBaseMs', 'retryMaxMs', 'maxPromptChars', 'sleep'] as const).filter((key) => options.llm[key] !== undefined).map((key) => [key, options.llm[key]]),
    ),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const context = {
    store,
    experimentId: experiment.id,
    kernel: options.kernel,
    environment,
    fixTypes: options.fixTypes ?? builtinFixTypes,
    cache: new FixCache(store, parser),
    llm: options.llm.enabled ? new LlmFixer(store, parser, llmOptions) : null,
    parser,
    outputDir: join(resolve(options.outputDir), options.experiment),
    competitionFor,
    options: loop,
    ...(options.localize ? { localize: options.localize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
  const ids = [...new Set(options.notebookIds)];
  const results = new Map<number, NotebookModernization>();
  let done = 0;
  await pool(ids, options.jobs ?? 1, options.signal, async (notebookId) => {
    let result: NotebookModernization;
    try {
      result = await modernizeNotebook(context, notebookId);
    } catch (error) {
      // The loop's row already says why (status failed, unfinished: a resumed run retries it); one
      // notebook's failure (a kernel that would not start) must not stop the others.
      const row = getModernization(store, experiment.id, notebookId);
      options.onWarning?.(`notebook ${notebookId}: ${error instanceof Error ? error.message : String(error)}`);
      if (!row) throw error;
      result = failedSummary(row);
    }
    results.set(notebookId, result);
    done++;
    options.onNotebook?.(result, done, ids.length);
  });
  const interrupted = Boolean(options.signal?.aborted) && (results.size < ids.length || [...results.values()].some((r) => r.interrupted));
  // Finished only when every loop is (a loop that failed unexpectedly is retried on resume).
  const unfinished = ids.some((id) => !getModernization(store, experiment.id, id)?.finished_at);
  if (!interrupted && !unfinished) finishExperiment(store, experiment.id);
  const notebooks = ids.map((id) => results.get(id)).filter((r): r is NotebookModernization => r !== undefined);
  return {
    ...summarizeModernizations(store, experiment.id, ids),
    experiment: options.experiment,
    kernel: options.kernel.label,
    notebooks,
    alreadyDone: notebooks.filter((n) => n.alreadyDone).length,
    interrupted,
  };
}

function failedSummary(row: ModernizationRow): NotebookModernization {
  return {
    notebookId: row.notebook_id,
    modernizationId: row.id,
    status: row.status,
    alreadyDone: false,
    interrupted: false,
    initialStatus: row.initial_status,
    finalStatus: row.final_status,
    fixesApplied: row.fixes_applied,
    fixesRolledBack: row.fixes_rolled_back,
    llmCalls: row.llm_calls,
    costUsd: row.cost_usd,
    outputPath: null,
    diffPath: null,
    reason: row.reason,
  };
}

/** Load a competition for grading and for the prompt (data files with their header columns). */
async function loadForPrompt(store: WritableStore, competitionsDir: string, slug: string): Promise<LoadedCompetition> {
  const competition = await loadCompetition(join(competitionsDir, slug));
  recordCompetition(store, competition);
  const answers = await loadAnswers(competition);
  const dataFiles: { path: string; columns: string[] }[] = [];
  for (const file of competition.dataFiles) {
    const columns = file.endsWith('.csv') ? await readCsvHeader(join(competition.dataDir, file)).catch(() => []) : [];
    dataFiles.push({ path: `/kaggle/input/${competition.slug}/${file}`, columns });
  }
  const description = competition.description.length > 1500 ? `${competition.description.slice(0, 1500)}...` : competition.description;
  return {
    competition,
    answers,
    prompt: {
      title: competition.title,
      description,
      metric: competition.metric,
      higherIsBetter: competition.higherIsBetter,
      submissionColumns: [competition.idColumn, ...competition.submissionColumns],
      dataFiles,
    },
  };
}

const per = (value: number, count: number) => (count > 0 ? value / count : null);

/**
 * The experiment's numbers from the database (so a resumed run reports all of it): statuses,
 * rescue rate over notebooks that started non-reproducible, fixes per rescued notebook (all fixes
 * run, by source; and those kept), runs, LLM calls and cost. Restricted to `notebookIds` when given.
 */
export function summarizeModernizations(store: Store, experimentId: number, notebookIds?: readonly number[]): Omit<ModernizeSummary, 'experiment' | 'kernel' | 'notebooks' | 'interrupted'> {
  const ids = notebookIds ? new Set(notebookIds) : null;
  const rows = prepare<[number], { id: number; notebook_id: number; status: ModernizationStatus; final_status: string | null; finished_at: string | null; llm_calls: number; cost_usd: number; initial_run_id: number | null; reported_score: number | null }>(
    store.db,
    `SELECT m.id, m.notebook_id, m.status, m.final_status, m.finished_at, m.llm_calls, m.cost_usd, m.initial_run_id, r.reported_score
     FROM modernizations m LEFT JOIN runs r ON r.id = m.initial_run_id WHERE m.experiment_id = ? ORDER BY m.notebook_id`,
  )
    .all(experimentId)
    .filter((row) => !ids || ids.has(row.notebook_id));
  const loopIds = new Set(rows.map((row) => row.id));
  const statuses = Object.fromEntries(MODERNIZATION_STATUSES.map((status) => [status, 0])) as Record<ModernizationStatus, number>;
  for (const row of rows) statuses[row.status]++;
  const candidates = rows.filter((row) => row.finished_at !== null && row.status !== 'already-reproducible' && row.status !== 'failed');
  // The loop's goal for a notebook without a reported score is a clean run; that is no evidence
  // that a score reproduces, so such notebooks stay out of the rescue rate.
  const scored = candidates.filter((row) => row.reported_score !== null);
  const rescuedRows = scored.filter((row) => row.status === 'rescued' && row.final_status === 'reproduced');
  const rescuedIds = rescuedRows.map((row) => row.id);
  const nonReproducible = scored.length;
  const runAgainWithoutScore = candidates.filter((row) => row.reported_score === null && row.status === 'rescued').length;
  const fixes = prepare<[number], { modernization_id: number; source: FixSource; outcome: string; cache_entry_id: number | null }>(
    store.db,
    "SELECT f.modernization_id, f.source, f.outcome, f.cache_entry_id FROM fixes f JOIN modernizations m ON m.id = f.modernization_id WHERE m.experiment_id = ? AND f.outcome <> 'not-applied'",
  )
    .all(experimentId)
    .filter((fix) => loopIds.has(fix.modernization_id));
  const rescuedLoops = new Set(rescuedIds);
  const inRescued = fixes.filter((fix) => rescuedLoops.has(fix.modernization_id));
  const bySource: SourceCounts = { rule: 0, cache: 0, llm: 0 };
  for (const fix of inRescued) bySource[fix.source]++;
  const runs = prepare<[number], { notebook_id: number; n: number }>(store.db, 'SELECT notebook_id, COUNT(*) AS n FROM runs WHERE experiment_id = ? GROUP BY notebook_id').all(experimentId);
  const rescuedNotebooks = new Set(rescuedRows.map((row) => row.notebook_id));
  const runsInRescued = runs.filter((r) => rescuedNotebooks.has(r.notebook_id)).reduce((sum, r) => sum + r.n, 0);
  const calls = prepare<[number], { modernization_id: number; status: string }>(
    store.db,
    'SELECT c.modernization_id, c.status FROM llm_calls c JOIN modernizations m ON m.id = c.modernization_id WHERE m.experiment_id = ?',
  )
    .all(experimentId)
    .filter((call) => loopIds.has(call.modernization_id));
  const llmCallStatuses: Record<string, number> = {};
  for (const call of calls) llmCallStatuses[call.status] = (llmCallStatuses[call.status] ?? 0) + 1;
  const llmCalls = rows.reduce((sum, row) => sum + row.llm_calls, 0);
  const llmCallsInRescued = rescuedRows.reduce((sum, row) => sum + row.llm_calls, 0);
  const costUsd = rows.reduce((sum, row) => sum + row.cost_usd, 0);
  const rescued = rescuedIds.length;
  return {
    experimentId,
    statuses,
    nonReproducible,
    rescued,
    runAgainWithoutScore,
    rescueRate: per(rescued, nonReproducible),
    fixesPerRescued: per(inRescued.length, rescued),
    fixesPerRescuedBySource: rescued > 0 ? { rule: bySource.rule / rescued, cache: bySource.cache / rescued, llm: bySource.llm / rescued } : null,
    keptFixesPerRescued: per(inRescued.filter((fix) => fix.outcome === 'rescued' || fix.outcome === 'improved').length, rescued),
    runsPerRescued: per(runsInRescued, rescued),
    llmCalls,
    llmCallsPerRescued: per(llmCallsInRescued, rescued),
    llmCallStatuses,
    costUsd,
    costPerNotebook: per(costUsd, rows.length),
    cacheHits: fixes.filter((fix) => fix.source === 'cache').length,
    cacheSuccesses: fixes.filter((fix) => fix.source === 'cache' && (fix.outcome === 'rescued' || fix.outcome === 'improved')).length,
    alreadyDone: 0,
  };
}


