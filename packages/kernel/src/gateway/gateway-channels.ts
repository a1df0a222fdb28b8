import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createMessage, type KnownMessageType, type MessageContentMap, type OutgoingMessage, type ReceivedMessage } from '../jupyter-message.js';
import { replyWithin } from '../reply-within.js';
import { executeRequestContent, KernelClientClosedError, type ExecuteOptions } from '../kernel-client.js';
import { gatewayEndpoint, gatewayHeaders, redactedUrl, type GatewayConnection } from './gateway-connection.js';
import { GatewayError } from './gateway-rest.js';
import { decodeFrame, encodeMessage, type WebsocketChannel } from './json-wire.js';

type MessageListener = (message: ReceivedMessage) => void;

export interface GatewayChannelsOptions {
  connection: GatewayConnection;
  kernelId: string;
  /** The session id; the server buffers a session's messages while its websocket is down. */
  session?: string;
  /** How long a dropped websocket is retried before the connection counts as lost (default 30 s). */
  reconnectWindowMs?: number;
  /** Websocket pings: a connection that stops answering for this long is dropped and reconnected (default 15 s; 0 = off). */
  pingIntervalMs?: number;
  /** Asked before each reconnect: true when the kernel no longer exists, so retrying is pointless. */
  kernelGone?: () => Promise<boolean>;
}

/** Why the channels are gone for good. */
export interface ChannelsLoss {
  reason: 'kernel-gone' | 'unreachable';
  detail: string;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A kernel's channels over a Jupyter Server websocket (`/api/kernels/{id}/channels`), legacy JSON
 * protocol: one socket carries shell, control, stdin and IOPub, each message naming its channel.
 * Replies and IOPub messages are routed by `parent_header.msg_id`, as in KernelClient. A dropped
 * socket is reopened with the same session id, so the server replays what the kernel sent in
 * between; requests sent meanwhile wait in a queue.
 */
export class GatewayChannels {
  readonly session: string;
  readonly url: URL;
  /** Successful reconnects after a drop. */
  reconnects = 0;
  /** Frames that were not a Jupyter message. */
  malformed = 0;
  /** Settles when the channels are lost for good (not on close()). */
  readonly lost: Promise<ChannelsLoss>;
  #resolveLost!: (loss: ChannelsLoss) => void;
  readonly #options: GatewayChannelsOptions;
  #socket: WebSocket | null = null;
  /** A socket still in its opening handshake (which the server may hold for a long time). */
  #connecting: WebSocket | null = null;
  #open = false;
  #closed = false;
  #gone = false;
  #queue: string[] = [];
  #pingTimer: NodeJS.Timeout | null = null;
  readonly #pending = new Map<string, { resolve: MessageListener; reject: (error: Error) => void }>();
  readonly #iopubListeners = new Map<string, MessageListener>();
  readonly #stdinListeners = new Map<string, MessageListener>();
  readonly #statusListeners = new Set<(state: string, message: ReceivedMessage) => void>();

  constructor(options: GatewayChannelsOptions) {
    this.#options = options;
    this.session = options.session ?? randomUUID();
    this.url = gatewayEndpoint(options.connection, `/api/kernels/${encodeURIComponent(options.kernelId)}/channels`, 'ws');
    this.url.searchParams.set('session_id', this.session);
    this.lost = new Promise((resolve) => (this.#resolveLost = resolve));
  }

  get connected(): boolean {
    return this.#open;
  }

  /** Open the websocket; rejects with GatewayError when the gateway refuses it. */
  async connect(timeoutMs = 30_000): Promise<void> {
    await this.#openSocket(timeoutMs);
  }

  #openSocket(timeoutMs: number): Promise<void> {
    const tls = this.#options.connection.tls ?? {};
    const socket = new WebSocket(this.url, {
      headers: gatewayHeaders(this.#options.connection),
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
      ...(this.url.protocol === 'wss:' ? { ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized ?? true } : {}),
    });
    const where = `websocket of kernel ${this.#options.kernelId} on ${redactedUrl(this.#options.connection)}`;
    this.#connecting = socket;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        if (this.#connecting === socket) this.#connecting = null;
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        reject(error);
      };
      socket.once('unexpected-response', (_request, response) => {
        const hint = response.statusCode === 401 || response.statusCode === 403 ? ' (check --gateway-token / --gateway-header)' : '';
        fail(new GatewayError(`${where}: HTTP ${response.statusCode ?? '?'}${hint}`, response.statusCode ?? null));
      });
      socket.once('error', (error) => fail(new GatewayError(`${where}: ${error.message}`, null, { cause: error })));
      socket.once('open', () => {
        if (settled) return;
        settled = true;
        if (this.#connecting === socket) this.#connecting = null;
        socket.removeAllListeners();
        this.#attach(socket);
        resolve();
      });
    });
  }

  #attach(socket: WebSocket): void {
    if (this.#closed) {
      socket.terminate();
      return;
    }
    this.#socket = socket;
    this.#open = true;
    socket.on('message', (data: Buffer, isBinary: boolean) => this.#onFrame(data, isBinary));
    socket.on('error', () => undefined);
    socket.on('close', () => this.#onClose(socket));
    this.#startPing(socket);
    const queued = this.#queue;
    this.#queue = [];
    for (const frame of queued) socket.send(frame);
  }

  #startPing(socket: WebSocket): void {
    const interval = this.#options.pingIntervalMs ?? 15_000;
    if (interval <= 0) return;
    let answered = true;
    socket.on('pong', () => (answered = true));
    const tick = (): void => {
      if (this.#socket !== socket || !this.#open) return;
      // A half-open TCP connection (a NAT or proxy forgot it) gives no close event: only silence.
      if (!answered) {
        socket.terminate();
        return;
      }
      answered = false;
      socket.ping();
      this.#pingTimer = setTimeout(tick, interval);
      this.#pingTimer.unref();
    };
    this.#pingTimer = setTimeout(tick, interval);
    this.#pingTimer.unref();
  }

  #onClose(socket: WebSocket): void {
    if (this.#socket !== socket) return;
    this.#open = false;
    this.#socket = null;
    if (this.#pingTimer) clearTimeout(this.#pingTimer);
    if (this.#closed || this.#gone) return;
    void this.#reconnect();
  }

  async #reconnect(): Promise<void> {
    const windowMs = this.#options.reconnectWindowMs ?? 30_000;
    const deadline = Date.now() + windowMs;
    let lastError = 'the websocket closed';
    for (let attempt = 0; Date.now() < deadline && !this.#closed; attempt++) {
      const gone = await this.#options.kernelGone?.().catch(() => false);
      if (this.#closed) return;
      if (gone) {
        this.#lose({ reason: 'kernel-gone', detail: 'the gateway no longer has the kernel (deleted or culled)' });
        return;
      }
      try {
        await this.#openSocket(Math.max(1000, Math.min(10_000, deadline - Date.now())));
        this.reconnects += 1;
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
      }
      await delay(Math.min(2000, 100 * 2 ** attempt, Math.max(0, deadline - Date.now())));
    }
    if (!this.#closed) this.#lose({ reason: 'unreachable', detail: `the websocket could not be reopened within ${windowMs} ms: ${lastError}` });
  }

  #lose(loss: ChannelsLoss): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#resolveLost(loss);
  }

  #onFrame(data: Buffer, isBinary: boolean): void {
    const decoded = decodeFrame(data, isBinary);
    if (!decoded) {
      this.malformed += 1;
      return;
    }
    const { channel, message } = decoded;
    const parentId = message.parent_header.msg_id ?? '';
    if (channel === 'iopub') {
      if (message.header.msg_type === 'status') {
        const state = String((message.content as { execution_state?: unknown }).execution_state ?? '');
        for (const listener of this.#statusListeners) listener(state, message);
      }
      this.#iopubListeners.get(parentId)?.(message);
      return;
    }
    if (channel === 'stdin') {
      this.#stdinListeners.get(parentId)?.(message);
      return;
    }
    const pending = this.#pending.get(parentId);
    if (!pending) return;
    this.#pending.delete(parentId);
    pending.resolve(message);
  }

  /** Send now, or when the socket is back. */
  send(channel: WebsocketChannel, message: OutgoingMessage): void {
    if (this.#closed || this.#gone) throw new KernelClientClosedError();
    const frame = encodeMessage(channel, message);
    if (this.#open && this.#socket) this.#socket.send(frame);
    else this.#queue.push(frame);
  }

  /** Every IOPub status message (any parent): the server reports a restarted or dead kernel this way. */
  onStatus(listener: (state: string, message: ReceivedMessage) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #expectReply(msgId: string): Promise<ReceivedMessage> {
    const reply = new Promise<ReceivedMessage>((resolve, reject) => this.#pending.set(msgId, { resolve, reject }));
    reply.catch(() => undefined);
    return reply;
  }

  async request<T extends KnownMessageType>(channel: 'shell' | 'control', msgType: T, content: MessageContentMap[T], timeoutMs: number): Promise<ReceivedMessage> {
    const message = createMessage(msgType, content, this.session);
    const reply = this.#expectReply(message.header.msg_id);
    this.send(channel, message);
    return replyWithin(reply, msgType, timeoutMs, () => this.#pending.delete(message.header.msg_id));
  }

  /** An execute_request whose IOPub and stdin listeners are in place before it is sent. */
  execute(code: string, options: ExecuteOptions, listeners: { iopub: MessageListener; stdin?: MessageListener }): { msgId: string; reply: Promise<ReceivedMessage>; dispose: () => void } {
    const message = createMessage('execute_request', executeRequestContent(code, options), this.session);
    const msgId = message.header.msg_id;
    this.#iopubListeners.set(msgId, listeners.iopub);
    if (listeners.stdin) this.#stdinListeners.set(msgId, listeners.stdin);
    const reply = this.#expectReply(msgId);
    try {
      this.send('shell', message);
    } catch (error) {
      this.#pending.get(msgId)?.reject(error as Error);
      this.#pending.delete(msgId);
    }
    return {
      msgId,
      reply,
      dispose: () => {
        this.#iopubListeners.delete(msgId);
        this.#stdinListeners.delete(msgId);
        this.#pending.delete(msgId);
      },
    };
  }

  // Async so that a closed connection rejects instead of throwing inside a message listener.
  async inputReply(parent: ReceivedMessage, value: string): Promise<void> {
    this.send('stdin', createMessage('input_reply', { value }, this.session, parent.header));
  }

  /** Drop the websocket as a network failure would (the reconnect logic takes over). For tests and diagnostics. */
  dropSocket(): void {
    this.#socket?.terminate();
  }

  /** Close for good; requests still waiting reject with KernelClientClosedError. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pingTimer) clearTimeout(this.#pingTimer);
    for (const pending of this.#pending.values()) pending.reject(new KernelClientClosedError());
    this.#pending.clear();
    this.#iopubListeners.clear();
    this.#stdinListeners.clear();
    this.#statusListeners.clear();
    this.#connecting?.terminate();
    const socket = this.#socket;
    this.#socket = null;
    this.#open = false;
    if (socket) {
      socket.on('error', () => undefined);
      socket.close(1000);
      // A peer that never answers the close handshake must not keep the process alive.
      setTimeout(() => socket.terminate(), 1000).unref();
    }
  }
}
