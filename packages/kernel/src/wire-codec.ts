import type { JsonObject, MessageHeader, OutgoingMessage, ReceivedMessage } from './jupyter-message.js';
import { MessageSigner } from './message-signer.js';

/** The frame separating routing identities from the signed message. */
export const DELIMITER = Buffer.from('<IDS|MSG>', 'ascii');

/** Why an incoming multipart message was dropped. */
export type RejectionReason = 'no-delimiter' | 'truncated' | 'bad-signature' | 'replayed' | 'malformed-json';

export type DecodeResult = { ok: true; message: ReceivedMessage } | { ok: false; reason: RejectionReason };

/** Counts of dropped messages by reason; a non-zero `bad-signature` means someone else is talking. */
export type RejectionCounts = Record<RejectionReason, number>;

/** How many signatures to remember for the replay check (jupyter_client keeps 2^16). */
const REPLAY_HISTORY = 1 << 16;

function parseObject(frame: Buffer): JsonObject {
  const value: unknown = JSON.parse(frame.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('frame is not a JSON object');
  return value as JsonObject;
}

class LazyReceivedMessage implements ReceivedMessage {
  #content: unknown;
  #parsed = false;

  constructor(
    readonly identities: Buffer[],
    readonly header: MessageHeader,
    readonly parent_header: Partial<MessageHeader>,
    readonly metadata: JsonObject,
    readonly contentFrame: Buffer,
    readonly buffers: Buffer[],
  ) {}

  get contentBytes(): number {
    return this.contentFrame.length;
  }

  get content(): unknown {
    if (!this.#parsed) {
      try {
        this.#content = JSON.parse(this.contentFrame.toString('utf8'));
      } catch {
        // The signature matched, so this is the kernel's own bad JSON: treat as empty content.
        this.#content = {};
      }
      this.#parsed = true;
    }
    return this.#content;
  }
}

/**
 * Serializes and parses Jupyter multipart messages, signs and verifies them, and counts what it
 * rejects. One codec per connection: the replay check is per key.
 */
export class WireCodec {
  readonly signer: MessageSigner;
  readonly rejected: RejectionCounts = { 'no-delimiter': 0, truncated: 0, 'bad-signature': 0, replayed: 0, 'malformed-json': 0 };
  readonly #seen = new Set<string>();

  constructor(key: string, scheme = 'hmac-sha256') {
    this.signer = new MessageSigner(key, scheme);
  }

  encode(message: OutgoingMessage, identities: Buffer[] = []): Buffer[] {
    const frames = [
      Buffer.from(JSON.stringify(message.header), 'utf8'),
      Buffer.from(JSON.stringify(message.parent_header), 'utf8'),
      Buffer.from(JSON.stringify(message.metadata), 'utf8'),
      Buffer.from(JSON.stringify(message.content), 'utf8'),
    ];
    const signature = Buffer.from(this.signer.sign(frames), 'ascii');
    return [...identities, DELIMITER, signature, ...frames, ...message.buffers];
  }

  decode(frames: readonly Buffer[]): DecodeResult {
    const at = frames.findIndex((frame) => frame.equals(DELIMITER));
    if (at < 0) return this.#reject('no-delimiter');
    if (frames.length < at + 6) return this.#reject('truncated');
    const signature = frames[at + 1] as Buffer;
    const signed = frames.slice(at + 2, at + 6);
    if (!this.signer.verify(signature, signed)) return this.#reject('bad-signature');
    if (this.signer.enabled) {
      const digest = signature.toString('ascii');
      if (this.#seen.has(digest)) return this.#reject('replayed');
      if (this.#seen.size >= REPLAY_HISTORY) this.#seen.clear();
      this.#seen.add(digest);
    }
    const [headerFrame, parentFrame, metadataFrame, contentFrame] = signed as [Buffer, Buffer, Buffer, Buffer];
    let header: JsonObject;
    let parent: JsonObject;
    let metadata: JsonObject;
    try {
      header = parseObject(headerFrame);
      parent = parseObject(parentFrame);
      metadata = parseObject(metadataFrame);
    } catch {
      return this.#reject('malformed-json');
    }
    if (typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') return this.#reject('malformed-json');
    const message = new LazyReceivedMessage(
      frames.slice(0, at),
      header as unknown as MessageHeader,
      parent as Partial<MessageHeader>,
      metadata,
      contentFrame,
      frames.slice(at + 6),
    );
    return { ok: true, message };
  }

  #reject(reason: RejectionReason): DecodeResult {
    this.rejected[reason] += 1;
    return { ok: false, reason };
  }
}
