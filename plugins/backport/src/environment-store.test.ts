import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type WritableStore } from '@mle/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  environmentUsage,
  getEnvironment,
  getEnvironmentByKey,
  getEnvironmentForRequest,
  linkRequest,
  listEnvironments,
  recordEnvironmentEvent,
  saveEnvironment,
  setEnvironmentStatus,
  type EnvironmentFields,
} from './environment-store.js';

const fields = (overrides: Partial<EnvironmentFields> = {}): EnvironmentFields => ({
  key: 'py3.10.13-0123456789abcdef',
  kind: 'backport',
  pythonVersion: '3.10.13',
  pythonPath: '/root/.pyenv/versions/3.10.13/bin/python',
  pythonRule: { ideal: '3.10', reason: 'exact' },
  targetDate: '2023-03-01T00:00:00.000Z',
  excludeNewer: '2023-03-01T00:00:00Z',
  requested: { imports: ['pandas'] },
  pins: [{ name: 'pandas', version: '1.5.3' }],
  lockHash: 'abc',
  lock: 'pandas==1.5.3\n',
  path: '/envs/py3.10.13-0123456789abcdef',
  status: 'ready',
  failureMode: null,
  failureStep: null,
  failureMessage: null,
  buildSeconds: 2.5,
  ...overrides,
});

let store: WritableStore;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mle-env-store-'));
  store = openStore(join(dir, 'test.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('environment store', () => {
  it('creates its tables through migration 0004', () => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['environments', 'environment_requests', 'environment_events']));
    expect(store.schemaVersion).toBeGreaterThanOrEqual(4);
  });

  it('round-trips a record with its JSON columns parsed', () => {
    const id = saveEnvironment(store, fields());
    const record = getEnvironment(store, id)!;
    expect(record).toMatchObject({ ...fields(), id });
    expect(record.createdAt).toBe(record.lastUsedAt);
    expect(getEnvironmentByKey(store, fields().key)?.id).toBe(id);
  });

  it('overwrites a failed attempt with the rebuilt environment under the same key and id', () => {
    const failed = saveEnvironment(store, fields({ status: 'failed', failureMode: 'disk', failureStep: 'install', failureMessage: 'No space left on device', path: null }), new Date('2024-01-01T00:00:00Z'));
    const ready = saveEnvironment(store, fields(), new Date('2024-01-02T00:00:00Z'));
    expect(ready).toBe(failed);
    const record = getEnvironment(store, ready)!;
    expect(record).toMatchObject({ status: 'ready', failureMode: null, createdAt: '2024-01-01T00:00:00.000Z', lastUsedAt: '2024-01-02T00:00:00.000Z' });
  });

  it('caches requests and counts builds, reuses and failures', () => {
    const id = saveEnvironment(store, fields());
    const failedId = saveEnvironment(store, fields({ key: 'unresolved-1', status: 'failed', failureMode: 'no-wheel', pins: [], path: null }));
    linkRequest(store, 'request-a', id);
    linkRequest(store, 'request-b', failedId);
    expect(getEnvironmentForRequest(store, 'request-a')?.id).toBe(id);
    expect(getEnvironmentForRequest(store, 'request-c')).toBeNull();
    const event = { requestKey: 'request-a', notebookId: null, resolved: true, cachedFailure: false, seconds: 1 };
    recordEnvironmentEvent(store, { ...event, environmentId: id, action: 'built' });
    recordEnvironmentEvent(store, { ...event, environmentId: id, action: 'reused', resolved: false });
    recordEnvironmentEvent(store, { ...event, environmentId: id, action: 'reused' });
    recordEnvironmentEvent(store, { ...event, environmentId: failedId, action: 'failed', requestKey: 'request-b' });
    expect(environmentUsage(store)).toEqual({ builds: 1, reuses: 2, failures: 1, resolutions: 3 });
    expect(environmentUsage(store, id)).toEqual({ builds: 1, reuses: 2, failures: 0, resolutions: 2 });
    expect(listEnvironments(store, { status: 'failed' }).map((e) => e.id)).toEqual([failedId]);
    setEnvironmentStatus(store, id, 'removed');
    expect(listEnvironments(store, { status: 'ready' })).toEqual([]);
  });

  it('refuses a status or kind outside the schema', () => {
    expect(() => saveEnvironment(store, fields({ kind: 'other' as 'lock' }))).toThrow(/CHECK constraint/);
  });
});
