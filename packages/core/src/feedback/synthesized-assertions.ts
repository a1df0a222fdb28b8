import { prepare } from '../store/prepare.js';
import type { Store } from '../store/open-store.js';

export interface ExplicitByCategory {
  category: string;
  /** Implicit instances (prints, last-cell values) of the category with a stored output. */
  withOutput: number;
  /** Of those values, how many got a proposal / a validated (passing) assertion. */
  proposed: number;
  validated: number;
  /** Distinct statements (instances) with at least one validated assertion. */
  instancesMadeExplicit: number;
}

/**
 * "Implicit checks made explicit" (`mle feedback synthesize`), per category of the feedback
 * taxonomy: for the report. Counts each notebook's synthesis of this version (default: the newest
 * version synthesized); `validated` counts assertions whose latest validation passed.
 */
export function explicitChecksByCategory(store: Store, version: string | null = null): ExplicitByCategory[] {
  const synthesizer = version ?? latestSynthesizerVersion(store);
  if (synthesizer === null) return [];
  return prepare<[string, string, string], { category: string; with_output: number; proposed: number; validated: number | null; instances: number }>(
    store.db,
    `WITH items AS (
       SELECT notebook_id, category, cell_idx, line, mechanism FROM synthesized_assertions WHERE synthesizer_version = ?
       UNION
       SELECT notebook_id, category, cell_idx, line, mechanism FROM synthesized_skips WHERE synthesizer_version = ?),
     latest AS (
       SELECT a.notebook_id, a.category, a.cell_idx, a.line,
              (SELECT v.outcome FROM assertion_validations v WHERE v.assertion_id = a.id ORDER BY v.id DESC LIMIT 1) AS outcome
       FROM synthesized_assertions a WHERE a.synthesizer_version = ?),
     categories AS (SELECT DISTINCT category FROM items)
     SELECT c.category,
            (SELECT COUNT(*) FROM items i WHERE i.category = c.category) AS with_output,
            (SELECT COUNT(*) FROM latest l WHERE l.category = c.category) AS proposed,
            (SELECT COUNT(*) FROM latest l WHERE l.category = c.category AND l.outcome = 'pass') AS validated,
            (SELECT COUNT(DISTINCT l.notebook_id || ':' || l.cell_idx || ':' || l.line) FROM latest l WHERE l.category = c.category AND l.outcome = 'pass') AS instances
     FROM categories c ORDER BY c.category`,
  )
    .all(synthesizer, synthesizer, synthesizer)
    .map((row) => ({ category: row.category, withOutput: row.with_output, proposed: row.proposed, validated: row.validated ?? 0, instancesMadeExplicit: row.instances }));
}

/** The synthesizer version of the newest synthesis in the store, or null when nothing was synthesized. */
export function latestSynthesizerVersion(store: Store): string | null {
  return prepare<[], { v: string }>(store.db, 'SELECT synthesizer_version AS v FROM synthesis_runs ORDER BY synthesized_at DESC LIMIT 1').get()?.v ?? null;
}
