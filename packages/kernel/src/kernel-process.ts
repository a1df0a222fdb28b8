import { spawn, type ChildProcess } from 'node:child_process';
import { KernelSpawnError } from './errors.js';
import type { KernelCgroup } from './kernel-cgroup.js';
import { registerKernelGroup, unregisterKernelGroup } from './kernel-registry.js';

/** How a kernel process ended. */
export interface KernelExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface KernelProcessOptions {
  env: Record<string, string>;
  cwd?: string;
  /** Bytes of stderr kept (the most recent), for diagnosing a kernel that failed. */
  stderrLimitBytes?: number;
  /** The cgroup the argv moves itself into (see KernelCgroup.wrapArgv); emptied and removed on kill. */
  cgroup?: KernelCgroup | null;
}

const DEFAULT_STDERR_LIMIT_BYTES = 64 * 1024;

/**
 * A kernel's OS process, spawned detached as the leader of its own process group so that the
 * whole group (kernel, sandbox wrapper, anything the notebook forked) can be signalled and killed
 * together. Registered for kill-on-exit until it has been reaped and its group killed.
 */
export class KernelProcess {
  readonly pid: number;
  readonly argv: readonly string[];
  /** Resolves when the group leader has exited; never rejects. */
  readonly exited: Promise<KernelExit>;
  #exit: KernelExit | null = null;
  #stderr: Buffer[] = [];
  #stderrBytes = 0;
  #released = false;
  readonly #child: ChildProcess;
  readonly cgroup: KernelCgroup | null;

  private constructor(child: ChildProcess, argv: readonly string[], stderrLimit: number, cgroup: KernelCgroup | null) {
    this.#child = child;
    this.argv = argv;
    this.pid = child.pid as number;
    this.cgroup = cgroup;
    registerKernelGroup(this.pid, cgroup ? () => cgroup.killAll() : undefined);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr.push(chunk);
      this.#stderrBytes += chunk.length;
      while (this.#stderrBytes > stderrLimit && this.#stderr.length > 1) this.#stderrBytes -= (this.#stderr.shift() as Buffer).length;
    });
  }

  /** Spawn `argv` detached in a new process group; throws when the program cannot be run. */
  static async spawn(argv: readonly string[], options: KernelProcessOptions): Promise<KernelProcess> {
    const [program, ...args] = argv;
    if (!program) throw new KernelSpawnError('(empty argv)', new Error('the kernel argv is empty'));
    const child = spawn(program, args, { detached: true, env: options.env, cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (error) => reject(new KernelSpawnError(program, error)));
      });
    } catch (error) {
      options.cgroup?.remove();
      throw error;
    }
    return new KernelProcess(child, argv, options.stderrLimitBytes ?? DEFAULT_STDERR_LIMIT_BYTES, options.cgroup ?? null);
  }

  /** The exit status once the leader has exited, else null. */
  get exit(): KernelExit | null {
    return this.#exit;
  }

  isAlive(): boolean {
    return this.#exit === null;
  }

  /** The most recent stderr output, decoded (bounded by `stderrLimitBytes`). */
  stderrTail(): string {
    return Buffer.concat(this.#stderr).toString('utf8');
  }

  /** Send a signal to the leader only (what signal-mode interrupts use). */
  signalLeader(signal: NodeJS.Signals): boolean {
    if (!this.isAlive()) return false;
    try {
      return process.kill(this.pid, signal);
    } catch {
      return false;
    }
  }

  /** Send a signal to every process of the group; the group may outlive its leader. */
  signalGroup(signal: NodeJS.Signals): boolean {
    if (this.#released) return false;
    try {
      return process.kill(-this.pid, signal);
    } catch {
      return false;
    }
  }

  /** Wait up to `ms` for the leader to exit; true when it has. */
  async waitForExit(ms: number): Promise<boolean> {
    if (!this.isAlive()) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const result = await Promise.race([this.exited.then(() => true as const), timedOut]);
    clearTimeout(timer);
    return result;
  }

  /**
   * SIGTERM the group, wait up to `termGraceMs`, then SIGKILL the group and whatever else is in
   * the kernel's cgroup, and stop tracking it. Safe to call many times; the group is killed even
   * when the leader is already gone, because its children may not be.
   */
  async kill(termGraceMs = 1000): Promise<KernelExit> {
    if (this.isAlive()) {
      this.signalGroup('SIGTERM');
      if (!(await this.waitForExit(termGraceMs))) this.signalGroup('SIGKILL');
    }
    const exit = await this.exited;
    if (!this.#released) {
      this.signalGroup('SIGKILL');
      await this.cgroup?.destroy();
      this.#released = true;
      unregisterKernelGroup(this.pid);
      this.#child.stderr?.destroy();
    }
    return exit;
  }
}
