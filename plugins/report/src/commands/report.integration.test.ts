import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixtureDatabase, EXPERIMENTS } from '../../test/report-fixture.js';

const run = promisify(execFile);
/** The built CLI, as a user runs it. */
const BIN = fileURLToPath(new URL('../../../../packages/cli/bin/run.js', import.meta.url));

async function mle(cwd: string, ...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'mle-report-cli-'));
  buildFixtureDatabase(path.join(dir, 'study.db')).store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mle report', () => {
  it('writes to reports/<db name>/ by default and prints where index.html is', async () => {
    const result = await mle(dir, 'report', '--db', 'study.db');
    expect(result.code).toBe(0);
    const index = path.join(dir, 'reports', 'study', 'index.html');
    expect(existsSync(index)).toBe(true);
    expect(result.stdout).toContain(`report: ${index}`);
    expect(result.stdout).toContain('baseline (baseline): reproducible 22.2% (2/9, 95% CI 6.3–54.7%)');
  });

  it('returns the headline numbers with --json, for the named experiments in order', async () => {
    const result = await mle(dir, 'report', '--db', 'study.db', '--out', 'named', '--experiment', EXPERIMENTS.llm, '--experiment', 'baseline', '--no-provenance', '--json');
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { index: string; headline: { notebooks: number; experiments: { name: string; reproducible: { count: number; total: number }; rescued: { count: number } | null; costUsd: number }[] } };
    expect(json.index).toBe(path.join(dir, 'named', 'index.html'));
    expect(json.headline.notebooks).toBe(10);
    expect(json.headline.experiments.map((e) => e.name)).toEqual([EXPERIMENTS.llm, 'baseline']);
    expect(json.headline.experiments[0]).toMatchObject({ reproducible: { count: 6, total: 8 }, rescued: { count: 5 }, costUsd: expect.closeTo(0.5, 10) });
    expect(json.headline.experiments[1]).toMatchObject({ reproducible: { count: 2, total: 9 }, rescued: null });
  });

  it('fails with one clear line for an unknown experiment or a missing database', async () => {
    const unknown = await mle(dir, 'report', '--db', 'study.db', '--experiment', 'nope', '--out', 'x');
    expect(unknown.code).toBe(1);
    // oclif wraps long errors at the terminal width behind a "›" gutter.
    expect(unknown.stderr.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')).toContain('no experiment named "nope" in this database; known: baseline, backport, modernize-rules, modernize-llm');
    const missing = await mle(dir, 'report', '--db', 'missing.db', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { message: expect.stringContaining('no database at missing.db') } });
  });
});
