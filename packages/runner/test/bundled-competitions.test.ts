import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCompetitions } from '../src/competition.js';
import { gradeSubmission } from '../src/grade-submission.js';

// datasets/competitions is materialized by `npm run setup` (datasets/prepare.py); `npm test` runs it first.
const BUNDLED = fileURLToPath(new URL('../../../datasets/competitions/', import.meta.url));

describe('the competitions bundled in datasets/competitions', () => {
  it('all load in the layout competition.ts documents, and grade their own sample submission', async () => {
    expect(existsSync(BUNDLED), `${BUNDLED} is missing: run npm run setup`).toBe(true);
    const { competitions, errors } = await loadCompetitions(BUNDLED);
    expect(errors.map((error) => error.message)).toEqual([]);
    expect(competitions.length).toBeGreaterThanOrEqual(6);
    for (const competition of competitions) {
      const outcome = await gradeSubmission(competition, competition.sampleSubmissionPath);
      expect(outcome, `${competition.slug}: ${JSON.stringify(outcome)}`).toMatchObject({ ok: true, metric: competition.metric });
    }
    const metrics = new Set(competitions.map((competition) => competition.metric));
    expect([...metrics].sort()).toEqual(expect.arrayContaining(['accuracy', 'log-loss', 'quadratic-weighted-kappa', 'rmse', 'rmsle', 'roc-auc']));
  });
});
