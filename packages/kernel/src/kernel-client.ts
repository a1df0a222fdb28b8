import { randomBytes, randomUUID } from 'node:crypto';
import { Dealer, Request, Subscriber } from 'zeromq';
import { channelEndpoint, type ConnectionInfo } from './connection-file.js';
import { DeadKernelError, KernelStartTimeoutError, TimeoutError } from './errors.js';
import {
  contentOf,
  createMessage,
  type ExecuteRequestContent,
  type KernelInfoReplyContent,
  type KnownMessageType,
  type LanguageInfo,
  type MessageContentMap,
  type OutgoingMessage,
  type ReceivedMessage,
} from './jupyter-message.js';
import type { KernelProcess } from './kernel-process.js';
import { replyWithin } from './reply-within.js';
import { WireCodec, type RejectionCounts } from './wire-codec.js';

type RequestChannel = 'shell' | 'control';
type MessageListener = (message: ReceivedMessage) => void;

interface PendingReply {
  resolve: (message: ReceivedMessage) => void;
  reject: (error: Error) => void;
}

/** The content of an execute_request, the same on every transport. */
export function executeRequestContent(code: string, options: ExecuteOptions): ExecuteRequestContent {
  return {
    code,
    silent: options.silent ?? false,
    store_history: options.storeHistory ?? true,
    user_expressions: {},
    allow_stdin: options.allowStdin ?? false,
    stop_on_error: options.stopOnError ?? true,
  };
}

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  /** False in batch runs: the kernel then raises StdinNotImplementedError on input(). */
  allowStdin?: boolean;
  stopOnError?: boolean;
}

/** An execute_request in flight: its id, and its reply when it comes. */
export interface ExecuteHandle {
  msgId: string;
  reply: Promise<ReceivedMessage>;
}

export interface ReadyOptions {
  timeoutMs: number;
  /** The kernel's process: its exit ends the wait at once with DeadKernelError. */
  process?: KernelProcess;
  /** Interval between kernel_info_request retries. */
  retryIntervalMs?: number;
}

/** Closed while a request was still waiting for its reply. */
export class KernelClientClosedError extends Error {
  constructor() {
    super('kernel client closed before the reply arrived');
    this.name = 'KernelClientClosedError';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A Jupyter client over ZeroMQ: shell/control/stdin DEALERs (shell and stdin share one routing
 * id, as in jupyter_client, because the kernel addresses input requests to the shell caller),
 * an IOPub SUB subscribed to everything before anything is sent, and a heartbeat REQ. Replies
 * and IOPub messages are routed by `parent_header.msg_id`.
 */
export class KernelClient {
  readonly session: string;
  readonly codec: WireCodec;
  /** From the last kernel_info_reply. */
  kernelInfo: KernelInfoReplyContent | null = null;
  /** IOPub messages received (any parent). */
  iopubReceived = 0;
  /** IOPub messages whose parent no one was listening for. */
  iopubUnrouted = 0;

  readonly #connection: ConnectionInfo;
  readonly #routingId: string;
  #shell: Dealer | null = null;
  #control: Dealer | null = null;
  #stdin: Dealer | null = null;
  #iopub: Subscriber | null = null;
  #heartbeat: Request | null = null;
  #closed = false;
  readonly #pending = new Map<string, PendingReply>();
  readonly #iopubListeners = new Map<string, MessageListener>();
  readonly #stdinListeners = new Map<string, MessageListener>();
  readonly #anyIopub = new Set<() => void>();
  readonly #sendChains = new Map<Dealer, Promise<void>>();
  #heartbeatChain: Promise<boolean> = Promise.resolve(true);

  constructor(connection: ConnectionInfo, options: { session?: string } = {}) {
    this.#connection = connection;
    this.session = options.session ?? randomUUID();
    this.#routingId = this.session;
    this.codec = new WireCodec(connection.key, connection.signature_scheme);
  }

  get languageInfo(): LanguageInfo | null {
    return this.kernelInfo?.language_info ?? null;
  }

  /** Messages dropped by the codec, by reason (bad signatures among them). */
  get rejected(): Readonly<RejectionCounts> {
    return this.codec.rejected;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Open every socket. IOPub is connected and subscribed first, before any request can be sent. */
  connect(): void {
    if (this.#shell) return;
    const info = this.#connection;
    this.#iopub = new Subscriber({ linger: 0 });
    this.#iopub.connect(channelEndpoint(info, 'iopub'));
    this.#iopub.subscribe('');
    this.#shell = new Dealer({ linger: 0, routingId: this.#routingId });
    this.#shell.connect(channelEndpoint(info, 'shell'));
    this.#stdin = new Dealer({ linger: 0, routingId: this.#routingId });
    this.#stdin.connect(channelEndpoint(info, 'stdin'));
    this.#control = new Dealer({ linger: 0 });
    this.#control.connect(channelEndpoint(info, 'control'));
    this.#heartbeat = new Request({ linger: 0, relaxed: true, correlate: true });
    this.#heartbeat.connect(channelEndpoint(info, 'hb'));
    void this.#receiveLoop(this.#iopub, (message) => this.#onIopub(message));
    void this.#receiveLoop(this.#shell, (message) => this.#onReply(message));
    void this.#receiveLoop(this.#control, (message) => this.#onReply(message));
    void this.#receiveLoop(this.#stdin, (message) => this.#stdinListeners.get(message.parent_header.msg_id ?? '')?.(message));
  }

  async #receiveLoop(socket: Dealer | Subscriber, dispatch: MessageListener): Promise<void> {
    while (!this.#closed && !socket.closed) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch {
        // Closing a socket rejects its pending receive. Anything else is transient: losing a
        // channel for good would silently turn every later cell into a timeout.
        if (this.#closed || socket.closed) return;
        await delay(10);
        continue;
      }
      const decoded = this.codec.decode(frames);
      if (decoded.ok) dispatch(decoded.message);
    }
  }

  #onReply(message: ReceivedMessage): void {
    const parentId = message.parent_header.msg_id;
    if (!parentId) return;
    const pending = this.#pending.get(parentId);
    if (!pending) return;
    this.#pending.delete(parentId);
    pending.resolve(message);
  }

  #onIopub(message: ReceivedMessage): void {
    this.iopubReceived += 1;
    for (const notify of this.#anyIopub) notify();
    const listener = this.#iopubListeners.get(message.parent_header.msg_id ?? '');
    if (listener) listener(message);
    else this.iopubUnrouted += 1;
  }

  #socket(channel: RequestChannel | 'stdin'): Dealer {
    const socket = channel === 'shell' ? this.#shell : channel === 'control' ? this.#control : this.#stdin;
    if (!socket || this.#closed) throw new KernelClientClosedError();
    return socket;
  }

  /** Send a message; sends on one socket are serialized (zeromq allows one pending send). */
  send(channel: RequestChannel | 'stdin', message: OutgoingMessage): Promise<void> {
    const socket = this.#socket(channel);
    const frames = this.codec.encode(message);
    const previous = this.#sendChains.get(socket) ?? Promise.resolve();
    const sent = previous.then(() => socket.send(frames));
    this.#sendChains.set(
      socket,
      sent.catch(() => undefined),
    );
    return sent;
  }

  /** Route IOPub messages whose parent is `msgId` to `listener` until the returned function is called. */
  onIopub(msgId: string, listener: MessageListener): () => void {
    this.#iopubListeners.set(msgId, listener);
    return () => this.#iopubListeners.delete(msgId);
  }

  onStdin(msgId: string, listener: MessageListener): () => void {
    this.#stdinListeners.set(msgId, listener);
    return () => this.#stdinListeners.delete(msgId);
  }

  /** Send a request and resolve with its reply; with `timeoutMs`, reject with TimeoutError when it does not come. */
  async request<T extends KnownMessageType>(
    channel: RequestChannel,
    msgType: T,
    content: MessageContentMap[T],
    timeoutMs?: number,
  ): Promise<ReceivedMessage> {
    const message = createMessage(msgType, content, this.session);
    const reply = this.#expectReply(message.header.msg_id);
    await this.send(channel, message);
    if (timeoutMs === undefined) return reply;
    return replyWithin(reply, msgType, timeoutMs, () => this.#pending.delete(message.header.msg_id));
  }

  #expectReply(msgId: string): Promise<ReceivedMessage> {
    const reply = new Promise<ReceivedMessage>((resolve, reject) => this.#pending.set(msgId, { resolve, reject }));
    // A reply abandoned on timeout or close must not surface as an unhandled rejection.
    reply.catch(() => undefined);
    return reply;
  }

  /**
   * Send an execute_request. IOPub and stdin listeners for it are registered before it is sent,
   * so no output can arrive unrouted.
   */
  execute(
    code: string,
    options: ExecuteOptions,
    listeners: { iopub: MessageListener; stdin?: MessageListener },
  ): ExecuteHandle & { dispose: () => void; sent: Promise<void> } {
    const message = createMessage('execute_request', executeRequestContent(code, options), this.session);
    const msgId = message.header.msg_id;
    const offIopub = this.onIopub(msgId, listeners.iopub);
    const offStdin = listeners.stdin ? this.onStdin(msgId, listeners.stdin) : () => undefined;
    const reply = this.#expectReply(msgId);
    const sent = this.send('shell', message);
    sent.catch(() => undefined);
    return {
      msgId,
      reply,
      sent,
      dispose: () => {
        offIopub();
        offStdin();
        this.#pending.delete(msgId);
      },
    };
  }

  /** Answer an input_request on stdin. */
  inputReply(parent: ReceivedMessage, value: string): Promise<void> {
    return this.send('stdin', createMessage('input_reply', { value }, this.session, parent.header));
  }

  /** interrupt_request on control (for kernels with interrupt_mode "message"). */
  async interrupt(timeoutMs = 5000): Promise<ReceivedMessage> {
    return this.request('control', 'interrupt_request', {}, timeoutMs);
  }

  /** shutdown_request on control (`restart`: the client will start the kernel again); resolves with the reply, or rejects with TimeoutError. */
  async shutdown(timeoutMs = 2000, restart = false): Promise<ReceivedMessage> {
    return this.request('control', 'shutdown_request', { restart }, timeoutMs);
  }

  /** One heartbeat round trip: true when the kernel echoed within `timeoutMs`. */
  heartbeat(timeoutMs = 3000): Promise<boolean> {
    const ping = async (): Promise<boolean> => {
      const socket = this.#heartbeat;
      if (!socket || this.#closed) return false;
      const payload = randomBytes(8);
      try {
        socket.receiveTimeout = timeoutMs;
        await socket.send(payload);
        const [echo] = await socket.receive();
        return echo !== undefined && echo.equals(payload);
      } catch {
        return false;
      }
    };
    this.#heartbeatChain = this.#heartbeatChain.then(ping, ping);
    return this.#heartbeatChain;
  }

  /** Resolves on the next IOPub message of any parent, or false after `ms`. */
  #nextIopub(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.#anyIopub.delete(onMessage);
        resolve(value);
      };
      const onMessage = (): void => done(true);
      const timer = setTimeout(() => done(false), ms);
      this.#anyIopub.add(onMessage);
    });
  }

  /**
   * Send kernel_info_request about once a second until a reply has come AND at least one IOPub
   * message has arrived (proof that the subscription reached the kernel: the slow-joiner fix of
   * jupyter_client #592). Records `kernelInfo`.
   */
  async waitForReady(options: ReadyOptions): Promise<KernelInfoReplyContent> {
    const start = Date.now();
    const deadline = start + options.timeoutMs;
    const retryMs = options.retryIntervalMs ?? 1000;
    const died = options.process?.exited.then(() => 'died' as const);
    let reply: ReceivedMessage | null = null;
    let lastError: unknown;
    while (Date.now() < deadline) {
      const wait = Math.max(1, Math.min(retryMs, deadline - Date.now()));
      const attempt = this.request('shell', 'kernel_info_request', {}, wait).catch((error: unknown) => {
        if (error instanceof TimeoutError) {
          lastError = error;
          return null;
        }
        throw error;
      });
      // When the kernel dies first, the abandoned attempt may still reject (client closed).
      attempt.catch(() => undefined);
      const outcome = await (died ? Promise.race([attempt, died]) : attempt);
      if (outcome === 'died') {
        const proc = options.process as KernelProcess;
        throw new DeadKernelError(proc.exit, proc.stderrTail(), 'startup');
      }
      if (outcome) reply = outcome;
      if (reply && this.iopubReceived === 0) {
        // The reply's own busy/idle is usually right behind it.
        await this.#nextIopub(Math.max(1, Math.min(250, deadline - Date.now())));
      }
      if (reply && this.iopubReceived > 0) {
        this.kernelInfo = contentOf(reply, 'kernel_info_reply') as KernelInfoReplyContent;
        return this.kernelInfo;
      }
      if (!outcome) continue;
      await delay(Math.min(retryMs, Math.max(0, deadline - Date.now())));
    }
    if (reply) lastError = new TimeoutError('kernel_info_reply arrived but no IOPub message did: the IOPub subscription never reached the kernel');
    throw new KernelStartTimeoutError(options.timeoutMs, options.process?.stderrTail() ?? '', lastError ? { cause: lastError } : undefined);
  }

  /** Close every socket; requests still waiting reject with KernelClientClosedError. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const pending of this.#pending.values()) pending.reject(new KernelClientClosedError());
    this.#pending.clear();
    this.#iopubListeners.clear();
    this.#stdinListeners.clear();
    for (const socket of [this.#iopub, this.#shell, this.#stdin, this.#control, this.#heartbeat]) socket?.close();
  }
}
