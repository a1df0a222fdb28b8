import type { FixEnvironment, FixKind, NormalizedNotebook, PythonParser } from '@mle/core';
import { importsOf } from '@mle/core';
import type { ChatMessage } from './chat-client.js';
import { stripAnsi } from './error-signature.js';
import { importedPins } from './environment-facts.js';
import type { Granularity } from './modernize-store.js';
import { cellDependencies, cellNames, type CellNames } from './python-names.js';

/** A step the loop already took, shown to the model so that it does not repeat itself. */
export interface PromptHistoryEntry {
  step: number;
  source: string;
  title: string;
  outcome: string;
  /** The run after the step, in one line. */
  result: string;
}

export interface PromptCompetition {
  title: string;
  description: string;
  metric: string;
  higherIsBetter: boolean;
  /** Columns the submission must have, id first. */
  submissionColumns: string[];
  /** Data files under /kaggle/input/<slug>/ with their header columns. */
  dataFiles: { path: string; columns: string[] }[];
}

export interface PromptInput {
  kind: FixKind;
  /** Requested granularity; score calibration (no failing cell) is always notebook-level. */
  granularity: Granularity;
  notebook: NormalizedNotebook;
  failingCell: number | null;
  error: { name: string; value: string; traceback: readonly string[] } | null;
  /** One line on the current run (status, score, error). */
  runSummary: string;
  /** Score calibration: where the run's outputs first depart from those the author's notebook stored. */
  divergence?: { cell: number; message: string } | null;
  score: { target: number | null; current: number | null; tolerance: number } | null;
  competition: PromptCompetition | null;
  environment: FixEnvironment;
  history: readonly PromptHistoryEntry[];
  runtimeBudgetSeconds: number | null;
}

export interface Prompt {
  messages: ChatMessage[];
  granularity: Granularity;
  editableCells: Set<number>;
  /** Characters of all messages (the budget check estimates tokens from it). */
  chars: number;
}

const ROLES: Readonly<Record<FixKind, string>> = {
  'error-repair':
    'You are a debugging and patching assistant for Jupyter notebooks that no longer run in a current Python environment. Find the root cause of the error (often an API that a newer library version removed or renamed) and make the smallest edit that fixes it.',
  'runtime-reduction':
    'You are a performance engineer for Jupyter notebooks that no longer finish within their time budget in a current environment. Make the notebook faster while keeping its behaviour: vectorise loops, cache repeated work, avoid refitting, keep parallelism.',
  'score-calibration':
    'You are a reproducibility engineer for Jupyter notebooks whose score no longer matches the score their author reported. Minimise |current - target| (do not maximise the score: lower it if it is above the target), preferring calibration, regularisation, determinism or thresholds; change core logic only if the relative gap is over 30%.',
};

const CONSTRAINTS = [
  'Keep the core logic: model architecture, layers, training loop, features, loss.',
  'No sampling, approximation, reduced precision, early stopping or relaxed convergence.',
  'Keep input and output paths and random seeds.',
  'No hard-coded predictions, label leakage or copied submissions.',
];

const ANSWER_FORMAT =
  'Answer with JSON only: {"plan": "<root cause and fix, 1-3 sentences>", "edits": [{"cell": <N>, "source": "<the complete new source of cell N>"}]}. ' +
  'Edit only the cells marked EDITABLE, give each edited cell\'s complete source (not a diff), and leave out cells you do not change.';

const MAX_TRACEBACK_LINES = 40;
const MAX_TRACEBACK_CHARS = 4000;
const MAX_CONTEXT_CELL_CHARS = 3000;

/** The traceback without colour codes, its last lines kept (where the failing frame is). */
export function cleanTraceback(traceback: readonly string[]): string {
  const lines = traceback.flatMap((entry) => stripAnsi(entry).split('\n')).filter((line) => line.trim() !== '');
  let text = lines.slice(-MAX_TRACEBACK_LINES).join('\n');
  if (text.length > MAX_TRACEBACK_CHARS) text = `...${text.slice(-MAX_TRACEBACK_CHARS)}`;
  return lines.length > MAX_TRACEBACK_LINES ? `...\n${text}` : text;
}

function formatScore(value: number | null): string {
  return value === null ? 'not yielded' : String(Number(value.toPrecision(6)));
}

/**
 * Build the prompt for one LLM fix. Cell-level (the default): the failing cell, editable, with the
 * cells it depends on by the names it reads (read-only context). Notebook-level: every code cell,
 * all editable. Score calibration has no failing cell and is always notebook-level. Cells are shown
 * as `## === cell N` blocks with the notebook's own indices, so answers name cells unambiguously.
 */
export function buildPrompt(parser: PythonParser, input: PromptInput): Prompt {
  const { notebook } = input;
  const granularity: Granularity = input.granularity === 'cell' && input.failingCell !== null && input.kind !== 'score-calibration' ? 'cell' : 'notebook';
  const names: (CellNames | null)[] = [];
  const modules = new Set<string>();
  for (const cell of notebook.cells) {
    if (cell.cellType !== 'code') {
      names.push(null);
      continue;
    }
    const parsed = parser.parseCell(cell.source);
    try {
      names.push(parsed.status === 'not-python' ? null : cellNames(parsed.tree.rootNode));
      for (const record of importsOf(parsed.tree.rootNode)) modules.add(record.module);
    } finally {
      parsed.tree.delete();
    }
  }
  const codeCells = notebook.cells.filter((cell) => cell.cellType === 'code').map((cell) => cell.index);
  const shown = granularity === 'cell' ? [...cellDependencies(names, input.failingCell!), input.failingCell!] : codeCells;
  const editable = new Set(granularity === 'cell' ? [input.failingCell!] : codeCells);

  const parts: string[] = [];
  if (input.competition) {
    const c = input.competition;
    parts.push(`# Competition: ${c.title}\n${c.description.trim()}\nMetric: ${c.metric} (${c.higherIsBetter ? 'higher' : 'lower'} is better). The notebook must write submission.csv in its working directory with columns ${c.submissionColumns.join(', ')}.`);
    if (c.dataFiles.length > 0) {
      parts.push(`# Data (read-only)\n${c.dataFiles.map((file) => `${file.path}: ${file.columns.length > 30 ? `${file.columns.slice(0, 30).join(', ')}, ... (${file.columns.length} columns)` : file.columns.join(', ')}`).join('\n')}`);
    }
  }
  const pins = importedPins(input.environment, modules);
  parts.push(
    `# Environment\nPython ${input.environment.python ?? 'unknown'}${Object.keys(pins).length > 0 ? `\n${Object.entries(pins).map(([name, version]) => `${name}==${version}`).join('\n')}` : ''}`,
  );
  const score = input.score;
  parts.push(
    `# Status\nCurrent run: ${input.runSummary}\nFix kind: ${input.kind}` +
      (score ? `\nTarget score: ${formatScore(score.target)}; current score: ${formatScore(score.current)}; within ${(score.tolerance * 100).toFixed(0)}% counts as reproduced${input.competition ? ` (${input.competition.higherIsBetter ? 'higher' : 'lower'} is better)` : ''}.` : '') +
      (input.runtimeBudgetSeconds !== null ? `\nThe whole notebook must finish within ${input.runtimeBudgetSeconds} s.` : '') +
      (input.divergence ? `\nThe outputs the author's notebook stored are the reference: this run ${input.divergence.message.replace(/^diverges/, 'diverges from them')}. Look for the cause there or in the cells it depends on.` : ''),
  );
  if (input.history.length > 0) {
    parts.push(`# Fixes already tried on this notebook\n${input.history.map((h) => `step ${h.step} (${h.source}): ${h.title} → ${h.outcome}; run: ${h.result}`).join('\n')}`);
  }
  const blocks: string[] = [];
  for (const index of shown) {
    const cell = notebook.cells[index]!;
    const isEditable = editable.has(index);
    let source = cell.source;
    if (!isEditable && source.length > MAX_CONTEXT_CELL_CHARS) source = `${source.slice(0, MAX_CONTEXT_CELL_CHARS)}\n# ... (${source.length - MAX_CONTEXT_CELL_CHARS} more characters, not shown)`;
    const diverging = index === input.divergence?.cell ? ', where the outputs first diverge' : '';
    blocks.push(`## === cell ${index}${isEditable ? ' (EDITABLE)' : ' (context, read-only)'}${diverging}\n${source}`);
    if (index === input.failingCell && input.error) {
      blocks.push(`## --- ERROR in cell ${index}, traceback:\n${cleanTraceback(input.error.traceback.length > 0 ? input.error.traceback : [`${input.error.name}: ${input.error.value}`])}`);
    }
  }
  parts.push(`# Notebook${granularity === 'cell' ? ` (the failing cell ${input.failingCell} and the cells it depends on)` : ' (code cells)'}\n${blocks.join('\n')}`);
  const system = `${ROLES[input.kind]}\n\nConstraints:\n${CONSTRAINTS.map((c) => `- ${c}`).join('\n')}${input.runtimeBudgetSeconds !== null ? `\n- Finish within ${input.runtimeBudgetSeconds} s.` : ''}\n\n${ANSWER_FORMAT}`;
  const user = parts.join('\n\n');
  return { messages: [{ role: 'system', content: system }, { role: 'user', content: user }], granularity, editableCells: editable, chars: system.length + user.length };
}
