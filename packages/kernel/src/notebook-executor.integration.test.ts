import { readdirSync, readFileSync } from 'node:fs';
import { writeNotebook } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CellExecutionError, CellTimeoutError, DeadKernelError, KernelStartTimeoutError, TimeoutError } from './errors.js';
import type { NotebookExecution } from './execution-result.js';
import { KernelManager } from './kernel-manager.js';
import { liveKernelGroups } from './kernel-registry.js';
import { pythonKernelSpec } from './kernel-launcher.js';
import { NotebookExecutor } from './notebook-executor.js';
import { expectGroupGone, expectNothingLeft, notebookOf, PYTHON, streamTextOf } from './test-support/kernels.js';

/** A process exists and is not a zombie waiting to be reaped. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const TIMING_KEYS = ['iopub.status.busy', 'iopub.execute_input', 'shell.execute_reply', 'shell.execute_reply.started', 'iopub.status.idle'];

/** Run a notebook on a fresh kernel and check that nothing of the kernel is left afterwards. */
async function runFresh(cells: Parameters<typeof notebookOf>[0], options: ConstructorParameters<typeof NotebookExecutor>[1] = {}): Promise<NotebookExecution> {
  const execution = await new NotebookExecutor({ kernel: { pythonPath: PYTHON } }, options).execute(notebookOf(cells));
  await expectGroupGone(execution.result.kernelPid);
  return execution;
}


// Whatever happened in the tests, nothing of a kernel may survive them.
afterAll(() => expectNothingLeft());

describe('NotebookExecutor: a notebook round trip', () => {
  const input = notebookOf([
    { source: '# A title', type: 'markdown' },
    'print("hello")\n1 + 1',
    'import sys\nprint("warn", file=sys.stderr)\nfor i in range(3):\n    print(f"\\r{i}", end="")\nprint()',
    'from IPython.display import display, clear_output\nh = display("v1", display_id="progress")',
    'h.update("v2")',
    'print("before")\nclear_output(wait=True)\nprint("after")',
    { source: 'raise ValueError("tolerated")', tags: ['raises-exception'] },
    { source: 'print("should not run")', tags: ['skip-execution'] },
    '   \n',
    'print("end")',
  ]);
  const events: string[] = [];
  let execution: NotebookExecution;

  beforeAll(async () => {
    const executor = new NotebookExecutor({ kernel: { pythonPath: PYTHON } });
    for (const name of ['notebookStart', 'notebookComplete', 'notebookError', 'cellStart', 'cellExecute', 'cellComplete', 'cellExecuted', 'cellError'] as const) {
      executor.on(name, (payload: { index?: number }) => events.push(payload.index === undefined ? name : `${name}:${payload.index}`));
    }
    execution = await executor.execute(input);
  });

  it('completes with status ok, records the kernel and leaves the input untouched', async () => {
    const { result, notebook } = execution;
    expect(result.status).toBe('ok');
    expect(result.error).toBeNull();
    expect(result.languageInfo?.name).toBe('python');
    expect(result.languageInfo?.version).toMatch(/^3\.\d+\.\d+/);
    expect((notebook.metadata.language_info as { name?: string }).name).toBe('python');
    expect(result.sandbox).toBe('none');
    expect(result.startupMs).toBeGreaterThan(0);
    expect(result.peakMemoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(result.rejectedMessages['bad-signature']).toBe(0);
    expect(input.cells[1]?.outputs).toEqual([]);
    await expectGroupGone(result.kernelPid);
  });

  it('writes the outputs and execution counts nbclient would, as a valid v4 file', () => {
    const cells = execution.notebook.cells;
    const written = JSON.parse(writeNotebook(execution.notebook)) as { nbformat: number; cells: Array<{ execution_count: number | null; outputs: unknown[] }> };
    expect(written.nbformat).toBe(4);
    expect(written.cells[1]).toMatchObject({ execution_count: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: ['hello\n'] }, { output_type: 'execute_result' }] });
    expect(cells[1]?.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'hello\n' },
      { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '2' }, metadata: {} },
    ]);
    expect(cells[2]?.outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: '2\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
    ]);
    expect(cells.map((cell) => cell.executionCount)).toEqual([null, 1, 2, 3, 4, 5, 6, null, null, 7]);
    expect(streamTextOf(cells[9])).toBe('end\n');
  });

  it('applies update_display_data to the earlier cell and honours clear_output(wait=True)', () => {
    const cells = execution.notebook.cells;
    expect(cells[3]?.outputs).toEqual([{ output_type: 'display_data', data: { 'text/plain': "'v2'" }, metadata: {} }]);
    expect(cells[4]?.outputs).toEqual([]);
    expect(cells[5]?.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: 'after\n' }]);
  });

  it('lets a raises-exception cell fail and skips skip-execution and empty cells', () => {
    const byIndex = new Map(execution.result.cells.map((cell) => [cell.index, cell]));
    expect(byIndex.get(6)).toMatchObject({ status: 'error', ename: 'ValueError', evalue: 'tolerated', errorAllowed: true });
    expect(byIndex.get(6)?.traceback?.join('\n')).not.toMatch(/\u001b\[/);
    expect(execution.notebook.cells[6]?.outputs[0]).toMatchObject({ output_type: 'error', ename: 'ValueError' });
    expect(byIndex.get(7)?.status).toBe('skipped');
    expect(execution.notebook.cells[7]?.outputs).toEqual([]);
    expect(byIndex.get(8)?.status).toBe('skipped');
    expect(execution.result.firstFailingCellIndex).toBe(6);
    expect(execution.result.cells.map((cell) => cell.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("records nbclient's timing keys with the kernel's timestamps", () => {
    for (const index of [1, 2, 3, 4, 5, 6, 9]) {
      const timing = execution.notebook.cells[index]?.metadata.execution as Record<string, string>;
      expect(Object.keys(timing).sort()).toEqual([...TIMING_KEYS].sort());
      for (const key of TIMING_KEYS) expect(Number.isNaN(Date.parse(timing[key] as string))).toBe(false);
      expect(Date.parse(timing['iopub.status.busy'] as string)).toBeLessThanOrEqual(Date.parse(timing['iopub.status.idle'] as string));
    }
    expect(execution.notebook.cells[7]?.metadata.execution).toBeUndefined();
  });

  it('emits the hooks in order, cellError even for a tolerated error', () => {
    expect(events[0]).toBe('notebookStart');
    expect(events.at(-1)).toBe('notebookComplete');
    expect(events.filter((event) => event.endsWith(':1'))).toEqual(['cellStart:1', 'cellExecute:1', 'cellComplete:1', 'cellExecuted:1']);
    expect(events.filter((event) => event.endsWith(':6'))).toEqual(['cellStart:6', 'cellExecute:6', 'cellComplete:6', 'cellExecuted:6', 'cellError:6']);
    expect(events.filter((event) => event.endsWith(':7'))).toEqual(['cellStart:7']);
    expect(events).not.toContain('notebookError');
  });
});

describe('NotebookExecutor on a shared kernel', () => {
  let km: KernelManager;
  beforeAll(async () => {
    km = await KernelManager.start({ kernel: { pythonPath: PYTHON } });
  });
  afterAll(async () => {
    await km.shutdown();
    await expectGroupGone(km.process.pid);
  });

  const failing = ['x = 1', 'raise ValueError("boom")', 'print("ran after the error")'];

  it('stops at the first error with a CellExecutionError', async () => {
    const errors: number[] = [];
    const executor = new NotebookExecutor(null);
    executor.on('cellError', ({ index }) => errors.push(index));
    const { result, notebook } = await executor.execute(notebookOf(failing), { kernel: km });
    expect(result.status).toBe('error');
    expect(result.error).toBeInstanceOf(CellExecutionError);
    const error = result.error as CellExecutionError;
    expect([error.ename, error.evalue, error.cellIndex]).toEqual(['ValueError', 'boom', 1]);
    expect(error.traceback.join('\n')).toContain('ValueError');
    expect(error.traceback.join('\n')).not.toMatch(/\u001b\[/);
    expect(result.firstFailingCellIndex).toBe(1);
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'error', 'not-run']);
    expect(notebook.cells[2]?.outputs).toEqual([]);
    expect(errors).toEqual([1]);
    expect(km.isAlive()).toBe(true);
  });

  it('runs on past errors with allowErrors, and past listed names with allowErrorNames', async () => {
    for (const options of [{ allowErrors: true }, { allowErrorNames: ['ValueError'] }]) {
      const { result, notebook } = await new NotebookExecutor(null, options).execute(notebookOf(failing), { kernel: km });
      expect(result.status).toBe('ok');
      expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'error', 'ok']);
      expect(streamTextOf(notebook.cells[2])).toBe('ran after the error\n');
    }
    const { result } = await new NotebookExecutor(null, { allowErrorNames: ['KeyError'] }).execute(notebookOf(failing), { kernel: km });
    expect(result.status).toBe('error');
    const forced = await new NotebookExecutor(null, { allowErrors: true, forceRaiseErrors: true }).execute(notebookOf(failing), { kernel: km });
    expect(forced.result.status).toBe('error');
  });

  it('fails input() clearly: the kernel raises StdinNotImplementedError', async () => {
    const { result } = await new NotebookExecutor(null).execute(notebookOf(['name = input("name? ")']), { kernel: km });
    expect(result.status).toBe('error');
    expect(result.cells[0]?.ename).toBe('StdinNotImplementedError');
    expect(result.error?.message).toContain('input()');
  });

  it('interrupts a cell past its timeout and keeps the kernel usable', async () => {
    const { result, notebook } = await new NotebookExecutor(null, { timeoutMs: 2000, interruptOnTimeout: true }).execute(
      notebookOf(['print("start")', 'while True:\n    pass', 'print("never")']),
      { kernel: km },
    );
    expect(result.status).toBe('timeout');
    expect(result.error).toBeInstanceOf(CellTimeoutError);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error?.name).toBe('CellTimeoutError');
    expect((result.error as CellTimeoutError).budget).toBe('cell');
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'timeout', 'not-run']);
    expect(result.cells[1]?.ename).toBe('KeyboardInterrupt');
    expect(((result.error as CellTimeoutError).cause as CellExecutionError).ename).toBe('KeyboardInterrupt');
    expect(notebook.cells[1]?.outputs.some((output) => output.output_type === 'error')).toBe(true);
    // The reply came after the interrupt: nbclient records its timing keys as for any reply.
    const timing = notebook.cells[1]?.metadata.execution as Record<string, string>;
    expect(Object.keys(timing).sort()).toEqual([...TIMING_KEYS].sort());
    expect(Date.parse(timing['shell.execute_reply'] as string)).toBeGreaterThanOrEqual(Date.parse(timing['iopub.execute_input'] as string));
    expect(km.isAlive()).toBe(true);
    expect(result.kernelExitSignal).toBeNull();
    expect(result.kernelDeathCause).toBeNull();
    const after = await new NotebookExecutor(null).execute(notebookOf(['print("still alive")']), { kernel: km });
    expect(streamTextOf(after.notebook.cells[0])).toBe('still alive\n');
  });

  it('enforces the whole-notebook budget', async () => {
    const { result } = await new NotebookExecutor(null, { notebookTimeoutMs: 1500, interruptOnTimeout: true }).execute(
      notebookOf(['import time\ntime.sleep(0.3)', 'time.sleep(30)', 'print("never")']),
      { kernel: km },
    );
    expect(result.status).toBe('timeout');
    expect((result.error as CellTimeoutError).budget).toBe('notebook');
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'timeout', 'not-run']);
  });
});

describe('NotebookExecutor with kernels that misbehave', () => {
  it('kills a kernel that ignores SIGINT after a timeout', async () => {
    // In the same cell: ipykernel restores its own SIGINT handler before each execution.
    const { result } = await runFresh(['print("ready")', 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass'], {
      timeoutMs: 1000,
      interruptOnTimeout: true,
      interruptGraceMs: 1000,
    });
    expect(result.status).toBe('timeout');
    expect(result.error).toBeInstanceOf(CellTimeoutError);
    expect(result.cells[1]?.status).toBe('timeout');
    // No KeyboardInterrupt reply: the kernel had to be killed.
    expect(result.cells[1]?.ename).toBeUndefined();
    expect(['SIGTERM', 'SIGKILL']).toContain(result.kernelExitSignal);
  });

  it('kills the kernel at once on a timeout without interruptOnTimeout', async () => {
    const { result } = await runFresh(['while True:\n    pass'], { timeoutMs: 800 });
    expect(result.status).toBe('timeout');
    expect(result.cells[0]?.status).toBe('timeout');
    expect(['SIGTERM', 'SIGKILL']).toContain(result.kernelExitSignal);
  });

  it('reports os._exit as a dead kernel without waiting for a timeout', async () => {
    const started = Date.now();
    const { result } = await runFresh(['print("a")', 'import os\nos._exit(1)', 'print("never")']);
    expect(result.status).toBe('kernel-died');
    expect(result.error).toBeInstanceOf(DeadKernelError);
    expect(result.error?.name).toBe('DeadKernelError');
    expect(result.kernelExitCode).toBe(1);
    expect(result.kernelDeathCause).toBe('exit');
    expect(result.cells.map((cell) => cell.status)).toEqual(['ok', 'kernel-died', 'not-run']);
    expect(result.firstFailingCellIndex).toBe(1);
    // No timeout is set: only the liveness watch can end this run (a hang would hit the test timeout).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('reports a segfault with its signal', async () => {
    const { result } = await runFresh(['import ctypes\nctypes.string_at(0)']);
    expect(result.status).toBe('kernel-died');
    expect(result.kernelExitSignal).toBe('SIGSEGV');
    expect(result.kernelDeathCause).toBe('signal');
    expect((result.error as DeadKernelError).exit?.signal).toBe('SIGSEGV');
  });

  it('caps a 100 MB flood of output without holding it in memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const { result, notebook } = await runFresh(['import sys\nchunk = "x" * 1023 + "\\n"\nfor _ in range(100_000):\n    sys.stdout.write(chunk)', 'print("after")']);
    expect(result.status).toBe('ok');
    const flood = result.cells[0];
    expect(flood?.outputTruncated).toBe(true);
    // The cap counts text bytes; outputBytes is nbformat JSON, where each newline is escaped.
    expect(flood?.outputBytes).toBeLessThanOrEqual(4 * 1024 * 1024 + 64 * 1024);
    expect(flood?.droppedOutputBytes).toBeGreaterThan(90 * 1024 * 1024);
    expect(streamTextOf(notebook.cells[0], 'stderr')).toContain('output truncated');
    expect(streamTextOf(notebook.cells[1])).toBe('after\n');
    // Kept output is capped at 4 MiB; transient buffers must not approach the 100 MB printed.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });

  it('stops a fork bomb at maxProcesses and the kernel keeps working', async () => {
    const bomb = [
      'import os, time',
      'children = []',
      'try:',
      '    for _ in range(1000):',
      '        pid = os.fork()',
      '        if pid == 0:',
      '            time.sleep(60)',
      '            os._exit(0)',
      '        children.append(pid)',
      'except OSError:',
      '    print("refused after", len(children))',
    ].join('\n');
    // Immediate shutdown: ipykernel's own shutdown waits for its un-reaped children for up to ~30 s.
    const execution = await new NotebookExecutor({ kernel: { pythonPath: PYTHON }, limits: { maxProcesses: 48 } }, { shutdownKernel: 'immediate' }).execute(
      notebookOf([bomb, 'print("alive")']),
    );
    const { result, notebook } = execution;
    expect(result.status).toBe('ok');
    const forked = Number(/refused after (\d+)/.exec(streamTextOf(notebook.cells[0]))?.[1]);
    expect(forked).toBeGreaterThan(0);
    expect(forked).toBeLessThan(48);
    expect(result.processLimitHits).toBeGreaterThan(0);
    expect(streamTextOf(notebook.cells[1])).toBe('alive\n');
    await expectGroupGone(result.kernelPid);
  });

  it('leaves no process behind, even one that left the process group with setsid()', async () => {
    const { result, notebook } = await runFresh(['import subprocess\nchild = subprocess.Popen(["sleep", "300"], start_new_session=True)\nprint(child.pid)']);
    expect(result.status).toBe('ok');
    const escaped = Number(streamTextOf(notebook.cells[0]));
    expect(escaped).toBeGreaterThan(0);
    const deadline = Date.now() + 3000;
    while (isRunning(escaped) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(isRunning(escaped)).toBe(false);
  });

  it('reports a kernel that exits during startup as start-failed with its stderr', async () => {
    const spec = { ...pythonKernelSpec(PYTHON), argv: [PYTHON, '-c', 'import sys; sys.stderr.write("no kernel here\\n"); sys.exit(3)'] };
    const { result } = await new NotebookExecutor({ kernel: { spec } }).execute(notebookOf(['print(1)']));
    expect(result.status).toBe('start-failed');
    expect(result.error).toBeInstanceOf(DeadKernelError);
    expect(result.kernelExitCode).toBe(3);
    expect(result.kernelStderr).toContain('no kernel here');
    expect(result.cells.map((cell) => cell.status)).toEqual(['not-run']);
    expect(liveKernelGroups()).toEqual([]);
  });

  it('gives up on a kernel that never answers within the startup timeout, and kills it', async () => {
    const marker = `mle-startup-timeout-${process.pid}`;
    const spec = { ...pythonKernelSpec(PYTHON), argv: [PYTHON, '-c', `import time; time.sleep(60)  # ${marker}`] };
    const { result } = await new NotebookExecutor({ kernel: { spec } }, { startupTimeoutMs: 1500 }).execute(notebookOf(['print(1)']));
    expect(result.status).toBe('start-failed');
    expect(result.error).toBeInstanceOf(KernelStartTimeoutError);
    expect(result.error).toBeInstanceOf(TimeoutError);
    expect(result.error?.name).toBe('KernelStartTimeoutError');
    expect(result.error?.cause).toBeInstanceOf(TimeoutError);
    expect(liveKernelGroups()).toEqual([]);
    const survivors = readdirSync('/proc').filter((pid) => {
      try {
        return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    expect(survivors).toEqual([]);
  });
});
