import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtures, FIXTURES_DIR } from '../../../../../packages/runner/test/grader-fixtures.js';

// The real `mle` binary over the built plugin (`npm test` builds first), as a user runs it.
const ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const COMPETITION = join(FIXTURES_DIR, 'competitions', 'synthetic-binary');
const REFERENCE = join(COMPETITION, fixtures.competitions['synthetic-binary']!.reference_submission);
const scratch = mkdtempSync(join(tmpdir(), 'mle-run-grade-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function mle(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'packages/cli/bin/run.js'), 'run', 'grade', ...args], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mle run grade', () => {
  it('prints the score of a valid submission and exits 0', () => {
    const { status, stdout } = mle('--competition', COMPETITION, '--submission', REFERENCE);
    expect(status).toBe(0);
    expect(stdout.trim()).toBe(`roc-auc ${fixtures.competitions['synthetic-binary']!.score} (higher is better) on 30 rows of synthetic-binary`);
  });

  it('prints the outcome and the verdict as JSON with --json --reported', () => {
    const { status, stdout } = mle('-c', COMPETITION, '-s', REFERENCE, '--reported', '0.95', '--tolerance', '0.05', '--json');
    expect(status).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown> & { verdict: Record<string, unknown> };
    expect(result).toMatchObject({ ok: true, metric: 'roc-auc', competition: 'synthetic-binary', rows: 30, score: fixtures.competitions['synthetic-binary']!.score });
    expect(result.verdict).toMatchObject({ criterion: 'relative-error', reproducible: false });
  });

  it('reports a bad submission as a grading error on stderr with exit status 2', () => {
    const rows = readFileSync(REFERENCE, 'utf8').trim().split('\n');
    const path = join(scratch, 'short.csv');
    writeFileSync(path, `${rows.slice(0, -1).join('\n')}\n`);
    const { status, stdout, stderr } = mle('-c', COMPETITION, '-s', path);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^grading error \(missing-ids\): 1 of 30 ids are missing from the submission \(29 rows\): "\d+"$/);
    const json = mle('-c', COMPETITION, '-s', join(scratch, 'absent.csv'), '--json');
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, code: 'missing-file' });
  });

  it('fails with a one-line error and exit status 1 when the competition is unusable', () => {
    const { status, stderr } = mle('-c', scratch, '-s', REFERENCE);
    expect(status).toBe(1);
    // oclif wraps its error box at the terminal width: unwrap before matching.
    expect(stderr.replace(/\s*\n\s*›\s*/g, ' ')).toMatch(/competition\.json: missing: a competition directory needs a competition\.json/);
    const json = mle('-c', scratch, '-s', REFERENCE, '--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { name: 'CompetitionError' } });
    expect(mle('-c', COMPETITION, '-s', REFERENCE, '--reported', 'high').status).not.toBe(0);
  });
});
