import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';

/** A Meta Kaggle table is missing or lacks a column the join needs. */
export class MetaKaggleFormatError extends Error {
  override name = 'MetaKaggleFormatError';
}

/** One row, holding only the columns asked for; a column absent from the file reads as `undefined`. */
export type CsvRow<C extends string> = Record<C, string | undefined>;

export interface CsvTable<C extends string> {
  /** Which of the asked-for columns the file has (column sets change between dumps). */
  has(column: C): boolean;
  rows(): AsyncGenerator<CsvRow<C>>;
}

/**
 * Open `<dir>/<name>` for streaming. Columns are found by header name, never by position;
 * `required` ones must exist, `optional` ones may not. Quoted fields may span lines (titles
 * and descriptions do), which is why this is a real CSV parser and not a line splitter.
 */
export async function openCsvTable<R extends string, O extends string = never>(dir: string, name: string, required: readonly R[], optional: readonly O[] = []): Promise<CsvTable<R | O>> {
  const path = join(dir, name);
  if (!existsSync(path)) throw new MetaKaggleFormatError(`no ${name} in ${dir}`);
  const header = await readHeader(path);
  const index = new Map<string, number>();
  header.forEach((column, i) => index.set(column.trim(), i));
  const missing = required.filter((column) => !index.has(column));
  if (missing.length > 0) throw new MetaKaggleFormatError(`${name} has no column ${missing.join(', ')} (it has ${header.join(', ')})`);
  const wanted = [...required, ...optional].filter((column) => index.has(column)).map((column) => [column, index.get(column)!] as const);
  return {
    has: (column) => index.has(column),
    async *rows() {
      const file = createReadStream(path, { highWaterMark: 1 << 20 });
      const parser = file.pipe(parse({ bom: true, from_line: 2, relax_column_count: true, skip_empty_lines: true }));
      try {
        for await (const record of parser as AsyncIterable<string[]>) {
          const row = {} as CsvRow<R | O>;
          for (const [column, i] of wanted) row[column] = record[i];
          yield row;
        }
      } catch (error) {
        throw new MetaKaggleFormatError(`${name}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
      } finally {
        // Stopping early (an error, a consumer that breaks) must not leave the file open.
        parser.destroy();
        file.destroy();
      }
    },
  };
}

/** The header record, read by the same parser so a quoted header is handled alike. */
async function readHeader(path: string): Promise<string[]> {
  const file = createReadStream(path);
  const parser = file.pipe(parse({ bom: true, to_line: 1, relax_column_count: true }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) return record;
  } finally {
    parser.destroy();
    file.destroy();
  }
  return [];
}
