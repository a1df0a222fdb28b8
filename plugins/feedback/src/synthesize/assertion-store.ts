import { explicitChecksByCategory, prepare, writeTransaction, type ExplicitByCategory, type ObservedValue, type Store, type ValueTolerance, type WritableStore } from '@mle/core';
import type { AssertionKind } from './assertion-code.js';
import type { AssertionProposal, Extraction, NotebookProposals } from './propose-assertions.js';

/** Bump when proposals change: `mle feedback synthesize` then proposes again into new rows. */
export const SYNTHESIZER_VERSION = 'synthesize-1';

export type ValidationOutcome = 'pass' | 'fail' | 'error' | 'not-run';

export interface StoredAssertion extends Omit<AssertionProposal, 'observed' | 'tolerance' | 'extraction'> {
  id: number;
  notebookId: number;
  observed: ObservedValue;
  tolerance: ValueTolerance | null;
  extraction: Extraction;
  /** The latest validation's outcome, null when never validated. */
  validation: ValidationOutcome | null;
  validationDetail: string | null;
}

interface AssertionRow {
  id: number;
  notebook_id: number;
  cell_idx: number;
  line: number;
  mechanism: 'print' | 'last_cell';
  category: string;
  statement: string;
  expression: string;
  kind: AssertionKind;
  code: string;
  observed: string;
  tolerance: string | null;
  stability: string;
  extraction: string;
  outcome: ValidationOutcome | null;
  detail: string | null;
}

/** Whether the notebook already has proposals of this synthesizer version. */
export function hasSynthesis(store: Store, notebookId: number, version: string = SYNTHESIZER_VERSION): boolean {
  return prepare<[number, string], { n: number }>(store.db, 'SELECT COUNT(*) AS n FROM synthesis_runs WHERE notebook_id = ? AND synthesizer_version = ?').get(notebookId, version)!.n > 0;
}

/** Store one notebook's proposals and skips in one transaction (replacing an earlier synthesis of the same version). */
export function recordProposals(store: WritableStore, notebookId: number, result: NotebookProposals, version: string = SYNTHESIZER_VERSION): void {
  const db = store.db;
  const now = new Date().toISOString();
  writeTransaction(store, () => {
    if (hasSynthesis(store, notebookId, version)) return;
    const insert = prepare(
      db,
      `INSERT OR IGNORE INTO synthesized_assertions (notebook_id, synthesizer_version, cell_idx, line, mechanism, category, statement, expression, kind, code, observed, tolerance, stability, extraction, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const p of result.proposals) {
      insert.run(notebookId, version, p.cell, p.line, p.mechanism, p.category, p.statement, p.expression, p.kind, p.code, JSON.stringify(p.observed), p.tolerance ? JSON.stringify(p.tolerance) : null, p.stability, JSON.stringify(p.extraction), now);
    }
    const skip = prepare(db, 'INSERT INTO synthesized_skips (notebook_id, synthesizer_version, cell_idx, line, mechanism, category, statement, expression, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const s of result.skipped) skip.run(notebookId, version, s.cell, s.line, s.mechanism, s.category, s.statement, s.expression, s.reason);
    prepare(db, 'INSERT INTO synthesis_runs (notebook_id, synthesizer_version, instances_with_output, proposals, synthesized_at) VALUES (?, ?, ?, ?, ?)').run(notebookId, version, result.instancesWithOutput, result.proposals.length, now);
  });
}

/** A notebook's proposals with their latest validation, in cell and line order. */
export function assertionsOf(store: Store, notebookId: number, options: { validatedOnly?: boolean; version?: string } = {}): StoredAssertion[] {
  const rows = prepare<[number, string], AssertionRow>(
    store.db,
    `SELECT a.*, v.outcome, v.detail FROM synthesized_assertions a
     LEFT JOIN assertion_validations v ON v.id = (SELECT MAX(id) FROM assertion_validations WHERE assertion_id = a.id)
     WHERE a.notebook_id = ? AND a.synthesizer_version = ? ORDER BY a.cell_idx, a.line, a.id`,
  ).all(notebookId, options.version ?? SYNTHESIZER_VERSION);
  return rows
    .filter((row) => !options.validatedOnly || row.outcome === 'pass')
    .map((row) => ({
      id: row.id,
      notebookId: row.notebook_id,
      cell: row.cell_idx,
      line: row.line,
      mechanism: row.mechanism,
      category: row.category,
      statement: row.statement,
      expression: row.expression,
      kind: row.kind,
      code: row.code,
      observed: JSON.parse(row.observed) as ObservedValue,
      tolerance: row.tolerance ? (JSON.parse(row.tolerance) as ValueTolerance) : null,
      stability: row.stability,
      extraction: JSON.parse(row.extraction) as Extraction,
      validation: row.outcome,
      validationDetail: row.detail,
    }));
}

export interface ValidationRecord {
  assertionId: number;
  outcome: ValidationOutcome;
  detail: string | null;
}

/** Store a validation run's outcomes, one transaction. */
export function recordValidations(store: WritableStore, records: readonly ValidationRecord[], kernel: { label: string; environmentId: number | null }, outputPath: string | null): void {
  const now = new Date().toISOString();
  writeTransaction(store, () => {
    const insert = prepare(store.db, 'INSERT INTO assertion_validations (assertion_id, environment_id, kernel, outcome, detail, output_path, validated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const r of records) insert.run(r.assertionId, kernel.environmentId, kernel.label, r.outcome, r.detail, outputPath, now);
  });
}

/** Notebooks with proposals of this version, in id order. */
export function synthesizedNotebooks(store: Store, version: string = SYNTHESIZER_VERSION): number[] {
  return prepare<[string], { notebook_id: number }>(store.db, 'SELECT notebook_id FROM synthesis_runs WHERE synthesizer_version = ? ORDER BY notebook_id').all(version).map((r) => r.notebook_id);
}

/** "Implicit checks made explicit" per category, for this synthesizer version (see @mle/core). */
export function explicitByCategory(store: Store, version: string = SYNTHESIZER_VERSION): ExplicitByCategory[] {
  return explicitChecksByCategory(store, version);
}
