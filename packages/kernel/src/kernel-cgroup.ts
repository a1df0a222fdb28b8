import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orphanedEntries } from './orphaned-entries.js';

/** cgroup v1 pids hierarchy, or a cgroup v2 root delegating the pids controller. */
const V1_PIDS_ROOT = '/sys/fs/cgroup/pids';
const V2_ROOT = '/sys/fs/cgroup';
const PREFIX = 'mle-kernel-';

let sequence = 0;

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A cgroup root where this process may create children with the pids controller, or null. */
function pidsRoot(): string | null {
  if (process.platform !== 'linux') return null;
  if (existsSync(join(V1_PIDS_ROOT, 'cgroup.procs'))) return V1_PIDS_ROOT;
  try {
    const controllers = readFileSync(join(V2_ROOT, 'cgroup.subtree_control'), 'utf8');
    if (controllers.split(/\s+/).includes('pids')) return V2_ROOT;
  } catch {
    // No cgroup v2 either.
  }
  return null;
}

/** Remove cgroups left by mle processes that died without cleaning up (rmdir fails on busy ones). */
function removeStale(root: string): void {
  for (const entry of orphanedEntries(root, PREFIX)) {
    try {
      rmdirSync(join(root, entry));
    } catch {
      // Still has processes, or not ours to remove.
    }
  }
}

/**
 * A pids cgroup holding one kernel and everything it starts. It is what makes a process limit
 * real for root (RLIMIT_NPROC is not enforced for uid 0), and it finds every descendant, even
 * one that left the kernel's process group with setsid(), so that none outlives the kernel.
 */
export class KernelCgroup {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Create a cgroup for a new kernel; null when cgroups are not writable here (not root, no pids controller). */
  static create(maxProcesses?: number): KernelCgroup | null {
    const root = pidsRoot();
    if (!root) return null;
    removeStale(root);
    const dir = join(root, `${PREFIX}${process.pid}-${++sequence}`);
    try {
      mkdirSync(dir);
    } catch {
      return null;
    }
    const cgroup = new KernelCgroup(dir);
    if (maxProcesses !== undefined) {
      try {
        writeFileSync(join(dir, 'pids.max'), String(Math.max(1, Math.floor(maxProcesses))));
      } catch {
        cgroup.remove();
        return null;
      }
    }
    return cgroup;
  }

  /** Prefix argv with a shell that moves itself into the cgroup and then execs argv (same pid). */
  wrapArgv(argv: string[]): string[] {
    return ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', join(this.dir, 'cgroup.procs'), ...argv];
  }

  /** Pids currently in the cgroup. */
  members(): number[] {
    return readPids(join(this.dir, 'cgroup.procs'));
  }

  /** Processes ever refused a fork by pids.max (cgroup v1 and v2 `pids.events` max count). */
  forkRefusals(): number {
    try {
      const match = /^max (\d+)/m.exec(readFileSync(join(this.dir, 'pids.events'), 'utf8'));
      return match ? Number(match[1]) : 0;
    } catch {
      return 0;
    }
  }

  /** SIGKILL every process in the cgroup. */
  killAll(): void {
    for (const pid of this.members()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Kill what is left and remove the cgroup, waiting up to `ms` for the processes to be reaped. */
  async destroy(ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    this.killAll();
    while (this.members().length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      this.killAll();
    }
    this.remove();
  }

  remove(): void {
    try {
      rmdirSync(this.dir);
    } catch {
      // Busy (a process in uninterruptible sleep) or already removed.
    }
  }
}
