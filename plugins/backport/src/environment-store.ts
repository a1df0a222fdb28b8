import { prepare, type Store, type WritableStore } from '@mle/core';
import type { FailureMode, EnvironmentStep } from './failure-mode.js';
import type { Pin } from './lock-file.js';

export type EnvironmentKind = 'contemporary' | 'backport' | 'lock';
export type EnvironmentStatus = 'ready' | 'failed' | 'removed';

interface EnvironmentRow {
  id: number;
  key: string;
  kind: EnvironmentKind;
  python_version: string | null;
  python_path: string | null;
  python_rule: string;
  target_date: string | null;
  exclude_newer: string | null;
  requested: string;
  pins: string;
  lock_hash: string | null;
  lock: string | null;
  path: string | null;
  status: EnvironmentStatus;
  failure_mode: FailureMode | null;
  failure_step: EnvironmentStep | null;
  failure_message: string | null;
  build_seconds: number | null;
  created_at: string;
  last_used_at: string;
}

/** An `environments` row with its JSON columns parsed. */
export interface EnvironmentRecord {
  id: number;
  key: string;
  kind: EnvironmentKind;
  pythonVersion: string | null;
  pythonPath: string | null;
  /** The date rule's record (see PythonChoice), or how a lock's interpreter was matched. */
  pythonRule: Record<string, unknown>;
  targetDate: string | null;
  excludeNewer: string | null;
  /** What was asked for: imports, their distributions and provenance, skipped imports, options. */
  requested: Record<string, unknown>;
  pins: Pin[];
  lockHash: string | null;
  /** The lock file text (pins and file hashes); null when resolution failed. */
  lock: string | null;
  path: string | null;
  status: EnvironmentStatus;
  failureMode: FailureMode | null;
  failureStep: EnvironmentStep | null;
  failureMessage: string | null;
  buildSeconds: number | null;
  createdAt: string;
  lastUsedAt: string;
}

/** The fields a create call writes; id and created_at are the store's. */
export type EnvironmentFields = Omit<EnvironmentRecord, 'id' | 'createdAt' | 'lastUsedAt'>;

function toRecord(row: EnvironmentRow): EnvironmentRecord {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    pythonVersion: row.python_version,
    pythonPath: row.python_path,
    pythonRule: JSON.parse(row.python_rule) as Record<string, unknown>,
    targetDate: row.target_date,
    excludeNewer: row.exclude_newer,
    requested: JSON.parse(row.requested) as Record<string, unknown>,
    pins: JSON.parse(row.pins) as Pin[],
    lockHash: row.lock_hash,
    lock: row.lock,
    path: row.path,
    status: row.status,
    failureMode: row.failure_mode,
    failureStep: row.failure_step,
    failureMessage: row.failure_message,
    buildSeconds: row.build_seconds,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

export function getEnvironment(store: Store, id: number): EnvironmentRecord | null {
  const row = prepare<[number], EnvironmentRow>(store.db, 'SELECT * FROM environments WHERE id = ?').get(id);
  return row ? toRecord(row) : null;
}

export function getEnvironmentByKey(store: Store, key: string): EnvironmentRecord | null {
  const row = prepare<[string], EnvironmentRow>(store.db, 'SELECT * FROM environments WHERE key = ?').get(key);
  return row ? toRecord(row) : null;
}

/** The environment a request resolved to before (the resolution cache), if any. */
export function getEnvironmentForRequest(store: Store, requestKey: string): EnvironmentRecord | null {
  const row = prepare<[string], EnvironmentRow>(
    store.db,
    'SELECT e.* FROM environment_requests r JOIN environments e ON e.id = r.environment_id WHERE r.request_key = ?',
  ).get(requestKey);
  return row ? toRecord(row) : null;
}

/**
 * Insert or replace the row for `fields.key` (a rebuild after a failure overwrites the failed
 * attempt; created_at is kept) and return its id.
 */
export function saveEnvironment(store: WritableStore, fields: EnvironmentFields, now = new Date()): number {
  const at = now.toISOString();
  const row = prepare<unknown[], { id: number }>(
    store.db,
    `INSERT INTO environments (key, kind, python_version, python_path, python_rule, target_date, exclude_newer, requested, pins,
       lock_hash, lock, path, status, failure_mode, failure_step, failure_message, build_seconds, created_at, last_used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET
       kind = excluded.kind, python_version = excluded.python_version, python_path = excluded.python_path,
       python_rule = excluded.python_rule, target_date = excluded.target_date, exclude_newer = excluded.exclude_newer,
       requested = excluded.requested, pins = excluded.pins, lock_hash = excluded.lock_hash, lock = excluded.lock, path = excluded.path,
       status = excluded.status, failure_mode = excluded.failure_mode, failure_step = excluded.failure_step,
       failure_message = excluded.failure_message, build_seconds = excluded.build_seconds, last_used_at = excluded.last_used_at
     RETURNING id`,
  ).get(
    fields.key,
    fields.kind,
    fields.pythonVersion,
    fields.pythonPath,
    JSON.stringify(fields.pythonRule),
    fields.targetDate,
    fields.excludeNewer,
    JSON.stringify(fields.requested),
    JSON.stringify(fields.pins),
    fields.lockHash,
    fields.lock,
    fields.path,
    fields.status,
    fields.failureMode,
    fields.failureStep,
    fields.failureMessage,
    fields.buildSeconds,
    at,
    at,
  );
  return row!.id;
}

/** Remember which environment a request resolved to. */
export function linkRequest(store: WritableStore, requestKey: string, environmentId: number, now = new Date()): void {
  prepare(
    store.db,
    `INSERT INTO environment_requests (request_key, environment_id, created_at) VALUES (?, ?, ?)
     ON CONFLICT (request_key) DO UPDATE SET environment_id = excluded.environment_id`,
  ).run(requestKey, environmentId, now.toISOString());
}

/** Forget a request's cached resolution (after `--refresh`, or when its environment failed transiently). */
export function unlinkRequest(store: WritableStore, requestKey: string): void {
  prepare(store.db, 'DELETE FROM environment_requests WHERE request_key = ?').run(requestKey);
}

export function touchEnvironment(store: WritableStore, id: number, now = new Date()): void {
  prepare(store.db, 'UPDATE environments SET last_used_at = ? WHERE id = ?').run(now.toISOString(), id);
}

export function setEnvironmentStatus(store: WritableStore, id: number, status: EnvironmentStatus): void {
  prepare(store.db, 'UPDATE environments SET status = ? WHERE id = ?').run(status, id);
}

export type EnvironmentAction = 'built' | 'reused' | 'failed';

export interface EnvironmentEvent {
  environmentId: number | null;
  requestKey: string;
  notebookId: number | null;
  action: EnvironmentAction;
  resolved: boolean;
  cachedFailure: boolean;
  seconds: number;
}

export function recordEnvironmentEvent(store: WritableStore, event: EnvironmentEvent, now = new Date()): void {
  prepare(
    store.db,
    `INSERT INTO environment_events (environment_id, request_key, notebook_id, action, resolved, cached_failure, seconds, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(event.environmentId, event.requestKey, event.notebookId, event.action, event.resolved ? 1 : 0, event.cachedFailure ? 1 : 0, event.seconds, now.toISOString());
}

export interface EnvironmentListFilter {
  status?: EnvironmentStatus;
  kind?: EnvironmentKind;
}

export function listEnvironments(store: Store, filter: EnvironmentListFilter = {}): EnvironmentRecord[] {
  const rows = prepare<[string | null, string | null, string | null, string | null], EnvironmentRow>(
    store.db,
    'SELECT * FROM environments WHERE (? IS NULL OR status = ?) AND (? IS NULL OR kind = ?) ORDER BY id',
  ).all(filter.status ?? null, filter.status ?? null, filter.kind ?? null, filter.kind ?? null);
  return rows.map(toRecord);
}

export interface EnvironmentUsage {
  builds: number;
  reuses: number;
  failures: number;
  /** Create calls that asked uv to resolve (the rest were answered by the request cache). */
  resolutions: number;
}

/** Build, reuse and failure counts, overall or for one environment. */
export function environmentUsage(store: Store, environmentId?: number): EnvironmentUsage {
  const row = prepare<[number | null, number | null], { builds: number | null; reuses: number | null; failures: number | null; resolutions: number | null }>(
    store.db,
    `SELECT SUM(action = 'built') AS builds, SUM(action = 'reused') AS reuses, SUM(action = 'failed') AS failures, SUM(resolved) AS resolutions
     FROM environment_events WHERE (? IS NULL OR environment_id = ?)`,
  ).get(environmentId ?? null, environmentId ?? null);
  return { builds: row?.builds ?? 0, reuses: row?.reuses ?? 0, failures: row?.failures ?? 0, resolutions: row?.resolutions ?? 0 };
}
