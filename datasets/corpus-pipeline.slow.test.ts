import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONTEMPORARY_DATE } from '../packages/cli/src/demo.js';

// The issue's "done when": `mle mine` + `mle run` (contemporary environment, fixed at the demo's
// date) + `mle backport` on the bundled corpus give, for every notebook, the statuses that its
// metadata.mle.expected states and that observed.json (and the README table generated from it)
// recorded. The expectations are read, never restated here.
//
// Environments are built once per distinct pin set and shared by the notebooks whose pins agree,
// from uv's package cache (hard links, seconds each). They go to a directory of this test's own:
// mle reuses an environment directory only when the database it runs on recorded it, so with a
// fresh database it would rebuild (delete and reinstall) each one in the shared ~/.cache/mle/envs,
// under the feet of any other process running a kernel there.
//
// Load sensitivity: the two `runtime` notebooks must time out in the contemporary environment
// (load only makes that surer) and reproduce in their dated one, which takes 25-45 s of the 120 s
// budget on an idle machine. They are backported first, one at a time, so that they do not compete
// with each other or with the rest of the corpus for the two cores; the test prints every wall time,
// so a flip under outside load is visible as such (seen: 93 s and 134 s with a load average of 10-15
// from other processes on 2 cores, and the second then timed out).

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'run.js');
const NOTEBOOKS = join(HERE, 'notebooks');
const JOBS = '2';
const run = promisify(execFile);

interface Expected {
  dated: string;
  contemporary: string;
}
interface EraNotebook {
  key: string;
  exercises: string;
  expected: Expected;
}
interface ObservedSide {
  status: string;
  ename?: string;
}
interface RunRow {
  key: string;
  experiment: string;
  status: string;
  error_name: string | null;
  wall_ms: number | null;
  score: number | null;
}

function eraNotebooks(dir = NOTEBOOKS): EraNotebook[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry): EraNotebook[] => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return eraNotebooks(path);
      if (!entry.name.endsWith('.ipynb')) return [];
      const mle = (JSON.parse(readFileSync(path, 'utf8')) as { metadata: { mle: { exercises: string; expected: Expected } } }).metadata.mle;
      return [{ key: relative(NOTEBOOKS, path), exercises: mle.exercises, expected: mle.expected }];
    });
}

const corpus = eraNotebooks();
const observed = (JSON.parse(readFileSync(join(NOTEBOOKS, 'observed.json'), 'utf8')) as { notebooks: Record<string, { dated: ObservedSide; contemporary: ObservedSide }> }).notebooks;
const work = mkdtempSync(join(tmpdir(), 'mle-corpus-pipeline-'));
const db = join(work, 'corpus.db');
const out = join(work, 'runs');
const childEnv = { ...process.env, MLE_ENV_DIR: join(work, 'envs') };
const timings: Record<string, number> = {};
let runs: Map<string, RunRow>;

async function mle(step: string, args: string[]): Promise<unknown> {
  const started = performance.now();
  const { stdout } = await run(process.execPath, [CLI, ...args, '--db', db, '--json'], { cwd: ROOT, env: childEnv, maxBuffer: 256 << 20, timeout: 3_000_000 });
  timings[step] = Math.round((performance.now() - started) / 1000);
  return JSON.parse(stdout) as unknown;
}

function notebookIds(keys: string[]): string[] {
  const store = new Database(db, { readonly: true });
  try {
    const ids = keys.map((key) => store.prepare('SELECT n.id FROM notebooks n JOIN origins o ON o.id = n.primary_origin_id WHERE o.origin_key = ?').pluck().get(key) as number | undefined);
    expect(ids.every((id) => id !== undefined), keys.join(', ')).toBe(true);
    return ids.map(String);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  const started = performance.now();
  const mined = (await mle('mine', ['mine', 'dir', NOTEBOOKS, '--all-notebooks'])) as { stored: number };
  expect(mined.stored).toBe(corpus.length);
  const created = (await mle('contemporary environment', ['env', 'create', '--contemporary', '--at', DEMO_CONTEMPORARY_DATE])) as { items: { status: string; environment: { id: number } }[] };
  expect(created.items[0]!.status).toBe('ready');
  await mle('run (contemporary)', ['run', '--all', '--env', String(created.items[0]!.environment.id), '--experiment', 'baseline', '--out', out, '--jobs', JOBS]);
  const backport = ['backport', '--experiment', 'backport', '--baseline', 'baseline', '--out', out];
  await mle('backport (runtime notebooks, one at a time)', [...backport, ...notebookIds(corpus.filter((n) => n.exercises === 'runtime').map((n) => n.key)), '--jobs', '1']);
  // The same experiment: the runtime notebooks are already run and are skipped.
  await mle('backport (the rest)', [...backport, '--all', '--jobs', JOBS]);
  timings.total = Math.round((performance.now() - started) / 1000);

  const store = new Database(db, { readonly: true });
  try {
    const rows = store.prepare(`
      SELECT o.origin_key AS key, x.name AS experiment, r.status, r.error_name, r.wall_ms, r.score
        FROM runs r JOIN experiments x ON x.id = r.experiment_id
        JOIN notebooks n ON n.id = r.notebook_id JOIN origins o ON o.id = n.primary_origin_id
       WHERE r.attempt = 1`).all() as RunRow[];
    runs = new Map(rows.map((row) => [`${row.experiment} ${row.key}`, row]));
  } finally {
    store.close();
  }
  const seconds = (row: RunRow | undefined) => (row?.wall_ms == null ? '-' : `${(row.wall_ms / 1000).toFixed(0)}s`);
  const lines = corpus.map((n) => `  ${n.key}: dated ${runs.get(`backport ${n.key}`)?.status} (${seconds(runs.get(`backport ${n.key}`))}), contemporary ${runs.get(`baseline ${n.key}`)?.status} (${seconds(runs.get(`baseline ${n.key}`))})`);
  console.log(`corpus pipeline (${corpus.length} notebooks, --jobs ${JOBS}): ${Object.entries(timings).map(([step, s]) => `${step} ${s}s`).join(', ')}\n${lines.join('\n')}`);
}, 3_600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the era corpus through mine, run (contemporary) and backport', () => {
  it('the corpus, observed.json and the notebooks agree on what is expected', () => {
    expect(new Set(Object.keys(observed))).toEqual(new Set(corpus.map((n) => n.key)));
    for (const n of corpus) expect({ key: n.key, dated: observed[n.key]!.dated.status, contemporary: observed[n.key]!.contemporary.status }).toEqual({ key: n.key, ...n.expected });
  });

  it.each(corpus.map((n) => [n.key, n] as const))('%s: contemporary status as expected', (key, n) => {
    const row = runs.get(`baseline ${key}`);
    expect(row?.status, key).toBe(n.expected.contemporary);
    // An API breakage fails with the exception the validation run saw, not just any error.
    if (n.expected.contemporary === 'error') expect(row?.error_name, key).toBe(observed[key]!.contemporary.ename);
  });

  it.each(corpus.map((n) => [n.key, n] as const))('%s: dated (backport) status as expected', (key, n) => {
    const row = runs.get(`backport ${key}`);
    const hint = n.exercises === 'runtime' ? ` (dated wall time ${row?.wall_ms ?? '?'} ms of the budget: a timeout here means the machine was too loaded)` : '';
    expect(row?.status, `${key}${hint}`).toBe(n.expected.dated);
  });
});
