import {
  executeResultOf,
  FeedbackAnalyzer,
  hasFloat,
  isObjectRepr,
  isValueText,
  matchTemplate,
  parseLiteral,
  parseOutputValue,
  parsePrintedNumber,
  printedHalfUnit,
  PythonParser,
  stdoutText,
  unstableExpressionReason,
  unstableTextReason,
  type FeedbackInstance,
  type ObservedValue,
  type SyntaxNode,
  type TemplatePart,
  type ValueTolerance,
} from '@mle/core';
import { assertionCode, type AssertionKind } from './assertion-code.js';
import { unsafeExpressionReason } from './expression-safety.js';
import { printTemplate, type PrintHole } from './print-template.js';
import { unseededRandomness } from './unseeded-randomness.js';

/** Where a proposal's value is read from a cell's outputs, in the stored notebook and in a later run. */
export type Extraction = { channel: 'execute_result'; reader: ValueReader } | { channel: 'stdout'; template: TemplatePart[]; hole: number; reader: ValueReader };

/**
 * How a printed text is read as a value: `formatted` a number written with a format spec,
 * `percent` one written with `%`, `repr` a Python literal, `value` any value a plain `str()`/display
 * shows, `shape` the `[N rows x M columns]` footer of a frame shown in part.
 */
export type ValueReader = 'formatted' | 'percent' | 'repr' | 'value' | 'shape';

/** Read a printed or displayed text as a value, the same way for the stored output and a later run's. */
export function readValue(text: string, html: string | null, reader: ValueReader, printed: boolean): ObservedValue | null {
  const t = text.trim();
  switch (reader) {
    case 'formatted':
    case 'percent':
      return formattedNumber(t, reader === 'percent' ? '%' : '');
    case 'repr':
      return parseLiteral(t);
    case 'shape': {
      const footer = /\[(\d+) rows x (\d+) columns\]\s*$/.exec(t);
      return footer ? { type: 'sequence', kind: 'tuple', items: [footer[1]!, footer[2]!].map((n) => ({ type: 'number' as const, value: Number(n), integer: true, halfUnit: 0 })) } : null;
    }
    case 'value': {
      const value = parseOutputValue(t, html);
      // print() writes strings without quotes: a one-line text that is no other value is a string.
      if (!value && printed && t !== '' && !t.includes('\n') && t.length <= 200) return { type: 'string', value: text };
      return value;
    }
  }
}

export interface AssertionProposal {
  /** Cell index (every cell type counted). */
  cell: number;
  /** 1-based last line of the top-level statement the assertion follows. */
  line: number;
  mechanism: 'print' | 'last_cell';
  category: string;
  /** The statement as written. */
  statement: string;
  /** The expression whose value is asserted. */
  expression: string;
  kind: AssertionKind;
  /** One Python `assert` statement, checked to parse. */
  code: string;
  observed: ObservedValue;
  /** Null: exact. */
  tolerance: ValueTolerance | null;
  /** Why the value is expected to come back: the reasons the unstable cases were ruled out. */
  stability: string;
  extraction: Extraction;
}

export interface SkippedOutput {
  cell: number;
  line: number;
  mechanism: 'print' | 'last_cell';
  category: string;
  statement: string;
  /** The expression, when the statement had several values. */
  expression: string | null;
  reason: string;
}

export interface NotebookProposals {
  proposals: AssertionProposal[];
  skipped: SkippedOutput[];
  /** Implicit feedback instances (prints, last-cell values) whose cell has a stored output. */
  instancesWithOutput: number;
}

export interface ProposalCell {
  index: number;
  source: string;
  outputs: readonly unknown[];
}

/** Metric-like names: a float printed next to them is a score and gets a relative tolerance. */
const METRIC_WORDS = /\b\w*(?:acc|accuracy|score|loss|logloss|rmse|rmsle|mse|mae|auc|roc|f1|r2|kappa|qwk|error|precision|recall|deviance|likelihood|aic|bic)\w*\b/i;
/** Smallest relative tolerance for a metric: float noise between BLAS builds stays below it. */
export const METRIC_MIN_REL_TOLERANCE = 1e-6;
/** Numbers are compared within their printed precision, never tighter than this relative slack. */
export const FLOAT_NOISE = 1e-9;
/** Shape-like kinds stay exact under unseeded randomness. */
const RANDOM_SAFE_KINDS: ReadonlySet<AssertionKind> = new Set(['shape', 'length', 'columns', 'dtypes']);

function maxAbs(value: ObservedValue): number {
  switch (value.type) {
    case 'number':
      return Number.isFinite(value.value) ? Math.abs(value.value) : 0;
    case 'sequence':
    case 'index':
      return Math.max(0, ...value.items.map(maxAbs));
    case 'array':
    case 'series':
      return Math.max(0, ...value.values.map(maxAbs));
    case 'frame':
      return Math.max(0, ...value.rows.flat().map(maxAbs));
    default:
      return 0;
  }
}

function isShapeValue(value: ObservedValue): boolean {
  return value.type === 'sequence' && value.kind === 'tuple' && value.items.every((i) => (i.type === 'number' && i.integer) || isShapeValue(i));
}

function kindOf(expression: string, value: ObservedValue, metricContext: boolean): AssertionKind | null {
  const e = expression.replace(/\s+/g, '');
  switch (value.type) {
    case 'number':
      if (/^len\(/.test(e) && value.integer) return 'length';
      return !value.integer && metricContext ? 'metric' : 'number';
    case 'string':
    case 'bool':
    case 'none':
      return 'literal';
    case 'nan':
      return null;
    case 'sequence':
      if (/\.shape\)?$/.test(e) && isShapeValue(value)) return 'shape';
      if (isShapeValue(value) && /\.shape\b/.test(e)) return 'shape';
      if (/\.columns(?:\.tolist\(\)|\.values)?\)?$|^list\(.*\.columns\)$/.test(e)) return 'columns';
      return 'sequence';
    case 'index':
      return /\.columns\)?$/.test(e) ? 'columns' : 'sequence';
    case 'array':
      return 'array';
    case 'series':
      if (/\.dtypes\)?$/.test(e)) return 'dtypes';
      if (/value_counts\(/.test(e)) return 'value-counts';
      return 'series';
    case 'frame':
      return 'frame';
  }
}

/** Read a formatted number back: `%` specs divide by 100, thousands separators go. */
function formattedNumber(text: string, spec: string): ObservedValue | null {
  const t = text.trim().replace(/,/g, '');
  if (spec.endsWith('%')) {
    const number = parsePrintedNumber(t.replace(/%$/, ''));
    return number && number.type === 'number' ? { ...number, value: number.value / 100, halfUnit: number.halfUnit / 100, integer: false } : null;
  }
  return parsePrintedNumber(t);
}

interface ValueSite {
  cell: number;
  line: number;
  mechanism: 'print' | 'last_cell';
  category: string;
  statement: string;
  expression: string;
  node: SyntaxNode;
  text: string;
  html: string | null;
  hole: PrintHole | null;
  context: string;
  randomness: string | null;
  extraction: { channel: 'execute_result' } | { channel: 'stdout'; template: TemplatePart[]; hole: number };
}

function proposeValue(site: ValueSite, parser: PythonParser): AssertionProposal | SkippedOutput {
  const skip = (reason: string): SkippedOutput => ({ cell: site.cell, line: site.line, mechanism: site.mechanism, category: site.category, statement: site.statement, expression: site.expression, reason });
  const expressionReason = unstableExpressionReason(site.expression);
  if (expressionReason) return skip(`unstable: ${expressionReason}`);
  const unsafe = unsafeExpressionReason(site.node);
  if (unsafe) return skip(`not re-evaluable: ${unsafe}`);
  const text = site.text.trim();
  if (text === '') return skip('empty output');
  const textReason = unstableTextReason(text);
  if (textReason) return skip(`unstable output: ${textReason}`);
  if (isObjectRepr(text)) return skip('unstable output: object repr');
  const spec = site.hole?.spec ?? null;
  let reader: ValueReader = spec !== null && /[eEfFgGdn%]$/.test(spec) ? (spec.endsWith('%') ? 'percent' : 'formatted') : site.hole?.repr ? 'repr' : 'value';
  let value = readValue(site.text, site.html, reader, site.hole !== null);
  let expression = site.expression;
  // A frame too wide or long to show whole still prints its shape: `[5 rows x 32 columns]`.
  if (!value && site.mechanism === 'last_cell' && readValue(text, null, 'shape', false)) {
    reader = 'shape';
    value = readValue(text, null, 'shape', false);
    expression = `(${expression}).shape`;
  }
  if (!value) return skip('output not read as a value');
  if (site.mechanism === 'last_cell' && value.type === 'string' && !/^['"]/.test(text)) return skip('output not read as a value');
  const kind = kindOf(expression, value, METRIC_WORDS.test(site.context));
  if (!kind) return skip('output is NaN');
  if (site.randomness && !RANDOM_SAFE_KINDS.has(kind)) return skip(`random values without a seed (${site.randomness})`);
  let tolerance: ValueTolerance | null = null;
  if (hasFloat(value)) {
    const half = printedHalfUnit(value);
    tolerance =
      kind === 'metric' && value.type === 'number'
        ? { rel: Number((Math.max(half / Math.abs(value.value || 1), METRIC_MIN_REL_TOLERANCE) * 1.01).toPrecision(3)) }
        : { abs: Number((Math.max(half, FLOAT_NOISE * maxAbs(value)) * 1.01).toPrecision(3)) };
  }
  const code = assertionCode(kind, expression, value, tolerance);
  if (!code) return skip(`no faithful ${kind} assertion for this value`);
  const tree = parser.parseCode(code);
  try {
    const statements = tree.rootNode.namedChildren.filter((n) => n && n.type !== 'comment');
    if (tree.rootNode.hasError || statements.length !== 1 || statements[0]!.type !== 'assert_statement') return skip('generated assertion does not parse');
  } finally {
    tree.delete();
  }
  const precision = tolerance === null ? 'exact' : tolerance.rel !== undefined ? `relative tolerance ${tolerance.rel} from the printed precision` : `absolute tolerance ${tolerance.abs} from the printed precision`;
  const stability = [
    `${kind} value, ${precision}`,
    'expression re-evaluable without side effects',
    site.randomness ? `shape-like, so stable despite ${site.randomness}` : 'no unseeded randomness up to this cell',
    'output free of addresses, timestamps, durations, paths, versions and progress bars',
  ].join('; ');
  return {
    cell: site.cell,
    line: site.line,
    mechanism: site.mechanism,
    category: site.category,
    statement: site.statement,
    expression,
    kind,
    code,
    observed: value,
    tolerance,
    stability,
    extraction: { ...site.extraction, reader },
  };
}

function isPrintCall(statement: SyntaxNode): SyntaxNode | null {
  if (statement.type !== 'expression_statement' || statement.namedChildCount !== 1) return null;
  const call = statement.namedChild(0);
  return call?.type === 'call' && call.childForFieldName('function')?.text === 'print' ? call : null;
}

/** Categories of a cell's implicit instances by statement line. */
function categoriesByLine(instances: readonly FeedbackInstance[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const i of instances) map.set(`${i.mechanism}:${i.line}`, i.category);
  return map;
}

/**
 * Propose explicit assertions for a notebook's implicit feedback with stored outputs: each print
 * value and last-cell value that reads back as a stable value becomes one `assert` after its
 * statement; everything else is listed with the reason it was skipped.
 */
export function proposeAssertions(cells: readonly ProposalCell[], parser: PythonParser, analyzer: FeedbackAnalyzer): NotebookProposals {
  const proposals: AssertionProposal[] = [];
  const skipped: SkippedOutput[] = [];
  let instancesWithOutput = 0;
  const randomness = unseededRandomness(cells.map((c) => c.source));
  for (const [position, cell] of cells.entries()) {
    const result = executeResultOf(cell.outputs);
    const stdout = stdoutText(cell.outputs);
    const feedback = analyzer.analyzeCell({ index: cell.index, source: cell.source, executeResult: () => result?.text ?? null });
    const implicit = feedback.instances.filter((i) => (i.mechanism === 'print' && stdout !== '') || (i.mechanism === 'last_cell' && result !== null));
    instancesWithOutput += implicit.length;
    if (implicit.length === 0) continue;
    const categories = categoriesByLine(implicit);
    const covered = new Set<string>();
    const parsed = parser.parseCell(cell.source);
    try {
      if (parsed.status !== 'ok') {
        for (const i of implicit) skipped.push({ cell: cell.index, line: i.line, mechanism: i.mechanism as 'print' | 'last_cell', category: i.category, statement: i.code, expression: null, reason: 'cell does not parse cleanly' });
        continue;
      }
      const statements = parsed.tree.rootNode.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
      // The cell's stdout as a template: each top-level print's text, gaps where anything else may write.
      const parts: TemplatePart[] = [];
      const holeSites: { statement: SyntaxNode; hole: PrintHole; number: number }[] = [];
      for (const statement of statements) {
        const call = isPrintCall(statement);
        const template = call ? printTemplate(call) : null;
        if (!template) {
          if (!(parts.at(-1) && 'gap' in parts.at(-1)!)) parts.push({ gap: true });
          continue;
        }
        const offset = holeSites.length;
        for (const part of template.parts) {
          if ('hole' in part) {
            holeSites.push({ statement, hole: template.holes[part.hole]!, number: offset + part.hole });
            parts.push({ hole: offset + part.hole });
          } else parts.push(part);
        }
      }
      const holes = holeSites.length > 0 && stdout !== '' ? matchTemplate(parts, stdout, isValueText) : null;
      const lineOf = (node: SyntaxNode) => node.endPosition.row + 1;
      const startLine = (node: SyntaxNode) => node.startPosition.row + 1;
      for (const site of holeSites) {
        const category = categories.get(`print:${startLine(site.statement)}`) ?? 'other';
        covered.add(`print:${startLine(site.statement)}`);
        const statement = site.statement.text;
        if (!holes) {
          skipped.push({ cell: cell.index, line: lineOf(site.statement), mechanism: 'print', category, statement, expression: site.hole.expression, reason: "stdout does not match the cell's print statements" });
          continue;
        }
        const outcome = proposeValue(
          {
            cell: cell.index,
            line: lineOf(site.statement),
            mechanism: 'print',
            category,
            statement,
            expression: site.hole.expression,
            node: site.hole.node,
            text: holes.get(site.number) ?? '',
            html: null,
            hole: site.hole,
            context: `${category === 'model-performance' ? 'score ' : ''}${statement}`,
            randomness: randomness[position] ?? null,
            extraction: { channel: 'stdout', template: parts, hole: site.number },
          },
          parser,
        );
        ('code' in outcome ? proposals : skipped).push(outcome as AssertionProposal & SkippedOutput);
      }
      const last = statements.at(-1);
      if (result && last && last.type === 'expression_statement' && !isPrintCall(last)) {
        const category = categories.get(`last_cell:${startLine(last)}`);
        if (category !== undefined) {
          covered.add(`last_cell:${startLine(last)}`);
          const expression = last.namedChildCount === 1 ? last.namedChild(0)! : last;
          const outcome = proposeValue(
            {
              cell: cell.index,
              line: lineOf(last),
              mechanism: 'last_cell',
              category,
              statement: last.text,
              expression: expression.text,
              node: expression,
              text: result.text,
              html: result.html,
              hole: null,
              context: `${category === 'model-performance' ? 'score ' : ''}${last.text}`,
              randomness: randomness[position] ?? null,
              extraction: { channel: 'execute_result' },
            },
            parser,
          );
          ('code' in outcome ? proposals : skipped).push(outcome as AssertionProposal & SkippedOutput);
        }
      }
      for (const i of implicit) {
        if (covered.has(`${i.mechanism}:${i.line}`)) continue;
        const reason = i.flags.includes('in-loop') ? 'in a loop: prints a different value each time' : i.flags.includes('in-function') ? 'in a function' : i.mechanism === 'print' ? 'print is not a top-level statement that can be read back' : 'not the top-level last expression';
        skipped.push({ cell: cell.index, line: i.line, mechanism: i.mechanism as 'print' | 'last_cell', category: i.category, statement: i.code, expression: null, reason });
      }
    } finally {
      parsed.tree.delete();
    }
  }
  return { proposals, skipped, instancesWithOutput };
}
