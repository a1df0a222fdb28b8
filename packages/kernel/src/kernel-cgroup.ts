import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orphanedEntries } from './orphaned-entries.js';

const CGROUP_MOUNT = '/sys/fs/cgroup';
/** cgroup v1 hierarchies (a hybrid layout mounts each controller on its own). */
const V1_PIDS_ROOT = join(CGROUP_MOUNT, 'pids');
const V1_MEMORY_ROOT = join(CGROUP_MOUNT, 'memory');
const PREFIX = 'mle-kernel-';

let sequence = 0;

/** How a kernel's memory limit is enforced: a memory cgroup (the OOM killer ends the kernel), RLIMIT_AS (Python raises MemoryError), or not at all. */
export type MemoryLimitKind = 'cgroup' | 'rlimit' | 'none';

export interface KernelCgroupLimits {
  maxProcesses?: number;
  /** Memory (and swap: none) the kernel and its children may use together. */
  memoryBytes?: number;
}

function readPids(file: string): number[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function hasController(dir: string, controller: string): boolean {
  return (readText(join(dir, 'cgroup.subtree_control')) ?? '').split(/\s+/).includes(controller);
}

/**
 * This process's own cgroup in a hierarchy, from /proc/self/cgroup: `controller` names a v1
 * hierarchy, null the v2 one ("0::/path").
 */
function ownCgroupPath(controller: string | null): string | null {
  for (const line of (readText('/proc/self/cgroup') ?? '').split('\n')) {
    const [id, controllers, ...rest] = line.split(':');
    const path = rest.join(':');
    if (controller === null ? id === '0' && controllers === '' : (controllers ?? '').split(',').includes(controller)) return path || '/';
  }
  return null;
}

/** A pure cgroup v2 mount at /sys/fs/cgroup (not the hybrid layout's /sys/fs/cgroup/unified, which holds no controllers). */
function isV2Mount(): boolean {
  return existsSync(join(CGROUP_MOUNT, 'cgroup.controllers'));
}

/** Where to create the kernel's pids cgroup: the v1 pids hierarchy, or a v2 root delegating pids. */
function pidsParent(): { dir: string; version: 1 | 2 } | null {
  if (existsSync(join(V1_PIDS_ROOT, 'cgroup.procs'))) return { dir: V1_PIDS_ROOT, version: 1 };
  if (isV2Mount() && hasController(CGROUP_MOUNT, 'pids')) return { dir: CGROUP_MOUNT, version: 2 };
  return null;
}

/**
 * Where to create the kernel's memory cgroup: under this process's own memory cgroup, so that any
 * limit put on mle itself still covers its kernels (a cgroup at the hierarchy's root would escape it).
 */
function memoryParent(): { dir: string; version: 1 | 2 } | null {
  if (existsSync(join(V1_MEMORY_ROOT, 'cgroup.procs'))) {
    const own = ownCgroupPath('memory');
    const dir = join(V1_MEMORY_ROOT, own ?? '/');
    return existsSync(join(dir, 'memory.limit_in_bytes')) ? { dir, version: 1 } : null;
  }
  if (isV2Mount()) {
    // v2 puts a process in one cgroup for all controllers: this must be the dir that holds the
    // pids limit too, so only the root qualifies (see pidsParent).
    return hasController(CGROUP_MOUNT, 'memory') ? { dir: CGROUP_MOUNT, version: 2 } : null;
  }
  return null;
}

/** Remove cgroups left by mle processes that died without cleaning up (rmdir fails on busy ones). */
function removeStale(parent: string): void {
  for (const entry of orphanedEntries(parent, PREFIX)) {
    try {
      rmdirSync(join(parent, entry));
    } catch {
      // Still has processes, or not ours to remove.
    }
  }
}

function makeDir(parent: string, name: string): string | null {
  removeStale(parent);
  const dir = join(parent, name);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

/** Write cgroup control files in order; false (and nothing more written) at the first refusal. */
function writeAll(dir: string, settings: Array<[string, string, 'required' | 'optional']>): boolean {
  for (const [file, value, need] of settings) {
    const path = join(dir, file);
    if (need === 'optional' && !existsSync(path)) continue;
    try {
      writeFileSync(path, value);
    } catch {
      if (need === 'required') return false;
    }
  }
  return true;
}

function memorySettings(version: 1 | 2, bytes: number): Array<[string, string, 'required' | 'optional']> {
  const limit = String(Math.max(1, Math.floor(bytes)));
  if (version === 1) {
    // memsw (memory + swap) must be set after, and not below, the memory limit; it exists only
    // with swap accounting. Without it, swappiness 0 keeps the kernel's pages out of swap.
    return [
      ['memory.limit_in_bytes', limit, 'required'],
      ['memory.memsw.limit_in_bytes', limit, 'optional'],
      ['memory.swappiness', '0', 'optional'],
    ];
  }
  // oom.group: the OOM killer takes the whole kernel (and its children) at once, not one worker.
  return [
    ['memory.max', limit, 'required'],
    ['memory.swap.max', '0', 'optional'],
    ['memory.oom.group', '1', 'optional'],
  ];
}

/**
 * The cgroups holding one kernel and everything it starts. The pids cgroup makes a process limit
 * real for root (RLIMIT_NPROC is not enforced for uid 0) and finds every descendant, even one
 * that left the kernel's process group with setsid(), so that none outlives the kernel. The
 * memory cgroup makes the memory limit end the kernel through the OOM killer, which is what a
 * notebook past its memory sees on Kaggle, and counts the kills so a death can be attributed.
 */
export class KernelCgroup {
  /** The pids cgroup, or null when only a memory cgroup could be made. */
  readonly pidsDir: string | null;
  /** The memory cgroup holding the memory limit, or null (then RLIMIT_AS is the fallback). */
  readonly memoryDir: string | null;
  readonly memoryVersion: 1 | 2 | null;
  /** The limit written to the memory cgroup. */
  readonly memoryLimitBytes: number | null;

  private constructor(init: { pidsDir: string | null; memoryDir: string | null; memoryVersion: 1 | 2 | null; memoryLimitBytes: number | null }) {
    this.pidsDir = init.pidsDir;
    this.memoryDir = init.memoryDir;
    this.memoryVersion = init.memoryVersion;
    this.memoryLimitBytes = init.memoryLimitBytes;
  }

  /**
   * Create the cgroups for a new kernel; null when none is writable here (not root, no
   * controllers). The memory cgroup is made only when `memoryBytes` is given; whether it was is
   * `memoryDir !== null`.
   */
  static create(limits: KernelCgroupLimits = {}): KernelCgroup | null {
    if (process.platform !== 'linux') return null;
    const name = `${PREFIX}${process.pid}-${++sequence}`;
    const pids = pidsParent();
    const memory = limits.memoryBytes !== undefined ? memoryParent() : null;
    let pidsDir = pids ? makeDir(pids.dir, name) : null;
    if (pidsDir && limits.maxProcesses !== undefined && !writeAll(pidsDir, [['pids.max', String(Math.max(1, Math.floor(limits.maxProcesses))), 'required']])) {
      rmdirQuietly(pidsDir);
      pidsDir = null;
    }
    let memoryDir: string | null = null;
    if (memory && limits.memoryBytes !== undefined) {
      // In v2 (one cgroup per process) the memory limit goes on the pids cgroup itself.
      memoryDir = memory.version === 2 && pids?.version === 2 ? pidsDir : makeDir(memory.dir, name);
      if (memoryDir && !writeAll(memoryDir, memorySettings(memory.version, limits.memoryBytes))) {
        if (memoryDir !== pidsDir) rmdirQuietly(memoryDir);
        memoryDir = null;
      }
    }
    if (!pidsDir && !memoryDir) return null;
    return new KernelCgroup({
      pidsDir,
      memoryDir,
      memoryVersion: memoryDir && memory ? memory.version : null,
      memoryLimitBytes: memoryDir && limits.memoryBytes !== undefined ? Math.floor(limits.memoryBytes) : null,
    });
  }

  /** Kernel cgroups of the mle process `ownerPid` that still exist (what tests check is left behind). */
  static leftovers(ownerPid: number = process.pid): string[] {
    const parents = [pidsParent()?.dir, memoryParent()?.dir].filter((dir): dir is string => dir !== undefined);
    const prefix = `${PREFIX}${ownerPid}-`;
    return [...new Set(parents)].flatMap((parent) => {
      try {
        return readdirSync(parent).filter((entry) => entry.startsWith(prefix)).map((entry) => join(parent, entry));
      } catch {
        return [];
      }
    });
  }

  /** Distinct cgroup directories the kernel joins. */
  get dirs(): string[] {
    return [...new Set([this.pidsDir, this.memoryDir].filter((dir): dir is string => dir !== null))];
  }

  /** Prefix argv with a shell that moves itself into every cgroup and then execs argv (same pid). */
  wrapArgv(argv: string[]): string[] {
    const procs = this.dirs.map((dir) => join(dir, 'cgroup.procs'));
    // $0 is the first file, $1.. the others; they are shifted away before exec.
    const joins = procs.map((_, i) => `echo $$ > "$${i}"`);
    const shift = procs.length > 1 ? ` && shift ${procs.length - 1}` : '';
    return ['/bin/sh', '-c', `${joins.join(' && ')}${shift} && exec "$@"`, ...procs, ...argv];
  }

  /** Pids currently in the cgroups. */
  members(): number[] {
    return [...new Set(this.dirs.flatMap((dir) => readPids(join(dir, 'cgroup.procs'))))];
  }

  /** Processes ever refused a fork by pids.max (cgroup v1 and v2 `pids.events` max count). */
  forkRefusals(): number {
    if (!this.pidsDir) return 0;
    const match = /^max (\d+)/m.exec(readText(join(this.pidsDir, 'pids.events')) ?? '');
    return match ? Number(match[1]) : 0;
  }

  /**
   * Processes the OOM killer killed in the memory cgroup (v1 `memory.oom_control`, v2
   * `memory.events` oom_kill); null without a memory cgroup or on kernels too old to count them.
   */
  oomKills(): number | null {
    if (!this.memoryDir) return null;
    const file = this.memoryVersion === 1 ? 'memory.oom_control' : 'memory.events';
    const match = /^oom_kill (\d+)/m.exec(readText(join(this.memoryDir, file)) ?? '');
    return match ? Number(match[1]) : null;
  }

  /** The memory cgroup's peak usage in bytes (v1 max_usage_in_bytes, v2 memory.peak), when known. */
  peakMemoryBytes(): number | null {
    if (!this.memoryDir) return null;
    const text = readText(join(this.memoryDir, this.memoryVersion === 1 ? 'memory.max_usage_in_bytes' : 'memory.peak'));
    const value = text === null ? NaN : Number(text.trim());
    return Number.isFinite(value) ? value : null;
  }

  /** SIGKILL every process in the cgroups. */
  killAll(): void {
    for (const pid of this.members()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /** Kill what is left and remove the cgroups, waiting up to `ms` for the processes to be reaped. */
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
    for (const dir of this.dirs) rmdirQuietly(dir);
  }
}

function rmdirQuietly(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Busy (a process in uninterruptible sleep) or already removed.
  }
}
