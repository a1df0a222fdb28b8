import { prepare, type Store, type WritableStore } from '@mle/core';
import type { CellEdit, FixKind, FixSafety } from '@mle/core';

// The modernization table group (migrations 0005-modernize.sql and 0007-modernize-steps.sql):
// one `modernizations` row per (experiment, notebook) loop, a `fixes` row per step, an
// `llm_calls` row per request paid for (or skipped). The fix cache has its own module.

export const MODERNIZATION_STATUSES = ['running', 'already-reproducible', 'rescued', 'not-rescued', 'fix-budget-exhausted', 'llm-budget-exhausted', 'failed'] as const;
export type ModernizationStatus = (typeof MODERNIZATION_STATUSES)[number];

export const FIX_SOURCES = ['rule', 'cache', 'llm'] as const;
export type FixSource = (typeof FIX_SOURCES)[number];

/**
 * What a step did to the notebook's best state: `rescued` (the run reached the goal), `improved`
 * (a better run, kept), `no-change` (the run failed the same way; the edit is reverted so that
 * pointless edits never reach the modernized notebook), `rolled-back` (worse, or a cell that
 * passed now fails), `not-applied` (a hint, or edits that could not be applied).
 */
export const FIX_OUTCOMES = ['rescued', 'improved', 'no-change', 'rolled-back', 'not-applied'] as const;
export type FixOutcome = (typeof FIX_OUTCOMES)[number];

export const LLM_CALL_STATUSES = ['ok', 'invalid-answer', 'http-error', 'timeout', 'rate-limited', 'budget-exhausted', 'skipped'] as const;
export type LlmCallStatus = (typeof LLM_CALL_STATUSES)[number];

export type Granularity = 'cell' | 'notebook';

export interface ModernizationRow {
  id: number;
  experiment_id: number;
  notebook_id: number;
  environment_id: number | null;
  status: ModernizationStatus;
  initial_run_id: number | null;
  best_run_id: number | null;
  initial_status: string | null;
  final_status: string | null;
  fixes_applied: number;
  fixes_rolled_back: number;
  llm_calls: number;
  cost_usd: number;
  wall_ms: number | null;
  output_path: string | null;
  diff_path: string | null;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface FixRow {
  id: number;
  modernization_id: number;
  step: number;
  trigger_run_id: number | null;
  result_run_id: number | null;
  kind: FixKind;
  source: FixSource;
  fix_type_id: string | null;
  fix_code: string | null;
  safety: FixSafety;
  title: string;
  error_signature: string | null;
  edited_cells: string;
  edits: string;
  structural_diff: string;
  outcome: FixOutcome;
  outcome_reason: string | null;
  created_at: string;
  applied_rules: string;
  cache_entry_id: number | null;
}

export interface LlmCallRow {
  id: number;
  modernization_id: number | null;
  fix_id: number | null;
  model: string;
  base_url: string | null;
  granularity: Granularity;
  kind: string;
  status: LlmCallStatus;
  tokens_in: number;
  tokens_cached: number;
  tokens_out: number;
  cost_usd: number;
  latency_ms: number | null;
  attempts: number;
  prompt_hash: string | null;
  response_hash: string | null;
  error: string | null;
  created_at: string;
}

export function getModernization(store: Store, experimentId: number, notebookId: number): ModernizationRow | undefined {
  return prepare<[number, number], ModernizationRow>(store.db, 'SELECT * FROM modernizations WHERE experiment_id = ? AND notebook_id = ?').get(experimentId, notebookId);
}

export function getModernizationById(store: Store, id: number): ModernizationRow | undefined {
  return prepare<[number], ModernizationRow>(store.db, 'SELECT * FROM modernizations WHERE id = ?').get(id);
}

export function listModernizations(store: Store, experimentId: number): ModernizationRow[] {
  return prepare<[number], ModernizationRow>(store.db, 'SELECT * FROM modernizations WHERE experiment_id = ? ORDER BY notebook_id').all(experimentId);
}

export function listFixes(store: Store, modernizationId: number): FixRow[] {
  return prepare<[number], FixRow>(store.db, 'SELECT * FROM fixes WHERE modernization_id = ? ORDER BY step').all(modernizationId);
}

export function listLlmCalls(store: Store, modernizationId: number): LlmCallRow[] {
  return prepare<[number], LlmCallRow>(store.db, 'SELECT * FROM llm_calls WHERE modernization_id = ? ORDER BY id').all(modernizationId);
}

/**
 * The loop's row, ready to run. A new loop gets a fresh row; a loop that was interrupted (its row
 * has no `finished_at`) restarts cleanly from the original notebook: its steps are deleted
 * (cache entries they produced stay, detached from them), its LLM calls are kept — the money was
 * spent and still counts against this notebook's budget — but detached from the deleted steps, and
 * its initial run is kept for reuse. Runs are facts and are never deleted; the restarted loop's
 * runs continue the attempt numbers. Returns undefined for a finished loop (nothing to do).
 */
export function startModernization(store: WritableStore, experimentId: number, notebookId: number, environmentId: number | null, now: Date = new Date()): ModernizationRow | undefined {
  return store.db.transaction((): ModernizationRow | undefined => {
    const existing = getModernization(store, experimentId, notebookId);
    if (existing?.finished_at) return undefined;
    if (!existing) {
      prepare(store.db, "INSERT INTO modernizations (experiment_id, notebook_id, environment_id, status, started_at) VALUES (?, ?, ?, 'running', ?)").run(
        experimentId,
        notebookId,
        environmentId,
        now.toISOString(),
      );
      return getModernization(store, experimentId, notebookId)!;
    }
    prepare(store.db, 'UPDATE fix_cache SET origin_fix_id = NULL WHERE origin_fix_id IN (SELECT id FROM fixes WHERE modernization_id = ?)').run(existing.id);
    prepare(store.db, 'UPDATE llm_calls SET fix_id = NULL WHERE modernization_id = ?').run(existing.id);
    prepare(store.db, 'DELETE FROM fixes WHERE modernization_id = ?').run(existing.id);
    prepare(
      store.db,
      `UPDATE modernizations SET status = 'running', best_run_id = NULL, final_status = NULL, fixes_applied = 0, fixes_rolled_back = 0,
         llm_calls = (SELECT COUNT(*) FROM llm_calls WHERE modernization_id = ? AND status <> 'skipped'),
         cost_usd = (SELECT COALESCE(SUM(cost_usd), 0) FROM llm_calls WHERE modernization_id = ?),
         wall_ms = NULL, output_path = NULL, diff_path = NULL, reason = NULL, started_at = ?, finished_at = NULL
       WHERE id = ?`,
    ).run(existing.id, existing.id, now.toISOString(), existing.id);
    return getModernizationById(store, existing.id)!;
  }).immediate();
}

export function setInitialRun(store: WritableStore, modernizationId: number, runId: number, status: string): void {
  prepare(store.db, 'UPDATE modernizations SET initial_run_id = ?, initial_status = ?, best_run_id = ?, final_status = ? WHERE id = ?').run(runId, status, runId, status, modernizationId);
}

/** One rule fix a step applied (several for the proactive rule pass). */
export interface AppliedRule {
  code: string;
  fixTypeId: string;
  title: string;
  safety: FixSafety;
  /** The fixAll pass that applied it (1 for a single proposal). */
  pass: number;
}

export interface NewFix {
  modernizationId: number;
  step: number;
  triggerRunId: number | null;
  resultRunId: number | null;
  kind: FixKind;
  source: FixSource;
  fixTypeId: string | null;
  fixCode: string | null;
  safety: FixSafety;
  title: string;
  errorSignature: string | null;
  editedCells: readonly number[];
  edits: readonly CellEdit[] | readonly { pass: number; edits: readonly CellEdit[] }[];
  structuralDiff: unknown;
  outcome: FixOutcome;
  outcomeReason: string | null;
  appliedRules?: readonly AppliedRule[];
  cacheEntryId?: number | null;
}

export function recordFix(store: WritableStore, fix: NewFix, now: Date = new Date()): number {
  const result = prepare(
    store.db,
    `INSERT INTO fixes (modernization_id, step, trigger_run_id, result_run_id, kind, source, fix_type_id, fix_code, safety, title, error_signature,
       edited_cells, edits, structural_diff, outcome, outcome_reason, created_at, applied_rules, cache_entry_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    fix.modernizationId,
    fix.step,
    fix.triggerRunId,
    fix.resultRunId,
    fix.kind,
    fix.source,
    fix.fixTypeId,
    fix.fixCode,
    fix.safety,
    fix.title,
    fix.errorSignature,
    JSON.stringify(fix.editedCells),
    JSON.stringify(fix.edits),
    JSON.stringify(fix.structuralDiff ?? []),
    fix.outcome,
    fix.outcomeReason,
    now.toISOString(),
    JSON.stringify(fix.appliedRules ?? []),
    fix.cacheEntryId ?? null,
  );
  const id = Number(result.lastInsertRowid);
  if (fix.outcome !== 'not-applied') {
    prepare(store.db, 'UPDATE modernizations SET fixes_applied = fixes_applied + 1, fixes_rolled_back = fixes_rolled_back + ? WHERE id = ?').run(
      fix.outcome === 'rolled-back' ? 1 : 0,
      fix.modernizationId,
    );
  }
  return id;
}

export function setBestRun(store: WritableStore, modernizationId: number, runId: number, status: string): void {
  prepare(store.db, 'UPDATE modernizations SET best_run_id = ?, final_status = ? WHERE id = ?').run(runId, status, modernizationId);
}

export interface NewLlmCall {
  modernizationId: number | null;
  model: string;
  baseUrl: string | null;
  granularity: Granularity;
  kind: FixKind;
  status: LlmCallStatus;
  tokensIn: number;
  tokensCached: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number | null;
  attempts: number;
  promptHash: string | null;
  responseHash: string | null;
  error: string | null;
}

/** Record a call and add it to its loop's counters (skipped calls cost nothing and are not counted as calls). */
export function recordLlmCall(store: WritableStore, call: NewLlmCall, now: Date = new Date()): number {
  return store.db.transaction((): number => {
    const result = prepare(
      store.db,
      `INSERT INTO llm_calls (modernization_id, model, base_url, granularity, kind, status, tokens_in, tokens_cached, tokens_out, cost_usd,
         latency_ms, attempts, prompt_hash, response_hash, error, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      call.modernizationId,
      call.model,
      call.baseUrl,
      call.granularity,
      call.kind,
      call.status,
      call.tokensIn,
      call.tokensCached,
      call.tokensOut,
      call.costUsd,
      call.latencyMs,
      call.attempts,
      call.promptHash,
      call.responseHash,
      call.error,
      now.toISOString(),
    );
    if (call.modernizationId !== null) {
      prepare(store.db, 'UPDATE modernizations SET llm_calls = llm_calls + ?, cost_usd = cost_usd + ? WHERE id = ?').run(
        call.status === 'skipped' || call.status === 'budget-exhausted' ? 0 : 1,
        call.costUsd,
        call.modernizationId,
      );
    }
    return Number(result.lastInsertRowid);
  }).immediate();
}

export function linkLlmCall(store: WritableStore, callId: number, fixId: number): void {
  prepare(store.db, 'UPDATE llm_calls SET fix_id = ? WHERE id = ?').run(fixId, callId);
}

/** What this notebook's loop has spent on the LLM, interrupted earlier attempts included. */
export function llmSpent(store: Store, modernizationId: number): number {
  return prepare<[number], { cost: number }>(store.db, 'SELECT COALESCE(SUM(cost_usd), 0) AS cost FROM llm_calls WHERE modernization_id = ?').get(modernizationId)!.cost;
}

export interface FinishModernization {
  status: Exclude<ModernizationStatus, 'running'>;
  bestRunId: number | null;
  finalStatus: string | null;
  wallMs: number;
  outputPath: string | null;
  diffPath: string | null;
  reason: string;
}

export function finishModernization(store: WritableStore, modernizationId: number, finish: FinishModernization, now: Date = new Date()): void {
  prepare(store.db, 'UPDATE modernizations SET status = ?, best_run_id = ?, final_status = ?, wall_ms = ?, output_path = ?, diff_path = ?, reason = ?, finished_at = ? WHERE id = ?').run(
    finish.status,
    finish.bestRunId,
    finish.finalStatus,
    Math.round(finish.wallMs),
    finish.outputPath,
    finish.diffPath,
    finish.reason,
    now.toISOString(),
    modernizationId,
  );
}

/**
 * A loop that stopped on an unexpected error (the kernel would not start, the disk filled): the
 * row says why but stays unfinished, so that re-running the command retries the notebook.
 */
export function markLoopFailed(store: WritableStore, modernizationId: number, reason: string, wallMs: number): void {
  prepare(store.db, "UPDATE modernizations SET status = 'failed', reason = ?, wall_ms = ? WHERE id = ?").run(reason, Math.round(wallMs), modernizationId);
}
