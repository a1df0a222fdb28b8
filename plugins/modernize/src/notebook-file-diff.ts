import { readFile } from 'node:fs/promises';
import { diffNotebookCells, readNotebook, type NormalizedNotebook, type NotebookStructuralDiff } from '@mle/core';
import { sharedPythonParser } from './python-parser.js';

/** A file given to `mle modernize diff` could not be read as a notebook. */
export class NotebookFileError extends Error {
  override name = 'NotebookFileError';
  constructor(readonly path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
  }
}

export async function readNotebookFile(path: string): Promise<NormalizedNotebook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new NotebookFileError(path, error instanceof Error ? error.message : String(error), { cause: error });
  }
  const result = readNotebook(text);
  if (!result.ok) throw new NotebookFileError(path, result.reason);
  return result.notebook;
}

export interface NotebookFileDiff extends NotebookStructuralDiff {
  before: string;
  after: string;
}

/** The structural diff of two notebook files, cell by cell. */
export async function diffNotebookFiles(before: string, after: string): Promise<NotebookFileDiff> {
  const [a, b] = await Promise.all([readNotebookFile(before), readNotebookFile(after)]);
  const diff = diffNotebookCells(await sharedPythonParser(), a.cells, b.cells);
  return { before, after, ...diff };
}
