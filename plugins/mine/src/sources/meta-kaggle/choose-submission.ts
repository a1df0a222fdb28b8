/** A submission made from a kernel version, as the choice needs it. */
export interface SubmissionFacts {
  id: number;
  /** ISO 8601 UTC (Meta Kaggle gives day resolution). */
  submissionDate: string | null;
  scoreDate: string | null;
  privateScore: number | null;
  publicScore: number | null;
}

/** The version's own dates the choice compares with. */
export interface VersionDates {
  creationDate: string | null;
  evaluationDate: string | null;
}

/** Which rule picked the submission. */
export type SubmissionRule = 'score-date' | 'creation-date' | 'newest';

export interface ChosenSubmission<S extends SubmissionFacts> {
  submission: S;
  rule: SubmissionRule;
  /** The score the notebook is said to reach, and which leaderboard it is from. */
  score: { value: number; kind: 'private' | 'public' } | null;
}

/** A usable score: present and not 0 (Kaggle records 0 for submissions that were not scored). */
const usable = (score: number | null): score is number => score !== null && score !== 0;

const sameDay = (a: string | null, b: string | null) => a !== null && b !== null && a.slice(0, 10) === b.slice(0, 10);

/**
 * Pick the submission that stands for a kernel version, as the MLEModernizer study did: among
 * the submissions with a private score (present, not 0), sorted newest first by SubmissionDate
 * (then by submission id, newest first, since dates have day resolution), prefer
 *   1. one whose ScoreDate is on the version's EvaluationDate (same UTC calendar day),
 *   2. else one whose SubmissionDate is on the version's CreationDate,
 *   3. else the newest.
 * When no submission has a private score, the same rules run over those with a public score
 * (recorded as `public`); when none has either, over all of them, with no score.
 */
export function chooseSubmission<S extends SubmissionFacts>(submissions: readonly S[], version: VersionDates): ChosenSubmission<S> | null {
  const privateScored = submissions.filter((s) => usable(s.privateScore));
  const publicScored = submissions.filter((s) => usable(s.publicScore));
  const [pool, kind] = privateScored.length > 0 ? [privateScored, 'private' as const] : publicScored.length > 0 ? [publicScored, 'public' as const] : [submissions, null];
  if (pool.length === 0) return null;
  const newestFirst = [...pool].sort((a, b) => {
    const byDate = (b.submissionDate ?? '').localeCompare(a.submissionDate ?? '');
    return byDate !== 0 ? byDate : b.id - a.id;
  });
  let submission = newestFirst.find((s) => sameDay(s.scoreDate, version.evaluationDate));
  let rule: SubmissionRule = 'score-date';
  if (!submission) {
    submission = newestFirst.find((s) => sameDay(s.submissionDate, version.creationDate));
    rule = 'creation-date';
  }
  if (!submission) {
    submission = newestFirst[0]!;
    rule = 'newest';
  }
  const value = kind === 'private' ? submission.privateScore : kind === 'public' ? submission.publicScore : null;
  return { submission, rule, score: kind && value !== null ? { value, kind } : null };
}
