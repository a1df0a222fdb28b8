#!/usr/bin/env node
// Measure each era notebook's reported score with `mle backport` and record it, with the commands
// that measured it and the environment it was measured in, in the notebook's metadata.mle.
//
//   node datasets/notebooks/measure-reported.mjs [--jobs N] [--timeout SECONDS] [--only SUBSTRING]... [--check] [--accept-changes]
//
// It mines datasets/notebooks into a fresh scratch database (.mle/reported-scores/corpus.db), runs
// `mle backport --all` there (each notebook in the environment of its date; environments are reused
// from mle's environment cache), then for every notebook whose backport run produced a score writes
// metadata.mle.reported_score (rounded to 6 decimals, as before), reported_score_command,
// reported_score_environment and reported_score_note, and changes nothing else in the file.
// Notebooks whose dated environment cannot be built (the Python 2 ones: env-failed) keep no score.
//
// The whole-notebook limit is the study's 600 s (--timeout), not the competitions' 120 s runtime
// budget: the reported score is what a notebook reaches, and on a loaded machine the two `runtime`
// notebooks can need more than 120 s even in their dated environment (their speed is what the
// runtime experiment measures, with the budget, in `mle run`/`mle backport` and the corpus test).
//
// --only measures (and writes) just the notebooks whose path contains SUBSTRING: the whole corpus is
// still mined, so notebook ids are the same as in a full run, and `mle backport` is given their ids.
// --check compares only and writes nothing. A backport score that differs from the recorded one
// beyond the 6th decimal is not written unless --accept-changes (a corpus score moving is news).
// Exit status 1 when a notebook produced no score for another reason than env-failed, or differs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NOTEBOOKS = join(ROOT, 'datasets', 'notebooks');
const SCRATCH = '.mle/reported-scores';
const DB = `${SCRATCH}/corpus.db`;
const RUNS = `${SCRATCH}/runs`;
const EXPERIMENT = 'reported-score';
const CLI = 'node packages/cli/bin/run.js';
const Database = createRequire(join(ROOT, 'package.json'))('better-sqlite3');

function parseArgs(argv) {
  const options = { jobs: 2, timeout: 600, only: [], check: false, acceptChanges: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--accept-changes') options.acceptChanges = true;
    else if (arg === '--jobs' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) options.jobs = Number(argv[++i]);
    else if (arg === '--only' && argv[i + 1]) options.only.push(argv[++i]);
    else if (arg === '--timeout' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) options.timeout = Number(argv[++i]);
    else {
      console.error('usage: node datasets/notebooks/measure-reported.mjs [--jobs N] [--timeout SECONDS] [--only SUBSTRING]... [--check] [--accept-changes]');
      process.exit(2);
    }
  }
  return options;
}

/** Run one CLI command from the repository root, echoing it; its exact text is what gets recorded. */
function run(command) {
  console.error(`$ ${command}`);
  const started = performance.now();
  const [program, ...args] = command.split(' ');
  const result = spawnSync(program, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status ?? result.signal}`);
  console.error(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  return result.stdout;
}

function notebookPaths(dir = NOTEBOOKS) {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((entry) => (entry.isDirectory() ? notebookPaths(join(dir, entry.name)) : entry.name.endsWith('.ipynb') ? [join(dir, entry.name)] : []));
}

/** First-attempt backport runs keyed by the notebook's path under datasets/notebooks, with their environments. */
function backportRuns(dbPath) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare(`
      SELECT o.origin_key AS key, r.status, r.score, r.error_name, r.error_value, r.wall_ms,
             e.key AS env_key, e.python_version, e.exclude_newer, e.requested, e.pins, e.failure_mode, e.failure_message
        FROM runs r
        JOIN experiments x ON x.id = r.experiment_id AND x.name = ?
        JOIN notebooks n ON n.id = r.notebook_id
        JOIN origins o ON o.id = n.primary_origin_id
        LEFT JOIN environments e ON e.id = r.environment_id
       WHERE r.attempt = 1`).all(EXPERIMENT);
    return new Map(rows.map((row) => [row.key, row]));
  } finally {
    db.close();
  }
}

/** Ids of the mined notebooks whose path contains one of the substrings. */
function notebookIds(dbPath, substrings) {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT n.id, o.origin_key AS key FROM notebooks n JOIN origins o ON o.id = n.primary_origin_id ORDER BY n.id').all();
    const ids = rows.filter((row) => substrings.some((part) => row.key.includes(part))).map((row) => String(row.id));
    if (ids.length === 0) throw new Error(`no notebook path contains ${substrings.join(' or ')}`);
    return ids;
  } finally {
    db.close();
  }
}

/** The interpreter and the versions of the distributions the notebook imports (not the kernel's own stack). */
function environmentOf(row) {
  const requested = JSON.parse(row.requested ?? '{}');
  const pins = new Map(JSON.parse(row.pins ?? '[]').map((pin) => [pin.name.toLowerCase(), pin.version]));
  const own = (requested.distributions ?? []).filter((d) => d.source !== 'stack').map((d) => d.requirement.toLowerCase()).sort();
  return {
    python: row.python_version,
    exclude_newer: row.exclude_newer,
    environment: row.env_key,
    pins: Object.fromEntries(own.map((name) => [name, pins.get(name) ?? null])),
  };
}

/** metadata.mle with the measurement in place: existing keys keep their position, the command is added after them. */
function withMeasurement(mle, score, commands, environment) {
  const next = { ...mle };
  next.reported_score = score;
  next.reported_score_note = 'measured by mle backport (datasets/notebooks/measure-reported.mjs): the score of the run in the environment of the notebook date';
  next.reported_score_environment = environment;
  next.reported_score_command = commands;
  return next;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  rmSync(join(ROOT, SCRATCH), { recursive: true, force: true });
  mkdirSync(join(ROOT, SCRATCH), { recursive: true });
  const commands = [`${CLI} mine dir datasets/notebooks --all-notebooks --db ${DB}`];
  run(commands[0]);
  const selected = options.only.length === 0 ? ['--all'] : notebookIds(join(ROOT, DB), options.only);
  commands.push(`${CLI} backport ${selected.join(' ')} --db ${DB} --experiment ${EXPERIMENT} --out ${RUNS} --jobs ${options.jobs} --timeout ${options.timeout}`);
  run(commands[1]);
  const runs = backportRuns(join(ROOT, DB));

  const problems = [];
  const lines = [];
  let written = 0;
  for (const path of notebookPaths()) {
    const key = relative(NOTEBOOKS, path).split('\\').join('/');
    if (options.only.length > 0 && !options.only.some((part) => key.includes(part))) continue;
    const text = readFileSync(path, 'utf8');
    const notebook = JSON.parse(text);
    const mle = notebook.metadata.mle;
    const previous = typeof mle.reported_score === 'number' ? mle.reported_score : null;
    const row = runs.get(key);
    if (!row) {
      problems.push(`${key}: no backport run`);
      continue;
    }
    const seconds = row.wall_ms === null ? '' : ` ${(row.wall_ms / 1000).toFixed(0)}s`;
    if (row.score === null) {
      const why = row.status === 'env-failed' ? `env-failed (${row.failure_mode ?? 'not attempted'})` : `${row.status}${row.error_name ? ` ${row.error_name}` : ''}`;
      lines.push(`${key}: ${why}${seconds}; reported_score stays ${previous ?? 'absent'}`);
      if (row.status !== 'env-failed') problems.push(`${key}: backport gave no score: ${why}: ${row.error_value ?? ''}`.trim());
      continue;
    }
    const score = Math.round(row.score * 1e6) / 1e6;
    const agrees = previous !== null && score === previous;
    lines.push(`${key}: ${row.status} ${row.score} → ${score} (validate.py: ${previous ?? 'none'}) ${agrees ? 'agrees' : 'DIFFERS'}${seconds}, Python ${row.python_version}`);
    if (!agrees && previous !== null && !options.acceptChanges) {
      problems.push(`${key}: backport measured ${score}, the notebook records ${previous} (re-run with --accept-changes to record it)`);
      continue;
    }
    if (options.check) continue;
    notebook.metadata.mle = withMeasurement(mle, score, commands, environmentOf(row));
    const updated = `${JSON.stringify(notebook, null, 1)}\n`;
    // The notebooks are written as json.dump(indent=1) writes them; a file that does not round-trip
    // would show unrelated changes in its diff, so it is left alone.
    if (`${JSON.stringify(JSON.parse(text), null, 1)}\n` !== text) {
      problems.push(`${key}: not in the json.dump(indent=1) layout; not rewritten`);
      continue;
    }
    if (updated !== text) {
      writeFileSync(path, updated);
      written++;
    }
  }
  for (const line of lines) console.log(line);
  console.log(`${options.check ? 'checked' : `updated ${written} notebooks;`} ${runs.size} backport runs in ${DB}`);
  for (const problem of problems) console.error(`PROBLEM ${problem}`);
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = main();
