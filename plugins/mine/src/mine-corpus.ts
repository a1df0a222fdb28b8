import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import {
  analyzeNotebook,
  DEFAULT_ML_LIBRARIES,
  ensureSource,
  PythonParser,
  recordedOriginKeys,
  recordNotebook,
  recordSkippedOrigin,
  selfDescribedFacts,
  type AnalyzedNotebook,
  type AnalyzeOptions,
  type NotebookCandidate,
  type NotebookSource,
  type OriginFacts,
  type RejectedNotebook,
  type WritableStore,
  writeTransaction,
} from '@mle/core';
import type { AnalyzeTask } from './analyze-worker.js';

export interface MineOptions {
  /** Worker threads that parse notebooks; 1 parses on the main thread. */
  jobs?: number;
  /** Stop once this many notebooks are stored from a source (counting earlier runs, so resuming is exact). */
  limit?: number;
  /** Keep only notebooks that import an ML library (default true). */
  mlOnly?: boolean;
  mlLibraries?: readonly string[];
  /** Keep only Python notebooks (default true). */
  pythonOnly?: boolean;
  /** Notebooks per write transaction. */
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: MineProgress) => void;
}

export interface MineProgress {
  source: string;
  seen: number;
  stored: number;
}

export interface SourceSummary {
  kind: string;
  location: string;
  sourceId: number;
  /** Candidates the source offered in this run. */
  seen: number;
  /** Candidates recorded by an earlier run and skipped. */
  alreadyMined: number;
  stored: number;
  duplicates: number;
  rejected: Record<string, number>;
  filtered: Record<string, number>;
}

export interface MineSummary {
  sources: SourceSummary[];
  seen: number;
  stored: number;
  duplicates: number;
  rejected: Record<string, number>;
  filtered: Record<string, number>;
  interrupted: boolean;
  elapsedMs: number;
  notebooksPerSecond: number;
}

type Analysis = AnalyzedNotebook | RejectedNotebook | { kind: 'unreadable'; reason: string };

/** Analyses notebooks inline or on a worker pool, behind one interface. */
interface Analyzer {
  analyze(text: string, options: AnalyzeOptions): Promise<AnalyzedNotebook | RejectedNotebook>;
  close(): Promise<void>;
}

const WORKER_FILE = fileURLToPath(new URL('../dist/analyze-worker.js', import.meta.url));

async function createAnalyzer(jobs: number): Promise<Analyzer> {
  if (jobs <= 1) {
    const parser = await PythonParser.create();
    return {
      analyze: async (text, options) => analyzeNotebook(text, parser, options),
      close: async () => parser.delete(),
    };
  }
  const pool = new Piscina<AnalyzeTask, AnalyzedNotebook | RejectedNotebook>({ filename: WORKER_FILE, minThreads: jobs, maxThreads: jobs });
  return {
    analyze: (text, options) => pool.run({ text, options }),
    close: () => pool.destroy(),
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function factsOf(candidate: NotebookCandidate): OriginFacts {
  const { read: _read, ...facts } = candidate;
  return facts;
}

async function readAndAnalyze(candidate: NotebookCandidate, analyzer: Analyzer, options: AnalyzeOptions): Promise<Analysis> {
  let text: string;
  try {
    text = await candidate.read();
  } catch (error) {
    return { kind: 'unreadable', reason: (error instanceof Error ? error.message : String(error)).split('\n')[0]! };
  }
  return analyzer.analyze(text, { ...options, ...(candidate.extension ? { extension: candidate.extension } : {}) });
}

/**
 * Mine notebooks from sources into the store. Files already recorded for a source are
 * skipped, results are written in source order in batched transactions, so an interrupted
 * run resumed later yields the same database as one uninterrupted run.
 */
export async function mineCorpus(store: WritableStore, sources: NotebookSource[], options: MineOptions = {}): Promise<MineSummary> {
  const started = performance.now();
  const jobs = Math.max(1, options.jobs ?? 1);
  const mlOnly = options.mlOnly ?? true;
  const pythonOnly = options.pythonOnly ?? true;
  const batchSize = options.batchSize ?? 200;
  const analyzeOptions: AnalyzeOptions = { mlLibraries: options.mlLibraries ?? DEFAULT_ML_LIBRARIES };
  const analyzer = await createAnalyzer(jobs);
  const summaries: SourceSummary[] = [];
  let interrupted = false;

  try {
    for (const source of sources) {
      const sourceId = ensureSource(store, source.kind, source.location, source.options);
      const summary: SourceSummary = { kind: source.kind, location: source.location, sourceId, seen: 0, alreadyMined: 0, stored: 0, duplicates: 0, rejected: {}, filtered: {} };
      summaries.push(summary);
      const done = recordedOriginKeys(store, sourceId);
      let storedTotal = (store.db.prepare("SELECT COUNT(*) AS n FROM origins WHERE source_id = ? AND status = 'stored'").get(sourceId) as { n: number }).n;
      const limitReached = () => options.limit !== undefined && storedTotal >= options.limit;

      let batch: { candidate: NotebookCandidate; analysis: Analysis }[] = [];
      const writeBatch = (items: typeof batch) => writeTransaction(store, () => {
        for (const { candidate, analysis } of items) {
          if (limitReached()) return;
          const facts = factsOf(candidate);
          if (analysis.kind === 'unreadable') {
            recordSkippedOrigin(store, sourceId, facts, 'rejected', 'unreadable', analysis.reason);
            bump(summary.rejected, 'unreadable');
          } else if (analysis.kind === 'rejected') {
            recordSkippedOrigin(store, sourceId, facts, 'rejected', analysis.code, analysis.reason);
            bump(summary.rejected, analysis.code);
          } else if (pythonOnly && analysis.language !== 'python') {
            recordSkippedOrigin(store, sourceId, facts, 'filtered', 'non-python', `kernel language is ${analysis.language}`);
            bump(summary.filtered, 'non-python');
          } else if (mlOnly && analysis.mlLibraries.length === 0) {
            recordSkippedOrigin(store, sourceId, facts, 'filtered', 'non-ml', 'imports no ML library');
            bump(summary.filtered, 'non-ml');
          } else {
            const result = recordNotebook(store, sourceId, { ...selfDescribedFacts(analysis), ...definedFacts(facts) }, analysis);
            if (result.status === 'stored') {
              summary.stored++;
              storedTotal++;
            } else {
              summary.duplicates++;
            }
          }
        }
      });
      const flush = () => {
        if (batch.length === 0) return;
        writeBatch(batch);
        batch = [];
        options.onProgress?.({ source: source.location, seen: summary.seen, stored: summary.stored });
      };

      // In-flight analyses, oldest first; results are written in candidate order.
      const window: { candidate: NotebookCandidate; analysis: Promise<Analysis> }[] = [];
      const windowSize = jobs * 8;
      const drainOne = async () => {
        const head = window.shift()!;
        batch.push({ candidate: head.candidate, analysis: await head.analysis });
        if (batch.length >= batchSize) flush();
      };

      if (!limitReached()) {
        for await (const candidate of source.candidates(options.signal)) {
          if (options.signal?.aborted) {
            interrupted = true;
            break;
          }
          summary.seen++;
          if (done.has(candidate.originKey)) {
            summary.alreadyMined++;
            continue;
          }
          done.add(candidate.originKey);
          window.push({ candidate, analysis: readAndAnalyze(candidate, analyzer, analyzeOptions) });
          if (window.length >= windowSize) await drainOne();
          if (limitReached()) break;
        }
      }
      while (window.length > 0) await drainOne();
      flush();
      if (options.signal?.aborted) interrupted = true;
      if (interrupted) break;
    }
  } finally {
    await analyzer.close();
  }

  const total = (pick: (s: SourceSummary) => number) => summaries.reduce((sum, s) => sum + pick(s), 0);
  const merge = (pick: (s: SourceSummary) => Record<string, number>) => {
    const merged: Record<string, number> = {};
    for (const s of summaries) for (const [key, n] of Object.entries(pick(s))) merged[key] = (merged[key] ?? 0) + n;
    return merged;
  };
  const elapsedMs = performance.now() - started;
  const processed = total((s) => s.seen - s.alreadyMined);
  return {
    sources: summaries,
    seen: total((s) => s.seen),
    stored: total((s) => s.stored),
    duplicates: total((s) => s.duplicates),
    rejected: merge((s) => s.rejected),
    filtered: merge((s) => s.filtered),
    interrupted,
    elapsedMs: Math.round(elapsedMs),
    notebooksPerSecond: elapsedMs > 0 ? Math.round((processed / elapsedMs) * 1000 * 10) / 10 : 0,
  };
}

/** Facts without undefined values, so they do not hide what the notebook says of itself. */
function definedFacts(facts: OriginFacts): OriginFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as OriginFacts;
}
