/**
 * One notebook file a source offers. `originKey` identifies it within its source across runs,
 * which is what makes mining resumable: a key already recorded is never read again.
 */
export interface NotebookCandidate {
  /** Unique within the source and stable across runs (a relative path, `commit:path`, a kernel version id). */
  originKey: string;
  /** Path of the file, relative to the source's location where that makes sense. */
  path?: string;
  /** Git commit that holds this version of the file. */
  commitId?: string;
  /** Meta Kaggle `KernelVersions.Id`. */
  kernelVersionId?: number;
  /** When this version was written (ISO 8601, UTC); the date backporting rebuilds the environment for. */
  date?: string;
  /** Competition slug the notebook was written for. */
  competition?: string;
  /** Score the notebook reached when it was submitted. */
  reportedScore?: number;
  reportedScoreKind?: 'private' | 'public';
  /** File name extension (`ipynb`, `py`), a hint for language detection. */
  extension?: string;
  /** Anything else worth keeping with the origin (JSON-serializable). */
  details?: Record<string, unknown>;
  /** Read the file's text; throw with a one-line message when it cannot be read. */
  read(): Promise<string>;
}

/** Where notebooks come from. Implement this in a plugin to add a source to `mle mine`. */
export interface NotebookSource {
  /** Short kind name stored in `sources.kind` (`dir`, `git`, `meta-kaggle`, ...). */
  readonly kind: string;
  /** What the source reads (an absolute path, a URL); with `kind`, identifies the source. */
  readonly location: string;
  /** Options that change what the source yields, stored with it for provenance. */
  readonly options: Record<string, unknown>;
  /** The candidates, in a deterministic order. */
  candidates(signal?: AbortSignal): AsyncIterable<NotebookCandidate>;
}
