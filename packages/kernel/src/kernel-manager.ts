import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { createConnectionInfo, writeConnectionFile, type ConnectionInfo } from './connection-file.js';
import { DeadKernelError, type KernelDeathCause } from './errors.js';
import { KernelCgroup, type MemoryLimitKind } from './kernel-cgroup.js';
import { KernelClient } from './kernel-client.js';
import { kernelEnvironment } from './kernel-environment.js';
import { isIpykernelArgv, launchKernel, pythonKernelSpec } from './kernel-launcher.js';
import type { KernelExit, KernelProcess } from './kernel-process.js';
import type { KernelSpec } from './kernelspecs.js';
import type { LanguageInfo } from './jupyter-message.js';
import { PeakMemorySampler } from './peak-memory-sampler.js';
import { limitArgv, type ResourceLimits } from './resource-limits.js';
import { findBwrap, KAGGLE_WORKING, sandboxArgv, type SandboxOptions } from './sandbox.js';
import { SocketDirectory } from './socket-directory.js';

export interface KernelStartOptions {
  /** The kernel to run: a kernelspec, or an interpreter with ipykernel (`<python> -m ipykernel_launcher`). */
  kernel: { spec: KernelSpec } | { pythonPath: string };
  /** Working directory when not sandboxed (default: the sandbox's workDir, else process.cwd()); sandboxed kernels run in /kaggle/working. */
  cwd?: string;
  /** ZeroMQ transport; ipc sockets live in a private directory shared with the sandbox. Sandboxed kernels always use ipc. */
  transport?: 'ipc' | 'tcp';
  /** Extra environment variables for the kernel, on top of the allow-list. */
  env?: Record<string, string>;
  /** Run inside bubblewrap; when bwrap is missing the kernel runs unsandboxed with a warning. */
  sandbox?: SandboxOptions | null;
  limits?: ResourceLimits;
  /** Time allowed from spawn to a kernel_info reply with IOPub flowing. */
  startupTimeoutMs?: number;
  /** Keep IPython's history in memory: no SQLite history file shared (and locked) between kernels. */
  historyInMemory?: boolean;
  /** Heartbeat period while the kernel runs; 0 turns the heartbeat monitor off. */
  heartbeatIntervalMs?: number;
  /** Consecutive missed heartbeats after which a kernel whose process lives is declared dead. */
  heartbeatMissesAllowed?: number;
  /** Receives warnings (missing bwrap) instead of stderr. */
  onWarning?: (message: string) => void;
}

export type SandboxKind = 'bwrap' | 'none';

export interface ShutdownOptions {
  /** graceful: shutdown_request, then signals; immediate: signals only. */
  mode?: 'graceful' | 'immediate';
  /** How long to wait for the kernel to exit after shutdown_request before SIGTERM. */
  graceMs?: number;
  /**
   * Once the kernel has answered shutdown_request, how long it may take to exit before SIGTERM
   * (within `graceMs`). The reply means its shutdown is done and only the interpreter's exit is
   * left; ipykernel sometimes never finishes that (its output-capture threads stay blocked on
   * their pipes), and waiting the whole grace for it only wasted seconds.
   */
  afterReplyMs?: number;
}

/** Why the kernel is considered dead. */
export interface KernelDeath {
  exit: KernelExit | null;
  reason: 'exited' | 'heartbeat';
}

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** Exit after the shutdown reply takes ~100 ms normally and up to ~700 ms on a machine at load 13 (measured). */
const DEFAULT_AFTER_REPLY_MS = 1000;

function signalName(code: number): NodeJS.Signals | null {
  for (const [name, number] of Object.entries(constants.signals)) if (number === code) return name as NodeJS.Signals;
  return null;
}

/** bwrap to run the kernel in, or null (no sandbox asked for, or none installed: then a loud warning). */
function resolveBwrap(options: KernelStartOptions): string | null {
  if (!options.sandbox) return null;
  const wanted = options.sandbox.bwrapPath;
  const bwrap = wanted ? (existsSync(wanted) ? wanted : null) : findBwrap();
  if (!bwrap) {
    const warn = options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
    warn('bubblewrap (bwrap) not found: the kernel runs UNSANDBOXED, with network access and the host filesystem visible');
  }
  return bwrap;
}

/** The kernel's whole environment: the allow-list, then mle's own variables, the spec's env, the caller's extras. */
function environmentFor(spec: KernelSpec, options: KernelStartOptions, where: { sandboxed: boolean; socketDir: string; hostCwd: string }): Record<string, string> {
  const interpreterBin = spec.argv[0]?.startsWith('/') ? dirname(spec.argv[0]) : null;
  const path = where.sandboxed
    ? [join(resolve((options.sandbox as SandboxOptions).environmentDir), 'bin'), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']
    : [interpreterBin, process.env.PATH ?? '/usr/bin:/bin'].filter((dir): dir is string => Boolean(dir));
  return kernelEnvironment({
    path: path.join(delimiter),
    home: where.sandboxed ? KAGGLE_WORKING : where.hostCwd,
    extra: {
      // IPython's profile lives with the sockets, private to this kernel and removed with it:
      // in HOME (the work dir) it would clutter the notebook's outputs, and a startup script
      // written there by one notebook would run in the next kernel using that work dir.
      IPYTHONDIR: join(where.socketDir, 'ipython'),
      // ipykernel exits when its parent changes: even a SIGKILLed parent leaves no kernel behind.
      // The sandbox gets the same from --die-with-parent.
      ...(where.sandboxed ? {} : { JPY_PARENT_PID: String(process.pid) }),
      ...spec.env,
      ...options.env,
    },
  });
}

/**
 * One running kernel: its process, its client, its connection, and the policy for interrupting,
 * watching and stopping it. `KernelManager.start` does the whole setup and cleans up after itself
 * when any step fails.
 */
export class KernelManager {
  readonly process: KernelProcess;
  readonly client: KernelClient;
  readonly connection: ConnectionInfo;
  readonly spec: KernelSpec;
  readonly sandbox: SandboxKind;
  /** How interrupts are delivered. Sandboxed kernels use messages: a SIGINT to bwrap would kill it. */
  readonly interruptMode: 'signal' | 'message';
  /** The pids (and memory) cgroups holding the kernel and all it starts, when cgroups are writable here. */
  readonly cgroup: KernelCgroup | null;
  /** How the memory limit was applied: memory cgroup, RLIMIT_AS fallback, or none asked for. */
  readonly memoryLimit: MemoryLimitKind;
  /** Milliseconds from spawn to ready. */
  startupMs = 0;
  readonly memory: PeakMemorySampler;
  /** Settles when the process exits or the heartbeat is lost. */
  readonly died: Promise<KernelDeath>;
  #heartbeatDead = false;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #resolveDeath!: (death: KernelDeath) => void;
  #stopped = false;
  readonly #sockets: SocketDirectory;
  /** restart() gave the socket directory to the next kernel. */
  #handedOver = false;
  /** What it was started with, for restart(). */
  readonly #options: KernelStartOptions;

  private constructor(init: { process: KernelProcess; client: KernelClient; connection: ConnectionInfo; spec: KernelSpec; sandbox: SandboxKind; interruptMode: 'signal' | 'message'; sockets: SocketDirectory; memoryLimit: MemoryLimitKind; options: KernelStartOptions }) {
    this.memoryLimit = init.memoryLimit;
    this.#options = init.options;
    this.process = init.process;
    this.client = init.client;
    this.connection = init.connection;
    this.spec = init.spec;
    this.sandbox = init.sandbox;
    this.interruptMode = init.interruptMode;
    this.#sockets = init.sockets;
    this.cgroup = init.process.cgroup;
    const cgroup = this.cgroup;
    this.memory = cgroup ? new PeakMemorySampler(init.process.pid, () => cgroup.members()) : new PeakMemorySampler(init.process.pid);
    this.died = new Promise((resolve) => (this.#resolveDeath = resolve));
    void this.process.exited.then((exit) => this.#resolveDeath({ exit, reason: 'exited' }));
  }

  static async start(options: KernelStartOptions): Promise<KernelManager> {
    return KernelManager.#launch(options, null);
  }

  /**
   * `reuse`: the socket directory and connection of a kernel being restarted, so that the new
   * process listens where the old one did (what a Jupyter restart does).
   */
  static async #launch(options: KernelStartOptions, reuse: { sockets: SocketDirectory; connection: ConnectionInfo } | null): Promise<KernelManager> {
    const spec = 'spec' in options.kernel ? options.kernel.spec : pythonKernelSpec(options.kernel.pythonPath);
    const bwrap = resolveBwrap(options);
    const sandboxed = bwrap !== null;
    // Without bwrap a sandboxed run still works in its work dir, just without isolation.
    const hostCwd = resolve(options.cwd ?? options.sandbox?.workDir ?? process.cwd());
    const sockets = reuse?.sockets ?? new SocketDirectory();
    const socketDir = sockets.path;
    const limits = options.limits ?? {};
    const cgroup = KernelCgroup.create({
      ...(limits.maxProcesses !== undefined ? { maxProcesses: limits.maxProcesses } : {}),
      ...(limits.memoryBytes !== undefined && limits.memoryMechanism !== 'rlimit' ? { memoryBytes: limits.memoryBytes } : {}),
    });
    // RLIMIT_AS only when no memory cgroup holds the limit: it would turn the cgroup's OOM kill
    // back into a MemoryError (and it counts address space, not memory actually used).
    const memoryLimit: MemoryLimitKind = limits.memoryBytes === undefined ? 'none' : cgroup?.memoryDir ? 'cgroup' : 'rlimit';
    const rlimits: ResourceLimits = {
      ...(limits.maxProcesses !== undefined ? { maxProcesses: limits.maxProcesses } : {}),
      ...(memoryLimit === 'rlimit' ? { memoryBytes: limits.memoryBytes } : {}),
    };
    let kernelProcess: KernelProcess | null = null;
    let client: KernelClient | null = null;
    try {
      // A sandboxed kernel has its own network namespace: only ipc sockets can reach it.
      const connection = reuse?.connection ?? await createConnectionInfo(options.transport === 'tcp' && !sandboxed ? { transport: 'tcp', kernelName: spec.name } : { transport: 'ipc', dir: socketDir, kernelName: spec.name });
      const connectionFile = join(socketDir, 'connection.json');
      await writeConnectionFile(connectionFile, connection);
      const env = environmentFor(spec, options, { sandboxed, socketDir, hostCwd });
      const hostPath = process.env.PATH ?? '/usr/bin:/bin';
      const extraArguments = options.historyInMemory !== false && isIpykernelArgv(spec.argv) ? ['--HistoryManager.hist_file=:memory:'] : [];
      const started = Date.now();
      kernelProcess = await launchKernel(
        { ...spec, env: {} },
        {
          connectionFile,
          // bwrap itself gets nothing but PATH; the kernel's environment goes in as --setenv.
          env: sandboxed ? { PATH: hostPath } : env,
          cwd: sandboxed ? socketDir : hostCwd,
          extraArguments,
          cgroup,
          wrap: (argv) => {
            const limited = limitArgv(argv, rlimits);
            return sandboxed ? sandboxArgv(limited, env, { ...(options.sandbox as SandboxOptions), socketDir }, bwrap as string) : limited;
          },
        },
      );
      client = new KernelClient(connection);
      client.connect();
      await client.waitForReady({ timeoutMs: options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS, process: kernelProcess });
      const manager = new KernelManager({
        process: kernelProcess,
        client,
        connection,
        spec,
        sandbox: sandboxed ? 'bwrap' : 'none',
        interruptMode: sandboxed ? 'message' : spec.interruptMode,
        sockets,
        memoryLimit,
        options,
      });
      manager.startupMs = Date.now() - started;
      manager.memory.start();
      manager.#startHeartbeat(options.heartbeatIntervalMs ?? 2000, options.heartbeatMissesAllowed ?? 5);
      return manager;
    } catch (error) {
      client?.close();
      if (kernelProcess) await kernelProcess.kill(500);
      else cgroup?.remove();
      sockets.remove();
      throw error;
    }
  }

  #startHeartbeat(intervalMs: number, missesAllowed: number): void {
    if (intervalMs <= 0) return;
    let misses = 0;
    const beat = async (): Promise<void> => {
      if (this.#stopped || !this.process.isAlive()) return;
      const ok = await this.client.heartbeat(Math.max(1000, intervalMs));
      if (this.#stopped) return;
      misses = ok ? 0 : misses + 1;
      if (misses >= missesAllowed) {
        this.#heartbeatDead = true;
        this.#resolveDeath({ exit: null, reason: 'heartbeat' });
        return;
      }
      this.#heartbeatTimer = setTimeout(() => void beat(), intervalMs);
      this.#heartbeatTimer.unref();
    };
    this.#heartbeatTimer = setTimeout(() => void beat(), intervalMs);
    this.#heartbeatTimer.unref();
  }

  get languageInfo(): LanguageInfo | null {
    return this.client.languageInfo;
  }

  /** How many forks the process limit refused (a fork bomb hits it); null without a cgroup. */
  processLimitHits(): number | null {
    return this.cgroup ? this.cgroup.forkRefusals() : null;
  }

  /** Process running and heartbeat answered recently. */
  isAlive(): boolean {
    return this.process.isAlive() && !this.#heartbeatDead;
  }

  /**
   * How the kernel ended, looking through the sandbox: bwrap exits with 128 + n when the kernel
   * inside it was killed by signal n.
   */
  kernelExit(): KernelExit | null {
    const exit = this.process.exit;
    if (!exit || exit.signal || this.sandbox !== 'bwrap' || exit.code === null || exit.code <= 128) return exit;
    const signal = signalName(exit.code - 128);
    return signal ? { code: null, signal } : exit;
  }

  /** The signal that ended the kernel, if one did. */
  exitSignal(): NodeJS.Signals | null {
    return this.kernelExit()?.signal ?? null;
  }

  /** Processes of the kernel's memory cgroup the OOM killer ended; null without a memory cgroup. */
  oomKills(): number | null {
    return this.cgroup ? this.cgroup.oomKills() : null;
  }

  /** Why the kernel died, once it has (the process exited or the heartbeat was lost); null while it lives. */
  deathCause(): KernelDeathCause | null {
    if (this.isAlive()) return null;
    return this.deadKernelError().deathCause;
  }

  deadKernelError(during: 'startup' | 'execution' = 'execution'): DeadKernelError {
    const oom = (this.oomKills() ?? 0) > 0 ? { oom: { limitBytes: this.cgroup?.memoryLimitBytes ?? null } } : undefined;
    return new DeadKernelError(this.kernelExit(), this.process.stderrTail(), during, oom);
  }

  /** Interrupt the running cell: SIGINT to the kernel (signal mode) or interrupt_request on control. */
  async interrupt(): Promise<void> {
    if (!this.process.isAlive()) return;
    if (this.interruptMode === 'signal') {
      this.process.signalLeader('SIGINT');
      return;
    }
    try {
      await this.client.interrupt(2000);
    } catch {
      // A kernel too wedged to answer on control is handled by the caller's kill escalation.
    }
  }

  /**
   * Restart the kernel as Jupyter does between notebooks: shutdown_request with restart=true on
   * control (the kernel is asked, not killed, when it is alive and answers), the process group
   * stopped, then a new kernel process started with the same options, socket directory and
   * connection. This manager is finished afterwards; use the one returned. A kernel that died
   * is simply started again.
   */
  async restart(options: Omit<ShutdownOptions, 'mode'> = {}): Promise<KernelManager> {
    await this.#stop({ mode: 'graceful', ...options }, true);
    // The socket directory goes to the new kernel: it is removed with that one, not this one.
    this.#handedOver = true;
    return KernelManager.#launch(this.#options, { sockets: this.#sockets, connection: this.connection });
  }

  /**
   * Stop the kernel and release everything: shutdown_request on control (graceful), wait, then
   * SIGTERM and SIGKILL to the whole process group; sockets closed, socket dir removed.
   */
  async shutdown(options: ShutdownOptions = {}): Promise<KernelExit> {
    const exit = await this.#stop(options, false);
    if (!this.#handedOver) this.#sockets.remove();
    return exit;
  }

  /** Stop the process group and close the client; the socket directory stays. */
  async #stop(options: ShutdownOptions, restart: boolean): Promise<KernelExit> {
    this.#stopped = true;
    if (this.#heartbeatTimer) clearTimeout(this.#heartbeatTimer);
    this.memory.sample();
    this.memory.stop();
    const graceMs = options.graceMs ?? 3000;
    if ((options.mode ?? 'graceful') === 'graceful' && this.process.isAlive()) {
      const started = Date.now();
      const replied = await this.client.shutdown(Math.min(2000, graceMs), restart).then(
        () => true,
        () => false,
      );
      const left = Math.max(0, graceMs - (Date.now() - started));
      await this.process.waitForExit(replied ? Math.min(left, options.afterReplyMs ?? DEFAULT_AFTER_REPLY_MS) : left);
    }
    const exit = await this.process.kill(1000);
    this.client.close();
    return exit;
  }
}
