import type { CellEdit, PythonParser } from '@mle/core';

/**
 * What the model must answer (`response_format: json_schema`, strict): a short plan and cell
 * edits, each the complete new source of one cell it was allowed to edit. Never a whole rewritten
 * notebook: cells it does not name stay as they are, markdown included (the study's whole-notebook
 * answers lost markdown and widened diffs).
 */
export const ANSWER_SCHEMA_NAME = 'notebook_cell_edits';

export const ANSWER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['plan', 'edits'],
  properties: {
    plan: { type: 'string', description: 'The root cause and the fix, in one to three sentences.' },
    edits: {
      type: 'array',
      description: 'One entry per cell to change: its index and its complete new source.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['cell', 'source'],
        properties: {
          cell: { type: 'integer', description: 'The index shown in the "## === cell N" header.' },
          source: { type: 'string', description: 'The complete new source of the cell (not a diff).' },
        },
      },
    },
  },
};

export type ParsedAnswer = { ok: true; plan: string; edits: CellEdit[] } | { ok: false; reason: string };

export interface AnswerContext {
  /** Cells the prompt allowed the model to edit. */
  editableCells: ReadonlySet<number>;
  /** Current source of each cell, by index. */
  sources: ReadonlyMap<number, string>;
  parser: PythonParser;
}

const MAX_PLAN_CHARS = 2000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validate an answer strictly; every failure is an `invalid-answer` with its reason: not JSON
 * (fenced or wrapped JSON included: the schema asks for JSON alone), not the schema's shape, no
 * edits, an unknown or non-editable cell, a cell named twice, an edit that changes nothing or
 * empties the cell, or one that breaks the syntax of a cell that parsed before.
 */
export function parseAnswer(content: string | null, context: AnswerContext): ParsedAnswer {
  if (content === null || content.trim() === '') return { ok: false, reason: 'empty answer' };
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return { ok: false, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!isRecord(value)) return { ok: false, reason: 'the answer is not a JSON object' };
  const extra = Object.keys(value).filter((key) => key !== 'plan' && key !== 'edits');
  if (extra.length > 0) return { ok: false, reason: `unexpected fields: ${extra.join(', ')}` };
  if (typeof value.plan !== 'string') return { ok: false, reason: 'plan is not a string' };
  if (!Array.isArray(value.edits)) return { ok: false, reason: 'edits is not an array' };
  if (value.edits.length === 0) return { ok: false, reason: 'no edits' };
  const edits: CellEdit[] = [];
  const seen = new Set<number>();
  for (const [position, item] of value.edits.entries()) {
    if (!isRecord(item) || Object.keys(item).some((key) => key !== 'cell' && key !== 'source')) return { ok: false, reason: `edit ${position} is not {cell, source}` };
    const { cell, source } = item;
    if (typeof cell !== 'number' || !Number.isInteger(cell)) return { ok: false, reason: `edit ${position}: cell is not an integer` };
    if (typeof source !== 'string') return { ok: false, reason: `edit ${position}: source is not a string` };
    const current = context.sources.get(cell);
    if (current === undefined) return { ok: false, reason: `edit ${position}: there is no cell ${cell}` };
    if (!context.editableCells.has(cell)) return { ok: false, reason: `edit ${position}: cell ${cell} was not offered for editing` };
    if (seen.has(cell)) return { ok: false, reason: `edit ${position}: cell ${cell} is edited twice` };
    seen.add(cell);
    if (source.trim() === '') return { ok: false, reason: `edit ${position}: empty source for cell ${cell}` };
    if (source === current) return { ok: false, reason: `edit ${position}: cell ${cell} is unchanged` };
    const before = context.parser.parseCell(current);
    const after = context.parser.parseCell(source);
    const broken = before.status === 'ok' && after.status !== 'ok';
    before.tree.delete();
    after.tree.delete();
    if (broken) return { ok: false, reason: `edit ${position}: the new source of cell ${cell} has a syntax error` };
    edits.push({ kind: 'replace-cell', cellIndex: cell, source });
  }
  const plan = value.plan.trim().slice(0, MAX_PLAN_CHARS);
  return { ok: true, plan: plan || 'LLM fix', edits };
}
