import { afterAll, describe, expect, it } from 'vitest';
import { KernelManager } from './kernel-manager.js';
import { NotebookExecutor } from './notebook-executor.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON } from './test-support/kernels.js';

afterAll(() => expectNothingLeft());

describe('KernelManager.shutdown', () => {
  it('lets a kernel that answers shutdown_request exit by itself', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON } });
    const exit = await km.shutdown({ graceMs: 20_000 });
    expect(exit).toEqual({ code: 0, signal: null });
    await expectGroupGone(km.process.pid);
  });

  it('signals a kernel that answered shutdown_request but does not exit, without waiting out the whole grace', async () => {
    const km = await KernelManager.start({ kernel: { pythonPath: PYTHON } });
    // Stuck after its reply, in the interpreter's exit, like ipykernel's blocked capture threads.
    const { result } = await new NotebookExecutor(null).execute(notebookOf(['import atexit, time\natexit.register(time.sleep, 120)']), { kernel: km });
    expect(result.status).toBe('ok');
    const started = Date.now();
    const exit = await km.shutdown({ graceMs: 60_000, afterReplyMs: 500 });
    expect(exit.signal).toBe('SIGTERM');
    // Bounded by the after-reply wait (plus SIGTERM's own grace), not the 60 s grace.
    expect(Date.now() - started).toBeLessThan(30_000);
    await expectGroupGone(km.process.pid);
  });
});
