import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SocketDirectory } from './socket-directory.js';
import { expectGroupGone, expectNothingLeft, PYTHON } from './test-support/kernels.js';

// A separate Node process starts a kernel and then ends in various ways; the kernel must not
// outlive it. It runs the built package, as any consumer would.
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/**
 * `parentPoller` false turns off ipykernel's own exit-when-orphaned poller, so only the
 * registry's cleanup can end the kernel.
 */
async function parentWithKernel(then: 'exit' | 'wait', parentPoller = false): Promise<{ parent: ReturnType<typeof spawn>; kernelPid: number; socketDir: string }> {
  const env = parentPoller ? {} : { JPY_PARENT_PID: '0' };
  const script = `
    import { KernelManager } from ${JSON.stringify(DIST)};
    const km = await KernelManager.start({ kernel: { pythonPath: ${JSON.stringify(PYTHON)} }, env: ${JSON.stringify(env)} });
    process.stdout.write(JSON.stringify({ pid: km.process.pid, socketDir: km.connection.ip.replace(/\\/kernel$/, '') }) + '\\n');
    ${then === 'exit' ? 'process.exit(0);' : 'setInterval(() => undefined, 1000);'}
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const started = await new Promise<{ pid: number; socketDir: string }>((resolve, reject) => {
    let out = '';
    parent.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.trim()) as { pid: number; socketDir: string });
    });
    parent.once('exit', (code) => reject(new Error(`parent exited with ${code} before starting its kernel`)));
  });
  expect(existsSync(join(started.socketDir, 'connection.json'))).toBe(true);
  return { parent, kernelPid: started.pid, socketDir: started.socketDir };
}

function exited(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}


// Whatever happened in the tests, nothing of a kernel may survive them.
afterAll(() => expectNothingLeft());

describe('no kernel outlives the process that started it', () => {
  it('has a built package to run', () => {
    expect(existsSync(DIST), `build first: npx tsc -b packages/kernel (${DIST})`).toBe(true);
  });

  it('kills kernels when the parent calls process.exit()', async () => {
    const { parent, kernelPid, socketDir } = await parentWithKernel('exit');
    expect(await exited(parent)).toEqual({ code: 0, signal: null });
    await expectGroupGone(kernelPid);
    expect(existsSync(socketDir)).toBe(false);
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`kills kernels when the parent gets ${signal}, and the parent still dies of it`, async () => {
      const { parent, kernelPid, socketDir } = await parentWithKernel('wait');
      parent.kill(signal);
      expect(await exited(parent)).toEqual({ code: null, signal });
      await expectGroupGone(kernelPid);
      expect(existsSync(socketDir)).toBe(false);
    });
  }

  it('ends an unsandboxed kernel even when the parent is SIGKILLed (ipykernel parent poller)', async () => {
    const { parent, kernelPid, socketDir } = await parentWithKernel('wait', true);
    parent.kill('SIGKILL');
    await exited(parent);
    await expectGroupGone(kernelPid, 10_000);
    // A SIGKILLed parent cannot clean up: the next socket directory made removes its leftovers.
    expect(existsSync(socketDir)).toBe(true);
    new SocketDirectory().remove();
    expect(existsSync(socketDir)).toBe(false);
  });
});
