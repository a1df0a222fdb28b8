import type * as nbformat from '@jupyterlab/nbformat';
import type { NormalizedCell, NormalizedNotebook, ReadNotebookResult } from './types.js';

type Json = unknown;
type JsonObject = { [key: string]: Json | undefined };

/** nbformat v3 short MIME keys, as nbformat's own v3→v4 upgrade maps them. */
const V3_MIME_KEYS: Record<string, string> = {
  text: 'text/plain',
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  latex: 'text/latex',
  json: 'application/json',
  javascript: 'application/javascript',
  pdf: 'application/pdf',
  markdown: 'text/markdown',
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** nbformat allows multiline strings as a string or a list of strings; odd values become ''. */
export function joinMultiline(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (typeof part === 'string' ? part : String(part ?? ''))).join('');
  if (value === null || value === undefined) return '';
  return String(value);
}

function asCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) ? value : null;
}

function normalizeMimeBundle(data: unknown): nbformat.IMimeBundle {
  const bundle: nbformat.IMimeBundle = {};
  if (!isObject(data)) return bundle;
  for (const [mime, value] of Object.entries(data)) {
    if (value === undefined) continue;
    // JSON payloads stay structured; text payloads are joined like sources.
    bundle[mime] = (isObject(value) ? value : joinMultiline(value)) as nbformat.MultilineString;
  }
  return bundle;
}

function normalizeV4Output(output: JsonObject): nbformat.IOutput | null {
  const type = output.output_type;
  switch (type) {
    case 'stream':
      return { output_type: 'stream', name: output.name === 'stderr' ? 'stderr' : 'stdout', text: joinMultiline(output.text) };
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: asCount(output.execution_count),
        data: normalizeMimeBundle(output.data),
        metadata: isObject(output.metadata) ? (output.metadata as nbformat.OutputMetadata) : {},
      };
    case 'display_data':
    case 'update_display_data':
      return {
        output_type: 'display_data',
        data: normalizeMimeBundle(output.data),
        metadata: isObject(output.metadata) ? (output.metadata as nbformat.OutputMetadata) : {},
      };
    case 'error':
      return {
        output_type: 'error',
        ename: typeof output.ename === 'string' ? output.ename : '',
        evalue: typeof output.evalue === 'string' ? output.evalue : joinMultiline(output.evalue),
        traceback: Array.isArray(output.traceback) ? output.traceback.map((line) => joinMultiline(line)) : [],
      };
    default:
      return null;
  }
}

function v3MimeBundle(output: JsonObject): nbformat.IMimeBundle {
  const bundle: nbformat.IMimeBundle = {};
  for (const [key, value] of Object.entries(output)) {
    const mime = V3_MIME_KEYS[key] ?? (key.includes('/') ? key : undefined);
    if (mime && value !== undefined) bundle[mime] = (mime.endsWith('json') && isObject(value) ? value : joinMultiline(value)) as nbformat.MultilineString;
  }
  return bundle;
}

function normalizeV3Output(output: JsonObject): nbformat.IOutput | null {
  switch (output.output_type) {
    case 'pyout':
    case 'execute_result':
      return {
        output_type: 'execute_result',
        execution_count: asCount(output.prompt_number),
        data: v3MimeBundle(output),
        metadata: isObject(output.metadata) ? (output.metadata as nbformat.OutputMetadata) : {},
      };
    case 'display_data':
      return {
        output_type: 'display_data',
        data: v3MimeBundle(output),
        metadata: isObject(output.metadata) ? (output.metadata as nbformat.OutputMetadata) : {},
      };
    case 'pyerr':
    case 'error':
      return normalizeV4Output({ ...output, output_type: 'error' });
    case 'stream':
      return {
        output_type: 'stream',
        name: output.stream === 'stderr' || output.name === 'stderr' ? 'stderr' : 'stdout',
        text: joinMultiline(output.text),
      };
    default:
      return null;
  }
}

function normalizeOutputs(raw: unknown, version: number, warnings: string[]): nbformat.IOutput[] {
  if (!Array.isArray(raw)) return [];
  const outputs: nbformat.IOutput[] = [];
  for (const item of raw) {
    if (!isObject(item)) continue;
    const output = version >= 4 ? normalizeV4Output(item) : normalizeV3Output(item);
    if (output) outputs.push(output);
    else warnings.push(`unknown output type ${JSON.stringify(item.output_type)} dropped`);
  }
  return outputs;
}

function cellMetadata(raw: JsonObject): Record<string, unknown> {
  return isObject(raw.metadata) ? (raw.metadata as Record<string, unknown>) : {};
}

function normalizeV4Cell(raw: JsonObject, index: number, warnings: string[]): NormalizedCell {
  const type = raw.cell_type === 'code' || raw.cell_type === 'markdown' ? raw.cell_type : 'raw';
  const cell: NormalizedCell = {
    index,
    cellType: type,
    source: joinMultiline(raw.source),
    executionCount: type === 'code' ? asCount(raw.execution_count) : null,
    outputs: type === 'code' ? normalizeOutputs(raw.outputs, 4, warnings) : [],
    metadata: cellMetadata(raw),
  };
  if (typeof raw.id === 'string') cell.id = raw.id;
  return cell;
}

function normalizeV3Cell(raw: JsonObject, index: number, warnings: string[]): NormalizedCell {
  const metadata = cellMetadata(raw);
  switch (raw.cell_type) {
    case 'code':
      if (typeof raw.collapsed === 'boolean') metadata.collapsed = raw.collapsed;
      return {
        index,
        cellType: 'code',
        source: joinMultiline(raw.input ?? raw.source),
        executionCount: asCount(raw.prompt_number),
        outputs: normalizeOutputs(raw.outputs, 3, warnings),
        metadata,
      };
    case 'heading': {
      const level = typeof raw.level === 'number' ? Math.min(Math.max(raw.level, 1), 6) : 1;
      const text = joinMultiline(raw.source).replace(/\n/g, ' ');
      return { index, cellType: 'markdown', source: `${'#'.repeat(level)} ${text}`, executionCount: null, outputs: [], metadata };
    }
    case 'markdown':
      return { index, cellType: 'markdown', source: joinMultiline(raw.source), executionCount: null, outputs: [], metadata };
    default:
      return { index, cellType: 'raw', source: joinMultiline(raw.source ?? raw.input), executionCount: null, outputs: [], metadata };
  }
}

/**
 * Read a notebook file's text, tolerating nbformat v3 and v4 and the odd metadata found in
 * the wild. Never throws: a file that is not a notebook comes back as a rejection with a
 * stable code and a one-line reason.
 */
export function readNotebook(text: string): ReadNotebookResult {
  if (text.trim() === '') return { ok: false, code: 'empty-file', reason: 'the file is empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, code: 'invalid-json', reason: `not valid JSON (truncated or corrupt): ${message}` };
  }
  if (!isObject(parsed)) return { ok: false, code: 'not-a-notebook', reason: 'JSON document is not an object' };

  const version = typeof parsed.nbformat === 'number' ? parsed.nbformat : undefined;
  const minor = typeof parsed.nbformat_minor === 'number' ? parsed.nbformat_minor : 0;
  const warnings: string[] = [];
  const metadata = (isObject(parsed.metadata) ? parsed.metadata : {}) as nbformat.INotebookMetadata;

  if (Array.isArray(parsed.cells) && (version === undefined || version >= 4)) {
    if (version === undefined) warnings.push('nbformat missing; read as v4');
    if (version !== undefined && version > 4) warnings.push(`nbformat ${version} is newer than 4; read as v4`);
    const cells = parsed.cells.filter(isObject).map((cell, index) => normalizeV4Cell(cell, index, warnings));
    return { ok: true, notebook: { nbformat: version ?? 4, nbformatMinor: minor, metadata, cells }, warnings };
  }
  if (Array.isArray(parsed.worksheets) && (version === undefined || version === 3 || version === 2)) {
    if (version !== 3) warnings.push(`nbformat ${version ?? 'missing'} read as v3`);
    const rawCells: JsonObject[] = [];
    for (const sheet of parsed.worksheets) {
      if (isObject(sheet) && Array.isArray(sheet.cells)) rawCells.push(...sheet.cells.filter(isObject));
    }
    if (parsed.worksheets.length > 1) warnings.push(`${parsed.worksheets.length} worksheets concatenated`);
    const cells = rawCells.map((cell, index) => normalizeV3Cell(cell, index, warnings));
    // v3 names the language on each code cell, not on the notebook; keep it as a hint.
    const cellLanguage = rawCells.find((cell) => cell.cell_type === 'code' && typeof cell.language === 'string')?.language;
    const notebook: NormalizedNotebook = { nbformat: version ?? 3, nbformatMinor: minor, metadata, cells };
    if (typeof cellLanguage === 'string') notebook.languageHint = cellLanguage;
    return { ok: true, notebook, warnings };
  }
  if (version !== undefined && version < 3) {
    return { ok: false, code: 'unsupported-nbformat', reason: `nbformat ${version} is older than 3 and has no cells to read` };
  }
  return { ok: false, code: 'not-a-notebook', reason: 'JSON object has neither "cells" (v4) nor "worksheets" (v3)' };
}
