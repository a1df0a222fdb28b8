import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The fixture generator and the real `mle mine` CLI, end to end: the join must hand back the era
// notebooks with the competition, date and score their metadata.mle states, and nothing else.

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'run.js');
const NOTEBOOKS = join(ROOT, 'datasets', 'notebooks');

interface MleMetadata {
  date: string;
  competition: string;
  reported_score?: number;
}
interface Notebook {
  metadata: { mle?: MleMetadata } & Record<string, unknown>;
  cells: unknown[];
}
interface Manifest {
  eraVersions: Record<string, number>;
  edgeCases: Record<string, number>;
}
interface OriginRow {
  source_kind: string;
  origin_key: string;
  path: string;
  kernel_version_id: number | null;
  date: string | null;
  status: string;
  notebook_id: number | null;
  details: string;
}

function eraNotebooks(dir = NOTEBOOKS): Map<string, Notebook> {
  const found = new Map<string, Notebook>();
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ipynb')) found.set(relative(dir, path), JSON.parse(readFileSync(path, 'utf8')) as Notebook);
    }
  };
  walk(dir);
  return found;
}

const work = mkdtempSync(join(tmpdir(), 'mle-mk-fixture-'));
const out = join(work, 'fixture');
const env = { ...process.env, XDG_CACHE_HOME: join(work, 'cache') };

function cli(args: string[]): unknown {
  const result = spawnSync(process.execPath, [CLI, ...args, '--json'], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`mle ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout) as unknown;
}

const era = eraNotebooks();
let manifest: Manifest;

beforeAll(() => {
  const generated = spawnSync(process.execPath, [join(HERE, 'generate.mjs'), '--out', out], { encoding: 'utf8' });
  expect(generated.stderr).toBe('');
  expect(generated.status).toBe(0);
  manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the Meta Kaggle fixture of the era corpus', () => {
  it('mle mine meta-kaggle yields exactly the era notebooks, with the competitions, dates and scores of their metadata', () => {
    const db = join(work, 'mined.db');
    const summary = cli(['mine', 'meta-kaggle', '--csv', join(out, 'csv'), '--code', join(out, 'code'), '--db', db, '--all-notebooks']) as { stored: number; metaKaggle: Record<string, unknown> };
    expect(summary.stored).toBe(era.size);
    expect(summary.metaKaggle).toMatchObject({
      // One draft version without a submission joins nothing; one submission names a deleted version.
      join: { competitions: new Set([...era.values()].map((n) => n.metadata.mle!.competition)).size, submittedVersionsWithoutRow: 1 },
      // The era versions, the later version with an attached dataset, and the script.
      pairs: era.size + 2,
      skipped: { 'attached-datasets': 1, script: 1, 'runtime-over-limit': 0, 'runtime-unknown': 0 },
      candidates: era.size,
      scores: { private: [...era.values()].filter((n) => n.metadata.mle!.reported_score !== undefined).length, public: 0, none: [...era.values()].filter((n) => n.metadata.mle!.reported_score === undefined).length },
      codeFiles: { missing: 0, ambiguous: 0 },
    });

    // The same notebooks mined from the directory are all duplicates of the mined ones (same code).
    const fromDir = cli(['mine', 'dir', NOTEBOOKS, '--db', db, '--all-notebooks']) as { stored: number; duplicates: number };
    expect(fromDir).toMatchObject({ stored: 0, duplicates: era.size });

    const store = new Database(db, { readonly: true });
    try {
      const origins = store.prepare('SELECT s.kind AS source_kind, o.origin_key, o.path, o.kernel_version_id, o.date, o.status, o.notebook_id, o.details FROM origins o JOIN sources s ON s.id = o.source_id ORDER BY o.id').all() as OriginRow[];
      const mined = origins.filter((o) => o.source_kind === 'meta-kaggle');
      expect(mined.map((o) => o.status)).toEqual(mined.map(() => 'stored'));
      const byNotebook = new Map(mined.map((o) => [o.notebook_id, o]));
      const dirOrigins = origins.filter((o) => o.source_kind === 'dir');
      expect(new Set(dirOrigins.map((o) => o.origin_key))).toEqual(new Set(era.keys()));

      for (const origin of dirOrigins) {
        const mle = era.get(origin.origin_key)!.metadata.mle!;
        const twin = byNotebook.get(origin.notebook_id);
        expect(twin, origin.origin_key).toBeDefined();
        const details = JSON.parse(twin!.details) as { competition: string; reportedScore?: number; reportedScoreKind?: string; submissionRule: string; url: string };
        expect({ key: origin.origin_key, competition: details.competition, date: twin!.date, score: details.reportedScore ?? null }).toEqual({
          key: origin.origin_key,
          competition: mle.competition,
          date: `${mle.date}T00:00:00.000Z`,
          score: mle.reported_score ?? null,
        });
        expect(twin!.origin_key).toBe(`${mle.competition}/${twin!.kernel_version_id}`);
        // The scored submission is the one made on the version's evaluation day, even beside a newer unscored one.
        if (mle.reported_score !== undefined) expect(details.submissionRule).toBe('score-date');
        expect(details.url).toMatch(/^https:\/\/www\.kaggle\.com\/code\/[^/]+\/[a-z0-9-]+\?scriptVersionId=\d+$/);

        // Meta Kaggle Code holds the notebook as Kaggle would: the era notebook minus our metadata.mle.
        const stored = JSON.parse(readFileSync(join(out, 'code', twin!.path), 'utf8')) as Notebook;
        const { mle: _mle, ...kaggleMetadata } = era.get(origin.origin_key)!.metadata;
        expect(stored).toEqual({ ...era.get(origin.origin_key), metadata: kaggleMetadata });
      }

      const minedVersions = new Set(mined.map((o) => o.kernel_version_id));
      for (const [edgeCase, id] of Object.entries(manifest.edgeCases)) {
        if (edgeCase.endsWith('Submission')) continue;
        expect(minedVersions.has(id), edgeCase).toBe(false);
      }
      const submissionIds = mined.map((o) => (JSON.parse(o.details) as { submissionId: number }).submissionId);
      expect(submissionIds).not.toContain(manifest.edgeCases.unscoredSubmission);
      expect(submissionIds).not.toContain(manifest.edgeCases.handUploadedSubmission);
    } finally {
      store.close();
    }
  });

  it('--max-runtime leaves out the versions with no recorded runtime (the Python 2 notebooks never ran here)', () => {
    const summary = cli(['mine', 'meta-kaggle', '--csv', join(out, 'csv'), '--code', join(out, 'code'), '--db', join(work, 'runtime.db'), '--all-notebooks', '--max-runtime', '600']) as { stored: number; metaKaggle: { skipped: Record<string, number>; runtimeFilter: string } };
    // RunningTimeInMilliseconds is the dated run's runtime from observed.json; the env-failed ones have none.
    const observed = (JSON.parse(readFileSync(join(NOTEBOOKS, 'observed.json'), 'utf8')) as { notebooks: Record<string, { dated: { runtime_seconds?: number } }> }).notebooks;
    const neverRan = Object.values(observed).filter((n) => typeof n.dated.runtime_seconds !== 'number').length;
    expect(neverRan).toBeGreaterThan(0);
    expect(summary.metaKaggle.runtimeFilter).toBe('applied');
    expect(summary.metaKaggle.skipped).toMatchObject({ 'runtime-unknown': neverRan, 'runtime-over-limit': 0 });
    expect(summary.stored).toBe(era.size - neverRan);
  });

  it('writes the same dump twice (ids come from dates and paths only)', () => {
    const again = join(work, 'again');
    const generated = spawnSync(process.execPath, [join(HERE, 'generate.mjs'), '--out', again], { encoding: 'utf8' });
    expect(generated.status).toBe(0);
    for (const name of readdirSync(join(out, 'csv'))) expect(readFileSync(join(again, 'csv', name), 'utf8'), name).toBe(readFileSync(join(out, 'csv', name), 'utf8'));
    expect(readFileSync(join(again, 'manifest.json'), 'utf8')).toBe(readFileSync(join(out, 'manifest.json'), 'utf8'));
  });
});
