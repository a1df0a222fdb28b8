import { DeadKernelError, KernelStartTimeoutError, TimeoutError } from '../errors.js';
import { contentOf, type KernelInfoReplyContent, type LanguageInfo, type ReceivedMessage } from '../jupyter-message.js';
import type { ExecuteOptions } from '../kernel-client.js';
import type { KernelExit } from '../kernel-process.js';
import type { ExecutorKernel, KernelSandbox } from '../notebook-executor.js';
import type { RejectionCounts } from '../wire-codec.js';
import { redactedUrl, type GatewayConnection } from './gateway-connection.js';
import { GatewayChannels, type ChannelsLoss } from './gateway-channels.js';
import { GatewayError, GatewayRestClient } from './gateway-rest.js';

export interface GatewayKernelOptions {
  /** Kernelspec name on the gateway; default: the gateway's default kernelspec. */
  kernelName?: string;
  /** Environment for the kernel (a gateway passes on only the names it allows, e.g. KERNEL_*). */
  env?: Record<string, string>;
  /** From POST /api/kernels to a kernel_info reply over the websocket. */
  startupTimeoutMs?: number;
  /** REST status checks while the kernel runs; 0 turns them off (default 2 s). */
  statusIntervalMs?: number;
  /** Consecutive failed status checks (gateway unreachable) after which the kernel counts as lost. */
  statusMissesAllowed?: number;
  /** How long a dropped websocket is retried (default 30 s). */
  reconnectWindowMs?: number;
  pingIntervalMs?: number;
}

/** How a gateway kernel was lost. */
export interface GatewayKernelDeath {
  reason: 'restarted' | 'dead' | 'gone' | 'unreachable' | 'killed';
  detail: string;
}

/** A gateway kernel that died: no exit code or signal can be known from here, only what the gateway said. */
export class GatewayKernelDiedError extends DeadKernelError {
  constructor(
    readonly death: GatewayKernelDeath,
    during: 'startup' | 'execution',
  ) {
    super(null, '', during);
    this.message = `kernel died during ${during}: ${death.detail}`;
  }
}

const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;

function emptyRejections(): RejectionCounts {
  return { 'no-delimiter': 0, truncated: 0, 'bad-signature': 0, replayed: 0, 'malformed-json': 0 };
}

/**
 * A kernel on a Jupyter Kernel Gateway or Enterprise Gateway, as an ExecutorKernel: REST for its
 * life cycle (start, status, interrupt, delete), a websocket for its messages. It counts as dead
 * when the gateway reports it restarting or dead on IOPub (its process exited and the gateway's
 * auto-restart began: the notebook's state is gone), when the gateway no longer knows it (culled
 * or deleted from outside), or when neither REST nor the websocket can reach it any more.
 */
export class GatewayKernel implements ExecutorKernel {
  readonly sandbox: KernelSandbox = 'gateway';
  readonly pid = null;
  readonly rest: GatewayRestClient;
  readonly channels: GatewayChannels;
  readonly id: string;
  readonly kernelName: string;
  startupMs = 0;
  kernelInfo: KernelInfoReplyContent | null = null;
  readonly died: Promise<GatewayKernelDeath>;
  #death: GatewayKernelDeath | null = null;
  #resolveDeath!: (death: GatewayKernelDeath) => void;
  #statusTimer: NodeJS.Timeout | null = null;
  #stopped = false;
  #beforeShutdown: Array<() => Promise<void>> = [];

  private constructor(rest: GatewayRestClient, id: string, kernelName: string, options: GatewayKernelOptions) {
    this.rest = rest;
    this.id = id;
    this.kernelName = kernelName;
    this.died = new Promise((resolve) => (this.#resolveDeath = resolve));
    this.channels = new GatewayChannels({
      connection: rest.connection,
      kernelId: id,
      ...(options.reconnectWindowMs !== undefined ? { reconnectWindowMs: options.reconnectWindowMs } : {}),
      ...(options.pingIntervalMs !== undefined ? { pingIntervalMs: options.pingIntervalMs } : {}),
      kernelGone: async () => (await this.rest.getKernel(id, 5000)) === null,
    });
    void this.channels.lost.then((loss: ChannelsLoss) => this.#die(loss.reason === 'kernel-gone' ? { reason: 'gone', detail: loss.detail } : { reason: 'unreachable', detail: loss.detail }));
    this.channels.onStatus((state) => {
      // jupyter_server tells its websocket clients this when the kernel's process has exited.
      if (state === 'restarting') this.#die({ reason: 'restarted', detail: 'its process exited (the gateway reported it restarting)' });
      if (state === 'dead') this.#die({ reason: 'dead', detail: 'its process exited and the gateway could not restart it' });
    });
  }

  /** Start a kernel on the gateway and wait until it answers kernel_info; the kernel is deleted again when that fails. */
  static async start(connection: GatewayConnection, options: GatewayKernelOptions = {}): Promise<GatewayKernel> {
    const rest = new GatewayRestClient(connection);
    const timeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
    const started = Date.now();
    const model = await rest.startKernel(options.kernelName, { ...(options.env ? { env: options.env } : {}), timeoutMs: Math.max(1000, timeoutMs) });
    const kernel = new GatewayKernel(rest, model.id, model.name, options);
    try {
      await kernel.#waitForReady(started + timeoutMs, timeoutMs);
      kernel.startupMs = Date.now() - started;
      kernel.#startStatusChecks(options.statusIntervalMs ?? 2000, options.statusMissesAllowed ?? 5);
      return kernel;
    } catch (error) {
      await kernel.#release();
      throw error;
    }
  }

  async #waitForReady(deadline: number, timeoutMs: number): Promise<void> {
    const remaining = (): number => Math.max(1, deadline - Date.now());
    const timedOut = (cause?: unknown): KernelStartTimeoutError => new KernelStartTimeoutError(timeoutMs, '', cause ? { cause } : undefined);
    // The server holds the websocket handshake until the kernel answers; a kernel deleted
    // meanwhile (culled, say) would hold it until the deadline without this watch.
    let watching = true;
    const watch = (async (): Promise<void> => {
      while (watching) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        if (!watching) return;
        const model = await this.rest.getKernel(this.id, 5000).catch(() => undefined);
        if (model === null) {
          this.#die({ reason: 'gone', detail: 'the gateway no longer has the kernel (culled or deleted)' });
          this.channels.close();
          return;
        }
      }
    })();
    try {
      await this.channels.connect(remaining());
    } catch (error) {
      if (this.#death) throw new GatewayKernelDiedError(this.#death, 'startup');
      if (Date.now() >= deadline) throw timedOut(error);
      throw error;
    } finally {
      watching = false;
      void watch;
    }
    let lastError: unknown;
    while (Date.now() < deadline) {
      const attempt = this.channels.request('shell', 'kernel_info_request', {}, Math.min(2000, remaining()));
      const outcome = await Promise.race([attempt.catch((error: unknown) => error), this.died]);
      if (this.#death) throw new GatewayKernelDiedError(this.#death, 'startup');
      if (outcome instanceof TimeoutError) {
        lastError = outcome;
        continue;
      }
      if (outcome instanceof Error) throw outcome;
      this.kernelInfo = contentOf(outcome as ReceivedMessage, 'kernel_info_reply') as KernelInfoReplyContent;
      return;
    }
    throw timedOut(lastError);
  }

  #startStatusChecks(intervalMs: number, missesAllowed: number): void {
    if (intervalMs <= 0) return;
    let misses = 0;
    const check = async (): Promise<void> => {
      if (this.#stopped || this.#death) return;
      try {
        const model = await this.rest.getKernel(this.id, Math.max(1000, intervalMs * 2));
        misses = 0;
        if (model === null) this.#die({ reason: 'gone', detail: 'the gateway no longer has the kernel (culled or deleted)' });
        else if (model.execution_state === 'dead') this.#die({ reason: 'dead', detail: `the gateway reports it dead${model.reason ? `: ${model.reason}` : ''}` });
      } catch {
        misses += 1;
        if (misses >= missesAllowed) this.#die({ reason: 'unreachable', detail: `the gateway ${redactedUrl(this.rest.connection)} did not answer ${misses} status checks` });
      }
      if (this.#stopped || this.#death) return;
      this.#statusTimer = setTimeout(() => void check(), intervalMs);
      this.#statusTimer.unref();
    };
    this.#statusTimer = setTimeout(() => void check(), intervalMs);
    this.#statusTimer.unref();
  }

  #die(death: GatewayKernelDeath): void {
    if (this.#death || this.#stopped) return;
    this.#death = death;
    this.#resolveDeath(death);
  }

  get death(): GatewayKernelDeath | null {
    return this.#death;
  }

  get languageInfo(): LanguageInfo | null {
    return this.kernelInfo?.language_info ?? null;
  }

  isAlive(): boolean {
    return this.#death === null && !this.#stopped;
  }

  execute(code: string, options: ExecuteOptions, listeners: { iopub: (message: ReceivedMessage) => void; stdin?: (message: ReceivedMessage) => void }): { reply: Promise<ReceivedMessage>; dispose: () => void } {
    return this.channels.execute(code, options, listeners);
  }

  inputReply(parent: ReceivedMessage, value: string): Promise<void> {
    return this.channels.inputReply(parent, value);
  }

  /** The gateway delivers it as its kernelspec says (a signal, or interrupt_request on control). */
  async interrupt(): Promise<void> {
    if (!this.isAlive()) return;
    await this.rest.interruptKernel(this.id, 5000).catch(() => undefined);
  }

  /** DELETE the kernel: the gateway asks it to shut down and kills it when it does not. */
  async kill(): Promise<void> {
    if (this.#death) return;
    await this.rest.deleteKernel(this.id, 15_000).catch(() => undefined);
    this.#die({ reason: 'killed', detail: 'it was deleted on the gateway after it did not answer an interrupt' });
  }

  exit(): KernelExit | null {
    return null;
  }

  deadKernelError(during: 'startup' | 'execution'): DeadKernelError {
    return new GatewayKernelDiedError(this.#death ?? { reason: 'unreachable', detail: 'the connection to the gateway was lost' }, during);
  }

  processLimitHits(): number | null {
    return null;
  }

  peakMemoryBytes(): number | null {
    return null;
  }

  rejectedMessages(): RejectionCounts {
    return { ...emptyRejections(), 'malformed-json': this.channels.malformed };
  }

  /** The gateway keeps the kernel's stderr in its own log. */
  stderrTail(): string {
    return '';
  }

  /** Runs before the kernel is deleted (while it may still answer), in the order added. */
  beforeShutdown(step: () => Promise<void>): void {
    this.#beforeShutdown.push(step);
  }

  async shutdown(_options: { mode: 'graceful' | 'immediate' } = { mode: 'graceful' }): Promise<void> {
    if (this.#stopped) return;
    for (const step of this.#beforeShutdown.splice(0)) await step().catch(() => undefined);
    await this.#release();
  }

  async #release(): Promise<void> {
    this.#stopped = true;
    if (this.#statusTimer) clearTimeout(this.#statusTimer);
    this.channels.close();
    try {
      await this.rest.deleteKernel(this.id, 15_000);
    } catch (error) {
      // A kernel the gateway cannot be asked to delete is left to its culling.
      if (!(error instanceof GatewayError)) throw error;
    }
  }
}
