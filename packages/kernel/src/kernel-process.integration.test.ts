import { afterAll, describe, expect, it } from 'vitest';
import { KernelSpawnError } from './errors.js';
import { KernelProcess } from './kernel-process.js';
import { liveKernelGroups } from './kernel-registry.js';
import { expectGroupGone, expectNothingLeft } from './test-support/kernels.js';

const env = { PATH: '/usr/bin:/bin' };

afterAll(() => expectNothingLeft());

describe('KernelProcess', () => {
  it('keeps only the most recent stderr, bounded', async () => {
    const child = await KernelProcess.spawn(['/bin/sh', '-c', 'i=0; while [ $i -lt 3000 ]; do echo "line $i" >&2; i=$((i+1)); done; echo LAST >&2'], { env, stderrLimitBytes: 4096 });
    await child.exited;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const tail = child.stderrTail();
    expect(tail.endsWith('LAST\n')).toBe(true);
    expect(tail).not.toContain('line 0\n');
    // Whole pipe chunks are kept, so the bound is the limit plus at most one chunk.
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(4096 + 65536);
    await child.kill();
    expect(liveKernelGroups()).not.toContain(child.pid);
  });

  it('kills the whole process group, escalating to SIGKILL when SIGTERM is ignored', async () => {
    const child = await KernelProcess.spawn(['/bin/sh', '-c', "trap '' TERM; sleep 100 & sleep 100 & wait"], { env });
    expect(liveKernelGroups()).toContain(child.pid);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const exit = await child.kill(300);
    expect(exit.signal).toBe('SIGKILL');
    await expectGroupGone(child.pid);
  });

  it('reports a program that cannot be started', async () => {
    await expect(KernelProcess.spawn(['/nonexistent/python', '-m', 'ipykernel_launcher'], { env })).rejects.toBeInstanceOf(KernelSpawnError);
  });
});
