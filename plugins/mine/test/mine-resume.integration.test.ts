import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { writeSyntheticCorpus } from '../src/synthetic-corpus.js';

const cli = fileURLToPath(new URL('../../../packages/cli/bin/run.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mle-resume-'));
const corpus = join(work, 'corpus');
const stats = writeSyntheticCorpus(corpus, 3000, 7);

function mine(db: string, jobs: number) {
  return spawnSync(process.execPath, [cli, 'mine', 'dir', corpus, '--db', db, '--jobs', String(jobs), '--json'], { encoding: 'utf8' });
}

/** Every table's rows in key order, without wall-clock columns. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  const tables: Record<string, string> = {
    sources: 'SELECT id, kind, location, options FROM sources ORDER BY id',
    notebooks: 'SELECT * FROM notebooks ORDER BY id',
    origins: 'SELECT * FROM origins ORDER BY id',
    cells: 'SELECT * FROM cells ORDER BY notebook_id, idx',
    imports: 'SELECT * FROM imports ORDER BY notebook_id, cell_idx, line, module, name',
  };
  const out = Object.fromEntries(Object.entries(tables).map(([name, sql]) => [name, db.prepare(sql).all()]));
  db.close();
  return out;
}

function count(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT COUNT(*) AS n FROM origins').get() as { n: number };
    db.close();
    return row.n;
  } catch {
    return 0; // not created or not migrated yet
  }
}

describe('mle mine resumes after SIGKILL', () => {
  it('ends with the same database as an uninterrupted run', async () => {
    const reference = join(work, 'reference.db');
    const done = mine(reference, 2);
    expect(done.status, done.stderr).toBe(0);
    const summary = JSON.parse(done.stdout) as { seen: number; stored: number; duplicates: number; rejected: Record<string, number> };
    expect(summary.seen).toBe(stats.files);
    expect(summary.rejected['invalid-json']).toBe(stats.broken);

    const killed = join(work, 'killed.db');
    const child = spawn(process.execPath, [cli, 'mine', 'dir', corpus, '--db', killed, '--jobs', '1'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    // Kill it hard once part of the corpus is committed (and before the end).
    let seen = 0;
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      seen = count(killed);
      if (seen >= 400) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const partial = count(killed);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(stats.files);

    const resumed = mine(killed, 1);
    expect(resumed.status, resumed.stderr).toBe(0);
    const resumedSummary = JSON.parse(resumed.stdout) as { sources: { alreadyMined: number }[] };
    expect(resumedSummary.sources[0]!.alreadyMined).toBe(partial);
    expect(dump(killed)).toEqual(dump(reference));
  });
});
