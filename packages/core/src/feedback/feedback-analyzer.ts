import type { Node } from 'web-tree-sitter';
import { PythonParser } from '../python/parser.js';
import { classifyFeedback } from './category-rules.js';
import {
  MAX_CODE_CHARS,
  MAX_OUTPUT_CHARS,
  MECHANISM_FORM,
  type CellFeedback,
  type FeedbackFlag,
  type FeedbackInstance,
  type Mechanism,
  type StudyParse,
} from './feedback-instance.js';
import { mayContainFeedback } from './feedback-prefilter.js';
import { FeedbackPattern, feedbackQuery } from './feedback-query.js';
import { endsWithSemicolon, lastStatementStart } from './last-statement.js';
import { maskCell } from './mask-cell.js';
import { resolveAssertLibrary } from './assert-library.js';

export interface AnalyzeCellInput {
  /** Cell index in the notebook (0-based, every cell type counted). */
  index: number;
  source: string;
  /**
   * The text/plain of the cell's stored execute_result, asked only when the cell ends in an
   * expression (so callers can parse outputs lazily): a string, null when the stored cell has no
   * execute_result. Omit when the outputs are unknown.
   */
  executeResult?: () => string | null;
  /** Local names bound by the notebook's imports (`npt` → `numpy.testing`), for assert_call libraries. */
  aliases?: ReadonlyMap<string, string>;
}

export interface FeedbackAnalyzerOptions {
  /**
   * Skip the full parse of cells without any feedback token and parse only their last statement
   * (default true). Off, every cell is parsed whole, so every status is exact.
   */
  prefilter?: boolean;
}

/** Logging methods of the stdlib logger (and loguru's), as called on a logger object. */
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'critical', 'exception', 'fatal', 'log', 'success', 'trace']);
/** Objects whose `.display(...)` is IPython's display. */
const DISPLAY_OBJECTS = /^(?:IPython\.(?:core\.)?display|display|ipd|IPython\.display)$/;
/** Objects whose `.write(...)` goes to the cell's output. */
const STDOUT_WRITERS = /^(?:sys\.(?:stdout|stderr)|tqdm|tqdm\.tqdm|trange)$/;
/**
 * Calls that return None and show nothing when they end a cell: Jupyter displays no value, so
 * they are not last-cell feedback (the study, which needed an execute_result, never saw them either).
 */
const SILENT_LAST_CALL = /^(?:[\w.]+\.)?(?:show|savefig|close|tight_layout|subplots_adjust|seed|manual_seed|set_seed|sleep|filterwarnings|simplefilter|makedirs|mkdir|to_csv|to_pickle|to_parquet|to_feather|to_json|save|save_weights|save_model|savez|append|extend|insert|remove|clear|update|set_style|set_theme|set_option|use|disable_eager_execution|reset_default_graph|set_random_seed|collect_garbage)\s*\(/;
/** Statement starts that can never be an expression statement. */
const NON_EXPRESSION_START = /^(?:def|class|if|for|while|with|try|import|from|return|pass|del|global|nonlocal|raise|break|continue|async|assert|print|exec|@)\b|^@/;
/**
 * A statement that starts with an assignment target and `=` (or `+=`, ...): `x = f()`,
 * `df["a"] = 0`, `a, b = t`, `self.n += 1`. At statement level such a start is always an
 * assignment, the commonest last statement, and needs no parse to be ruled out. Targets with
 * nested brackets do not match and are parsed.
 */
const ASSIGNMENT_START = /^[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?(?:\s*,\s*[A-Za-z_][\w.]*(?:\[[^\]\n]*\])?)*\s*(?:[-+*/%&|^@]|\*\*|\/\/|>>|<<)?=(?!=)/;
/** Python 2 syntax tree-sitter accepts without an error but Python 3's parser rejects. */
const PYTHON2_SYNTAX = /\bexcept\s+[\w.]+\s*,\s*[A-Za-z_]\w*\s*:|\bexcept\s*\([^)]*\)\s*,\s*[A-Za-z_]\w*\s*:|^\s*raise\s+[\w.]+\s*,/m;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

interface Context {
  nested: boolean;
  inFunction: boolean;
  inLoop: boolean;
  inError: boolean;
}

/** Walk from a matched node to the module: only matched nodes pay for this, never the whole tree. */
function contextOf(node: Node): Context {
  const context: Context = { nested: false, inFunction: false, inLoop: false, inError: false };
  for (let parent = node.parent; parent; parent = parent.parent) {
    switch (parent.type) {
      case 'module':
        return context;
      case 'call':
      case 'assert_statement':
        context.nested = true;
        break;
      case 'function_definition':
      case 'lambda':
        context.inFunction = true;
        break;
      case 'for_statement':
      case 'while_statement':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        context.inLoop = true;
        break;
      case 'ERROR':
        context.inError = true;
        break;
    }
  }
  return context;
}

function contextFlags(context: Context): FeedbackFlag[] {
  const flags: FeedbackFlag[] = [];
  if (context.nested) flags.push('nested');
  if (context.inFunction) flags.push('in-function');
  if (context.inLoop) flags.push('in-loop');
  if (context.inError) flags.push('in-error');
  return flags;
}

function identifierAt(code: string, index: number): string | null {
  IDENTIFIER.lastIndex = index;
  return IDENTIFIER.exec(code)?.[0] ?? null;
}

/** The arguments of a call's text: `print(a, b)` → `a, b`. */
function argumentsOf(callText: string): string {
  const open = callText.indexOf('(');
  const close = callText.lastIndexOf(')');
  return open >= 0 && close > open ? callText.slice(open + 1, close) : callText;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface Candidate {
  mechanism: Mechanism;
  node: Node;
  /** Offset where the instance's code starts, and its text. */
  start: number;
  text: string;
  /** What the classifier reads. */
  subject: string;
  message?: string;
  variant: string | null;
  library: string | null;
  flags: FeedbackFlag[];
  /** Counted by the study if the cell parses under Python 3. */
  studyEligible: boolean;
  line: number;
}

/**
 * Finds and classifies feedback in code cells: one tree-sitter parse and one query per cell,
 * and for cells the token pre-filter clears, a parse of the last statement alone.
 * One analyzer per thread (it owns a parser); call `delete()` when done.
 */
export class FeedbackAnalyzer {
  private readonly prefilter: boolean;

  constructor(private readonly parser: PythonParser, options: FeedbackAnalyzerOptions = {}) {
    this.prefilter = options.prefilter ?? true;
  }

  static async create(options: FeedbackAnalyzerOptions = {}): Promise<FeedbackAnalyzer> {
    return new FeedbackAnalyzer(await PythonParser.create(), options);
  }

  delete(): void {
    this.parser.delete();
  }

  analyzeCell(input: AnalyzeCellInput): CellFeedback {
    const masked = maskCell(input.source);
    const maskedLines = masked.masked.length;
    if (masked.foreignCell !== null) return { cell: input.index, status: 'not-python', studyParse: 'not-python', maskedLines, instances: [] };
    const code = masked.code;
    // Python's parser rejects what IPython dedents (an IndentationError is a SyntaxError).
    const indented = masked.dedented > 0;
    if (!this.prefilter || mayContainFeedback(code)) return this.analyzeWhole(input, code, maskedLines, indented);
    const last = lastStatementStart(code);
    if (last === null) return this.analyzeWhole(input, code, maskedLines, indented);
    const studyParse: StudyParse = maskedLines > 0 ? 'magic' : indented ? 'syntax-error' : 'ok';
    const skipped: CellFeedback = { cell: input.index, status: 'not-parsed', studyParse, maskedLines, instances: [] };
    if (last === undefined) return skipped;
    const tail = code.slice(last.offset);
    if (NON_EXPRESSION_START.test(tail) || ASSIGNMENT_START.test(tail)) return skipped;
    const tree = this.parser.parseCode(tail);
    try {
      const root = tree.rootNode;
      // A tail that does not parse alone means the scan cut a statement: parse the whole cell.
      if (root.hasError) return this.analyzeWhole(input, code, maskedLines, indented);
      const statement = root.firstNamedChild;
      const instance = statement ? this.lastCell(input, code, statement, last.offset, last.row, new Set(), studyParse === 'ok') : null;
      if (instance) skipped.instances.push(instance);
      return skipped;
    } finally {
      tree.delete();
    }
  }

  private analyzeWhole(input: AnalyzeCellInput, code: string, maskedLines: number, indented: boolean): CellFeedback {
    const tree = this.parser.parseCode(code);
    try {
      const root = tree.rootNode;
      const partial = root.hasError;
      const matches = feedbackQuery(tree.language).matches(root);
      const tupleAsserts = new Set<number>();
      let python2 = PYTHON2_SYNTAX.test(code);
      for (const match of matches) {
        if (match.patternIndex === FeedbackPattern.TupleAssert) tupleAsserts.add(match.captures[0]!.node.parent?.startIndex ?? -1);
        if (match.patternIndex === FeedbackPattern.PrintStatement || match.patternIndex === FeedbackPattern.ExecStatement) python2 = true;
      }
      const candidates: Candidate[] = [];
      const claimed = new Set<number>();
      for (const match of matches) {
        const candidate = this.candidateOf(match.patternIndex, match.captures, code, input, tupleAsserts);
        if (!candidate) continue;
        candidates.push(candidate);
        claimed.add(candidate.start);
      }
      const studyParse: StudyParse = maskedLines > 0 ? 'magic' : python2 ? 'python2' : partial || indented ? 'syntax-error' : 'ok';
      const studyOk = studyParse === 'ok';
      const instances: FeedbackInstance[] = candidates.map((candidate) => this.instanceOf(input.index, candidate, studyOk));
      let statement = root.lastNamedChild;
      while (statement && statement.type === 'comment') statement = statement.previousNamedSibling;
      if (statement) {
        const instance = this.lastCell(input, code, statement, 0, 0, claimed, studyOk);
        if (instance) instances.push(instance);
      }
      instances.sort((a, b) => a.line - b.line);
      return { cell: input.index, status: partial ? 'partial' : 'ok', studyParse, maskedLines, instances };
    } finally {
      tree.delete();
    }
  }

  private candidateOf(
    pattern: number,
    captures: { name: string; node: Node }[],
    code: string,
    input: AnalyzeCellInput,
    tupleAsserts: Set<number>,
  ): Candidate | null {
    const capture = (name: string) => captures.find((c) => c.name === name)?.node;
    switch (pattern) {
      case FeedbackPattern.Assert: {
        const node = captures[0]!.node;
        const text = code.slice(node.startIndex, node.endIndex);
        const context = contextOf(node);
        const flags = contextFlags(context);
        if (tupleAsserts.has(node.startIndex)) flags.push('always-true');
        const candidate = this.candidate('assert', node, text, text.replace(/^assert\b\s*/, ''), null, null, flags, true);
        const test = node.firstNamedChild;
        if (test && node.namedChildCount >= 2) {
          flags.push('has-message');
          const testEnd = test.endIndex;
          candidate.subject = code.slice(test.startIndex, testEnd);
          candidate.message = code.slice(testEnd, node.startIndex + text.length).replace(/^\s*,/, '');
        }
        return candidate;
      }
      case FeedbackPattern.NameCall: {
        const call = capture('call')!;
        const name = identifierAt(code, capture('name')!.startIndex);
        if (name === null) return null;
        let mechanism: Mechanism;
        let variant: string | null = null;
        let library: string | null = null;
        if (name === 'print') {
          mechanism = 'print';
          variant = 'call';
        } else if (name === 'display') {
          mechanism = 'display';
        } else if (name === 'pprint') {
          mechanism = 'stdout';
          variant = 'pprint';
        } else if (name.includes('assert')) {
          mechanism = 'assert_call';
          library = resolveAssertLibrary(name, input.aliases);
        } else {
          return null;
        }
        return this.callCandidate(mechanism, call, code, variant, library);
      }
      case FeedbackPattern.MethodCall: {
        const method = identifierAt(code, capture('method')!.startIndex);
        if (method === null) return null;
        const interesting = method.includes('assert') || LOG_METHODS.has(method) || method === 'display' || method === 'write' || method === 'pprint';
        if (!interesting) return null;
        const callee = capture('callee')!;
        const dotted = code.slice(callee.startIndex, callee.endIndex).replace(/\s+/g, '');
        const object = dotted.slice(0, dotted.length - method.length - 1);
        const call = capture('call')!;
        if (method.includes('assert')) return this.callCandidate('assert_call', call, code, null, resolveAssertLibrary(dotted, input.aliases));
        if (LOG_METHODS.has(method) && /log/i.test(object.split('.').at(-1) ?? '')) return this.callCandidate('logging', call, code, clip(object, 60), null);
        if (method === 'display' && DISPLAY_OBJECTS.test(object)) return this.callCandidate('display', call, code, null, null);
        if (method === 'write' && STDOUT_WRITERS.test(object)) return this.callCandidate('stdout', call, code, dotted, null);
        if (method === 'pprint' && /^(?:pprint|pp)$/.test(object)) return this.callCandidate('stdout', call, code, 'pprint', null);
        return null;
      }
      case FeedbackPattern.PrintStatement: {
        const node = captures[0]!.node;
        const text = code.slice(node.startIndex, node.endIndex);
        return this.candidate('print', node, text, text.replace(/^print\b\s*(?:>>\s*[^,]+,?)?/, ''), 'statement', null, contextFlags(contextOf(node)), false);
      }
      case FeedbackPattern.BarePrint: {
        const node = captures[0]!.node;
        return this.candidate('print', node, 'print', '', 'statement', null, contextFlags(contextOf(node)), false);
      }
      case FeedbackPattern.IfGuard:
      case FeedbackPattern.ElifGuard: {
        const condition = capture('cond')!;
        const raise = capture('raise')!;
        const raiseText = code.slice(raise.startIndex, raise.endIndex);
        // A bare `raise` re-raises what an except clause caught: no condition is being checked.
        if (raiseText.trim() === 'raise') return null;
        const conditionText = code.slice(condition.startIndex, condition.endIndex);
        const keyword = pattern === FeedbackPattern.IfGuard ? 'if' : 'elif';
        const text = `${keyword} ${conditionText}: ${raiseText.replace(/\s*\n\s*/g, ' ')}`;
        const candidate = this.candidate('guard', condition, text, `${conditionText} ${argumentsOf(raiseText)}`, null, null, contextFlags(contextOf(condition)), false);
        return candidate;
      }
      default:
        return null;
    }
  }

  private callCandidate(mechanism: Mechanism, call: Node, code: string, variant: string | null, library: string | null): Candidate {
    const text = code.slice(call.startIndex, call.endIndex);
    const context = contextOf(call);
    const subject = mechanism === 'assert_call' ? text : argumentsOf(text);
    // The study's visitor stops at the first Call or Assert, so nested calls are invisible to it.
    const studyEligible = (mechanism === 'print' || mechanism === 'assert_call') && !context.nested;
    return this.candidate(mechanism, call, text, subject, variant, library, contextFlags(context), studyEligible);
  }

  private candidate(mechanism: Mechanism, node: Node, text: string, subject: string, variant: string | null, library: string | null, flags: FeedbackFlag[], studyEligible: boolean): Candidate {
    return { mechanism, node, start: node.startIndex, text, subject, variant, library, flags, studyEligible, line: node.startPosition.row + 1 };
  }

  private instanceOf(cell: number, candidate: Candidate, studyOk: boolean): FeedbackInstance {
    const form = MECHANISM_FORM[candidate.mechanism];
    const label = classifyFeedback({ mechanism: candidate.mechanism, form, subject: candidate.subject, ...(candidate.message ? { message: candidate.message } : {}) });
    return {
      cell,
      line: candidate.line,
      mechanism: candidate.mechanism,
      form,
      variant: candidate.variant,
      category: label.category,
      confidence: label.confidence,
      ruleId: label.ruleId,
      code: clip(candidate.text, MAX_CODE_CHARS),
      output: null,
      library: candidate.library,
      flags: candidate.flags,
      study: candidate.studyEligible && studyOk,
    };
  }

  /**
   * The cell's value as Jupyter would show it: the last top-level statement when it is an
   * expression that is not already a print/display/log/assert call, not silenced by a trailing
   * `;`, and not a call known to return None.
   */
  private lastCell(input: AnalyzeCellInput, code: string, statement: Node, offset: number, rowOffset: number, claimed: Set<number>, studyOk: boolean): FeedbackInstance | null {
    if (statement.type !== 'expression_statement') return null;
    const expression = statement.firstNamedChild;
    if (!expression) return null;
    const type = expression.type;
    if (type === 'assignment' || type === 'augmented_assignment' || type === 'yield') return null;
    const start = offset + statement.startIndex;
    if (claimed.has(offset + expression.startIndex)) return null;
    const end = offset + statement.endIndex;
    if (endsWithSemicolon(code, end)) return null;
    const text = code.slice(start, end);
    const output = input.executeResult ? input.executeResult() : null;
    // The None-returning list is a guess by name (a list's append returns None, a DataFrame's does
    // not); a stored execute_result proves a value was shown, so it overrides the guess.
    if (output === null && SILENT_LAST_CALL.test(text)) return null;
    const flags: FeedbackFlag[] = [];
    if (input.executeResult) flags.push(output === null ? 'no-execute-result' : 'execute-result');
    const form = MECHANISM_FORM.last_cell;
    const label = classifyFeedback({ mechanism: 'last_cell', form, subject: text });
    if (label.ruleId === 'other-literal') flags.push('literal');
    return {
      cell: input.index,
      line: rowOffset + statement.startPosition.row + 1,
      mechanism: 'last_cell',
      form,
      variant: null,
      category: label.category,
      confidence: label.confidence,
      ruleId: label.ruleId,
      code: clip(text, MAX_CODE_CHARS),
      output: output === null ? null : clip(output, MAX_OUTPUT_CHARS),
      library: null,
      flags,
      // The study took body[-1] of cells whose saved outputs hold an execute_result.
      study: studyOk && output !== null,
    };
  }
}
