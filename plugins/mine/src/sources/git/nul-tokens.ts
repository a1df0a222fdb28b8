import type { Readable } from 'node:stream';

/**
 * Split a byte stream into its NUL-terminated tokens, decoded as UTF-8. Git's `-z` output is
 * a sequence of such tokens, which is what makes paths with spaces, quotes, newlines or
 * non-ASCII characters come through verbatim (no C-style quoting).
 */
export async function* nulTokens(stream: Readable): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      const piece = chunk.subarray(start, end);
      if (pending.length > 0) {
        pending.push(piece);
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
      } else {
        yield piece.toString('utf8');
      }
      start = end + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  // A trailing token without its NUL (git always terminates them, but be lenient).
  if (pending.length > 0) {
    const rest = Buffer.concat(pending).toString('utf8');
    if (rest !== '') yield rest;
  }
}
