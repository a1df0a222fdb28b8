// A stream message's content as jupyter_client serializes ipykernel's OutStream output:
// `{"name": "stdout", "text": "..."}` (name first, compact or spaced separators).
const HEAD = /^\{\s*"name"\s*:\s*"(stdout|stderr)"\s*,\s*"text"\s*:\s*"/;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/**
 * The stream name and the first `maxBytes` (about) of the text of a stream message, read from
 * its raw JSON without parsing the rest: a single 200 MB print keeps its first megabytes for the
 * notebook at the cost of those megabytes only. Null when the frame is not shaped as expected.
 */
export function streamPrefix(frame: Buffer, maxBytes: number): { name: 'stdout' | 'stderr'; text: string } | null {
  const head = HEAD.exec(frame.subarray(0, 64).toString('latin1'));
  if (!head) return null;
  const parts: string[] = [];
  let bytes = 0;
  let at = head[0].length;
  while (at < frame.length && bytes < maxBytes) {
    let stop = at;
    const limit = Math.min(frame.length, at + (maxBytes - bytes));
    while (stop < limit && frame[stop] !== QUOTE && frame[stop] !== BACKSLASH) stop += 1;
    if (stop > at) {
      // A cut inside a multi-byte character (only possible at `limit`) leaves U+FFFD: drop it.
      parts.push(frame.subarray(at, stop).toString('utf8').replace(/\uFFFD$/, ''));
      bytes += stop - at;
      at = stop;
      continue;
    }
    if (frame[at] === QUOTE) break;
    const escape = String.fromCharCode(frame[at + 1] ?? 0);
    if (escape === 'u') {
      const code = Number.parseInt(frame.subarray(at + 2, at + 6).toString('latin1'), 16);
      if (Number.isNaN(code)) return null;
      parts.push(String.fromCharCode(code));
      at += 6;
    } else if (escape in SIMPLE_ESCAPES) {
      parts.push(SIMPLE_ESCAPES[escape] as string);
      at += 2;
    } else {
      return null;
    }
    bytes += 1;
  }
  // Lone surrogates (a pair cut in two) are left as they are; JSON.stringify escapes them.
  return { name: head[1] as 'stdout' | 'stderr', text: parts.join('') };
}
