// Mining throughput: mle (1 and 2 worker threads) against a standard-library Python miner,
// on the same generated corpus in the same run. Writes benchmarks/results/mine.json.
// Usage: node benchmarks/mine/mine.bench.mjs [NOTEBOOKS=20000]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@mle/core';
import { DirSource, mineCorpus, writeSyntheticCorpus } from '@mle/plugin-mine';

const here = dirname(fileURLToPath(import.meta.url));
const count = Number(process.argv[2] ?? 20000);
const work = mkdtempSync(join(tmpdir(), 'mle-bench-mine-'));
const corpus = join(work, 'corpus');
const stats = writeSyntheticCorpus(corpus, count, 42);
process.stderr.write(`corpus: ${stats.files} files, ${stats.cells} code cells in ${corpus}\n`);

async function mle(jobs) {
  const db = join(work, `mle-j${jobs}.db`);
  const store = openStore(db);
  const summary = await mineCorpus(store, [new DirSource(corpus)], { jobs });
  store.close();
  const seconds = summary.elapsedMs / 1000;
  return { jobs, seconds, notebooksPerSecond: summary.seen / seconds, stored: summary.stored, duplicates: summary.duplicates, rejected: summary.rejected, filtered: summary.filtered };
}

function reference() {
  const db = join(work, 'reference.db');
  const result = spawnSync('python3', [join(here, 'reference_miner.py'), corpus, db], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const { files, seconds } = JSON.parse(result.stdout);
  return { seconds, notebooksPerSecond: files / seconds, python: execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim() };
}

const ref = reference();
const one = await mle(1);
const two = await mle(2);
const projected = (rate) => Math.round((300_000 / rate / 60) * 10) / 10;
const result = {
  benchmark: 'mine',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  corpus: stats,
  reference: { name: 'stdlib Python miner (json + ast + sqlite3, commit per notebook)', ...ref },
  mle: { jobs1: one, jobs2: two },
  ratio: { jobs1VsReference: one.notebooksPerSecond / ref.notebooksPerSecond, jobs2VsReference: two.notebooksPerSecond / ref.notebooksPerSecond, jobs2VsJobs1: two.notebooksPerSecond / one.notebooksPerSecond },
  projectedMinutesFor300k: { mleJobs2: projected(two.notebooksPerSecond), reference: projected(ref.notebooksPerSecond), target: 10 },
};
writeFileSync(join(here, '..', 'results', 'mine.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
rmSync(work, { recursive: true, force: true });
