import type { NormalizedNotebook } from '@mle/core';
import type { KernelDeathCause } from './errors.js';
import type { LanguageInfo } from './jupyter-message.js';
import type { MemoryLimitKind } from './kernel-cgroup.js';
import type { SandboxKind } from './kernel-manager.js';
import type { RejectionCounts } from './wire-codec.js';

/** How a notebook run ended; maps to `runs.status`. */
export type NotebookRunStatus = 'ok' | 'error' | 'timeout' | 'kernel-died' | 'start-failed';

/** How one code cell ended; maps to `run_cells.status`. */
export type CellRunStatus = 'ok' | 'error' | 'timeout' | 'kernel-died' | 'aborted' | 'skipped' | 'not-run';

export interface CellRunResult {
  /** Index of the cell in the notebook (all cell types counted). */
  index: number;
  status: CellRunStatus;
  /** From sending execute_request to its reply and idle status; 0 when not run. */
  durationMs: number;
  executionCount: number | null;
  ename?: string;
  evalue?: string;
  /** Traceback lines with ANSI colour codes removed. */
  traceback?: string[];
  /** Size of the outputs kept, as nbformat JSON. */
  outputBytes: number;
  /** Output went past `maxOutputBytesPerCell` and was cut. */
  outputTruncated: boolean;
  droppedOutputBytes: number;
  /** The reply came but not the idle status within `iopubTimeoutMs`: outputs may be incomplete. */
  iopubTimedOut: boolean;
  /** The cell asked for input(): it fails with StdinNotImplementedError in a batch run. */
  inputRequested: boolean;
  /** The error was tolerated (allowErrors, allowErrorNames or a raises-exception tag). */
  errorAllowed?: boolean;
}

export interface NotebookRunResult {
  status: NotebookRunStatus;
  /** The typed error that ended the run (CellExecutionError, CellTimeoutError, DeadKernelError, KernelStartTimeoutError, ...). */
  error: Error | null;
  /** One entry per code cell, in notebook order. */
  cells: CellRunResult[];
  /** Index of the first code cell that failed (error, timeout, kernel death), tolerated or not. */
  firstFailingCellIndex: number | null;
  /** Spawn to ready, in ms; null when the kernel was given or never became ready. */
  startupMs: number | null;
  /** From execute() to the kernel being stopped. */
  durationMs: number;
  /** Pid of the kernel process (leader of its process group); null when none was started. */
  kernelPid: number | null;
  /** The signal that ended the kernel when the run lost it (it died, or was killed on a timeout). */
  kernelExitSignal: NodeJS.Signals | null;
  /** The kernel's exit code when the run lost it and it exited rather than being signalled. */
  kernelExitCode: number | null;
  /** Why the kernel died when the run ended with its death (status kernel-died, or start-failed by a death): 'oom' when its memory cgroup's OOM killer ended it. */
  kernelDeathCause: KernelDeathCause | null;
  /** How the memory limit was enforced: memory cgroup, RLIMIT_AS (MemoryError), none; null when the kernel's transport cannot tell. */
  memoryLimit: MemoryLimitKind | null;
  /** Forks refused by the process limit (a fork bomb); null when the kernel had no cgroup. */
  processLimitHits: number | null;
  /** Largest peak resident set (VmHWM) seen in the kernel's process group, in bytes. */
  peakMemoryBytes: number | null;
  languageInfo: LanguageInfo | null;
  /** Where the kernel ran: under bubblewrap, unsandboxed, or on a Jupyter gateway. */
  sandbox: SandboxKind | 'gateway';
  /** Messages the client dropped (bad signatures, replays, malformed frames). */
  rejectedMessages: RejectionCounts;
  /** The kernel's recent stderr, when the run did not end 'ok'. */
  kernelStderr: string;
}

/** What NotebookExecutor.execute returns: the executed notebook and how the run went. */
export interface NotebookExecution {
  notebook: NormalizedNotebook;
  result: NotebookRunResult;
}
