import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signing of the four JSON frames (header, parent_header, metadata, content).
 * The key is used as its UTF-8 bytes, never hex-decoded; an empty key turns signing off, as in
 * jupyter_client.
 */
export class MessageSigner {
  readonly #key: Buffer;

  constructor(key: string, scheme = 'hmac-sha256') {
    if (scheme !== 'hmac-sha256') throw new UnsupportedSignatureSchemeError(scheme);
    this.#key = Buffer.from(key, 'utf8');
  }

  get enabled(): boolean {
    return this.#key.length > 0;
  }

  /** Lowercase hex digest of the frames, or '' when signing is off. */
  sign(frames: readonly Buffer[]): string {
    if (!this.enabled) return '';
    const hmac = createHmac('sha256', this.#key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** Constant-time comparison of a received signature with the expected one. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(frames), 'ascii');
    // timingSafeEqual needs equal lengths; a length mismatch leaks nothing secret.
    if (signature.length !== expected.length) return false;
    return timingSafeEqual(signature, expected);
  }
}

export class UnsupportedSignatureSchemeError extends Error {
  constructor(readonly scheme: string) {
    super(`unsupported signature scheme ${JSON.stringify(scheme)}: only hmac-sha256 is supported`);
    this.name = 'UnsupportedSignatureSchemeError';
  }
}
