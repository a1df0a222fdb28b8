import type { Store } from '@mle/core';
import type { EnvironmentBuilder, EnvironmentOutcome } from './create-environment.js';
import { notebookFacts, type NotebookEnvironmentFacts } from './notebook-imports.js';

/** Extra inputs for a notebook's environment: what the command line adds to the notebook's own facts. */
export interface NotebookEnvironmentOverrides {
  /** Replaces the notebook's date. */
  at?: string;
  /** Added to the notebook's imports. */
  imports?: readonly string[];
  packages?: readonly string[];
  python?: string;
}

export type NotebookEnvironmentResult =
  | { target: string; facts: NotebookEnvironmentFacts; outcome: EnvironmentOutcome }
  /** Nothing was attempted: the notebook has no date, cannot be read, or is not in the database. */
  | { target: string; skipped: string };

/**
 * The backported environment of one notebook (a database id or a .ipynb path), as of its date:
 * what `mle env create --for` and `mle backport` do per notebook. Never throws for a notebook's
 * own problems, so a batch always reaches its end; only an interruption (EnvironmentAbortedError)
 * propagates.
 */
export async function createNotebookEnvironment(builder: EnvironmentBuilder, store: Store | null, target: string, overrides: NotebookEnvironmentOverrides = {}): Promise<NotebookEnvironmentResult> {
  let facts: NotebookEnvironmentFacts;
  try {
    facts = await notebookFacts(store, target);
  } catch (error) {
    return { target, skipped: (error as Error).message };
  }
  const at = overrides.at ?? facts.date;
  if (!at) return { target, skipped: `${target} has no date (notebooks.date or metadata.mle.date); pass --at` };
  try {
    const outcome = await builder.create({
      kind: 'backport',
      at,
      imports: [...facts.imports, ...(overrides.imports ?? [])],
      packages: overrides.packages ?? [],
      pythonMajor: facts.pythonMajor,
      notebookId: facts.notebookId,
      ...(overrides.python ? { python: overrides.python } : {}),
    });
    return { target, facts, outcome };
  } catch (error) {
    // A bad date or requirement is the notebook's problem; an interruption is not.
    if ((error as Error).name === 'EnvironmentAbortedError') throw error;
    return { target, skipped: (error as Error).message };
  }
}
