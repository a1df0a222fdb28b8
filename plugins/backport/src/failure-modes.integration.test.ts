import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentBuilder, type EnvironmentOptions, type EnvironmentOutcome, type EnvironmentRequest, type FailedEnvironment } from './create-environment.js';
import { environmentUsage } from './environment-store.js';

// Each failure mode provoked for real, with real uv against real PyPI. Resolution failures take
// about a second each; nothing here builds a full environment.
const uvCacheDir = fileURLToPath(new URL('../../../.mle/uv-cache', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-env-failures-'));
let store: WritableStore;

beforeAll(() => {
  store = openStore(join(root, 'envs.db'));
});
afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

function create(request: EnvironmentRequest, options: EnvironmentOptions = {}): Promise<EnvironmentOutcome> {
  return new EnvironmentBuilder(store, { envDir: join(root, 'envs'), uvCacheDir, ...options }).create(request);
}

function expectFailure(outcome: EnvironmentOutcome, mode: string, step: string, message: RegExp): FailedEnvironment {
  expect(outcome.status, JSON.stringify(outcome.environment.failureMessage)).toBe('failed');
  const failed = outcome as FailedEnvironment;
  expect(failed.environment).toMatchObject({ status: 'failed', failureMode: mode, failureStep: step });
  expect(failed.environment.failureMessage).toMatch(message);
  return failed;
}

describe('failure modes, each from a real case', () => {
  it('no-interpreter: a Python 2 notebook meets uv’s refusal of Python 2.7', async () => {
    const outcome = await create({ kind: 'backport', at: '2016-01-01', imports: ['numpy'], pythonMajor: 2 });
    const failed = expectFailure(outcome, 'no-interpreter', 'resolve', /Please use Python 3\.6 or newer/);
    expect(failed.environment.pythonRule).toMatchObject({ ideal: '2.7', reason: 'python2', chosen: { minor: '2.7' } });
  });

  it('no-interpreter: a requested version that is not on the machine, without asking uv', async () => {
    const outcome = await create({ kind: 'backport', at: '2023-03-01', imports: ['numpy'], python: '3.99' });
    const failed = expectFailure(outcome, 'no-interpreter', 'interpreter', /Python 3\.99 was requested but is not on this machine/);
    expect(failed.resolved).toBe(false);
  });

  it('no-wheel: numpy as of 2016-10-01 has no wheel for the nearest Python (3.6), and the failure is then cached', async () => {
    const first = await create({ kind: 'backport', at: '2016-10-01', imports: ['numpy'] });
    const failed = expectFailure(first, 'no-wheel', 'resolve', /Wheels are required for `numpy`/);
    expect(failed.environment.pythonRule).toMatchObject({ ideal: '3.4', reason: 'nearest-available', chosen: { minor: '3.6' } });
    expect(failed.resolved).toBe(true);
    const again = await create({ kind: 'backport', at: '2016-10-01', imports: ['numpy'] });
    expect(again).toMatchObject({ status: 'failed', cachedFailure: true, resolved: false });
    expect(again.environment.id).toBe(failed.environment.id);
  });

  it('build-failed: with --allow-build, MySQL-python’s Python 2 setup.py fails to build on 3.6', async () => {
    const outcome = await create({ kind: 'backport', at: '2020-01-01', packages: ['MySQL-python'], python: '3.6' }, { allowBuild: true });
    expectFailure(outcome, 'build-failed', 'resolve', /No module named 'ConfigParser'/);
  });

  it('resolution-conflict: pandas 2.2.2 needs numpy>=1.22.4 on Python 3.10', async () => {
    const outcome = await create({ kind: 'backport', at: '2024-06-01', packages: ['pandas==2.2.2', 'numpy==1.21.6'], python: '3.10' });
    expectFailure(outcome, 'resolution-conflict', 'resolve', /you require numpy==1\.21\.6/);
  });

  it('resolution-conflict: a requirement that needs torch while torch is excluded, explained', async () => {
    const outcome = await create({ kind: 'backport', at: '2024-06-01', packages: ['torchvision'] });
    expectFailure(outcome, 'resolution-conflict', 'resolve', /depends on torch<0[\s\S]*\[mle\] torch is excluded/);
  });

  it('distribution-not-found: an import whose guessed distribution does not exist', async () => {
    const outcome = await create({ kind: 'backport', at: '2024-06-01', imports: ['numpy', 'surely_not_a_distribution_mle'] });
    const failed = expectFailure(outcome, 'distribution-not-found', 'resolve', /surely-not-a-distribution-mle was not found in the package registry/);
    expect(failed.environment.requested).toMatchObject({ distributions: expect.arrayContaining([expect.objectContaining({ requirement: 'surely_not_a_distribution_mle', source: 'guess' })]) });
  });

  it("invalid-metadata: pandas of 2017 declares `pytz (>=2011k)`, which is no version by today's rules", async () => {
    const outcome = await create({ kind: 'backport', at: '2017-06-01', imports: ['pandas'] });
    expectFailure(outcome, 'invalid-metadata', 'resolve', /Metadata for `pandas` \(v0\.20\.\d\) could not be parsed/);
  });

  it('no-release-at-date: polars had no release before 2019', async () => {
    const outcome = await create({ kind: 'backport', at: '2019-01-01', imports: ['polars'] });
    expectFailure(outcome, 'no-release-at-date', 'resolve', /`polars` was filtered by `exclude-newer`/);
  });

  it('no-wheel: --with-torch on an interpreter the local CPU wheel was not built for', async () => {
    const outcome = await create({ kind: 'backport', at: '2023-03-01', imports: ['torch'] }, { withTorch: true });
    expectFailure(outcome, 'no-wheel', 'resolve', /no CPU torch wheel for cp310/);
  });

  it('network: an index nobody listens on', async () => {
    const retries = process.env.UV_HTTP_RETRIES;
    process.env.UV_HTTP_RETRIES = '0';
    try {
      const outcome = await create({ kind: 'backport', at: '2024-06-01', imports: ['numpy'] }, { indexUrl: 'http://127.0.0.1:9/simple' });
      expectFailure(outcome, 'network', 'resolve', /Connection refused/);
    } finally {
      if (retries === undefined) delete process.env.UV_HTTP_RETRIES;
      else process.env.UV_HTTP_RETRIES = retries;
    }
  });

  it('timeout: a 50 ms budget kills uv, and a timeout is not cached', async () => {
    const request: EnvironmentRequest = { kind: 'backport', at: '2024-05-01', imports: ['numpy'] };
    expectFailure(await create(request, { timeoutMs: 50 }), 'timeout', 'resolve', /killed after \d+ ms|ran out before resolve/);
    const again = await create(request, { timeoutMs: 50 });
    expect(again).toMatchObject({ status: 'failed', cachedFailure: false });
  });

  it('install-failed: a lock whose hash does not match the file PyPI serves', async () => {
    const lock = `# python: 3.11.7\nsix==1.16.0 \\\n    --hash=sha256:${'0'.repeat(64)}\n`;
    const outcome = await new EnvironmentBuilder(store, { envDir: join(root, 'envs'), uvCacheDir }).createFromLock(lock);
    expectFailure(outcome, 'install-failed', 'install', /Hash mismatch/);
    expect(outcome.environment.kind).toBe('lock');
  });

  describe('disk', () => {
    const mountPoint = join(root, 'small-disk');
    beforeAll(() => {
      mkdirSync(mountPoint, { recursive: true });
      // A 24 MB filesystem of our own: numpy alone unpacks to more. Needs root, as on these machines.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    });
    afterAll(() => {
      execFileSync('umount', ['-l', mountPoint]);
    });

    it('disk: uv runs out of space installing into a 24 MB filesystem', async () => {
      const outcome = await create({ kind: 'backport', at: '2024-06-02', imports: ['numpy', 'pandas'] }, { envDir: mountPoint, minFreeBytes: 0 });
      expectFailure(outcome, 'disk', 'install', /No space left on device|os error 28/);
      // The half-written environment is removed, not left to look usable.
      expect(execFileSync('ls', ['-A', mountPoint], { encoding: 'utf8' }).trim()).toBe('');
    });

    it('disk: the free-space check refuses before uv starts', async () => {
      const outcome = await create({ kind: 'backport', at: '2024-06-03', imports: ['numpy'] }, { envDir: mountPoint });
      const failed = expectFailure(outcome, 'disk', 'preflight', /MiB free, less than the 1024 MiB required/);
      expect(failed.resolved).toBe(true);
    });
  });

  it('records every failure and builds nothing', () => {
    const usage = environmentUsage(store);
    expect(usage.builds).toBe(0);
    expect(usage.failures).toBeGreaterThanOrEqual(15);
  });
});
