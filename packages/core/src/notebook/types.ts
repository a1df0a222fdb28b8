import type * as nbformat from '@jupyterlab/nbformat';

/** A cell after normalization: sources are single strings, outputs are nbformat v4. */
export interface NormalizedCell {
  /** Position in the notebook, 0-based, counting every cell type. */
  index: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
  /** `execution_count` (v4) or `prompt_number` (v3); null when never run. */
  executionCount: number | null;
  outputs: nbformat.IOutput[];
  metadata: Record<string, unknown>;
  /** nbformat 4.5 cell id when the file had one. */
  id?: string;
}

/** A notebook read from any supported nbformat version, normalized to the v4 model. */
export interface NormalizedNotebook {
  /** nbformat major version of the file as read (3 or 4). */
  nbformat: number;
  nbformatMinor: number;
  metadata: nbformat.INotebookMetadata;
  cells: NormalizedCell[];
  /** Language named outside the metadata (v3 code cells carry their own `language`). */
  languageHint?: string;
}

/** Why a file could not be read as a notebook; stable codes stored in `origins.reason`. */
export type RejectionCode =
  | 'invalid-json'
  | 'not-a-notebook'
  | 'unsupported-nbformat'
  | 'empty-file'
  | 'too-large'
  | 'unreadable';

export type ReadNotebookResult =
  | { ok: true; notebook: NormalizedNotebook; warnings: string[] }
  | { ok: false; code: RejectionCode; reason: string };
