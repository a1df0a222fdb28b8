import type { ModernizeSummary } from './modernize-experiment.js';

const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const decimal = (value: number | null, digits = 2) => (value === null ? '-' : value.toFixed(digits));

/** The human summary `mle modernize` prints: one line per notebook, then the experiment's numbers. */
export function formatModernizeSummary(summary: ModernizeSummary): string {
  const lines = summary.notebooks.map((n) => {
    const path = n.outputPath ? ` → ${n.outputPath}` : '';
    return `  notebook ${n.notebookId}: ${n.status}${n.alreadyDone ? ' (done earlier)' : ''} (${n.initialStatus ?? '?'} → ${n.finalStatus ?? '?'}, ${n.fixesApplied} fixes, ${n.fixesRolledBack} rolled back, ${n.llmCalls} LLM calls, $${n.costUsd.toFixed(4)})${path}`;
  });
  const counts = Object.entries(summary.statuses).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`).join(', ') || 'nothing done';
  lines.unshift(`${summary.experiment} on ${summary.kernel}: ${counts}`);
  lines.push(`  rescued: ${summary.rescued} of ${summary.nonReproducible} non-reproducible notebooks with a reported score (${percent(summary.rescueRate)})`);
  if (summary.runAgainWithoutScore > 0) lines.push(`  run to the end again, no reported score to compare: ${summary.runAgainWithoutScore}`);
  const by = summary.fixesPerRescuedBySource;
  lines.push(`  fixes per rescued notebook: ${decimal(summary.fixesPerRescued)}${by ? ` (rule ${decimal(by.rule)}, cache ${decimal(by.cache)}, LLM ${decimal(by.llm)})` : ''}; runs per rescued notebook: ${decimal(summary.runsPerRescued)}`);
  lines.push(`  LLM calls: ${summary.llmCalls} (${decimal(summary.llmCallsPerRescued)} per rescued notebook), cost $${summary.costUsd.toFixed(4)} ($${decimal(summary.costPerNotebook, 4)} per notebook); fix cache: ${summary.cacheHits} tried, ${summary.cacheSuccesses} kept`);
  if (summary.interrupted) lines.push('interrupted: re-run the same command to resume');
  return lines.join('\n');
}
