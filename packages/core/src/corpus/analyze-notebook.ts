import { contentHash } from '../notebook/content-hash.js';
import { detectLanguage } from '../notebook/language.js';
import { readNotebook } from '../notebook/read-notebook.js';
import type { RejectionCode } from '../notebook/types.js';
import { extractImports, type ImportRecord } from '../python/imports.js';
import type { PythonParser } from '../python/parser.js';
import { capOutputs, DEFAULT_OUTPUT_CAP_BYTES } from './cap-outputs.js';
import { DEFAULT_ML_LIBRARIES, mlLibrariesOf } from './ml-libraries.js';

export interface AnalyzedCell {
  index: number;
  cellType: 'code' | 'markdown' | 'raw';
  source: string;
  executionCount: number | null;
  /** nbformat v4 outputs as JSON, payloads over the cap replaced by markers. */
  outputsJson: string;
  /** Cell metadata as JSON (tags steer execution). */
  metadataJson: string;
}

export interface CellImport extends ImportRecord {
  cellIndex: number;
}

/** What ingest learns from one notebook file: plain data, so worker threads can return it. */
export interface AnalyzedNotebook {
  kind: 'notebook';
  contentHash: string;
  nbformat: number;
  nbformatMinor: number;
  language: string;
  languageEvidence: string;
  pythonMajor: 2 | 3 | null;
  mlLibraries: string[];
  cells: AnalyzedCell[];
  imports: CellImport[];
  metadataJson: string;
  warnings: string[];
}

export interface RejectedNotebook {
  kind: 'rejected';
  code: RejectionCode;
  reason: string;
}

export interface AnalyzeOptions {
  extension?: string;
  mlLibraries?: readonly string[];
  outputCapBytes?: number;
  maxBytes?: number;
}

/** Default largest notebook file ingested; larger files are rejected as `too-large`. */
export const DEFAULT_MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024;

/**
 * Read, normalize, hash and scan one notebook's text. Pure apart from the parser, so the same
 * function runs inline and in worker threads.
 */
export function analyzeNotebook(text: string, parser: PythonParser, options: AnalyzeOptions = {}): AnalyzedNotebook | RejectedNotebook {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_NOTEBOOK_BYTES;
  if (text.length > maxBytes) return { kind: 'rejected', code: 'too-large', reason: `file is larger than ${maxBytes} bytes` };
  const read = readNotebook(text);
  if (!read.ok) return { kind: 'rejected', code: read.code, reason: read.reason };
  const { notebook } = read;
  const language = detectLanguage(notebook, options.extension);
  const imports: CellImport[] = [];
  if (language.language === 'python') {
    for (const cell of notebook.cells) {
      if (cell.cellType !== 'code') continue;
      for (const record of extractImports(parser, cell.source)) imports.push({ ...record, cellIndex: cell.index });
    }
  }
  const cap = options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES;
  return {
    kind: 'notebook',
    contentHash: contentHash(notebook),
    nbformat: notebook.nbformat,
    nbformatMinor: notebook.nbformatMinor,
    language: language.language,
    languageEvidence: language.evidence,
    pythonMajor: language.pythonMajor,
    mlLibraries: mlLibrariesOf(imports.map((record) => record.module), options.mlLibraries ?? DEFAULT_ML_LIBRARIES),
    cells: notebook.cells.map((cell) => ({
      index: cell.index,
      cellType: cell.cellType,
      source: cell.source,
      executionCount: cell.executionCount,
      outputsJson: JSON.stringify(capOutputs(cell.outputs, cap)),
      metadataJson: JSON.stringify(cell.metadata ?? {}),
    })),
    imports,
    metadataJson: JSON.stringify(notebook.metadata ?? {}),
    warnings: read.warnings,
  };
}
