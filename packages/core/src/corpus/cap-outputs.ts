import { createHash } from 'node:crypto';
import type * as nbformat from '@jupyterlab/nbformat';

/** Default cap on one stored output payload; notebooks with embedded videos are not rare. */
export const DEFAULT_OUTPUT_CAP_BYTES = 256 * 1024;

/** Replaces a payload that was too large to store; the hash still tells equal payloads apart. */
export interface TruncatedPayload {
  mle_truncated: true;
  bytes: number;
  sha256: string;
  head: string;
}

function capText(text: string, capBytes: number): string | TruncatedPayload {
  const bytes = Buffer.byteLength(text);
  if (bytes <= capBytes) return text;
  return {
    mle_truncated: true,
    bytes,
    sha256: createHash('sha256').update(text).digest('hex'),
    // Text heads stay readable (feedback keeps the first lines); binary heads are useless.
    head: /^[A-Za-z0-9+/=\s]+$/.test(text.slice(0, 512)) ? '' : text.slice(0, 4096),
  };
}

/** Outputs with every payload larger than `capBytes` replaced by a TruncatedPayload marker. */
export function capOutputs(outputs: nbformat.IOutput[], capBytes: number = DEFAULT_OUTPUT_CAP_BYTES): nbformat.IOutput[] {
  return outputs.map((output) => {
    if (output.output_type === 'stream') {
      const capped = capText(String(output.text ?? ''), capBytes);
      return typeof capped === 'string' ? output : { ...output, text: `${capped.head}\n[mle: ${capped.bytes} bytes truncated, sha256 ${capped.sha256}]` };
    }
    if (output.output_type === 'execute_result' || output.output_type === 'display_data') {
      const data: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries((output.data ?? {}) as Record<string, unknown>)) {
        data[mime] = typeof value === 'string' ? capText(value, capBytes) : value;
      }
      return { ...output, data } as nbformat.IOutput;
    }
    return output;
  });
}
