import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentBuilder, type EnvironmentOptions, type EnvironmentOutcome, type EnvironmentRequest, type ReadyEnvironment } from './create-environment.js';
import { environmentUsage } from './environment-store.js';
import { parseLock } from './lock-file.js';
import { notebookFacts } from './notebook-imports.js';

// Real environments: real uv, real PyPI, real interpreters. uv's cache is shared across runs
// (.mle/uv-cache), so after the first run a build costs seconds; environments go to a temp dir.
const uvCacheDir = fileURLToPath(new URL('../../../.mle/uv-cache', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-env-it-'));
const envDir = join(root, 'envs');
let store: WritableStore;

beforeAll(() => {
  store = openStore(join(root, 'envs.db'));
});
afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

function create(request: EnvironmentRequest, options: EnvironmentOptions = {}): Promise<EnvironmentOutcome> {
  return new EnvironmentBuilder(store, { envDir, uvCacheDir, ...options }).create(request);
}

function expectReady(outcome: EnvironmentOutcome): ReadyEnvironment {
  expect(outcome.status, `${outcome.environment.failureMode}: ${outcome.environment.failureMessage}`).toBe('ready');
  return outcome as ReadyEnvironment;
}

const pin = (outcome: EnvironmentOutcome, name: string) => outcome.environment.pins.find((p) => p.name === name)?.version;
const major = (version: string | undefined) => Number(version?.split('.')[0]);
const minor = (version: string | undefined) => Number(version?.split('.')[1]);

/** What the environment's own interpreter imports: the proof that the pins are installed and work. */
function importedVersions(outcome: ReadyEnvironment, modules: string[]): Record<string, string> {
  const python = join(outcome.environment.path!, 'bin', 'python');
  const code = `import json, importlib; print(json.dumps({m: importlib.import_module(m).__version__ for m in ${JSON.stringify(modules)}}))`;
  return JSON.parse(execFileSync(python, ['-c', code], { encoding: 'utf8' })) as Record<string, string>;
}

/** Earliest upload time of a release's files on PyPI (PEP 691 JSON simple index, PEP 700 upload-time). */
async function uploadedAt(name: string, version: string): Promise<Date> {
  const response = await fetch(`https://pypi.org/simple/${name}/`, { headers: { Accept: 'application/vnd.pypi.simple.v1+json' } });
  expect(response.ok).toBe(true);
  const body = (await response.json()) as { files: { filename: string; 'upload-time': string }[] };
  const files = body.files.filter((file) => file.filename.startsWith(`${name}-${version}-`) || file.filename === `${name}-${version}.tar.gz`);
  expect(files.length).toBeGreaterThan(0);
  return new Date(Math.min(...files.map((file) => Date.parse(file['upload-time']))));
}

function expectKernelInside(outcome: ReadyEnvironment): void {
  const path = outcome.environment.path!;
  expect(outcome.kernelSpec.resourceDir).toBe(join(path, 'share', 'jupyter', 'kernels', 'mle'));
  expect(outcome.kernelSpec.argv[0]).toBe(join(path, 'bin', 'python'));
  // Newer ipykernels put `-Xfrozen_modules=off` before `-m`.
  expect(outcome.kernelSpec.argv.join(' ')).toMatch(/ -m ipykernel_launcher -f \{connection_file\}$/);
}

describe('dated and contemporary environments', () => {
  let first: ReadyEnvironment;

  it('backports pandas and numpy to 2023-03-01: Python 3.10 and the releases current then', async () => {
    first = expectReady(await create({ kind: 'backport', at: '2023-03-01', imports: ['pandas', 'numpy', 'os'] }));
    expect(first).toMatchObject({ action: 'built', resolved: true });
    expect(first.environment.pythonRule).toMatchObject({ newestAtDate: '3.11', ideal: '3.10', reason: 'exact' });
    expect(first.environment.pythonVersion).toMatch(/^3\.10\./);
    expect(first.environment.excludeNewer).toBe('2023-03-01T00:00:00Z');
    // pandas 2.0 came out 2023-04-03, numpy 1.25 on 2023-06-17.
    expect(major(pin(first, 'pandas'))).toBe(1);
    expect(pin(first, 'pandas')).toBe('1.5.3');
    expect(pin(first, 'numpy')).toBe('1.24.2');
    for (const name of ['pandas', 'numpy']) expect((await uploadedAt(name, pin(first, name)!)).getTime()).toBeLessThan(Date.parse('2023-03-01T00:00:00Z'));
    expect(importedVersions(first, ['pandas', 'numpy', 'ipykernel'])).toEqual({ pandas: pin(first, 'pandas'), numpy: pin(first, 'numpy'), ipykernel: pin(first, 'ipykernel') });
    expectKernelInside(first);
    const lock = parseLock(readFileSync(join(first.environment.path!, 'mle-lock.txt'), 'utf8'));
    expect(lock.pins).toEqual(first.environment.pins);
    expect(lock.hashed).toBe(true);
    expect(lock.header).toMatchObject({ pythonVersion: first.environment.pythonVersion, excludeNewer: '2023-03-01T00:00:00Z' });
  });

  it('backports to 2024-06-01: Python 3.11, numpy before 2.0', async () => {
    const outcome = expectReady(await create({ kind: 'backport', at: '2024-06-01', imports: ['pandas', 'numpy'] }));
    expect(outcome.environment.pythonVersion).toMatch(/^3\.11\./);
    // numpy 2.0.0 was released on 2024-06-16.
    expect(major(pin(outcome, 'numpy'))).toBe(1);
    expect(pin(outcome, 'numpy')).toBe('1.26.4');
    expect(pin(outcome, 'pandas')).toBe('2.2.2');
    expect(importedVersions(outcome, ['pandas', 'numpy', 'ipykernel'])).toEqual({ pandas: '2.2.2', numpy: '1.26.4', ipykernel: pin(outcome, 'ipykernel') });
    expectKernelInside(outcome);
  });

  it('reuses the environment when another notebook resolves to the same pins, and builds nothing', async () => {
    const before = environmentUsage(store).builds;
    // Same day, later hour, one more stdlib import: a different request, the same pins.
    const later = expectReady(await create({ kind: 'backport', at: '2023-03-01T12:00:00Z', imports: ['numpy', 'pandas', 'sys'], notebookId: 11 }));
    expect(later).toMatchObject({ action: 'reused', resolved: true });
    expect(later.environment.key).toBe(first.environment.key);
    // The identical request again is answered by the request cache: uv is not even asked.
    const again = expectReady(await create({ kind: 'backport', at: '2023-03-01T12:00:00Z', imports: ['numpy', 'pandas', 'sys'] }));
    expect(again).toMatchObject({ action: 'reused', resolved: false });
    expect(environmentUsage(store).builds).toBe(before);
  });

  it('makes the environment of a notebook file from its imports and date', async () => {
    const path = join(root, 'eda.ipynb');
    const source = '%matplotlib inline\nimport numpy as np\nimport pandas as pd\nfrom collections import Counter\n';
    writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { mle: { date: '2023-03-01T08:30:00Z' } }, cells: [{ cell_type: 'code', source, metadata: {}, outputs: [], execution_count: null }] }));
    const facts = await notebookFacts(null, path);
    const before = environmentUsage(store).builds;
    const outcome = expectReady(await create({ kind: 'backport', at: facts.date!, imports: facts.imports, pythonMajor: facts.pythonMajor }));
    expect(outcome.environment.key).toBe(first.environment.key);
    expect(environmentUsage(store).builds).toBe(before);
  });

  it('takes the kernel as of the date by default, and as of today under the newest policy', async () => {
    // ipykernel 6.21.2 (2023-02) was the newest then and resolves together with the date's pins.
    expect(first.environment.requested).toMatchObject({ kernelPolicy: 'auto', kernelResolvedAs: 'as-of-date' });
    expect(pin(first, 'ipykernel')).toBe('6.21.2');
    const outcome = expectReady(await create({ kind: 'backport', at: '2023-03-01', imports: ['pandas', 'numpy'] }, { kernelPolicy: 'newest' }));
    expect(outcome.action).toBe('built');
    expect(outcome.environment.requested).toMatchObject({ kernelPolicy: 'newest', kernelResolvedAs: 'newest' });
    expect(pin(outcome, 'pandas')).toBe('1.5.3');
    expect(major(pin(outcome, 'ipykernel')) * 100 + minor(pin(outcome, 'ipykernel'))).toBeGreaterThan(621);
    // typing-extensions goes with the kernel: IPython 8.23+ needs a newer one than it declares.
    expect(major(pin(outcome, 'typing-extensions')) * 100 + minor(pin(outcome, 'typing-extensions'))).toBeGreaterThan(405);
    expect(importedVersions(outcome, ['ipykernel', 'pandas'])).toEqual({ ipykernel: pin(outcome, 'ipykernel'), pandas: '1.5.3' });
  });

  it("falls back to today's kernel when no kernel of 2017 can start, on the nearest Python (3.6)", async () => {
    // As of 2017-03-01 only ipykernel 4.0.x (which declares no dependencies) resolves with wheels;
    // beside IPython 3 it cannot start. The kernel constraint (ipython>=4) makes that a resolution
    // failure, and the auto policy takes today's kernel stack, without a wasted build.
    const outcome = expectReady(await create({ kind: 'backport', at: '2017-03-01', imports: ['numpy'] }));
    expect(outcome.environment.pythonRule).toMatchObject({ newestAtDate: '3.6', ideal: '3.5', reason: 'nearest-available', chosen: { minor: '3.6' } });
    expect(outcome.environment.requested).toMatchObject({ kernelPolicy: 'auto', kernelResolvedAs: 'newest' });
    expect((outcome.environment.requested as { kernelFallback: string }).kernelFallback).toMatch(/\(resolve\)/);
    expect(pin(outcome, 'numpy')).toBe('1.12.0');
    expect(importedVersions(outcome, ['numpy', 'ipykernel'])).toEqual({ numpy: '1.12.0', ipykernel: pin(outcome, 'ipykernel') });
    expectKernelInside(outcome);
  });

  it("makes a contemporary environment with today's releases on the rule's interpreter", async () => {
    const outcome = expectReady(await create({ kind: 'contemporary', stack: ['numpy', 'pandas'], imports: ['sklearn'] }));
    expect(outcome.environment.kind).toBe('contemporary');
    expect(outcome.environment.pythonRule).toMatchObject({ newestAtDate: '3.14', ideal: '3.13' });
    expect(major(pin(outcome, 'numpy'))).toBeGreaterThanOrEqual(2);
    expect(major(pin(outcome, 'pandas'))).toBeGreaterThanOrEqual(2);
    expect(pin(outcome, 'scikit-learn')).toBeDefined();
    expect(outcome.environment.excludeNewer).toMatch(/T00:00:00Z$/);
    expect(importedVersions(outcome, ['numpy', 'pandas', 'sklearn', 'ipykernel'])).toMatchObject({ numpy: pin(outcome, 'numpy'), sklearn: pin(outcome, 'scikit-learn') });
    expectKernelInside(outcome);
  });

  it('rebuilds a deleted environment from its recorded lock without resolving', async () => {
    rmSync(first.environment.path!, { recursive: true, force: true });
    const outcome = expectReady(await create({ kind: 'backport', at: '2023-03-01T12:00:00Z', imports: ['numpy', 'pandas', 'sys'] }));
    expect(outcome).toMatchObject({ action: 'built', resolved: false });
    expect(outcome.environment.key).toBe(first.environment.key);
    expect(existsSync(join(first.environment.path!, 'bin', 'python'))).toBe(true);
  });

  it('installs a recorded lock offline into another cache, reproducing the same environment key', async () => {
    const otherStore = openStore(join(root, 'other.db'));
    try {
      const lock = readFileSync(join(first.environment.path!, 'mle-lock.txt'), 'utf8');
      const outcome = expectReady(await new EnvironmentBuilder(otherStore, { envDir: join(root, 'other-envs'), uvCacheDir, offline: true }).createFromLock(lock));
      expect(outcome).toMatchObject({ action: 'built', resolved: false });
      expect(outcome.environment).toMatchObject({ kind: 'lock', key: first.environment.key, pins: first.environment.pins });
      expect(importedVersions(outcome, ['pandas'])).toEqual({ pandas: '1.5.3' });
      expectKernelInside(outcome);
    } finally {
      otherStore.close();
    }
  });

  it('adopts the build another store made in the same environment directory instead of deleting it under its kernels', async () => {
    const otherStore = openStore(join(root, 'adopting.db'));
    try {
      const sentinel = join(first.environment.path!, 'in-use-by-another-process');
      writeFileSync(sentinel, '');
      const lock = readFileSync(join(first.environment.path!, 'mle-lock.txt'), 'utf8');
      const outcome = expectReady(await new EnvironmentBuilder(otherStore, { envDir, uvCacheDir, offline: true }).createFromLock(lock));
      expect(outcome).toMatchObject({ action: 'reused', resolved: false });
      expect(outcome.environment).toMatchObject({ key: first.environment.key, path: first.environment.path, status: 'ready' });
      expect(existsSync(sentinel)).toBe(true);
      expect(environmentUsage(otherStore)).toMatchObject({ builds: 0, reuses: 1 });
      rmSync(sentinel);
    } finally {
      otherStore.close();
    }
  });

  it('counts every build and reuse', () => {
    // Built: 2023-03-01, 2024-06-01, the newest-kernel one, 2017, the contemporary one, the rebuild.
    expect(environmentUsage(store)).toMatchObject({ builds: 6, reuses: 3, failures: 0 });
  });
});
