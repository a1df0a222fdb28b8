import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';

/** The header and the picked columns of every row of a CSV file. */
export interface CsvColumns {
  header: string[];
  /** One array per data row, holding the picked columns in the order `pick` returned them. */
  rows: string[][];
  /** Reading stopped at `maxRows`: the file has more rows than were kept. */
  truncated: boolean;
}

/** The file is absent (`missing-file`) or is not a CSV that can be parsed (`unreadable-csv`). */
export class CsvReadError extends Error {
  override name = 'CsvReadError';
  constructor(
    readonly reason: 'missing-file' | 'unreadable-csv',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// A submission is a table of short cells; one record larger than this is a corrupt or
// runaway file, and refusing it keeps a notebook's output from exhausting our memory.
const MAX_RECORD_CHARS = 16 * 1024 * 1024;

async function firstBytes(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export interface ReadCsvOptions {
  /** Stop after the header (a competition's sample submission is only checked for its columns). */
  headerOnly?: boolean;
  /** Keep at most this many rows and stop reading (a runaway submission must not fill memory). */
  maxRows?: number;
}

/** csv-parse quotes the offending field in its message; a binary file's field can be huge. */
function oneShortLine(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Stream a CSV file, keeping only the columns `pick` chooses once it has seen the header
 * (it may throw to refuse the file, e.g. for a missing column, before any row is read).
 * Whitespace around cells and a UTF-8 BOM are dropped; blank lines are skipped; a row with a
 * different number of fields than the header makes the file unreadable, as for pandas.
 */
export async function readCsvColumns(path: string, pick: (header: readonly string[]) => readonly number[], options: ReadCsvOptions = {}): Promise<CsvColumns> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CsvReadError('missing-file', `${path} does not exist`, { cause: error });
    throw new CsvReadError('unreadable-csv', `${path} cannot be read (${code ?? String(error)})`, { cause: error });
  }
  if (!info.isFile()) throw new CsvReadError('unreadable-csv', `${path} is not a regular file`);
  if (info.size === 0) throw new CsvReadError('unreadable-csv', `${path} is empty (no header row)`);
  // A text CSV has no NUL bytes; without this sniff a binary file (an image, a pickle saved
  // as submission.csv) would be reported as "missing columns".
  const head = await firstBytes(path, 8192).catch((error: unknown) => {
    throw new CsvReadError('unreadable-csv', `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  });
  if (head.includes(0)) throw new CsvReadError('unreadable-csv', `${path} is not a text CSV (NUL bytes in its first 8 KB)`);

  // relax_quotes: a quote inside an unquoted field is kept as text, as pandas does.
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_quotes: true, max_record_size: MAX_RECORD_CHARS });
  const input = createReadStream(path);
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  let header: string[] | undefined;
  let picked: readonly number[] = [];
  const rows: string[][] = [];
  let truncated = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = record;
        picked = pick(header);
        if (options.headerOnly) break;
        continue;
      }
      if (options.maxRows !== undefined && rows.length >= options.maxRows) {
        truncated = true;
        break;
      }
      rows.push(picked.map((index) => record[index] ?? ''));
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvReadError('unreadable-csv', `${path}: ${oneShortLine(error.message)}`, { cause: error });
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('E')) {
      throw new CsvReadError('unreadable-csv', `${path} cannot be read (${error.code})`, { cause: error });
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new CsvReadError('unreadable-csv', `${path} has no header row`);
  return { header, rows, truncated };
}

/** The header row of a CSV file. */
export async function readCsvHeader(path: string): Promise<string[]> {
  return (await readCsvColumns(path, () => [], { headerOnly: true })).header;
}
