import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeNotebook, ensureSource, prepare, PythonParser, recordNotebook, selfDescribedFacts, writeTransaction, type WritableStore } from '@mle/core';

export class NotebookFileError extends Error {
  override name = 'NotebookFileError';
}

/**
 * Add a notebook file to the database (or find it, if the same code is stored already) so that
 * `mle run path.ipynb` records its runs like any mined notebook. The origin key is the content
 * hash: editing the file and running it again adds a new notebook rather than reusing the old.
 */
export async function ingestNotebookFile(store: WritableStore, path: string): Promise<number> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new NotebookFileError(`cannot read ${absolute}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parser = await PythonParser.create();
  try {
    const analysis = analyzeNotebook(text, parser, { extension: 'ipynb' });
    if (analysis.kind === 'rejected') throw new NotebookFileError(`${absolute} is not a notebook: ${analysis.reason}`);
    if (analysis.language !== 'python') throw new NotebookFileError(`${absolute} is a ${analysis.language} notebook; mle runs Python notebooks`);
    return writeTransaction(store, () => {
      const sourceId = ensureSource(store, 'file', absolute, {});
      const known = prepare<[number, string], { notebook_id: number }>(store.db, 'SELECT notebook_id FROM origins WHERE source_id = ? AND origin_key = ?').get(sourceId, analysis.contentHash);
      if (known) return known.notebook_id;
      return recordNotebook(store, sourceId, { ...selfDescribedFacts(analysis), originKey: analysis.contentHash, path: absolute }, analysis).notebookId;
    });
  } finally {
    parser.delete();
  }
}
