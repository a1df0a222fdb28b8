import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NotebookCandidate, NotebookSource } from '@mle/core';
import { chooseSubmission } from './choose-submission.js';
import { CodeFileLocator } from './code-file.js';
import { MetaKaggleJoin, type JoinedSubmission, type JoinedVersion, type MetaKaggleJoinCounts } from './meta-kaggle-join.js';
import { scriptNotebook } from './script-notebook.js';

export interface MetaKaggleSourceOptions {
  /** Folder with the Meta Kaggle CSV files. */
  csvDir: string;
  /** Root of Meta Kaggle Code (`0230/026/230026147.ipynb`, ...). */
  codeDir: string;
  /** Competition slugs; all competitions when absent or empty. */
  competitions?: readonly string[];
  /** Keep versions whose `RunningTimeInMilliseconds` is at most this many seconds (when the dump has the column). */
  maxRuntimeSeconds?: number;
  /** Allow one attached dataset (KernelVersionDatasetSources row); by default none. */
  singleDataset?: boolean;
  /** Also mine Kaggle scripts (`.py`, `.r`, `.rmd`), each as a one-cell notebook; by default they are skipped. */
  scripts?: boolean;
  /** Where the scratch join database is kept (default under `$XDG_CACHE_HOME/mle/meta-kaggle`). */
  scratchDir?: string;
  onProgress?: (table: string, rows: number) => void;
  onWarning?: (message: string) => void;
}

/** Why a joined (version, competition) pair yields no candidate. */
export type MetaKaggleSkip = 'attached-datasets' | 'runtime-over-limit' | 'runtime-unknown' | 'script';

/** What the join found and why pairs were left out, beside what `mineCorpus` counts. */
export interface MetaKaggleStats {
  /** Sizes of the join's steps (the scratch database's tables). */
  join: MetaKaggleJoinCounts | null;
  scratch: string | null;
  /** (kernel version, competition) pairs joined. */
  pairs: number;
  skipped: Record<MetaKaggleSkip, number>;
  candidates: number;
  scores: { private: number; public: number; none: number };
  codeFiles: { notebook: number; script: number; missing: number; ambiguous: number };
  /** `applied`, `off` (no --max-runtime), or `no-column` (the dump has no RunningTimeInMilliseconds). */
  runtimeFilter: 'applied' | 'off' | 'no-column';
}

function emptyStats(): MetaKaggleStats {
  return {
    join: null,
    scratch: null,
    pairs: 0,
    skipped: { 'attached-datasets': 0, 'runtime-over-limit': 0, 'runtime-unknown': 0, script: 0 },
    candidates: 0,
    scores: { private: 0, public: 0, none: 0 },
    codeFiles: { notebook: 0, script: 0, missing: 0, ambiguous: 0 },
    runtimeFilter: 'off',
  };
}

/** `https://www.kaggle.com/code/{UserName}/{CurrentUrlSlug}?scriptVersionId={Id}` when both are known. */
function versionUrl(version: JoinedVersion): string | null {
  if (!version.userName || !version.currentUrlSlug) return null;
  return `https://www.kaggle.com/code/${version.userName}/${version.currentUrlSlug}?scriptVersionId=${version.id}`;
}

/** A version's submissions per competition, slugs in order (almost always exactly one). */
function byCompetition(submissions: JoinedSubmission[]): [string, JoinedSubmission[]][] {
  const groups = new Map<string, JoinedSubmission[]>();
  for (const submission of submissions) groups.set(submission.competitionSlug, [...(groups.get(submission.competitionSlug) ?? []), submission]);
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Notebooks behind scored Kaggle submissions: Competitions → Teams → Submissions
 * (SourceKernelVersionId) → KernelVersions → Kernels, Users, KernelLanguages, with the code
 * from Meta Kaggle Code. One candidate per (kernel version, competition), keyed
 * `<slug>/<kernel version id>`, in kernel version id order. Its date is the chosen
 * submission's date, its reported score the private score (else the public one).
 */
export class MetaKaggleSource implements NotebookSource {
  readonly kind = 'meta-kaggle';
  readonly location: string;
  readonly options: Record<string, unknown>;
  /** Filled while candidates are produced; complete once they all were. */
  stats: MetaKaggleStats = emptyStats();
  private join: MetaKaggleJoin | undefined;
  private readonly codeDir: string;

  constructor(private readonly sourceOptions: MetaKaggleSourceOptions) {
    this.location = resolve(sourceOptions.csvDir);
    this.codeDir = resolve(sourceOptions.codeDir);
    this.options = {
      codeDir: this.codeDir,
      competitions: [...(sourceOptions.competitions ?? [])].sort(),
      maxRuntimeSeconds: sourceOptions.maxRuntimeSeconds ?? null,
      singleDataset: sourceOptions.singleDataset ?? false,
      scripts: sourceOptions.scripts ?? false,
    };
  }

  /**
   * Build (or reuse) the scratch join; call before mining so that a malformed dump fails
   * before anything is written. Returns false when aborted while building.
   */
  async prepare(signal?: AbortSignal): Promise<boolean> {
    if (this.join) return true;
    const join = await MetaKaggleJoin.open({
      csvDir: this.sourceOptions.csvDir,
      ...(this.sourceOptions.competitions ? { competitions: this.sourceOptions.competitions } : {}),
      ...(this.sourceOptions.scratchDir ? { scratchDir: this.sourceOptions.scratchDir } : {}),
      ...(signal ? { signal } : {}),
      ...(this.sourceOptions.onProgress ? { onProgress: this.sourceOptions.onProgress } : {}),
    });
    if (!join) return false;
    this.join = join;
    return true;
  }

  async *candidates(signal?: AbortSignal): AsyncIterable<NotebookCandidate> {
    if (signal?.aborted || !(await this.prepare(signal))) return;
    const join = this.join!;
    const stats = emptyStats();
    this.stats = stats;
    stats.join = join.counts;
    stats.scratch = join.path;
    const maxRuntimeMs = this.sourceOptions.maxRuntimeSeconds === undefined ? undefined : this.sourceOptions.maxRuntimeSeconds * 1000;
    if (maxRuntimeMs !== undefined) {
      stats.runtimeFilter = join.hasRunningTime ? 'applied' : 'no-column';
      if (!join.hasRunningTime) this.sourceOptions.onWarning?.('KernelVersions.csv has no RunningTimeInMilliseconds column: --max-runtime is not applied');
    }
    const allowedDatasets = this.sourceOptions.singleDataset ? 1 : 0;
    const locator = new CodeFileLocator(this.codeDir);
    try {
      for (const version of join.versions()) {
        if (signal?.aborted) return;
        for (const [slug, submissions] of byCompetition(version.submissions)) {
          stats.pairs++;
          if (version.datasetSources > allowedDatasets) {
            stats.skipped['attached-datasets']++;
            continue;
          }
          if (maxRuntimeMs !== undefined && join.hasRunningTime) {
            // Unknown runtime cannot be shown to be under the limit (the study drops these too).
            if (version.runningTimeMs === null) {
              stats.skipped['runtime-unknown']++;
              continue;
            }
            if (version.runningTimeMs > maxRuntimeMs) {
              stats.skipped['runtime-over-limit']++;
              continue;
            }
          }
          const file = await locator.locate(version.id);
          if (file.kind === 'found' && file.extension !== 'ipynb') {
            stats.codeFiles.script++;
            if (!this.sourceOptions.scripts) {
              stats.skipped.script++;
              continue;
            }
          } else {
            stats.codeFiles[file.kind === 'found' ? 'notebook' : file.kind]++;
          }
          const candidate = this.candidate(version, slug, submissions, file);
          stats.candidates++;
          stats.scores[candidate.reportedScoreKind ?? 'none']++;
          yield candidate;
        }
      }
    } finally {
      join.close();
      this.join = undefined;
    }
  }

  private candidate(version: JoinedVersion, slug: string, submissions: JoinedSubmission[], file: Awaited<ReturnType<CodeFileLocator['locate']>>): NotebookCandidate {
    const choice = chooseSubmission(submissions, version)!;
    const chosen = choice.submission;
    const codeDir = this.codeDir;
    const path = file.kind === 'found' ? file.path : file.pattern;
    const read = async (): Promise<string> => {
      if (file.kind === 'missing') throw new Error(`no code file for kernel version ${version.id}: nothing matches ${file.pattern} in ${codeDir}`);
      if (file.kind === 'ambiguous') throw new Error(`several code files for kernel version ${version.id}: ${file.paths.join(', ')}`);
      let text: string;
      try {
        text = await readFile(join(codeDir, file.path), 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${join(codeDir, file.path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return file.extension === 'ipynb' ? text : scriptNotebook(text, file.extension);
    };
    return {
      originKey: `${slug}/${version.id}`,
      path,
      kernelVersionId: version.id,
      // Submission dates have day resolution; a version without one falls back to its creation.
      ...((chosen.submissionDate ?? version.creationDate) ? { date: (chosen.submissionDate ?? version.creationDate)! } : {}),
      competition: slug,
      ...(choice.score ? { reportedScore: choice.score.value, reportedScoreKind: choice.score.kind } : {}),
      ...(file.kind === 'found' ? { extension: file.extension } : {}),
      details: {
        competitionId: chosen.competitionId,
        teamId: chosen.teamId,
        submissionId: chosen.id,
        submissionDate: chosen.submissionDate,
        scoreDate: chosen.scoreDate,
        privateScore: chosen.privateScore,
        publicScore: chosen.publicScore,
        submissionRule: choice.rule,
        submissionsFromVersion: submissions.length,
        kernelId: version.scriptId,
        versionNumber: version.versionNumber,
        title: version.title,
        versionCreationDate: version.creationDate,
        versionEvaluationDate: version.evaluationDate,
        authorUserId: version.authorUserId,
        userName: version.userName,
        url: versionUrl(version),
        languageId: version.languageId,
        language: version.language,
        forkParentKernelVersionId: version.forkParentKernelVersionId,
        runningTimeMs: version.runningTimeMs,
        isInternetEnabled: version.isInternetEnabled,
        acceleratorTypeId: version.acceleratorTypeId,
        dockerImage: version.dockerImage,
        datasetVersionIds: version.datasetVersionIds,
      },
      read,
    };
  }
}
