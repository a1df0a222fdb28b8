import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { analyzeNotebook, prepare, PythonParser, type Store } from '@mle/core';

/** What an environment needs to know about a notebook: its imports, its date, its Python major. */
export interface NotebookEnvironmentFacts {
  notebookId: number | null;
  /** Imported modules as written, distinct. */
  imports: string[];
  /** ISO 8601 UTC, or null when neither the database nor the file says. */
  date: string | null;
  pythonMajor: 2 | 3 | null;
  /** Where the facts came from (`database` or the file's path). */
  from: string;
}

/** The notebook asked for does not exist or cannot be read as a notebook. */
export class NotebookNotFoundError extends Error {
  override name = 'NotebookNotFoundError';
}

/** A notebook stored by `mle mine`: imports from the `imports` table, date from `notebooks.date`. */
export function notebookFactsFromStore(store: Store, notebookId: number): NotebookEnvironmentFacts {
  const notebook = prepare<[number], { date: string | null; python_major: number | null }>(store.db, 'SELECT date, python_major FROM notebooks WHERE id = ?').get(notebookId);
  if (!notebook) throw new NotebookNotFoundError(`no notebook ${notebookId} in ${store.path}`);
  const rows = prepare<[number], { module: string }>(store.db, 'SELECT DISTINCT module FROM imports WHERE notebook_id = ? ORDER BY module').all(notebookId);
  return {
    notebookId,
    imports: rows.map((row) => row.module),
    date: notebook.date,
    pythonMajor: notebook.python_major === 2 || notebook.python_major === 3 ? notebook.python_major : null,
    from: 'database',
  };
}

/** A notebook file not (necessarily) in the database, parsed like `mle mine` does; the date from `metadata.mle.date`. */
export async function notebookFactsFromFile(path: string): Promise<NotebookEnvironmentFacts> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new NotebookNotFoundError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const parser = await PythonParser.create();
  try {
    const analyzed = analyzeNotebook(text, parser, { extension: extname(path) });
    if (analyzed.kind === 'rejected') throw new NotebookNotFoundError(`${path} is not a usable notebook (${analyzed.code}: ${analyzed.reason})`);
    const metadata = JSON.parse(analyzed.metadataJson) as { mle?: { date?: unknown } };
    const rawDate = metadata.mle?.date;
    const date = typeof rawDate === 'string' && !Number.isNaN(Date.parse(rawDate)) ? new Date(rawDate).toISOString() : null;
    return { notebookId: null, imports: [...new Set(analyzed.imports.map((record) => record.module))].sort(), date, pythonMajor: analyzed.pythonMajor, from: path };
  } finally {
    parser.delete();
  }
}

/** `--for` takes a notebook id (digits) or a path. */
export async function notebookFacts(store: Store | null, target: string): Promise<NotebookEnvironmentFacts> {
  if (/^\d+$/.test(target)) {
    if (!store) throw new NotebookNotFoundError(`notebook id ${target} needs a database (--db)`);
    return notebookFactsFromStore(store, Number(target));
  }
  return notebookFactsFromFile(target);
}
