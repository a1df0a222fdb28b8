import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentBuilder, type EnvironmentOutcome, type ReadyEnvironment } from './create-environment.js';
import { CONTEMPORARY_STACK } from './plan-requirements.js';

// The full contemporary ML stack and the CPU torch wheel: about 1 GB of installed files, minutes
// on a cold uv cache. Run with MLE_SLOW=1 (npm run test:slow).
const uvCacheDir = fileURLToPath(new URL('../../../.mle/uv-cache', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-env-slow-'));
let store: WritableStore;
beforeAll(() => {
  store = openStore(join(root, 'envs.db'));
});
afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

function expectReady(outcome: EnvironmentOutcome): ReadyEnvironment {
  expect(outcome.status, `${outcome.environment.failureMode}: ${outcome.environment.failureMessage}`).toBe('ready');
  return outcome as ReadyEnvironment;
}

function runInside(outcome: ReadyEnvironment, code: string): string {
  return execFileSync(join(outcome.environment.path!, 'bin', 'python'), ['-c', code], { encoding: 'utf8' }).trim();
}

describe('heavy environments', () => {
  it("builds today's full ML stack without any CUDA library, and every module imports", async () => {
    const outcome = expectReady(await new EnvironmentBuilder(store, { envDir: join(root, 'envs'), uvCacheDir }).create({ kind: 'contemporary' }));
    const names = outcome.environment.pins.map((pin) => pin.name);
    for (const distribution of CONTEMPORARY_STACK) expect(names, distribution).toContain(distribution === 'xgboost' ? 'xgboost-cpu' : distribution);
    expect(names.filter((name) => name.startsWith('nvidia-'))).toEqual([]);
    const modules = ['numpy', 'pandas', 'sklearn', 'scipy', 'matplotlib', 'seaborn', 'xgboost', 'lightgbm', 'statsmodels', 'ipykernel'];
    expect(runInside(outcome, `import ${modules.join(', ')}; print('ok')`)).toBe('ok');
  });

  it('installs torch from the local CPU wheel with --with-torch, never a CUDA build', async () => {
    const outcome = expectReady(
      await new EnvironmentBuilder(store, { envDir: join(root, 'envs'), uvCacheDir, withTorch: true }).create({ kind: 'contemporary', stack: ['numpy'], imports: ['torch.nn'], python: '3.11' }),
    );
    const torch = outcome.environment.pins.find((pin) => pin.name === 'torch');
    expect(torch?.version).toMatch(/\+cpu$/);
    expect(outcome.environment.pins.filter((pin) => pin.name.startsWith('nvidia-'))).toEqual([]);
    expect(runInside(outcome, 'import torch; print(torch.__version__, torch.version.cuda, float(torch.ones(3).sum()))')).toBe(`${torch!.version} None 3.0`);
  });
});
