import { existsSync } from 'node:fs';

/** OS limits applied to the kernel process and everything it starts. Wall time is the executor's job. */
export interface ResourceLimits {
  /**
   * Memory the kernel and everything it starts may use, in bytes: the limit of a memory cgroup
   * where one can be made (past it the OOM killer ends the kernel: status kernel-died, cause
   * 'oom'), else the address-space limit RLIMIT_AS of each process (past it Python raises
   * MemoryError). `KernelManager.memoryLimit` says which one was applied.
   */
  memoryBytes?: number;
  /** 'rlimit' forces RLIMIT_AS even where a memory cgroup could be made; default 'auto'. */
  memoryMechanism?: 'auto' | 'rlimit';
  /**
   * Processes (and threads) the kernel may have: `pids.max` of the kernel's cgroup where cgroups
   * are writable, plus RLIMIT_NPROC. Linux never enforces RLIMIT_NPROC for uid 0, so as root the
   * cgroup is what stops a fork bomb.
   */
  maxProcesses?: number;
}

const PRLIMIT_CANDIDATES = ['/usr/bin/prlimit', '/bin/prlimit'];

/** util-linux prlimit if installed. */
export function findPrlimit(): string | null {
  return PRLIMIT_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/**
 * Prefix `argv` so it runs under `limits`: `prlimit --as=… --nproc=… -- argv` when prlimit is
 * present, else `sh -c 'ulimit -v …; ulimit -u …; exec "$@"'`. Both exec the kernel, so its pid
 * stays the one that was spawned.
 */
export function limitArgv(argv: string[], limits: ResourceLimits, prlimitPath: string | null = findPrlimit()): string[] {
  const { memoryBytes, maxProcesses } = limits;
  if (memoryBytes === undefined && maxProcesses === undefined) return argv;
  if (prlimitPath) {
    const flags: string[] = [];
    if (memoryBytes !== undefined) flags.push(`--as=${Math.floor(memoryBytes)}`);
    if (maxProcesses !== undefined) flags.push(`--nproc=${Math.floor(maxProcesses)}`);
    return [prlimitPath, ...flags, '--', ...argv];
  }
  const steps: string[] = [];
  if (memoryBytes !== undefined) steps.push(`ulimit -v ${Math.max(1, Math.floor(memoryBytes / 1024))}`);
  if (maxProcesses !== undefined) steps.push(`ulimit -u ${Math.floor(maxProcesses)}`);
  return ['/bin/sh', '-c', `${steps.join(' && ')} && exec "$@"`, 'sh', ...argv];
}
