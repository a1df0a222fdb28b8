import { resolve } from 'node:path';
import type { NotebookCandidate, NotebookSource } from '@mle/core';
import { GitBlobReader } from './git/git-blob-reader.js';
import { gitHistory, isFileContent, type GitCommit } from './git/git-history.js';
import { git, gitTokens } from './git/git-process.js';
import { isCloneUrl, resolveRepository, type ResolvedRepository, type ResolveRepositoryOptions } from './git/git-repository.js';

export interface GitSourceOptions extends ResolveRepositoryOptions {
  /** Every distinct version of every notebook in HEAD's history instead of the notebooks at HEAD. */
  allCommits?: boolean;
}

/** Notebook files by extension, any case (`.IPYNB` happens). */
const NOTEBOOK_PATHSPEC = ':(icase)*.ipynb';
const isNotebookPath = (path: string) => path.toLowerCase().endsWith('.ipynb');

type CommitStamp = Omit<GitCommit, 'changes'>;

interface HeadFile {
  path: string;
  blob: string;
}

/** Regular `.ipynb` files at HEAD, in git's (bytewise path) order. */
async function headNotebooks(gitDir: string): Promise<HeadFile[]> {
  const files: HeadFile[] = [];
  for await (const token of gitTokens(['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', 'HEAD'])) {
    // `<mode> <type> <id>\t<path>`
    const tab = token.indexOf('\t');
    const [mode, type, blob] = token.slice(0, tab).split(' ');
    const path = token.slice(tab + 1);
    if (type === 'blob' && (mode === '100644' || mode === '100755') && blob && isNotebookPath(path)) files.push({ path, blob });
  }
  return files;
}

/**
 * The commit that last wrote each HEAD file's content, from one `git log` pass, newest first:
 * the first commit whose change gives the path its HEAD blob. Failing that (a shallow or
 * grafted history), the newest commit that touched the path. Stops reading the history as
 * soon as every file is accounted for.
 */
async function lastCommits(gitDir: string, files: HeadFile[]): Promise<Map<string, CommitStamp>> {
  const wanted = new Map(files.map((file) => [file.path, file.blob]));
  const exact = new Map<string, CommitStamp>();
  const touched = new Map<string, CommitStamp>();
  if (wanted.size === 0) return exact;
  for await (const { changes, ...commit } of gitHistory(gitDir, { rev: 'HEAD', oldestFirst: false, pathspec: NOTEBOOK_PATHSPEC })) {
    // Kept without its change list: a big commit's list need not outlive this loop.
    for (const change of changes) {
      const blob = wanted.get(change.path);
      if (blob === undefined) continue;
      if (!touched.has(change.path)) touched.set(change.path, commit);
      if (change.blob === blob && !exact.has(change.path)) exact.set(change.path, commit);
    }
    if (exact.size === wanted.size) break;
  }
  for (const [path, commit] of touched) if (!exact.has(path)) exact.set(path, commit);
  return exact;
}

/**
 * Notebooks of a git repository (local path or clone URL): by default those at HEAD, each
 * dated by the commit that last changed it; with `allCommits`, every distinct content (blob)
 * any `.ipynb` path ever had in HEAD's history, each with the oldest commit that wrote it.
 * Origin keys are `<commit>:<path>` in both modes, so the same version gets the same key.
 */
export class GitSource implements NotebookSource {
  readonly kind = 'git';
  /** Narrowed by prepare() (see the constructor), hence not readonly here. */
  location: string;
  readonly options: Record<string, unknown>;
  private repository: ResolvedRepository | undefined;

  constructor(
    private readonly spec: string,
    private readonly sourceOptions: GitSourceOptions = {},
  ) {
    // Clone URLs are their own location; a local path is absolute from the start (mineCorpus
    // records the location before it asks for candidates), and prepare() narrows it to the
    // work tree's top level, so `repo/sub` and `repo` are one source.
    this.location = isCloneUrl(spec) ? spec : resolve(spec);
    this.options = { allCommits: sourceOptions.allCommits ?? false };
  }

  /**
   * Resolve the repository (cloning or fetching a URL) and fix `location`; call before
   * mining so that a bad repository fails before anything is written.
   */
  async prepare(): Promise<ResolvedRepository> {
    if (!this.repository) {
      this.repository = await resolveRepository(this.spec, this.sourceOptions);
      this.location = this.repository.location;
    }
    return this.repository;
  }

  async *candidates(signal?: AbortSignal): AsyncIterable<NotebookCandidate> {
    const { gitDir } = await this.prepare();
    const reader = new GitBlobReader(gitDir);
    const candidate = (commit: CommitStamp | undefined, path: string, blob: string, extra: Record<string, unknown>): NotebookCandidate => ({
      originKey: `${commit?.id ?? blob}:${path}`,
      path,
      ...(commit ? { commitId: commit.id, date: commit.committedAt } : {}),
      extension: 'ipynb',
      details: { blob, ...extra },
      read: async () => (await reader.read(blob)).toString('utf8'),
    });
    try {
      if (this.sourceOptions.allCommits) {
        const seen = new Set<string>();
        for await (const commit of gitHistory(gitDir, { rev: 'HEAD', oldestFirst: true, pathspec: NOTEBOOK_PATHSPEC })) {
          if (signal?.aborted) return;
          // Changes within a commit in path order, so the output does not depend on git's.
          const changes = commit.changes.filter((change) => isFileContent(change) && isNotebookPath(change.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
          for (const change of changes) {
            if (seen.has(change.blob)) continue;
            seen.add(change.blob);
            yield candidate(commit, change.path, change.blob, {});
          }
        }
      } else {
        const head = (await git(['--git-dir', gitDir, 'rev-parse', 'HEAD'])).trim();
        const files = await headNotebooks(gitDir);
        const commits = await lastCommits(gitDir, files);
        for (const file of files) {
          if (signal?.aborted) return;
          yield candidate(commits.get(file.path), file.path, file.blob, { head });
        }
      }
    } finally {
      // Reads already asked for still complete: git answers them before it exits.
      reader.close();
    }
  }
}
