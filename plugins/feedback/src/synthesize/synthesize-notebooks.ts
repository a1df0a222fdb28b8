import { FeedbackAnalyzer, loadNotebook, PythonParser, type WritableStore } from '@mle/core';
import { hasSynthesis, recordProposals, SYNTHESIZER_VERSION } from './assertion-store.js';
import { proposeAssertions } from './propose-assertions.js';

export interface SynthesizeOptions {
  /** Propose again even when this synthesizer version already did (replaces nothing: skipped). */
  signal?: AbortSignal;
  onNotebook?: (notebookId: number, proposals: number, instancesWithOutput: number) => void;
}

export interface SynthesizeSummary {
  notebooks: number;
  /** Notebooks already synthesized by this version, left as they were. */
  alreadyDone: number;
  instancesWithOutput: number;
  proposals: number;
  skipped: number;
  /** Skip reasons (their first words) and how often each came up. */
  skipReasons: Record<string, number>;
}

/** Propose assertions for each notebook from its stored outputs and record them (resumable). */
export async function synthesizeNotebooks(store: WritableStore, notebookIds: readonly number[], options: SynthesizeOptions = {}): Promise<SynthesizeSummary> {
  const parser = await PythonParser.create();
  const analyzer = await FeedbackAnalyzer.create({ prefilter: false });
  const summary: SynthesizeSummary = { notebooks: 0, alreadyDone: 0, instancesWithOutput: 0, proposals: 0, skipped: 0, skipReasons: {} };
  try {
    for (const notebookId of notebookIds) {
      if (options.signal?.aborted) break;
      if (hasSynthesis(store, notebookId, SYNTHESIZER_VERSION)) {
        summary.alreadyDone++;
        continue;
      }
      const notebook = loadNotebook(store, notebookId);
      if (!notebook) throw new Error(`notebook ${notebookId} is not in ${store.path}`);
      const cells = notebook.cells.filter((c) => c.cellType === 'code').map((c) => ({ index: c.index, source: c.source, outputs: c.outputs }));
      const result = proposeAssertions(cells, parser, analyzer);
      recordProposals(store, notebookId, result);
      summary.notebooks++;
      summary.instancesWithOutput += result.instancesWithOutput;
      summary.proposals += result.proposals.length;
      summary.skipped += result.skipped.length;
      for (const s of result.skipped) {
        const reason = s.reason.replace(/\s*\(.*$|:.*$/, '');
        summary.skipReasons[reason] = (summary.skipReasons[reason] ?? 0) + 1;
      }
      options.onNotebook?.(notebookId, result.proposals.length, result.instancesWithOutput);
    }
  } finally {
    analyzer.delete();
    parser.delete();
  }
  return summary;
}
