/**
 * How a NotebookExecutor runs a notebook. Names and defaults follow nbclient's NotebookClient,
 * with units in the names.
 */
export interface NotebookExecutorOptions {
  /**
   * Longest time one cell may run, in ms, from sending it to its reply; `null` means no limit
   * (nbclient `timeout`; its None and -1). What happens then: see `interruptOnTimeout`.
   */
  timeoutMs: number | null;
  /**
   * Budget for the whole notebook in ms, counted from when the kernel is ready; `null` means none.
   * nbclient has no such option (nbclient #212). A cell running when the budget ends is handled
   * like a cell timeout, and the run's status is 'timeout'.
   */
  notebookTimeoutMs: number | null;
  /** Time from spawning the kernel to its kernel_info reply with IOPub flowing (nbclient `startup_timeout`, 60 s). */
  startupTimeoutMs: number;
  /**
   * After a cell's execute_reply, how long to wait for its IOPub idle status (nbclient
   * `iopub_timeout`, 4 s). Past it the cell ends with the outputs received so far and
   * `iopubTimedOut` set, as nbclient does with `raise_on_iopub_timeout` false.
   */
  iopubTimeoutMs: number;
  /**
   * Keep running after a cell raises (nbclient `allow_errors`). The run's status stays 'ok';
   * each such cell has status 'error'. Overridden by `forceRaiseErrors`.
   */
  allowErrors: boolean;
  /** Exception names tolerated even when `allowErrors` is false (nbclient `allow_error_names`). */
  allowErrorNames: readonly string[];
  /** Stop on any error, ignoring `allowErrors`, `allowErrorNames` and `raises-exception` tags (nbclient `force_raise_errors`). */
  forceRaiseErrors: boolean;
  /**
   * On a timeout, interrupt the kernel (SIGINT, or interrupt_request for message-mode and
   * sandboxed kernels) and wait `interruptGraceMs` for the cell to end; a cell that does not end
   * (it ignores SIGINT) gets its kernel killed. When false the kernel is killed at once. Either
   * way the run stops with status 'timeout' (nbclient continues after an interrupted cell when
   * errors are allowed; a time budget that ran out is not an error mle tolerates).
   */
  interruptOnTimeout: boolean;
  /** How long an interrupted cell has to end before its kernel is killed. */
  interruptGraceMs: number;
  /** Cells carrying this tag are not run (nbclient `skip_cells_with_tag`). Cells tagged `raises-exception` may fail. */
  skipCellsWithTag: string;
  /** Write nbclient's timing keys into `cell.metadata.execution` (nbclient `record_timing`). */
  recordTiming: boolean;
  /** Merge each cell's stdout/stderr and apply `\r`/`\b` overwrites (nbclient `coalesce_streams`). */
  coalesceStreams: boolean;
  /** Output kept per cell in bytes; further output is replaced by one truncation marker (4 MiB). */
  maxOutputBytesPerCell: number;
  /**
   * How the kernel is stopped after the run (nbclient `shutdown_kernel`): 'graceful' sends
   * shutdown_request and waits before signalling; 'immediate' signals at once. A kernel stuck in
   * a timed-out cell is always stopped immediately.
   */
  shutdownKernel: 'graceful' | 'immediate';
  /** Record cells in the kernel's history (nbclient `store_history`). */
  storeHistory: boolean;
}

/** nbclient's defaults, plus mle's output cap and stream coalescing. */
export const DEFAULT_EXECUTOR_OPTIONS: Readonly<NotebookExecutorOptions> = Object.freeze({
  timeoutMs: null,
  notebookTimeoutMs: null,
  startupTimeoutMs: 60_000,
  iopubTimeoutMs: 4_000,
  allowErrors: false,
  allowErrorNames: Object.freeze([]) as readonly string[],
  forceRaiseErrors: false,
  interruptOnTimeout: false,
  interruptGraceMs: 5_000,
  skipCellsWithTag: 'skip-execution',
  recordTiming: true,
  coalesceStreams: true,
  maxOutputBytesPerCell: 4 * 1024 * 1024,
  shutdownKernel: 'graceful',
  storeHistory: true,
});

/** The tag that lets one cell raise without stopping the run. */
export const RAISES_EXCEPTION_TAG = 'raises-exception';
