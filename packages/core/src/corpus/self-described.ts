import type { NotebookCandidate } from '../plugin-api/notebook-source.js';
import type { AnalyzedNotebook } from './analyze-notebook.js';

/**
 * Facts a notebook states about itself in `metadata.mle` ({date, competition, reported_score,
 * reported_score_kind}); the bundled corpus and `mle run FILE` use them. Invalid values are ignored.
 */
export function selfDescribedFacts(notebook: Pick<AnalyzedNotebook, 'metadataJson'>): Partial<Omit<NotebookCandidate, 'read'>> {
  const mle = (JSON.parse(notebook.metadataJson) as { mle?: Record<string, unknown> }).mle;
  if (!mle || typeof mle !== 'object') return {};
  const facts: Partial<Omit<NotebookCandidate, 'read'>> = {};
  if (typeof mle.date === 'string' && !Number.isNaN(Date.parse(mle.date))) facts.date = new Date(mle.date).toISOString();
  if (typeof mle.competition === 'string') facts.competition = mle.competition;
  if (typeof mle.reported_score === 'number') {
    facts.reportedScore = mle.reported_score;
    facts.reportedScoreKind = mle.reported_score_kind === 'public' ? 'public' : 'private';
  }
  return facts;
}
