#!/usr/bin/env node
// Feedback benchmark: accuracy of `mle feedback` on the hand-labelled evaluation set, and
// throughput + agreement against a reference extractor that follows the study's method
// (reference_extractor.py, Python's ast), both run end to end (notebook JSON in, instances out)
// on the same corpus in the same run. Needs the built workspace (`npx tsc -b plugins/feedback`).
//
//   node benchmarks/feedback/feedback.bench.mjs [--notebooks 3000] [--repeats 3] [--corpus DIR]... [--out FILE]
//
// --corpus adds a real notebook collection (measured like the synthetic one, reported beside it).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeNotebookText, FeedbackAnalyzer, MECHANISM_FORM, MECHANISMS } from '@mle/core';
import { analyzeFiles, notebookPaths } from '@mle/plugin-feedback';
import { generateCorpus } from './synthetic-corpus.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const { values: args } = parseArgs({
  options: {
    notebooks: { type: 'string', default: '3000' },
    repeats: { type: 'string', default: '3' },
    corpus: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: join(root, 'benchmarks/results/feedback.json') },
    python: { type: 'string', default: 'python3' },
  },
});

const round = (x, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);

// ---------------------------------------------------------------------------------------------
// 1. Accuracy on the evaluation set
// ---------------------------------------------------------------------------------------------

function evaluate(analyzer, rows) {
  const mechanisms = {};
  const bump = (m, key) => {
    mechanisms[m] ??= { expected: 0, found: 0, falsePositives: 0 };
    mechanisms[m][key]++;
  };
  // Keyed by form: "model-performance" of an assertion and of a print are different categories.
  const categories = {};
  const cat = (mechanism, c) => (categories[`${MECHANISM_FORM[mechanism]}:${c}`] ??= { expected: 0, predicted: 0, correct: 0 });
  const misses = [];
  const miscategorized = [];
  const unexpected = [];
  let positives = 0;
  let rightCategory = 0;
  for (const row of rows) {
    const instances = analyzer.analyzeCell({ index: 0, source: row.code }).instances;
    if (row.mechanism === null) {
      for (const i of instances) {
        bump(i.mechanism, 'falsePositives');
        unexpected.push({ id: row.id, mechanism: i.mechanism, code: i.code, note: row.note });
      }
      continue;
    }
    positives++;
    bump(row.mechanism, 'expected');
    cat(row.mechanism, row.category).expected++;
    const match = instances.find((i) => i.mechanism === row.mechanism);
    for (const extra of instances.filter((i) => i !== match)) unexpected.push({ id: row.id, mechanism: extra.mechanism, code: extra.code, note: `besides the expected ${row.mechanism}` });
    if (!match) {
      misses.push({ id: row.id, mechanism: row.mechanism, code: row.code });
      continue;
    }
    bump(row.mechanism, 'found');
    cat(row.mechanism, match.category).predicted++;
    if (match.category === row.category) {
      cat(row.mechanism, row.category).correct++;
      rightCategory++;
    } else {
      miscategorized.push({ id: row.id, mechanism: row.mechanism, expected: row.category, got: match.category, rule: match.ruleId, code: match.code });
    }
  }
  for (const m of Object.values(mechanisms)) m.recall = m.expected ? round(m.found / m.expected) : null;
  for (const c of Object.values(categories)) {
    c.precision = c.predicted ? round(c.correct / c.predicted) : null;
    c.recall = c.expected ? round(c.correct / c.expected) : null;
  }
  return { instances: positives, negatives: rows.length - positives, categoryAccuracy: round(rightCategory / positives), mechanisms, categories, misses, miscategorized, unexpected };
}

/** What the study's method finds in the same snippets (as cells of one notebook, without outputs). */
function referenceOnEvalSet(rows, dir) {
  const nb = join(dir, 'eval.ipynb');
  writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: rows.map((row) => ({ cell_type: 'code', source: row.code, outputs: [], metadata: {}, execution_count: null })) }));
  const out = join(dir, 'eval-ref.jsonl');
  const result = spawnSync(args.python, [join(here, 'reference_extractor.py'), nb, '--out', out], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`reference extractor failed: ${result.stderr}`);
  const found = readLines(out);
  const recall = {};
  for (const mechanism of ['assert', 'assert_call', 'print']) {
    const expected = rows.map((row, cell) => ({ row, cell })).filter(({ row }) => row.mechanism === mechanism);
    const hit = expected.filter(({ cell }) => found.some((f) => f.cell === cell && f.mechanism === mechanism)).length;
    recall[mechanism] = { expected: expected.length, found: hit, recall: round(hit / expected.length) };
  }
  return { note: 'last_cell is not measured: the study needs a saved execute_result, and the snippets have no outputs', recall };
}

// ---------------------------------------------------------------------------------------------
// 2. Throughput and agreement on a corpus
// ---------------------------------------------------------------------------------------------

function readLines(path) {
  const text = readFileSync(path, 'utf8').trim();
  return text ? text.split('\n').map((line) => JSON.parse(line)) : [];
}

/**
 * CPU time is reported beside wall time: the machine is shared, and CPU seconds per cell do not
 * depend on what else runs. GNU time measures child processes when it is installed.
 */
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

function spawnTimed(command, commandArgs, options, work) {
  const timing = join(work, 'time.txt');
  const started = performance.now();
  const result = GNU_TIME
    ? spawnSync(GNU_TIME, ['-f', '%U %S', '-o', timing, command, ...commandArgs], options)
    : spawnSync(command, commandArgs, options);
  const wallMs = performance.now() - started;
  let cpuSeconds = null;
  if (GNU_TIME && existsSync(timing)) {
    const [user, system] = readFileSync(timing, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    cpuSeconds = round(user + system, 3);
  }
  return { result, wallMs, cpuSeconds };
}

function runReference(corpus, work) {
  const out = join(work, 'ref.jsonl');
  const cellsOut = join(work, 'ref-cells.jsonl');
  const { result, wallMs, cpuSeconds } = spawnTimed(args.python, [join(here, 'reference_extractor.py'), corpus, '--out', out, '--cells-out', cellsOut], { encoding: 'utf8', maxBuffer: 1 << 26 }, work);
  if (result.status !== 0) throw new Error(`reference extractor failed: ${result.stderr}`);
  const summary = JSON.parse(result.stdout);
  return { ...summary, wallMs: Math.round(wallMs), cellsPerSecond: Math.round(summary.cells / (wallMs / 1000)), processCpuSeconds: cpuSeconds, out, cellsOut };
}

async function runMleLibrary(corpus, jobs, fullParse = false) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const summary = await analyzeFiles([corpus], { jobs, fullParse });
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  // process.cpuUsage covers every thread of this process, workers included.
  const cpuSeconds = round((used.user + used.system) / 1e6, 3);
  return { jobs, fullParse, cells: summary.cells, instances: summary.instances, statuses: summary.statuses, wallMs: Math.round(wallMs), cellsPerSecond: Math.round(summary.cells / (wallMs / 1000)), cpuSeconds };
}

function runMleCli(corpus, work, jobs) {
  const out = join(work, `mle-cli-${jobs}.jsonl`);
  const fd = openSync(out, 'w');
  const { result, wallMs, cpuSeconds } = spawnTimed(process.execPath, [join(root, 'packages/cli/bin/run.js'), 'feedback', 'file', corpus, '--json', '--jobs', String(jobs)], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' }, work);
  closeSync(fd);
  if (result.status !== 0 && result.status !== 1) throw new Error(`mle feedback file failed: ${result.stderr}`);
  return { jobs, instances: readLines(out).length, wallMs: Math.round(wallMs), cpuSeconds, out };
}

/**
 * CPU seconds per 1,000 cells (median over the runs) and what they imply on two idle cores: the
 * reference is one thread, so its cells/s is cells per CPU second; mle with 2 jobs can spend two
 * CPU seconds per second.
 */
function cpuSummary(runs, cells) {
  const per1k = (list, pick) => {
    const values = list.map(pick).filter((v) => typeof v === 'number');
    return values.length ? median(values.map((v) => (v / cells) * 1000)) : null;
  };
  const reference = per1k(runs.reference, (r) => r.cpu_seconds);
  const referenceProcess = per1k(runs.reference, (r) => r.processCpuSeconds);
  const jobs2 = per1k(runs.mleJobs2, (r) => r.cpuSeconds);
  const jobs1 = per1k(runs.mleJobs1, (r) => r.cpuSeconds);
  const cli = per1k(runs.cliJobs2, (r) => r.cpuSeconds);
  return {
    note: 'CPU seconds per 1,000 cells, median of the runs; the projections assume idle cores',
    referenceCpuSecondsPer1kCells: reference,
    referenceProcessCpuSecondsPer1kCells: referenceProcess,
    mleJobs1CpuSecondsPer1kCells: jobs1,
    mleJobs2CpuSecondsPer1kCells: jobs2,
    mleCliJobs2CpuSecondsPer1kCells: cli,
    projectedReferenceCellsPerSecond: referenceProcess ? Math.round(1000 / referenceProcess) : null,
    projectedMleCliJobs2CellsPerSecondOnTwoCores: cli ? Math.round((2 * 1000) / cli) : null,
    projectedRatioCliJobs2ToReference: cli && referenceProcess ? round((2 * referenceProcess) / cli, 3) : null,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 3);
}

function best(runs) {
  return runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

/**
 * mle's view of every cell, with the study flags, for the agreement count (not timed); and the
 * check that the pre-filter changes no instance (only the status of cells it did not parse).
 */
async function mleCells(corpus) {
  const analyzer = await FeedbackAnalyzer.create();
  const exhaustive = await FeedbackAnalyzer.create({ prefilter: false });
  const cells = new Map();
  const prefilter = { cells: 0, cellsWithOtherInstances: 0, cellsWithOtherStudyParse: 0, examples: [] };
  const summary = (cell) => JSON.stringify(cell.instances.map((i) => [i.line, i.mechanism, i.variant, i.code, i.category, i.flags]));
  try {
    for (const path of await notebookPaths([corpus])) {
      const text = readFileSync(path, 'utf8');
      const result = analyzeNotebookText(text, analyzer);
      if (!result.ok) continue;
      const full = analyzeNotebookText(text, exhaustive);
      result.feedback.cells.forEach((cell, k) => {
        cells.set(`${path}|${cell.cell}`, cell);
        const other = full.ok ? full.feedback.cells[k] : undefined;
        prefilter.cells++;
        if (!other) return;
        if (summary(cell) !== summary(other)) {
          prefilter.cellsWithOtherInstances++;
          if (prefilter.examples.length < 5) prefilter.examples.push({ cell: `${path}|${cell.cell}`, prefilter: summary(cell), fullParse: summary(other) });
        }
        if (cell.studyParse !== other.studyParse) prefilter.cellsWithOtherStudyParse++;
      });
    }
  } finally {
    analyzer.delete();
    exhaustive.delete();
  }
  return { cells, prefilter };
}

/** ast.unparse text of a statement that is not an expression: assignments and compound or simple statements. */
const NON_EXPRESSION = /^(?:def|class|for|async|if|while|with|try|import|from|del|return|raise|pass|global|nonlocal|break|continue|assert)\b|^@|^[^=()[\]{}'"]*?(?:[-+*/%&|^@]|\*\*|\/\/|>>|<<)?=(?!=)/;

/** The study's mechanism name for an mle instance, or null for mle's extensions. */
function studyMechanism(instance) {
  if (instance.mechanism === 'assert' || instance.mechanism === 'assert_call') return instance.mechanism;
  if (instance.mechanism === 'print' && instance.variant === 'call') return 'print';
  if (instance.mechanism === 'last_cell' && instance.flags.includes('execute-result')) return 'last_cell';
  return null;
}

async function agreement(corpus, reference, sources) {
  const { cells, prefilter } = await mleCells(corpus);
  const refParsed = new Map(readLines(reference.cellsOut).map((c) => [`${c.notebook}|${c.cell}`, c.parsed]));
  // Cell parse agreement: mle's estimate of what ast.parse does vs what it did.
  const parse = { bothOk: 0, bothDrop: 0, mleOkRefDrop: 0, mleDropRefOk: 0, examples: [] };
  for (const [key, parsed] of refParsed) {
    const cell = cells.get(key);
    if (!cell) continue;
    const mleOk = cell.studyParse === 'ok';
    if (parsed && mleOk) parse.bothOk++;
    else if (!parsed && !mleOk) parse.bothDrop++;
    else {
      if (parsed) parse.mleDropRefOk++;
      else parse.mleOkRefDrop++;
      if (parse.examples.length < 5) parse.examples.push({ cell: key, mle: cell.studyParse, reference: parsed ? 'parsed' : 'dropped', source: sources(key).slice(0, 160) });
    }
  }
  const both = (key) => refParsed.get(key) === true && cells.get(key)?.studyParse === 'ok';
  const counts = new Map();
  const add = (key, side, detail) => {
    const entry = counts.get(key) ?? { mle: [], ref: [] };
    entry[side].push(detail);
    counts.set(key, entry);
  };
  for (const [cellKey, cell] of cells) {
    if (!both(cellKey)) continue;
    for (const i of cell.instances) {
      const mechanism = studyMechanism(i);
      if (mechanism) add(`${cellKey}|${i.line}|${mechanism}`, 'mle', i);
    }
  }
  for (const r of readLines(reference.out)) {
    const cellKey = `${r.notebook}|${r.cell}`;
    if (both(cellKey)) add(`${cellKey}|${r.line}|${r.mechanism}`, 'ref', r);
  }
  const result = { cellsBothParse: parse.bothOk, foundByBoth: 0, mleOnly: 0, referenceOnly: 0, reasons: {}, examples: {} };
  const reason = (name, example) => {
    result.reasons[name] = (result.reasons[name] ?? 0) + 1;
    (result.examples[name] ??= []).length < 3 && result.examples[name].push(example);
  };
  for (const [key, { mle, ref }] of counts) {
    const common = Math.min(mle.length, ref.length);
    result.foundByBoth += common;
    for (const i of mle.slice(common)) {
      result.mleOnly++;
      reason(i.flags.includes('nested') ? 'mle-only: nested call (the study does not descend into calls; extension)' : 'mle-only: unexplained', { key, code: i.code });
    }
    for (const r of ref.slice(common)) {
      result.referenceOnly++;
      const [notebook, cell] = key.split('|');
      const source = sources(`${notebook}|${cell}`);
      let why = 'reference-only: unexplained';
      if (r.mechanism === 'last_cell') {
        const trimmed = source.replace(/#[^\n]*/g, '').trimEnd();
        if (trimmed.endsWith(';')) why = 'reference-only: last statement silenced by ";" yet the saved notebook has an execute_result (extension: mle honours the ";")';
        else if (NON_EXPRESSION.test(r.code)) why = 'reference-only: body[-1] is not an expression statement (stale execute_result; extension: mle needs an expression)';
        else if (/^(?:print|display|pprint)\(|^(?:logging|logger|log)\.\w+\(|assert/.test(r.code)) why = 'reference-only: the last expression is a print/display/log/assert call, counted under that mechanism by mle';
        else why = 'reference-only: expression mle treats as showing nothing';
      } else if (r.mechanism === 'assert_call' || r.mechanism === 'print') {
        why = `reference-only: ${r.mechanism} mle did not report`;
      }
      reason(why, { key, code: r.code });
    }
  }
  const total = result.foundByBoth + result.mleOnly + result.referenceOnly;
  const documented = Object.entries(result.reasons).filter(([name]) => !name.includes('unexplained') && !name.includes('did not report') && !name.includes('treats as')).reduce((s, [, n]) => s + n, 0);
  result.agreement = total ? round(result.foundByBoth / total) : 1;
  result.agreementExceptDocumentedExtensions = total - documented ? round(result.foundByBoth / (total - documented)) : 1;
  // What mle adds on cells the study drops, and with its extensions.
  const extra = { cellsStudyDrops: 0, analysedByMle: 0, instancesInDroppedCells: 0, byMechanism: Object.fromEntries(MECHANISMS.map((m) => [m, 0])) };
  for (const cell of cells.values()) {
    for (const i of cell.instances) extra.byMechanism[i.mechanism]++;
    if (cell.studyParse !== 'ok') {
      extra.cellsStudyDrops++;
      if (cell.status !== 'not-python') extra.analysedByMle++;
      extra.instancesInDroppedCells += cell.instances.length;
    }
  }
  return { cellParse: parse, instances: result, mle: extra, prefilterVsFullParse: prefilter };
}

function sourceLookup() {
  const cache = new Map();
  return (key) => {
    const [path, cell] = key.split('|');
    let notebook = cache.get(path);
    if (!notebook) {
      notebook = JSON.parse(readFileSync(path, 'utf8'));
      cache.clear();
      cache.set(path, notebook);
    }
    const source = notebook.cells?.[Number(cell)]?.source ?? '';
    return Array.isArray(source) ? source.join('') : source;
  };
}

async function measureCorpus(name, corpus, repeats, work) {
  log(`[${name}] measuring on ${corpus}`);
  const runs = { reference: [], mleJobs1: [], mleJobs2: [], mleJobs2FullParse: [], cliJobs2: [] };
  for (let k = 0; k < repeats; k++) {
    // Alternate the tools so that load from other work on the machine hits both alike.
    runs.reference.push(runReference(corpus, work));
    runs.mleJobs2.push(await runMleLibrary(corpus, 2));
    runs.mleJobs1.push(await runMleLibrary(corpus, 1));
    runs.cliJobs2.push(runMleCli(corpus, work, 2));
    runs.mleJobs2FullParse.push(await runMleLibrary(corpus, 2, true));
    log(`[${name}] run ${k + 1}/${repeats}: reference ${runs.reference.at(-1).cellsPerSecond} cells/s, mle jobs 2 ${runs.mleJobs2.at(-1).cellsPerSecond}, jobs 1 ${runs.mleJobs1.at(-1).cellsPerSecond}, cli jobs 2 ${runs.cliJobs2.at(-1).wallMs} ms`);
  }
  const reference = best(runs.reference);
  const jobs2 = best(runs.mleJobs2);
  const jobs1 = best(runs.mleJobs1);
  const cli = best(runs.cliJobs2);
  const cells = jobs2.cells;
  const agree = await agreement(corpus, reference, sourceLookup());
  const { out: _o, cellsOut: _c, ...referenceSummary } = reference;
  return {
    corpus: name,
    codeCells: cells,
    referenceParsedCells: reference.parsed,
    referenceDroppedCells: reference.dropped,
    throughput: {
      note: 'best of the repeats, wall clock, end to end (read JSON, parse, detect, emit); cells/s counts every code cell read',
      reference: { ...referenceSummary, allRunsWallMs: runs.reference.map((r) => r.wallMs) },
      mleJobs1: { ...jobs1, allRunsWallMs: runs.mleJobs1.map((r) => r.wallMs) },
      mleJobs2: { ...jobs2, allRunsWallMs: runs.mleJobs2.map((r) => r.wallMs) },
      mleJobs2FullParse: { ...best(runs.mleJobs2FullParse), allRunsWallMs: runs.mleJobs2FullParse.map((r) => r.wallMs), note: 'every cell parsed whole (--full-parse): what the token pre-filter saves' },
      mleCliJobs2: { wallMs: cli.wallMs, cellsPerSecond: Math.round(cells / (cli.wallMs / 1000)), instances: cli.instances, note: 'node packages/cli/bin/run.js feedback file DIR --json --jobs 2 > file, process start included', allRunsWallMs: runs.cliJobs2.map((r) => r.wallMs) },
      ratioJobs2ToReference: round(jobs2.cellsPerSecond / reference.cellsPerSecond, 3),
      // Runs k of both tools ran back to back, so their ratio shares the machine's load at the time.
      pairedRatioJobs2ToReferenceMedian: median(runs.mleJobs2.map((run, k) => run.cellsPerSecond / runs.reference[k].cellsPerSecond)),
      pairedRatioCliJobs2ToReferenceMedian: median(runs.cliJobs2.map((run, k) => cells / (run.wallMs / 1000) / runs.reference[k].cellsPerSecond)),
      studyCorpusMinutesAtCliJobs2: round(2_303_086 / (cells / (cli.wallMs / 1000)) / 60, 2),
      cpu: cpuSummary(runs, cells),
      ratioCliJobs2ToReference: round(cells / (cli.wallMs / 1000) / reference.cellsPerSecond, 3),
      ratioJobs1ToReference: round(jobs1.cellsPerSecond / reference.cellsPerSecond, 3),
    },
    agreement: agree,
  };
}

// ---------------------------------------------------------------------------------------------

const evalRows = readLines(join(here, 'eval-set.jsonl'));
const analyzer = await FeedbackAnalyzer.create();
const evaluation = {};
for (const split of [...new Set(evalRows.map((row) => row.split ?? 'main'))]) {
  evaluation[split] = evaluate(analyzer, evalRows.filter((row) => (row.split ?? 'main') === split));
}
if (Object.keys(evaluation).length > 1) evaluation.all = evaluate(analyzer, evalRows);
analyzer.delete();
const work = mkdtempSync(join(tmpdir(), 'mle-feedback-bench-'));
const evaluationReference = referenceOnEvalSet(evalRows, work);
for (const [split, result] of Object.entries(evaluation)) log(`[eval ${split}] ${result.instances} instances: category accuracy ${result.categoryAccuracy}; recall ${Object.entries(result.mechanisms).map(([m, r]) => `${m} ${r.recall}`).join(', ')}`);

/**
 * The held-out split was written after the rules and measured once before any change prompted by
 * it; the three generic fixes that followed are named here so the numbers below can be read
 * against the first measurement.
 */
const HOLDOUT_FIRST_MEASUREMENT = {
  instances: 60,
  rightCategory: 52,
  categoryAccuracy: 0.8667,
  mechanismRecall: 1,
  fixesAfterwards: ['the builtin iter() is not training progress', 'inflections of "leak" count as leakage', 'a statement ending in a subscript is a spot check'],
};

const results = {
  benchmark: 'feedback',
  holdoutFirstMeasurement: HOLDOUT_FIRST_MEASUREMENT,
  generatedAt: new Date().toISOString(),
  command: 'node benchmarks/feedback/feedback.bench.mjs ' + process.argv.slice(2).join(' '),
  machine: { cpus: cpus().length, loadAverageAtStart: loadavg().map((x) => round(x, 2)), node: process.version, python: spawnSync(args.python, ['--version'], { encoding: 'utf8' }).stdout.trim() },
  evaluation,
  evaluationReference,
  corpora: [],
};
try {
  const synthetic = join(work, 'synthetic');
  mkdirSync(synthetic);
  const generated = generateCorpus(synthetic, { notebooks: Number(args.notebooks) });
  log(`[synthetic] ${generated.notebooks} notebooks, ${generated.codeCells} code cells`);
  results.corpora.push({ ...(await measureCorpus('synthetic', synthetic, Number(args.repeats), work)), generator: { notebooks: generated.notebooks, seed: 20240801 } });
  for (const corpus of args.corpus) results.corpora.push(await measureCorpus(`real:${corpus.split('/').filter(Boolean).at(-1)}`, resolve(corpus), Number(args.repeats), work));
} finally {
  rmSync(work, { recursive: true, force: true });
}
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`);
for (const corpus of results.corpora) {
  const t = corpus.throughput;
  log(`[${corpus.corpus}] ${corpus.codeCells} cells: reference ${t.reference.cellsPerSecond} cells/s (drops ${corpus.referenceDroppedCells}), mle jobs 2 ${t.mleJobs2.cellsPerSecond} cells/s (x${t.ratioJobs2ToReference}), cli ${t.mleCliJobs2.cellsPerSecond} (x${t.ratioCliJobs2ToReference}); agreement ${corpus.agreement.instances.agreement} (${corpus.agreement.instances.agreementExceptDocumentedExtensions} except documented extensions)`);
}
log(`wrote ${args.out}`);
