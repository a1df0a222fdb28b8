import type { JsonObject, MessageHeader, OutgoingMessage, ReceivedMessage } from '../jupyter-message.js';

/** Channels a Jupyter Server websocket multiplexes; each JSON message names its own. */
export type WebsocketChannel = 'shell' | 'control' | 'iopub' | 'stdin';

/** A message read off the websocket, with the channel it came on. */
export interface ChannelMessage {
  channel: WebsocketChannel;
  message: ReceivedMessage;
}

class JsonReceivedMessage implements ReceivedMessage {
  readonly identities: Buffer[] = [];
  #frame: Buffer | null = null;

  constructor(
    readonly header: MessageHeader,
    readonly parent_header: Partial<MessageHeader>,
    readonly metadata: JsonObject,
    readonly content: unknown,
    readonly buffers: Buffer[],
    /** Bytes of the content as it came, when known without serializing it again. */
    readonly rawBytes: number | null,
  ) {}

  // The output cap is counted on the content's serialized size, as for ZeroMQ frames.
  get contentFrame(): Buffer {
    this.#frame ??= Buffer.from(JSON.stringify(this.content ?? {}));
    return this.#frame;
  }

  get contentBytes(): number {
    return this.contentFrame.length;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CHANNELS = new Set<string>(['shell', 'control', 'iopub', 'stdin']);

function fromJson(value: unknown, buffers: Buffer[]): ChannelMessage | null {
  if (!isObject(value) || !isObject(value.header) || typeof value.channel !== 'string' || !CHANNELS.has(value.channel)) return null;
  const header = value.header as unknown as MessageHeader;
  if (typeof header.msg_type !== 'string') return null;
  // The server serializes dates itself; keep them as strings for the timing metadata.
  if (typeof header.date !== 'string') header.date = '';
  const message = new JsonReceivedMessage(header, isObject(value.parent_header) ? (value.parent_header as Partial<MessageHeader>) : {}, isObject(value.metadata) ? value.metadata : {}, value.content ?? {}, buffers, null);
  return { channel: value.channel as WebsocketChannel, message };
}

/**
 * Decode one websocket frame of the legacy (unnamed subprotocol) Jupyter protocol: text frames
 * are a JSON message; binary frames carry buffers as `nbufs, offsets..., json, buffers...` with
 * big-endian uint32s (jupyter_server's serialize_binary_message). Null when malformed.
 */
export function decodeFrame(data: Buffer | string, isBinary: boolean): ChannelMessage | null {
  try {
    if (!isBinary) return fromJson(JSON.parse(typeof data === 'string' ? data : data.toString('utf8')), []);
    const frame = typeof data === 'string' ? Buffer.from(data) : data;
    const count = frame.readUInt32BE(0);
    if (count < 1 || 4 * (count + 1) > frame.length) return null;
    const offsets = Array.from({ length: count }, (_, i) => frame.readUInt32BE(4 * (i + 1)));
    const parts = offsets.map((start, i) => frame.subarray(start, i + 1 < count ? offsets[i + 1] : frame.length));
    return fromJson(JSON.parse(parts[0]!.toString('utf8')), parts.slice(1));
  } catch {
    return null;
  }
}

/** A message as the websocket carries it: JSON with its channel (no signature: the server signs). */
export function encodeMessage(channel: WebsocketChannel, message: OutgoingMessage): string {
  return JSON.stringify({ header: message.header, parent_header: message.parent_header, metadata: message.metadata, content: message.content, buffers: [], channel });
}
