import { detectLanguage } from '../notebook/language.js';
import { joinMultiline, readNotebook } from '../notebook/read-notebook.js';
import type { NormalizedNotebook } from '../notebook/types.js';
import { importAliases } from './assert-library.js';
import type { FeedbackAnalyzer } from './feedback-analyzer.js';
import type { CellFeedback } from './feedback-instance.js';

/** A code cell as the analysis needs it: outputs either parsed (nbformat v4) or as stored JSON text. */
export interface FeedbackCellInput {
  index: number;
  source: string;
  /** nbformat v4 outputs, or their JSON text as stored in `cells.outputs`; omit when unknown. */
  outputs?: readonly unknown[] | string;
}

export interface NotebookFeedback {
  /** One entry per code cell, in notebook order: no cell is dropped. */
  cells: CellFeedback[];
  /** The study's ML filter: a code cell containing `import` mentions sklearn, torch, tensorflow or keras. */
  studyMl: boolean;
}

/** The study's ML-notebook regex, applied as a raw substring test to cells that contain `import`. */
const STUDY_ML_PATTERN = /sklearn|torch|tensorflow|keras/;

/** Whether the study would have kept the notebook as an ML notebook. */
export function isStudyMlNotebook(sources: Iterable<string>): boolean {
  for (const source of sources) if (source.includes('import') && STUDY_ML_PATTERN.test(source)) return true;
  return false;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join('');
  // capOutputs replaces oversized payloads with a marker that keeps the readable head.
  if (value && typeof value === 'object' && 'mle_truncated' in value) {
    const head = (value as { head?: unknown }).head;
    return typeof head === 'string' ? head : '';
  }
  return null;
}

/** The text/plain of the first execute_result among a cell's outputs; null when there is none. */
export function executeResultText(outputs: readonly unknown[] | string): string | null {
  // Stored JSON: skip the parse when the cell cannot hold an execute_result.
  if (typeof outputs === 'string' && !outputs.includes('execute_result')) return null;
  let parsed: unknown;
  try {
    parsed = typeof outputs === 'string' ? JSON.parse(outputs) : outputs;
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  for (const output of parsed) {
    if (!output || typeof output !== 'object' || (output as { output_type?: unknown }).output_type !== 'execute_result') continue;
    const data = (output as { data?: Record<string, unknown> }).data ?? {};
    return textOf(data['text/plain']) ?? '';
  }
  return null;
}

/** Analyse every code cell of one notebook. */
export function analyzeNotebookFeedback(cells: readonly FeedbackCellInput[], analyzer: FeedbackAnalyzer): NotebookFeedback {
  const sources = cells.map((cell) => cell.source);
  const aliases = importAliases(sources);
  return {
    cells: cells.map((cell) => {
      const outputs = cell.outputs;
      return analyzer.analyzeCell({
        index: cell.index,
        source: cell.source,
        aliases,
        ...(outputs === undefined ? {} : { executeResult: () => executeResultText(outputs) }),
      });
    }),
    studyMl: isStudyMlNotebook(sources),
  };
}

export type NotebookTextFeedback =
  | { ok: true; feedback: NotebookFeedback; language: string }
  | { ok: false; code: string; reason: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The code cells of an nbformat v4 document, read straight from the parsed JSON: the analysis
 * needs sources and (lazily) one execute_result text, so the outputs, often megabytes of images,
 * are not normalized. Anything else (v3, odd documents) returns null and goes through readNotebook.
 */
function v4CodeCells(parsed: unknown): { metadata: JsonObject; cells: FeedbackCellInput[] } | null {
  if (!isObject(parsed) || !Array.isArray(parsed.cells)) return null;
  const version = parsed.nbformat;
  if (version !== undefined && (typeof version !== 'number' || version < 4)) return null;
  const cells: FeedbackCellInput[] = [];
  // Indexes count object cells only, as readNotebook does.
  let index = 0;
  for (const cell of parsed.cells) {
    if (!isObject(cell)) continue;
    if (cell.cell_type === 'code') cells.push({ index, source: joinMultiline(cell.source), outputs: Array.isArray(cell.outputs) ? cell.outputs : [] });
    index++;
  }
  return { metadata: isObject(parsed.metadata) ? parsed.metadata : {}, cells };
}

/**
 * Read a notebook file's text (nbformat v3 or v4) and analyse its code cells. Notebooks whose
 * kernel is not Python are refused with `non-python`, as `mle mine` filters them.
 */
export function analyzeNotebookText(text: string, analyzer: FeedbackAnalyzer): NotebookTextFeedback {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    parsed = undefined;
  }
  const fast = v4CodeCells(parsed);
  let notebook: Pick<NormalizedNotebook, 'nbformat' | 'nbformatMinor' | 'metadata' | 'cells' | 'languageHint'>;
  let cells: FeedbackCellInput[];
  if (fast) {
    // Only the metadata's kernelspec and language_info are read, both as unknowns.
    notebook = { nbformat: 4, nbformatMinor: 0, metadata: fast.metadata as NormalizedNotebook['metadata'], cells: [] };
    cells = fast.cells;
  } else {
    // v3, empty or broken files: the tolerant reader says what they are.
    const read = readNotebook(text);
    if (!read.ok) return { ok: false, code: read.code, reason: read.reason };
    notebook = read.notebook;
    cells = read.notebook.cells.filter((cell) => cell.cellType === 'code').map((cell) => ({ index: cell.index, source: cell.source, outputs: cell.outputs }));
  }
  const language = detectLanguage(notebook as NormalizedNotebook, 'ipynb').language;
  if (language !== 'python' && language !== 'unknown') return { ok: false, code: 'non-python', reason: `kernel language is ${language}` };
  return { ok: true, feedback: analyzeNotebookFeedback(cells, analyzer), language };
}
