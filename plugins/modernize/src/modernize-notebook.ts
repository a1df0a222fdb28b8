import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  diffNotebookCells,
  formatNotebookStructuralDiff,
  getNotebook,
  loadNotebook,
  prepare,
  readNotebook,
  writeNotebook,
  type CellEdit,
  type FailureKind,
  type FixEnvironment,
  type FixKind,
  type FixSafety,
  type FixType,
  type NormalizedNotebook,
  type PythonParser,
  type WritableStore,
} from '@mle/core';
import { getRun, getRunCells, recordRun, runAttempt, type AnswersTable, type Competition, type ResolvedKernel, type RunRow } from '@mle/runner';
import { applyEdits } from './apply-edits.js';
import { editedPositions, identityOrigins, originsAfter, type CellOrigins } from './cell-origins.js';
import { matchesErrorSignature } from './error-signature.js';
import { createFailure } from './failure-context.js';
import { fixAll, type AppliedFix } from './fix-all.js';
import type { FixCache } from './fix-cache.js';
import { notebookVariableNames } from './fix-pattern.js';
import { leastSafe } from './fix-safety.js';
import type { LlmFixer } from './llm-fixer.js';
import type { PromptCompetition, PromptHistoryEntry } from './llm-prompt.js';
import {
  finishModernization,
  getModernizationById,
  linkLlmCall,
  markLoopFailed,
  recordFix,
  setBestRun,
  setInitialRun,
  startModernization,
  type AppliedRule,
  type FixOutcome,
  type FixSource,
  type Granularity,
  type ModernizationRow,
  type ModernizationStatus,
} from './modernize-store.js';
import { normalizeErrorSignature } from './normalize-error.js';
import { proposeFixes } from './propose-fixes.js';
import { compareProgress, describeRun, dispatchKind, findRegression, isGoal, observedRun, runProgress, type ObservedRun } from './run-progress.js';

/**
 * How rule fixes are applied. `fix-all` (the default, chosen by the benchmark): when the first
 * error has a catalogued signature, every safe rule fix in the notebook is applied in one step
 * (like `eslint --fix`) before the next run, then single proposals follow; `one-per-run`: one
 * proposal for the current error per run, as the study's loop did with its LLM.
 */
export type RulePolicy = 'fix-all' | 'one-per-run';

export interface LoopOptions {
  /** Fixes applied (each costs a run) before the loop gives up. */
  maxFixes: number;
  /** `safe` (default) or `unsafe` (`--unsafe`): which rule fixes may be applied. */
  safety: Exclude<FixSafety, 'display-only'>;
  rulePolicy: RulePolicy;
  granularity: Granularity;
  /** Reuse the notebook's latest run in this experiment as the initial run (instead of running it). */
  baseline: string | null;
  tolerance: number;
  sandbox: boolean;
  cellTimeoutMs: number | null;
  /** Null: the competition's runtime budget, else 600 s. */
  notebookTimeoutMs: number | null;
  memoryBytes?: number;
  maxProcesses?: number;
  /** Consecutive LLM requests that gave no usable fix (errors, invalid answers) before the loop stops. */
  maxLlmFailures: number;
  /** Cache entries tried per error signature in one loop. */
  maxCacheTries: number;
}

export const DEFAULT_LOOP_OPTIONS: Readonly<LoopOptions> = Object.freeze({
  maxFixes: 16,
  safety: 'safe',
  rulePolicy: 'fix-all',
  granularity: 'cell',
  baseline: null,
  tolerance: 0.1,
  sandbox: true,
  cellTimeoutMs: null,
  notebookTimeoutMs: null,
  maxLlmFailures: 3,
  maxCacheTries: 3,
});

/** A competition loaded for grading, with the facts the prompt shows. */
export interface LoadedCompetition {
  competition: Competition;
  answers: AnswersTable;
  prompt: PromptCompetition;
}

/** Everything one loop needs; shared by the loops of one experiment. */
export interface ModernizeContext {
  store: WritableStore;
  experimentId: number;
  kernel: ResolvedKernel;
  environment: FixEnvironment;
  fixTypes: readonly FixType[];
  cache: FixCache;
  /** Null with `--no-llm`. */
  llm: LlmFixer | null;
  parser: PythonParser;
  /** Files go to `<outputDir>/<notebook id>/` (attempts, modernized.ipynb and its diff). */
  outputDir: string;
  competitionFor(slug: string | null): Promise<LoadedCompetition | null>;
  /** Where a run's outputs first depart from those the notebook stored (the outputs oracle); guides score calibration. */
  localize?: Localizer;
  options: LoopOptions;
  signal?: AbortSignal;
  onStep?: (event: LoopEvent) => void;
  onWarning?: (message: string) => void;
}

/** The first cell whose outputs differ from the stored ones, in words ("diverges first at cell 14: ..."). */
export interface FirstDivergence {
  cell: number;
  message: string;
}

export type Localizer = (input: { store: WritableStore; notebookId: number; executed: NormalizedNotebook }) => FirstDivergence | null;

export interface LoopEvent {
  notebookId: number;
  step: number;
  message: string;
}

export interface NotebookModernization {
  notebookId: number;
  modernizationId: number;
  status: ModernizationStatus;
  /** True when the loop had finished in an earlier run of the command (nothing was done now). */
  alreadyDone: boolean;
  interrupted: boolean;
  initialStatus: string | null;
  finalStatus: string | null;
  fixesApplied: number;
  fixesRolledBack: number;
  llmCalls: number;
  costUsd: number;
  outputPath: string | null;
  diffPath: string | null;
  reason: string | null;
}

/** A run could not start its kernel: not the fix's doing, so the loop stops and is retried on resume. */
export class KernelStartError extends Error {
  override name = 'KernelStartError';
}

/** A candidate fix, from whichever source. */
interface Candidate {
  source: FixSource;
  title: string;
  safety: FixSafety;
  fixTypeId: string | null;
  fixCode: string | null;
  /** Edits in passes; each pass refers to the notebook the previous passes produced. */
  passes: { pass: number; edits: CellEdit[] }[];
  appliedRules: AppliedRule[];
  cacheEntryId: number | null;
  llmCallId: number | null;
  /** For the proactive rule pass: its single-fix pieces that answered the error, for the cache. */
  learnable: AppliedFix[];
}

interface LoopState {
  notebook: NormalizedNotebook;
  origins: CellOrigins;
  run: ObservedRun;
}

function summary(row: ModernizationRow, alreadyDone: boolean, interrupted: boolean): NotebookModernization {
  return {
    notebookId: row.notebook_id,
    modernizationId: row.id,
    status: row.status,
    alreadyDone,
    interrupted,
    initialStatus: row.initial_status,
    finalStatus: row.final_status,
    fixesApplied: row.fixes_applied,
    fixesRolledBack: row.fixes_rolled_back,
    llmCalls: row.llm_calls,
    costUsd: row.cost_usd,
    outputPath: row.output_path,
    diffPath: row.diff_path,
    reason: row.reason,
  };
}

function hashNotebook(notebook: NormalizedNotebook): string {
  return createHash('sha256').update(JSON.stringify(notebook.cells.map((cell) => [cell.cellType, cell.source]))).digest('hex');
}

const FAILURE_KIND: Readonly<Record<FixKind, FailureKind>> = { 'error-repair': 'error', 'runtime-reduction': 'timeout', 'score-calibration': 'wrong-score' };

/**
 * Repair one notebook in one `modernize` experiment (see the README's "The repair loop"): run it
 * (or reuse its baseline run), and until it reproduces or a budget is spent: dispatch on the run's
 * outcome, ask rule fix types, then the fix cache, then the LLM for one fix, apply it, run again,
 * keep it if the run improved and no passing cell broke, otherwise roll it back. Every run is a
 * `runs` row, every step a `fixes` row, the loop a `modernizations` row; the best state is written
 * to `<outputDir>/<id>/modernized.ipynb` with its structural diff beside it.
 *
 * A loop already finished in this experiment is returned as it is (`alreadyDone`). A loop that was
 * interrupted restarts from the original notebook (see `startModernization`). An unexpected error
 * (a kernel that would not start) leaves the row `failed` but unfinished, so that a resumed command
 * tries the notebook again, and is rethrown.
 */
export async function modernizeNotebook(ctx: ModernizeContext, notebookId: number): Promise<NotebookModernization> {
  const { store, options } = ctx;
  const notebookRow = getNotebook(store, notebookId);
  const original = loadNotebook(store, notebookId);
  if (!notebookRow || !original) throw new Error(`notebook ${notebookId} is not in ${store.path}`);
  const started = startModernization(store, ctx.experimentId, notebookId, ctx.kernel.environmentId);
  if (!started) {
    const done = prepare<[number, number], ModernizationRow>(store.db, 'SELECT * FROM modernizations WHERE experiment_id = ? AND notebook_id = ?').get(ctx.experimentId, notebookId)!;
    return summary(done, true, false);
  }
  const loop = new RepairLoop(ctx, notebookId, original, notebookRow.reported_score, notebookRow.competition, notebookRow.date, started);
  try {
    return await loop.run();
  } catch (error) {
    markLoopFailed(store, started.id, error instanceof Error ? `${error.name}: ${error.message}` : String(error), performance.now() - loop.startedAt);
    throw error;
  }
}

class RepairLoop {
  readonly startedAt = performance.now();
  private step = 0;
  private fixesRun = 0;
  private nextAttempt: number;
  private readonly tried = new Set<string>();
  private readonly hints = new Set<string>();
  private readonly cacheTried = new Set<number>();
  private fixAllTried = false;
  private llmFailures = 0;
  private readonly history: PromptHistoryEntry[] = [];
  private graded: LoadedCompetition | null = null;
  private readonly dir: string;

  constructor(
    private readonly ctx: ModernizeContext,
    private readonly notebookId: number,
    private readonly original: NormalizedNotebook,
    private readonly reportedScore: number | null,
    private readonly competitionSlug: string | null,
    /** The notebook's date: rules that restore a default of its era need it. */
    private readonly notebookDate: string | null,
    private readonly row: ModernizationRow,
  ) {
    const last = prepare<[number, number], { attempt: number | null }>(ctx.store.db, 'SELECT MAX(attempt) AS attempt FROM runs WHERE experiment_id = ? AND notebook_id = ?').get(ctx.experimentId, notebookId);
    this.nextAttempt = (last?.attempt ?? 0) + 1;
    this.dir = join(ctx.outputDir, String(notebookId));
  }

  private event(message: string): void {
    this.ctx.onStep?.({ notebookId: this.notebookId, step: this.step, message });
  }

  private get budgetMs(): number {
    return this.ctx.options.notebookTimeoutMs ?? (this.graded ? this.graded.competition.runtimeBudgetSeconds * 1000 : 600_000);
  }

  async run(): Promise<NotebookModernization> {
    const { ctx } = this;
    this.graded = await ctx.competitionFor(this.competitionSlug);
    await mkdir(this.dir, { recursive: true });
    const initial = await this.initialRun();
    setInitialRun(ctx.store, this.row.id, initial.runId, initial.status);
    let state: LoopState = { notebook: this.original, origins: identityOrigins(this.original.cells.length), run: initial };
    this.event(`initial run: ${describeRun(initial)}`);
    if (isGoal(initial)) return this.finish('already-reproducible', state, `the ${this.ctx.options.baseline ? 'baseline' : 'initial'} run is already ${initial.status}`);
    if (initial.status === 'env-failed') return this.finish('failed', state, `the environment failed: ${initial.errorValue ?? initial.errorName ?? 'unknown'}`);

    for (;;) {
      if (ctx.signal?.aborted) return this.interrupted();
      if (isGoal(state.run)) return this.finish('rescued', state, `${state.run.status} after ${this.fixesRun} fixes`);
      const kind = dispatchKind(state.run);
      if (kind === null) return this.finish('not-rescued', state, `nothing to repair in a ${state.run.status} run`);
      if (this.fixesRun >= ctx.options.maxFixes) return this.finish('fix-budget-exhausted', state, `the fix budget (${ctx.options.maxFixes}) is spent; best run: ${describeRun(state.run)}`);

      const error = kind === 'error-repair' && state.run.errorName ? { name: state.run.errorName, value: state.run.errorValue ?? '', traceback: state.run.traceback } : null;
      const failure = await createFailure({
        kind: FAILURE_KIND[kind],
        error,
        cellIndex: kind === 'score-calibration' ? null : state.run.failingCell,
        notebook: { cells: state.notebook.cells, date: this.notebookDate },
        environment: ctx.environment,
        score: this.reportedScore !== null && this.graded ? { score: state.run.score, reported: this.reportedScore, higherIsBetter: this.graded.competition.higherIsBetter } : null,
      });
      let candidate: Candidate | null;
      let signature: string | null = null;
      try {
        signature = error ? normalizeErrorSignature(error.name, error.value, { localNames: notebookVariableNames(failure) }) : null;
        candidate = await this.ruleCandidate(state, failure, kind, signature);
        if (!candidate && kind === 'error-repair' && signature) candidate = this.cacheCandidate(state, failure, signature);
      } finally {
        failure.dispose();
      }
      if (!candidate) {
        if (!ctx.llm) return this.finish('not-rescued', state, `no applicable rule or cached fix for ${describeRun(state.run)}; the LLM is off (--no-llm)`);
        const proposal = await ctx.llm.propose(this.row.id, {
          kind,
          granularity: ctx.options.granularity,
          notebook: state.notebook,
          failingCell: kind === 'score-calibration' ? null : state.run.failingCell,
          error,
          runSummary: describeRun(state.run),
          divergence: kind === 'score-calibration' ? await this.firstDivergence(state.run) : null,
          score: this.graded ? { target: this.reportedScore, current: state.run.score, tolerance: ctx.options.tolerance } : null,
          competition: this.graded?.prompt ?? null,
          environment: ctx.environment,
          history: this.history,
          runtimeBudgetSeconds: Math.round(this.budgetMs / 1000),
        });
        this.event(`LLM (${proposal.granularity}): ${proposal.status}${proposal.error ? ` (${proposal.error})` : ''}`);
        if (proposal.status === 'skipped') return this.finish('not-rescued', state, `no applicable rule or cached fix; LLM skipped: ${proposal.error}`);
        if (proposal.status === 'budget-exhausted') return this.finish('llm-budget-exhausted', state, `the LLM budget is spent (${proposal.error}); best run: ${describeRun(state.run)}`);
        if (proposal.status !== 'ok' || !proposal.edits) {
          this.llmFailures++;
          if (this.llmFailures >= ctx.options.maxLlmFailures) {
            return this.finish('not-rescued', state, `${this.llmFailures} LLM requests in a row gave no usable fix (last: ${proposal.status}: ${proposal.error ?? ''})`);
          }
          continue;
        }
        // The same edit of the same state was run before: asking again is fine, running it again is not.
        const key = `${hashNotebook(state.notebook)}:llm:${JSON.stringify(proposal.edits)}`;
        if (this.tried.has(key)) {
          this.llmFailures++;
          this.event('LLM repeated an edit already tried on this state; not run again');
          if (this.llmFailures >= ctx.options.maxLlmFailures) return this.finish('not-rescued', state, `${this.llmFailures} LLM requests in a row gave no new fix (the last repeated an edit already tried)`);
          continue;
        }
        this.tried.add(key);
        this.llmFailures = 0;
        candidate = {
          source: 'llm',
          title: proposal.plan ?? 'LLM fix',
          safety: 'unsafe',
          fixTypeId: null,
          fixCode: null,
          passes: [{ pass: 1, edits: proposal.edits }],
          appliedRules: [],
          cacheEntryId: null,
          llmCallId: proposal.callId,
          learnable: [],
        };
      }
      state = await this.attempt(state, candidate, kind, signature);
    }
  }

  /** The run the loop starts from: the restarted loop's own, the baseline's, or a new one. */
  private async initialRun(): Promise<ObservedRun> {
    const { store, options } = this.ctx;
    if (this.row.initial_run_id !== null) {
      const run = getRun(store, this.row.initial_run_id);
      if (run) return observedRun(run, getRunCells(store, run.id));
    }
    if (options.baseline) {
      const run = prepare<[string, number], RunRow>(
        store.db,
        'SELECT r.* FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = ? AND r.notebook_id = ? ORDER BY r.attempt DESC LIMIT 1',
      ).get(options.baseline, this.notebookId);
      if (run) return observedRun(run, getRunCells(store, run.id));
      this.ctx.onWarning?.(`notebook ${this.notebookId} has no run in baseline experiment "${options.baseline}"; running it`);
    }
    return this.execute(this.original);
  }

  /** Run a state of the notebook as the next attempt and record it. */
  private async execute(notebook: NormalizedNotebook): Promise<ObservedRun> {
    const { ctx } = this;
    const attempt = this.nextAttempt++;
    const { run, cells } = await runAttempt({
      notebookId: this.notebookId,
      notebook,
      reportedScore: this.reportedScore,
      competition: this.graded?.competition ?? null,
      ...(this.graded ? { answers: this.graded.answers } : {}),
      kernel: ctx.kernel,
      experimentId: ctx.experimentId,
      attempt,
      outputDir: this.dir,
      sandbox: ctx.options.sandbox,
      allowErrors: false,
      tolerance: ctx.options.tolerance,
      limits: {
        cellTimeoutMs: ctx.options.cellTimeoutMs,
        notebookTimeoutMs: this.budgetMs,
        ...(ctx.options.memoryBytes ? { memoryBytes: ctx.options.memoryBytes } : {}),
        ...(ctx.options.maxProcesses ? { maxProcesses: ctx.options.maxProcesses } : {}),
      },
      ...(ctx.onWarning ? { onWarning: ctx.onWarning } : {}),
    });
    const { runId } = recordRun(ctx.store, run, cells);
    return observedRun(getRun(ctx.store, runId)!, getRunCells(ctx.store, runId));
  }

  // ---------------------------------------------------------------- fix sources

  /** Rule fix types: the proactive pass once (fix-all policy), then one proposal at a time. */
  /** Where the run's outputs first depart from the stored ones (null without a localizer or an executed notebook). */
  private async firstDivergence(run: ObservedRun): Promise<FirstDivergence | null> {
    if (!this.ctx.localize || !run.outputPath) return null;
    try {
      const read = readNotebook(await readFile(run.outputPath, 'utf8'));
      if (!read.ok) throw new Error(`${run.outputPath}: ${read.reason}`);
      const executed = read.notebook;
      const found = this.ctx.localize({ store: this.ctx.store, notebookId: this.notebookId, executed });
      if (found) this.event(`outputs oracle: ${found.message}`);
      return found;
    } catch (error) {
      this.ctx.onWarning?.(`notebook ${this.notebookId}: the outputs oracle failed: ${(error as Error).message}`);
      return null;
    }
  }

  private async ruleCandidate(state: LoopState, failure: Awaited<ReturnType<typeof createFailure>>, kind: FixKind, signature: string | null): Promise<Candidate | null> {
    const { ctx } = this;
    const stateKey = hashNotebook(state.notebook);
    const error = failure.error;
    const catalogued = error ? ctx.fixTypes.filter((f) => f.meta.errorSignatures && matchesErrorSignature(f.meta.errorSignatures, error)) : [];
    if (ctx.options.rulePolicy === 'fix-all' && !this.fixAllTried && kind === 'error-repair' && catalogued.length > 0) {
      this.fixAllTried = true;
      const result = await fixAll(state.notebook, ctx.fixTypes, { safety: ctx.options.safety, environment: ctx.environment });
      for (const hint of result.hints) this.hint(state, kind, signature, hint.code, hint.fixTypeId, hint.cellIndex, hint.line, hint.message, hint.reason);
      for (const problem of result.failures) ctx.onWarning?.(`fix type ${problem.fixType.meta.code} failed: ${problem.error.message}`);
      if (result.applied.length > 0) {
        const answering = result.applied.find((fix) => catalogued.some((f) => f.meta.code === fix.code)) ?? result.applied[0]!;
        const passes = [...new Set(result.applied.map((fix) => fix.pass))].sort((a, b) => a - b).map((pass) => ({ pass, edits: result.applied.filter((fix) => fix.pass === pass).flatMap((fix) => [...fix.edits]) }));
        const codes = [...new Set(result.applied.map((fix) => fix.code))];
        this.tried.add(`fix-all:${stateKey}`);
        return {
          source: 'rule',
          title: result.applied.length === 1 ? answering.title : `Apply ${result.applied.length} rule fixes (${codes.join(', ')})`,
          safety: result.applied.map((fix) => fix.safety).reduce(leastSafe),
          fixTypeId: answering.fixTypeId,
          fixCode: answering.code,
          passes,
          appliedRules: result.applied.map((fix) => ({ code: fix.code, fixTypeId: fix.fixTypeId, title: fix.title, safety: fix.safety, pass: fix.pass })),
          cacheEntryId: null,
          llmCallId: null,
          learnable: result.applied.filter((fix) => fix.pass === 1 && catalogued.some((f) => f.meta.code === fix.code)),
        };
      }
    }
    const { proposals, failures } = proposeFixes(ctx.fixTypes, failure, { safety: ctx.options.safety });
    for (const problem of failures) ctx.onWarning?.(`fix type ${problem.fixType.meta.code} failed: ${problem.error.message}`);
    for (const proposal of proposals) {
      const { meta } = proposal.fixType;
      if (!proposal.applicable || !proposal.fix) {
        const reason = meta.fixable === 'none' || meta.safety === 'display-only' ? 'display-only' : proposal.fix === null ? 'declined' : 'unsafe';
        proposal.match.sites.forEach((site, i) => this.hint(state, kind, signature, meta.code, meta.id, site.cellIndex, site.line, proposal.messages[i]!, reason));
        continue;
      }
      const key = `${stateKey}:${meta.code}:${JSON.stringify(proposal.fix.edits)}`;
      if (this.tried.has(key)) continue;
      this.tried.add(key);
      const fix = { pass: 1, code: meta.code, fixTypeId: meta.id, title: proposal.fix.title, safety: proposal.fix.safety, edits: proposal.fix.edits };
      return {
        source: 'rule',
        title: proposal.fix.title,
        safety: proposal.fix.safety,
        fixTypeId: meta.id,
        fixCode: meta.code,
        passes: [{ pass: 1, edits: [...proposal.fix.edits] }],
        appliedRules: [{ code: meta.code, fixTypeId: meta.id, title: proposal.fix.title, safety: proposal.fix.safety, pass: 1 }],
        cacheEntryId: null,
        llmCallId: null,
        learnable: [fix],
      };
    }
    return null;
  }

  /** Fix cache entries for the error's signature, best first, each tried once per loop. */
  private cacheCandidate(state: LoopState, failure: Awaited<ReturnType<typeof createFailure>>, signature: string): Candidate | null {
    const { cache } = this.ctx;
    let tries = 0;
    for (const entry of cache.lookup(signature)) {
      if (this.cacheTried.has(entry.id)) continue;
      if (tries >= this.ctx.options.maxCacheTries) break;
      tries++;
      this.cacheTried.add(entry.id);
      const fixType = cache.fixType(entry);
      const match = fixType.match(failure);
      const fix = match ? fixType.fix(match, failure) : null;
      if (!fix || fix.edits.length === 0) continue;
      const key = `${hashNotebook(state.notebook)}:cache:${JSON.stringify(fix.edits)}`;
      if (this.tried.has(key)) continue;
      this.tried.add(key);
      return {
        source: 'cache',
        title: fix.title,
        safety: fix.safety,
        fixTypeId: fixType.meta.id,
        fixCode: fixType.meta.code,
        passes: [{ pass: 1, edits: [...fix.edits] }],
        appliedRules: [],
        cacheEntryId: entry.id,
        llmCallId: null,
        learnable: [],
      };
    }
    return null;
  }

  /** Record guidance a rule gave without a fix we may apply (once per loop). */
  private hint(state: LoopState, kind: FixKind, signature: string | null, code: string, fixTypeId: string, cellIndex: number, line: number, message: string, reason: string): void {
    const key = `${code}:${cellIndex}:${line}:${message}`;
    if (this.hints.has(key)) return;
    this.hints.add(key);
    this.step++;
    recordFix(this.ctx.store, {
      modernizationId: this.row.id,
      step: this.step,
      triggerRunId: state.run.runId,
      resultRunId: null,
      kind,
      source: 'rule',
      fixTypeId,
      fixCode: code,
      safety: reason === 'unsafe' ? 'unsafe' : 'display-only',
      title: `cell ${cellIndex} line ${line}: ${message}`,
      errorSignature: signature,
      editedCells: [],
      edits: [],
      structuralDiff: [],
      outcome: 'not-applied',
      outcomeReason: reason === 'unsafe' ? 'hint: an unsafe fix exists (pass --unsafe to apply it)' : reason === 'declined' ? 'hint: the rule declined to fix this site' : 'hint: guidance only (display-only rule)',
    });
  }

  // ---------------------------------------------------------------- one step

  /** Apply a candidate, run, judge, record; returns the state the loop goes on from. */
  private async attempt(state: LoopState, candidate: Candidate, kind: FixKind, signature: string | null): Promise<LoopState> {
    const { ctx } = this;
    this.step++;
    const step = this.step;
    let next = state.notebook;
    let origins = state.origins;
    try {
      for (const pass of candidate.passes) {
        next = applyEdits(next, pass.edits);
        origins = originsAfter(origins, pass.edits);
      }
    } catch (error) {
      const fixId = this.recordStep(step, state, null, candidate, kind, signature, [], [], 'not-applied', `the edits could not be applied: ${error instanceof Error ? error.message : String(error)}`);
      if (candidate.llmCallId !== null) linkLlmCall(ctx.store, candidate.llmCallId, fixId);
      return state;
    }
    if (candidate.cacheEntryId !== null) ctx.cache.recordHit(candidate.cacheEntryId);
    this.event(`step ${step} (${candidate.source}): ${candidate.title}`);
    const run = await this.execute(next);
    this.fixesRun++;
    if (run.status === 'env-failed') throw new KernelStartError(`the kernel did not start for attempt ${this.nextAttempt - 1}: ${run.errorValue ?? run.errorName ?? 'unknown'}`);

    const regression = findRegression(state.run, state.origins, run, origins);
    const comparison = compareProgress(runProgress(run, origins, next.cells.map((c) => c.source)), runProgress(state.run, state.origins, state.notebook.cells.map((c) => c.source)));
    let outcome: FixOutcome;
    let reason: string;
    if (regression) {
      outcome = 'rolled-back';
      reason = `regression: cell ${regression.originalCell} passed before and now ends in ${regression.status} (${describeRun(run)})`;
    } else if (comparison > 0) {
      outcome = isGoal(run) ? 'rescued' : 'improved';
      reason = `${describeRun(state.run)} → ${describeRun(run)}`;
    } else if (comparison === 0) {
      outcome = 'no-change';
      reason = `reverted: the run did not get better (${describeRun(run)})`;
    } else {
      outcome = 'rolled-back';
      reason = `worse: ${describeRun(run)} (was ${describeRun(state.run)})`;
    }
    const diff = diffNotebookCells(ctx.parser, state.notebook.cells, next.cells);
    const edited = changedPositions(state.notebook, next, candidate);
    const edits = candidate.passes.length === 1 ? candidate.passes[0]!.edits : candidate.passes;
    const fixId = this.recordStep(step, state, run, candidate, kind, signature, edited, edits, outcome, reason, diff.cells);
    if (candidate.llmCallId !== null) linkLlmCall(ctx.store, candidate.llmCallId, fixId);
    this.history.push({ step, source: candidate.source, title: candidate.title, outcome, result: describeRun(run) });
    this.event(`step ${step}: ${outcome}: ${reason}`);
    if (outcome !== 'rescued' && outcome !== 'improved') return state;

    setBestRun(ctx.store, this.row.id, run.runId, run.status);
    if (candidate.cacheEntryId !== null) ctx.cache.recordSuccess(candidate.cacheEntryId);
    else if (kind === 'error-repair' && signature) this.learn(fixId, state, candidate, signature);
    return { notebook: next, origins, run };
  }

  /** A kept LLM fix, or a kept safe rule fix, becomes a fix cache entry for its error signature. */
  private learn(fixId: number, state: LoopState, candidate: Candidate, signature: string): void {
    const { cache, store } = this.ctx;
    const notes: string[] = [];
    if (candidate.source === 'llm') {
      const learned = cache.learn({ errorSignature: signature, before: state.notebook, edits: candidate.passes[0]!.edits, source: 'llm', originFixId: fixId });
      notes.push('entry' in learned ? `cached as fix cache entry ${learned.entry.id}${learned.created ? '' : ' (already known)'}` : `not cached: ${learned.reason}`);
    } else if (candidate.source === 'rule') {
      for (const fix of candidate.learnable) {
        if (fix.safety !== 'safe') continue;
        const learned = cache.learn({ errorSignature: signature, before: state.notebook, edits: fix.edits, source: 'rule', originFixId: fixId });
        if ('entry' in learned) notes.push(`${fix.code} cached as fix cache entry ${learned.entry.id}${learned.created ? '' : ' (already known)'}`);
      }
    }
    if (notes.length > 0) prepare(store.db, "UPDATE fixes SET outcome_reason = outcome_reason || '; ' || ? WHERE id = ?").run(notes.join('; '), fixId);
  }

  private recordStep(
    step: number,
    state: LoopState,
    run: ObservedRun | null,
    candidate: Candidate,
    kind: FixKind,
    signature: string | null,
    editedCells: readonly number[],
    edits: readonly CellEdit[] | readonly { pass: number; edits: readonly CellEdit[] }[],
    outcome: FixOutcome,
    reason: string,
    structuralDiff: unknown = [],
  ): number {
    return recordFix(this.ctx.store, {
      modernizationId: this.row.id,
      step,
      triggerRunId: state.run.runId,
      resultRunId: run?.runId ?? null,
      kind,
      source: candidate.source,
      fixTypeId: candidate.fixTypeId,
      fixCode: candidate.fixCode,
      safety: candidate.safety,
      title: candidate.title,
      errorSignature: signature,
      editedCells,
      edits,
      structuralDiff,
      outcome,
      outcomeReason: reason,
      appliedRules: candidate.appliedRules,
      cacheEntryId: candidate.cacheEntryId,
    });
  }

  // ---------------------------------------------------------------- the end

  private interrupted(): NotebookModernization {
    const row = getModernizationById(this.ctx.store, this.row.id)!;
    return summary(row, false, true);
  }

  /** Write the best state and its diff (when it differs from the original) and close the row. */
  private async finish(status: Exclude<ModernizationStatus, 'running'>, state: LoopState, reason: string): Promise<NotebookModernization> {
    const { ctx } = this;
    let outputPath: string | null = null;
    let diffPath: string | null = null;
    if (hashNotebook(state.notebook) !== hashNotebook(this.original)) {
      outputPath = join(this.dir, 'modernized.ipynb');
      diffPath = join(this.dir, 'modernized.diff.json');
      const diff = diffNotebookCells(ctx.parser, this.original.cells, state.notebook.cells);
      await writeFile(outputPath, writeNotebook(state.notebook));
      await writeFile(diffPath, `${JSON.stringify(diff, null, 1)}\n`);
      await writeFile(join(this.dir, 'modernized.diff.txt'), `${formatNotebookStructuralDiff(diff)}\n`);
    }
    finishModernization(ctx.store, this.row.id, {
      status,
      bestRunId: state.run.runId,
      finalStatus: state.run.status,
      wallMs: performance.now() - this.startedAt,
      outputPath,
      diffPath,
      reason,
    });
    this.event(`${status}: ${reason}`);
    return summary(getModernizationById(ctx.store, this.row.id)!, false, false);
  }
}

/** Positions (in the new notebook) of the cells a step changed or inserted. */
function changedPositions(before: NormalizedNotebook, after: NormalizedNotebook, candidate: Candidate): number[] {
  if (before.cells.length === after.cells.length) return after.cells.filter((cell, i) => cell.source !== before.cells[i]!.source || cell.cellType !== before.cells[i]!.cellType).map((cell) => cell.index);
  if (candidate.passes.length === 1) return editedPositions(before.cells.length, candidate.passes[0]!.edits);
  const known = new Set(before.cells.map((cell) => cell.source));
  return after.cells.filter((cell) => !known.has(cell.source)).map((cell) => cell.index);
}

