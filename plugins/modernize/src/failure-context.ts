import type { CellSyntax, Failure, FailureError, FailureKind, FixEnvironment, FixNotebook, PythonParser, ScoreGap, SyntaxTree } from '@mle/core';
import { parseCellSyntax } from './cell-syntax.js';
import { sharedPythonParser } from './python-parser.js';

/** What the loop (or a test) knows about a failure; everything but the notebook is optional. */
export interface FailureInit {
  kind?: FailureKind;
  error?: FailureError | null;
  cellIndex?: number | null;
  notebook: FixNotebook;
  environment?: Partial<FixEnvironment>;
  score?: ScoreGap | null;
}

/**
 * A {@link Failure} that parses cells on demand and owns the trees. Rules asked about the same
 * failure share one parse per cell. Call `dispose()` once every rule has matched and fixed:
 * trees live in wasm memory and are not garbage-collected.
 */
export class FailureContext implements Failure {
  readonly kind: FailureKind;
  readonly error: FailureError | null;
  readonly cellIndex: number | null;
  readonly notebook: FixNotebook;
  readonly environment: FixEnvironment;
  readonly score: ScoreGap | null;
  private readonly parsed = new Map<number, CellSyntax | null>();
  private readonly trees: SyntaxTree[] = [];
  private disposed = false;

  constructor(private readonly parser: PythonParser, init: FailureInit) {
    this.error = init.error ?? null;
    this.kind = init.kind ?? (this.error ? 'error' : 'scan');
    this.cellIndex = init.cellIndex ?? null;
    this.notebook = init.notebook;
    this.environment = { python: init.environment?.python ?? null, pins: init.environment?.pins ?? {} };
    this.score = init.score ?? null;
  }

  syntax(cellIndex: number): CellSyntax | null {
    if (this.disposed) throw new Error('FailureContext used after dispose(): its syntax trees are freed');
    if (this.parsed.has(cellIndex)) return this.parsed.get(cellIndex) ?? null;
    const cell = this.notebook.cells[cellIndex];
    const owned = cell ? parseCellSyntax(this.parser, cell) : null;
    if (owned) this.trees.push(owned.tree);
    this.parsed.set(cellIndex, owned?.syntax ?? null);
    return owned?.syntax ?? null;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const tree of this.trees) tree.delete();
    this.trees.length = 0;
    this.parsed.clear();
  }
}

/** A failure context on the thread's shared parser. */
export async function createFailure(init: FailureInit): Promise<FailureContext> {
  return new FailureContext(await sharedPythonParser(), init);
}
