import type { KernelExit } from './kernel-process.js';

const QUOTE_LIMIT = 200;

/** The first lines of a cell, trimmed, for error messages. */
export function quoteCell(source: string): string {
  const trimmed = source.trim();
  return trimmed.length <= QUOTE_LIMIT ? trimmed : `${trimmed.slice(0, QUOTE_LIMIT)}…`;
}

/** Something took longer than it was allowed to. */
export class TimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TimeoutError';
  }
}

/** A cell ran past its own timeout or past the notebook's remaining budget. */
export class CellTimeoutError extends TimeoutError {
  constructor(
    readonly cellIndex: number,
    readonly timeoutMs: number,
    readonly budget: 'cell' | 'notebook',
    source: string,
    options?: ErrorOptions,
  ) {
    super(`cell ${cellIndex} timed out after ${timeoutMs} ms (${budget} timeout):\n${quoteCell(source)}`, options);
    this.name = 'CellTimeoutError';
  }
}

/** The kernel did not answer kernel_info (with IOPub flowing) within the startup timeout. */
export class KernelStartTimeoutError extends TimeoutError {
  constructor(
    readonly timeoutMs: number,
    readonly stderr: string,
    options?: ErrorOptions,
  ) {
    super(`kernel not ready after ${timeoutMs} ms${stderr ? `; kernel stderr:\n${stderr.slice(-2000)}` : ''}`, options);
    this.name = 'KernelStartTimeoutError';
  }
}

/**
 * Why a kernel died: the OOM killer of its memory cgroup, another signal (a segfault, a kill from
 * outside), its own exit, or silence on the heartbeat while its process lived.
 */
export type KernelDeathCause = 'oom' | 'signal' | 'exit' | 'heartbeat';

export interface DeadKernelErrorOptions extends ErrorOptions {
  /** The kernel's memory cgroup recorded an OOM kill; the limit it had, when known. */
  oom?: { limitBytes: number | null };
}

function mebibytes(bytes: number): string {
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}

/** The kernel's process ended (or stopped answering its heartbeat) while it was needed. */
export class DeadKernelError extends Error {
  readonly deathCause: KernelDeathCause;

  constructor(
    readonly exit: KernelExit | null,
    readonly stderr: string,
    readonly during: 'startup' | 'execution',
    options?: DeadKernelErrorOptions,
  ) {
    const how = exit === null ? 'stopped answering its heartbeat' : exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const oom = options?.oom ? ` (out of memory: the OOM killer ended it${options.oom.limitBytes !== null ? ` at its ${mebibytes(options.oom.limitBytes)} memory limit` : ''})` : '';
    super(`kernel died during ${during}: it ${how}${oom}${stderr ? `; kernel stderr:\n${stderr.slice(-2000)}` : ''}`, options);
    this.name = 'DeadKernelError';
    this.deathCause = options?.oom ? 'oom' : exit === null ? 'heartbeat' : exit.signal ? 'signal' : 'exit';
  }
}

/** A cell raised an exception the run was not allowed to tolerate. */
export class CellExecutionError extends Error {
  constructor(
    readonly cellIndex: number,
    readonly ename: string,
    readonly evalue: string,
    /** Traceback lines with ANSI colour codes removed. */
    readonly traceback: string[],
    source: string,
    options?: ErrorOptions,
  ) {
    const hint = ename === 'StdinNotImplementedError' ? ' (the cell called input(); notebooks run without a person to answer it)' : '';
    super(`cell ${cellIndex} raised ${ename}: ${evalue}${hint}\n${quoteCell(source)}`, options);
    this.name = 'CellExecutionError';
  }
}

/** The kernel program could not be started at all (missing binary, permission denied). */
export class KernelSpawnError extends Error {
  constructor(argv0: string, cause: unknown) {
    super(`could not start kernel program ${argv0}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'KernelSpawnError';
  }
}
