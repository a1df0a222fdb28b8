import { createHash } from 'node:crypto';
import type * as nbformat from '@jupyterlab/nbformat';
import type { NormalizedCell, NormalizedNotebook } from './types.js';

/** Split text into nbformat's list-of-lines form, each line keeping its newline. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function cellId(cell: NormalizedCell, used: Set<string>): string {
  let id = cell.id && /^[a-zA-Z0-9-_]{1,64}$/.test(cell.id) ? cell.id : undefined;
  // Derived ids keep rewritten files stable across runs (no random ids in diffs).
  id ??= createHash('sha1').update(`${cell.index}\u0000${cell.source}`).digest('hex').slice(0, 12);
  while (used.has(id)) id = createHash('sha1').update(id).digest('hex').slice(0, 12);
  used.add(id);
  return id;
}

function toV4Output(output: nbformat.IOutput): nbformat.IOutput {
  switch (output.output_type) {
    case 'stream':
      return { ...output, text: splitLines(String(output.text ?? '')) };
    case 'execute_result':
    case 'display_data': {
      const data: nbformat.IMimeBundle = {};
      for (const [mime, value] of Object.entries((output.data ?? {}) as nbformat.IMimeBundle)) {
        data[mime] = typeof value === 'string' && (mime.startsWith('text/') || mime === 'image/svg+xml') ? splitLines(value) : value;
      }
      return { ...output, data, metadata: output.metadata ?? {} };
    }
    default:
      return output;
  }
}

/** Serialize a normalized notebook as valid nbformat 4.5 JSON (one-space indent, like Jupyter). */
export function toNbformatV4(notebook: NormalizedNotebook): nbformat.INotebookContent {
  const used = new Set<string>();
  const cells: nbformat.ICell[] = notebook.cells.map((cell) => {
    const base = { id: cellId(cell, used), metadata: cell.metadata as Partial<nbformat.ICellMetadata>, source: splitLines(cell.source) };
    if (cell.cellType === 'code') {
      return { ...base, cell_type: 'code', execution_count: cell.executionCount, outputs: cell.outputs.map(toV4Output) };
    }
    return { ...base, cell_type: cell.cellType };
  });
  return { nbformat: 4, nbformat_minor: 5, metadata: notebook.metadata, cells };
}

export function writeNotebook(notebook: NormalizedNotebook): string {
  return `${JSON.stringify(toNbformatV4(notebook), null, 1)}\n`;
}
