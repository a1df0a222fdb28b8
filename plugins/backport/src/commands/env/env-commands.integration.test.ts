import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { GcResult } from '../../gc-environments.js';
import type { EnvCreateResult } from './create.js';
import type { EnvListResult } from './list.js';
import type { EnvShowResult } from './show.js';

// The real `mle` binary (packages/cli, built), with real uv and PyPI.
const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-env-cli-'));
const db = join(root, 'cli.db');
const envDir = join(root, 'envs');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function mle<T>(...args: string[]): { status: number | null; json: T; stderr: string } {
  const result = spawnSync(process.execPath, [join(repo, 'packages/cli/bin/run.js'), ...args, '--db', db, '--json'], {
    encoding: 'utf8',
    env: { ...process.env, MLE_ENV_DIR: envDir, UV_CACHE_DIR: join(repo, '.mle', 'uv-cache') },
    timeout: 300_000,
  });
  return { status: result.status, json: JSON.parse(result.stdout) as T, stderr: result.stderr };
}

function notebook(name: string, source: string, date?: string): string {
  const path = join(root, name);
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: date ? { mle: { date } } : {}, cells: [{ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }] }));
  return path;
}

describe('mle env commands', () => {
  let readyId = 0;

  it('create --for: a batch where one notebook fails and one has no date goes on to the end', () => {
    const good = notebook('good.ipynb', 'import pandas as pd\nimport numpy as np\n', '2023-03-01T09:00:00Z');
    const bad = notebook('bad.ipynb', 'import numpy\nimport surely_not_a_distribution_mle\n', '2023-03-01T09:00:00Z');
    const undated = notebook('undated.ipynb', 'import numpy\n');
    const { status, json } = mle<EnvCreateResult>('env', 'create', '--for', bad, '--for', undated, '--for', good);
    expect(status).toBe(1);
    expect(json.items.map((item) => [item.status, item.environment?.failureMode ?? null])).toEqual([
      ['failed', 'distribution-not-found'],
      ['skipped', null],
      ['ready', null],
    ]);
    expect(json.items[1]?.error).toMatch(/has no date/);
    const ready = json.items[2]!;
    expect(ready.environment?.pins.find((pin) => pin.name === 'pandas')?.version).toBe('1.5.3');
    expect(ready.kernelSpec?.resourceDir.startsWith(ready.environment!.path!)).toBe(true);
    expect(json.usage).toMatchObject({ builds: 1, failures: 1 });
    readyId = ready.environment!.id;
  });

  it('create --at --imports reuses the same pins, and list counts the build once', () => {
    const { status, json } = mle<EnvCreateResult>('env', 'create', '--at', '2023-03-01', '--imports', 'numpy,pandas');
    expect(status).toBe(0);
    expect(json.items[0]).toMatchObject({ status: 'ready', action: 'reused', environment: { id: readyId } });
    const list = mle<EnvListResult>('env', 'list').json;
    expect(list.environments.map((environment) => [environment.status, environment.usage.builds, environment.usage.reuses])).toEqual([
      ['failed', 0, 0],
      ['ready', 1, 1],
    ]);
    expect(mle<EnvListResult>('env', 'list', '--status', 'failed').json.environments).toHaveLength(1);
  });

  it('show gives the rule, the request and the lock', () => {
    const { json } = mle<EnvShowResult>('env', 'show', String(readyId));
    expect(json.environment.pythonRule).toMatchObject({ ideal: '3.10', reason: 'exact' });
    expect(json.environment.requested).toMatchObject({ imports: ['numpy', 'pandas'] });
    expect(json.environment.lock).toMatch(/^# mle environment lock, format 1\n/);
    expect(json.kernelSpecDir).toBe(join(json.environment.path!, 'share', 'jupyter', 'kernels', 'mle'));
    expect(mle('env', 'show', '999').status).toBe(1);
  });

  it('gc removes a half-built directory and keeps the ready environment', () => {
    const stray = join(envDir, 'py3.10.13-deadbeefdeadbeef');
    mkdirSync(join(stray, 'bin'), { recursive: true });
    const dry = mle<GcResult>('env', 'gc', '--dry-run').json;
    expect(dry.removed.map((entry) => [entry.path, entry.reason])).toEqual([[stray, 'unreferenced']]);
    expect(existsSync(stray)).toBe(true);
    const real = mle<GcResult>('env', 'gc').json;
    expect(real.kept).toBe(1);
    expect(existsSync(stray)).toBe(false);
  });

  it('create --from-lock installs the recorded lock into a new database without resolving', () => {
    const { json: shown } = mle<EnvShowResult>('env', 'show', String(readyId));
    const lockFile = join(shown.environment.path!, 'mle-lock.txt');
    const other = spawnSync(process.execPath, [join(repo, 'packages/cli/bin/run.js'), 'env', 'create', '--from-lock', lockFile, '--offline', '--db', join(root, 'other.db'), '--env-dir', join(root, 'other-envs'), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, UV_CACHE_DIR: join(repo, '.mle', 'uv-cache') },
    });
    const json = JSON.parse(other.stdout) as EnvCreateResult;
    expect(other.status).toBe(0);
    expect(json.items[0]).toMatchObject({ status: 'ready', action: 'built', resolved: false, environment: { kind: 'lock', key: shown.environment.key } });
  });

  it('refuses a create that names nothing to build, and a date in the future', () => {
    expect(mle('env', 'create').status).not.toBe(0);
    const future = mle<{ error: { name: string; message: string } }>('env', 'create', '--at', '2999-01-01', '--imports', 'numpy');
    expect(future.status).toBe(1);
    expect(future.json.error).toMatchObject({ name: 'InvalidEnvironmentDateError' });
  });
});
