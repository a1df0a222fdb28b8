import { EventEmitter } from 'node:events';
import type { NormalizedCell, NormalizedNotebook } from '@mle/core';
import { CellExecutionError, CellTimeoutError, DeadKernelError, KernelStartTimeoutError } from './errors.js';
import type { CellRunResult, NotebookExecution, NotebookRunResult, NotebookRunStatus } from './execution-result.js';
import { DEFAULT_EXECUTOR_OPTIONS, RAISES_EXCEPTION_TAG, type NotebookExecutorOptions } from './executor-options.js';
import { contentOf, type LanguageInfo, type ReceivedMessage } from './jupyter-message.js';
import type { MemoryLimitKind } from './kernel-cgroup.js';
import type { ExecuteOptions } from './kernel-client.js';
import { KernelManager, type KernelStartOptions } from './kernel-manager.js';
import type { KernelExit } from './kernel-process.js';
import { OutputRecorder } from './output-recorder.js';
import { stripAnsi } from './strip-ansi.js';
import type { RejectionCounts } from './wire-codec.js';

/** Event payloads, fixed like nbclient's hook arguments. */
export interface NotebookExecutorEvents {
  notebookStart: [{ notebook: NormalizedNotebook }];
  notebookComplete: [{ notebook: NormalizedNotebook; result: NotebookRunResult }];
  notebookError: [{ notebook: NormalizedNotebook; error: Error }];
  cellStart: [{ cell: NormalizedCell; index: number }];
  /** Just before the cell is sent to the kernel. */
  cellExecute: [{ cell: NormalizedCell; index: number }];
  /** Right after the cell was sent (nbclient's on_cell_complete fires at the same point). */
  cellComplete: [{ cell: NormalizedCell; index: number }];
  cellExecuted: [{ cell: NormalizedCell; index: number; reply: ReceivedMessage | null }];
  /** Any error reply, tolerated or not. */
  cellError: [{ cell: NormalizedCell; index: number; reply: ReceivedMessage }];
}

/** Where a kernel runs: a local sandbox kind, or a Jupyter (Enterprise) Gateway. */
export type KernelSandbox = 'bwrap' | 'none' | 'gateway';

/**
 * What NotebookExecutor needs of a running kernel, whatever carries its messages: ZeroMQ to a
 * local process (`KernelManager`, through `zeromqKernel`) or a Jupyter Server websocket
 * (`GatewayKernel`). Statuses and outputs must not depend on the transport.
 */
export interface ExecutorKernel {
  readonly sandbox: KernelSandbox;
  /** Milliseconds from asking for the kernel to its being ready. */
  readonly startupMs: number;
  readonly languageInfo: LanguageInfo | null;
  /** The local process id; null for a kernel on another machine. */
  readonly pid: number | null;
  /** How a memory limit was applied to the kernel; absent when the transport cannot tell. */
  readonly memoryLimit?: MemoryLimitKind;
  /** Settles when the kernel is lost (exited, stopped answering, culled). */
  readonly died: Promise<unknown>;
  /** Send an execute_request; IOPub and stdin messages of it go to the listeners until dispose(). */
  execute(
    code: string,
    options: ExecuteOptions,
    listeners: { iopub: (message: ReceivedMessage) => void; stdin?: (message: ReceivedMessage) => void },
  ): { reply: Promise<ReceivedMessage>; dispose: () => void };
  inputReply(parent: ReceivedMessage, value: string): Promise<void>;
  interrupt(): Promise<void>;
  /** Stop a kernel an interrupt did not bring back; it is lost afterwards. */
  kill(): Promise<void>;
  /** How the kernel ended, when that is known. */
  exit(): KernelExit | null;
  deadKernelError(during: 'startup' | 'execution'): DeadKernelError;
  processLimitHits(): number | null;
  peakMemoryBytes(): number | null;
  rejectedMessages(): RejectionCounts;
  stderrTail(): string;
  shutdown(options: { mode: 'graceful' | 'immediate' }): Promise<void>;
}

/** Starts kernels some other way than a local launch (a gateway). */
export interface KernelLauncher {
  start(options: { startupTimeoutMs: number }): Promise<ExecutorKernel>;
}

/** The ZeroMQ kernel of a KernelManager as an ExecutorKernel. */
export function zeromqKernel(km: KernelManager): ExecutorKernel {
  return {
    sandbox: km.sandbox,
    get startupMs() {
      return km.startupMs;
    },
    get languageInfo() {
      return km.languageInfo;
    },
    pid: km.process.pid,
    memoryLimit: km.memoryLimit,
    died: km.died,
    execute: (code, options, listeners) => km.client.execute(code, options, listeners),
    inputReply: (parent, value) => km.client.inputReply(parent, value),
    interrupt: () => km.interrupt(),
    kill: async () => {
      if (km.process.isAlive()) await km.process.kill(500);
    },
    exit: () => km.kernelExit(),
    deadKernelError: (during) => km.deadKernelError(during),
    processLimitHits: () => km.processLimitHits(),
    peakMemoryBytes: () => km.memory.peakBytes,
    rejectedMessages: () => ({ ...km.client.rejected }),
    stderrTail: () => km.process.stderrTail(),
    shutdown: async (options) => {
      await km.shutdown(options);
    },
  };
}

function isLauncher(value: KernelStartOptions | KernelLauncher): value is KernelLauncher {
  return typeof (value as Partial<KernelLauncher>).start === 'function';
}

export interface NotebookExecuteOptions {
  /** Run on this kernel instead of starting one; it is left running afterwards. */
  kernel?: KernelManager | ExecutorKernel;
}

type Wait<T> = { kind: 'reply'; message: ReceivedMessage } | { kind: 'died' } | { kind: 'timeout' } | { kind: 'value'; value: T };

/** A cell's outcome that stops the run. */
interface Stop {
  status: Exclude<NotebookRunStatus, 'ok' | 'start-failed'>;
  error: Error;
  /** The kernel cannot be reused (killed or dead). */
  kernelLost: boolean;
}

function tagsOf(cell: NormalizedCell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === 'string') : [];
}

function timer(ms: number): { promise: Promise<{ kind: 'timeout' }>; cancel: () => void } {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<{ kind: 'timeout' }>((resolve) => {
    handle = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(0, ms));
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

/** After a kernel death: wait for IOPub to be quiet this long, but no longer than that in all. */
const DEATH_DRAIN = { quietMs: 100, maxMs: 2000 };

/** Resolve once no IOPub message came for `quietMs`, the idle status came, or `maxMs` passed. */
async function drainIopub(lastMessageAt: () => number, idle: Promise<unknown>, limits: { quietMs: number; maxMs: number }): Promise<void> {
  const start = Date.now();
  const deadline = start + limits.maxMs;
  let idleSeen = false;
  void idle.then(() => (idleSeen = true));
  for (;;) {
    const now = Date.now();
    // Quiet since the later of the last message and the death: messages queued before the death
    // was noticed have not been read yet.
    const quietFor = now - Math.max(lastMessageAt(), start);
    if (idleSeen || quietFor >= limits.quietMs || now >= deadline) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(limits.quietMs - quietFor, deadline - now)));
  }
}

function emptyRejections(): RejectionCounts {
  return { 'no-delimiter': 0, truncated: 0, 'bad-signature': 0, replayed: 0, 'malformed-json': 0 };
}

function notRun(cell: NormalizedCell, status: CellRunResult['status']): CellRunResult {
  return {
    index: cell.index,
    status,
    durationMs: 0,
    executionCount: cell.executionCount,
    outputBytes: 0,
    outputTruncated: false,
    droppedOutputBytes: 0,
    iopubTimedOut: false,
    inputRequested: false,
  };
}

/**
 * Runs a notebook's code cells on a Jupyter kernel with nbclient's semantics and returns the
 * executed notebook (a copy; the input is not modified) with a result saying how the run went.
 * Never throws for a failing notebook: the failure is the result's `status` and typed `error`.
 */
export class NotebookExecutor extends EventEmitter<NotebookExecutorEvents> {
  readonly options: Readonly<NotebookExecutorOptions>;
  readonly kernelOptions: KernelStartOptions | null;
  readonly launcher: KernelLauncher | null;

  /** `kernel`: how to start a local kernel, a launcher of remote ones, or null when every run gets a kernel. */
  constructor(kernel: KernelStartOptions | KernelLauncher | null, options: Partial<NotebookExecutorOptions> = {}) {
    super();
    this.kernelOptions = kernel && !isLauncher(kernel) ? kernel : null;
    this.launcher = kernel && isLauncher(kernel) ? kernel : null;
    this.options = Object.freeze({ ...DEFAULT_EXECUTOR_OPTIONS, ...options });
  }

  async execute(input: NormalizedNotebook, executeOptions: NotebookExecuteOptions = {}): Promise<NotebookExecution> {
    const notebook = structuredClone(input);
    const started = Date.now();
    const result: NotebookRunResult = {
      status: 'ok',
      error: null,
      cells: [],
      firstFailingCellIndex: null,
      startupMs: null,
      durationMs: 0,
      kernelPid: null,
      kernelExitSignal: null,
      kernelExitCode: null,
      processLimitHits: null,
      peakMemoryBytes: null,
      languageInfo: null,
      sandbox: 'none',
      memoryLimit: null,
      kernelDeathCause: null,
      rejectedMessages: emptyRejections(),
      kernelStderr: '',
    };
    const codeCells = notebook.cells.filter((cell) => cell.cellType === 'code');

    const given = executeOptions.kernel ?? null;
    let km: ExecutorKernel | null = given instanceof KernelManager ? zeromqKernel(given) : given;
    const owned = km === null;
    if (!km) {
      if (!this.kernelOptions && !this.launcher) throw new TypeError('NotebookExecutor needs kernel start options, a launcher or a running kernel');
      try {
        km = this.launcher
          ? await this.launcher.start({ startupTimeoutMs: this.options.startupTimeoutMs })
          : zeromqKernel(await KernelManager.start({ startupTimeoutMs: this.options.startupTimeoutMs, ...(this.kernelOptions as KernelStartOptions) }));
      } catch (error) {
        result.status = 'start-failed';
        result.error = error instanceof Error ? error : new Error(String(error));
        result.cells = codeCells.map((cell) => notRun(cell, 'not-run'));
        if (result.error instanceof KernelStartTimeoutError) result.kernelStderr = result.error.stderr;
        if (result.error instanceof DeadKernelError) {
          result.kernelStderr = result.error.stderr;
          result.kernelExitCode = result.error.exit?.code ?? null;
          result.kernelExitSignal = result.error.exit?.signal ?? null;
          result.kernelDeathCause = result.error.deathCause;
        }
        result.durationMs = Date.now() - started;
        this.emit('notebookError', { notebook, error: result.error });
        return { notebook, result };
      }
      result.startupMs = km.startupMs;
    }
    result.kernelPid = km.pid;
    result.sandbox = km.sandbox;
    result.memoryLimit = km.memoryLimit ?? null;
    result.languageInfo = km.languageInfo;
    if (km.languageInfo) notebook.metadata.language_info = { ...km.languageInfo } as typeof notebook.metadata.language_info;

    let stop: Stop | null = null;
    try {
      this.emit('notebookStart', { notebook });
      const recorder = new OutputRecorder({ maxOutputBytesPerCell: this.options.maxOutputBytesPerCell, coalesceStreams: this.options.coalesceStreams });
      const budgetMs = this.options.notebookTimeoutMs;
      const notebookDeadline = budgetMs === null ? Infinity : Date.now() + budgetMs;
      for (const cell of notebook.cells) {
        if (stop) {
          if (cell.cellType === 'code') result.cells.push(notRun(cell, 'not-run'));
          continue;
        }
        const outcome = await this.#runCell(km, cell, recorder, notebookDeadline);
        if (outcome.cell) result.cells.push(outcome.cell);
        if (outcome.cell && ['error', 'timeout', 'kernel-died'].includes(outcome.cell.status) && result.firstFailingCellIndex === null) {
          result.firstFailingCellIndex = cell.index;
        }
        stop = outcome.stop;
      }
    } finally {
      result.processLimitHits = km.processLimitHits();
      // How the kernel ended when the run lost it, read before our own shutdown signals it.
      if (stop?.kernelLost) {
        result.kernelExitSignal = km.exit()?.signal ?? null;
        result.kernelExitCode = km.exit()?.code ?? null;
      }
      if (owned) {
        const immediate = stop?.kernelLost || this.options.shutdownKernel === 'immediate';
        await km.shutdown({ mode: immediate ? 'immediate' : 'graceful' });
      }
    }
    if (stop) {
      result.status = stop.status;
      result.error = stop.error;
      if (stop.error instanceof DeadKernelError) result.kernelDeathCause = stop.error.deathCause;
    }
    result.peakMemoryBytes = km.peakMemoryBytes();
    result.rejectedMessages = km.rejectedMessages();
    if (result.status !== 'ok') result.kernelStderr = km.stderrTail();
    result.durationMs = Date.now() - started;
    if (result.error) this.emit('notebookError', { notebook, error: result.error });
    this.emit('notebookComplete', { notebook, result });
    return { notebook, result };
  }

  async #runCell(km: ExecutorKernel, cell: NormalizedCell, recorder: OutputRecorder, notebookDeadline: number): Promise<{ cell: CellRunResult | null; stop: Stop | null }> {
    const index = cell.index;
    const options = this.options;
    this.emit('cellStart', { cell, index });
    if (cell.cellType !== 'code') return { cell: null, stop: null };
    const tags = tagsOf(cell);
    if (!cell.source.trim() || tags.includes(options.skipCellsWithTag)) return { cell: notRun(cell, 'skipped'), stop: null };
    if (Date.now() >= notebookDeadline) {
      const error = new CellTimeoutError(index, options.notebookTimeoutMs ?? 0, 'notebook', cell.source);
      return { cell: notRun(cell, 'timeout'), stop: { status: 'timeout', error, kernelLost: false } };
    }

    const timing: Record<string, string> = {};
    if (options.recordTiming) cell.metadata.execution = timing;
    const cellAllowsErrors = !options.forceRaiseErrors && (options.allowErrors || tags.includes(RAISES_EXCEPTION_TAG));
    const run: CellRunResult = notRun(cell, 'ok');
    cell.executionCount = null;
    run.executionCount = null;
    recorder.beginCell(cell);

    let resolveIdle!: () => void;
    const idle = new Promise<{ kind: 'value'; value: 'idle' }>((resolve) => (resolveIdle = () => resolve({ kind: 'value', value: 'idle' })));
    let lastIopubAt = Date.now();
    const onIopub = (message: ReceivedMessage): void => {
      lastIopubAt = Date.now();
      const type = message.header.msg_type;
      const date = message.header.date || new Date().toISOString();
      if (type === 'status') {
        const state = contentOf(message, 'status').execution_state;
        if (state === 'busy') timing['iopub.status.busy'] = date;
        if (state === 'idle') {
          timing['iopub.status.idle'] = date;
          resolveIdle();
        }
        return;
      }
      if (type === 'execute_input') {
        timing['iopub.execute_input'] = date;
        const count = contentOf(message, 'execute_input').execution_count;
        if (typeof count === 'number') cell.executionCount = count;
        return;
      }
      recorder.handle(message);
    };
    const onStdin = (message: ReceivedMessage): void => {
      if (message.header.msg_type !== 'input_request') return;
      // Only a kernel ignoring allow_stdin=false asks; answer so it does not block until the timeout.
      run.inputRequested = true;
      void km.inputReply(message, '').catch(() => undefined);
    };

    this.emit('cellExecute', { cell, index });
    const sentAt = Date.now();
    // stop_on_error makes the kernel abort requests queued behind an error; with names that may
    // be tolerated, the next cell must not be aborted for an error the run accepts.
    const stopOnError = !cellAllowsErrors && (options.forceRaiseErrors || options.allowErrorNames.length === 0);
    const handle = km.execute(cell.source, { allowStdin: false, stopOnError, storeHistory: options.storeHistory }, { iopub: onIopub, stdin: onStdin });
    this.emit('cellComplete', { cell, index });

    const died = km.died.then(() => ({ kind: 'died' as const }));
    const replied = handle.reply.then((message) => ({ kind: 'reply' as const, message }));
    const cellDeadline = Math.min(options.timeoutMs === null ? Infinity : sentAt + options.timeoutMs, notebookDeadline);
    let stop: Stop | null = null;
    let reply: ReceivedMessage | null = null;
    const recordReplyTiming = (message: ReceivedMessage): void => {
      if (!options.recordTiming) return;
      timing['shell.execute_reply'] = message.header.date || new Date().toISOString();
      const startedAt = message.metadata.started;
      if (typeof startedAt === 'string') timing['shell.execute_reply.started'] = startedAt;
    };
    // Races the reply (unless it already came), the kernel's death, `extra` and a deadline.
    const wait = async <T>(extra: Promise<Wait<T>>[], untilMs: number): Promise<Wait<T>> => {
      const clock = Number.isFinite(untilMs) ? timer(untilMs - Date.now()) : null;
      try {
        return await Promise.race<Wait<T>>([...(reply ? [] : [replied]), died, ...extra, ...(clock ? [clock.promise] : [])]);
      } finally {
        clock?.cancel();
      }
    };

    try {
      let outcome = await wait<never>([], cellDeadline);
      if (outcome.kind === 'timeout') {
        const budget = options.timeoutMs !== null && sentAt + options.timeoutMs <= notebookDeadline ? 'cell' : 'notebook';
        const limitMs = budget === 'cell' ? (options.timeoutMs as number) : (options.notebookTimeoutMs as number);
        let kernelLost = true;
        if (options.interruptOnTimeout) {
          await km.interrupt();
          outcome = await wait<never>([], Date.now() + options.interruptGraceMs);
          if (outcome.kind === 'reply') {
            kernelLost = false;
            reply = outcome.message;
            recordReplyTiming(reply);
            await wait([idle], Date.now() + options.iopubTimeoutMs);
          }
        }
        if (kernelLost) await km.kill();
        run.status = 'timeout';
        if (reply) this.#recordReply(run, cell, reply, true);
        // The interrupted cell's own error (KeyboardInterrupt) is the timeout's cause.
        const cause = run.ename ? new CellExecutionError(index, run.ename, run.evalue ?? '', run.traceback ?? [], cell.source) : undefined;
        stop = { status: 'timeout', error: new CellTimeoutError(index, limitMs, budget, cell.source, cause ? { cause } : undefined), kernelLost };
      } else if (outcome.kind === 'died') {
        run.status = 'kernel-died';
        stop = { status: 'kernel-died', error: km.deadKernelError('execution'), kernelLost: true };
        // What the kernel sent just before it died may still be on its way (the exit is often
        // seen first): keep the cell's IOPub open until it has been quiet for a moment.
        await drainIopub(() => lastIopubAt, idle, DEATH_DRAIN);
      } else if (outcome.kind === 'reply') {
        reply = outcome.message;
        recordReplyTiming(reply);
        const afterReply = await wait([idle], Date.now() + options.iopubTimeoutMs);
        if (afterReply.kind === 'timeout') run.iopubTimedOut = true;
        stop = this.#recordReply(run, cell, reply, cellAllowsErrors);
      }
    } finally {
      handle.dispose();
      const recorded = recorder.endCell();
      run.outputBytes = recorded.outputBytes;
      run.outputTruncated = recorded.truncated;
      run.droppedOutputBytes = recorded.droppedBytes;
      run.durationMs = Date.now() - sentAt;
      run.executionCount = cell.executionCount;
    }
    this.emit('cellExecuted', { cell, index, reply });
    if (reply && contentOf(reply, 'execute_reply').status === 'error') this.emit('cellError', { cell, index, reply });
    return { cell: run, stop };
  }

  /** Read a reply into the cell's result; returns a Stop when its error is not tolerated. */
  #recordReply(run: CellRunResult, cell: NormalizedCell, reply: ReceivedMessage, cellAllowsErrors: boolean): Stop | null {
    const content = contentOf(reply, 'execute_reply');
    if (typeof content.execution_count === 'number') cell.executionCount = content.execution_count;
    if (content.status === 'aborted') {
      if (run.status === 'ok') run.status = 'aborted';
      return null;
    }
    if (content.status !== 'error') return null;
    const ename = String(content.ename ?? '');
    run.ename = ename;
    run.evalue = stripAnsi(String(content.evalue ?? ''));
    run.traceback = Array.isArray(content.traceback) ? content.traceback.map((line) => stripAnsi(String(line))) : [];
    if (run.status === 'ok') run.status = 'error';
    const allowed = !this.options.forceRaiseErrors && (cellAllowsErrors || this.options.allowErrorNames.includes(ename));
    run.errorAllowed = allowed;
    if (allowed) return null;
    return { status: 'error', error: new CellExecutionError(cell.index, ename, run.evalue, run.traceback, cell.source), kernelLost: false };
  }
}
