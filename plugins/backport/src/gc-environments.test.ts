import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type WritableStore } from '@mle/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getEnvironment, saveEnvironment, type EnvironmentFields } from './environment-store.js';
import { gcEnvironments } from './gc-environments.js';

let store: WritableStore;
let envDir: string;
let root: string;

const env = (key: string, overrides: Partial<EnvironmentFields> = {}): EnvironmentFields => ({
  key,
  kind: 'backport',
  pythonVersion: '3.10.13',
  pythonPath: '/usr/bin/python3',
  pythonRule: {},
  targetDate: null,
  excludeNewer: null,
  requested: {},
  pins: [],
  lockHash: null,
  lock: null,
  path: join(envDir, key),
  status: 'ready',
  failureMode: null,
  failureStep: null,
  failureMessage: null,
  buildSeconds: 1,
  ...overrides,
});

function makeDir(name: string, bytes = 10_000): string {
  const dir = join(envDir, name);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'payload'), Buffer.alloc(bytes, 1));
  return dir;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mle-gc-'));
  envDir = join(root, 'envs');
  mkdirSync(envDir);
  store = openStore(join(root, 'test.db'));
});
afterEach(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('gcEnvironments', () => {
  it('removes unreferenced, failed and stale-locked entries and keeps ready environments', () => {
    makeDir('ready-env');
    saveEnvironment(store, env('ready-env'));
    makeDir('half-built');
    makeDir('failed-env');
    saveEnvironment(store, env('failed-env', { status: 'failed', failureMode: 'disk' }));
    writeFileSync(join(envDir, 'dead.lock'), '999999999');
    writeFileSync(join(envDir, 'live.lock'), String(process.pid));
    const goneId = saveEnvironment(store, env('gone-env'));

    const dry = gcEnvironments(store, { envDir, dryRun: true });
    expect(dry.removed.map((entry) => [entry.path.slice(envDir.length + 1), entry.reason])).toEqual([
      ['dead.lock', 'stale-lock'],
      ['failed-env', 'failed'],
      ['half-built', 'unreferenced'],
    ]);
    expect(dry.bytes).toBeGreaterThanOrEqual(20_000);
    expect(dry.missing).toEqual([goneId]);
    expect(existsSync(join(envDir, 'half-built'))).toBe(true);

    const real = gcEnvironments(store, { envDir });
    expect(real.kept).toBe(1);
    expect(existsSync(join(envDir, 'half-built'))).toBe(false);
    expect(existsSync(join(envDir, 'failed-env'))).toBe(false);
    expect(existsSync(join(envDir, 'dead.lock'))).toBe(false);
    expect(existsSync(join(envDir, 'live.lock'))).toBe(true);
    expect(existsSync(join(envDir, 'ready-env'))).toBe(true);
    expect(getEnvironment(store, goneId)?.status).toBe('removed');
  });

  it('removes ready environments unused for longer than asked, and marks them removed', () => {
    makeDir('old-env');
    const id = saveEnvironment(store, env('old-env'), new Date('2020-01-01T00:00:00Z'));
    makeDir('new-env');
    saveEnvironment(store, env('new-env'), new Date('2024-05-30T00:00:00Z'));
    const result = gcEnvironments(store, { envDir, unusedForDays: 30, now: new Date('2024-06-01T00:00:00Z') });
    expect(result.removed.map((entry) => entry.reason)).toEqual(['unused']);
    expect(getEnvironment(store, id)?.status).toBe('removed');
    expect(existsSync(join(envDir, 'new-env'))).toBe(true);
  });
});
