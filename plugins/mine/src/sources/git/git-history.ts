import { gitTokens } from './git-process.js';

/** One file a commit added or changed (or deleted: `blob` is all zeros then). */
export interface GitChange {
  path: string;
  /** Object id of the file's new content. */
  blob: string;
  /** New file mode (`100644`, `100755`; `120000` symlink, `160000` submodule, `000000` deleted). */
  mode: string;
  /** A, M, T, D (renames are off, so a rename is a D plus an A); merges show `MM` and the like. */
  status: string;
}

export interface GitCommit {
  id: string;
  /** Committer date, ISO 8601 UTC. */
  committedAt: string;
  changes: GitChange[];
}

/** Marks a commit header in the `--format`, a byte no path or hash starts with. */
const HEADER = '\x01';

/** Whether a change leaves a regular file (not a deletion, symlink or submodule) behind. */
export function isFileContent(change: GitChange): boolean {
  return (change.mode === '100644' || change.mode === '100755') && !/^0+$/.test(change.blob);
}

/**
 * Parse one `--raw` entry: `:oldmode newmode oldid newid status` for ordinary commits, and
 * `::mode mode mode id id id MM` (one more of each per parent) for combined merge diffs.
 * The new mode and id are the last of their kind either way.
 */
function parseRawEntry(token: string): Omit<GitChange, 'path'> {
  const fields = token.replace(/^:+/, '').split(' ');
  const status = fields.pop() ?? '';
  const half = fields.length / 2;
  return { mode: fields[half - 1] ?? '', blob: fields.at(-1) ?? '', status };
}

/**
 * Commits of a history with the notebook files each one changed, read from one streaming
 * `git log --raw -z` process: the history is never held in memory. Merge commits list only
 * the files whose merged content differs from every parent (a conflict resolution), which is
 * where a merge itself wrote new content.
 */
export async function* gitHistory(gitDir: string, options: { rev: string; oldestFirst: boolean; pathspec: string }): AsyncGenerator<GitCommit> {
  const args = [
    '--git-dir', gitDir, 'log', '-z', '--format=%x01%H %ct', '--raw', '--no-abbrev', '--no-renames', '--no-ext-diff', '--no-color',
    '--diff-merges=combined', '--date-order',
    ...(options.oldestFirst ? ['--reverse'] : []),
    options.rev, '--', options.pathspec,
  ];
  let current: GitCommit | undefined;
  let entry: Omit<GitChange, 'path'> | undefined;
  for await (const raw of gitTokens(args)) {
    if (entry) {
      // The token after a raw entry is its path, whatever characters the path starts with.
      current?.changes.push({ ...entry, path: raw });
      entry = undefined;
      continue;
    }
    // git puts a newline between a commit's header and its first raw entry.
    const token = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (token === '') continue;
    if (token.startsWith(HEADER)) {
      if (current) yield current;
      const [id = '', seconds = '0'] = token.slice(1).split(' ');
      current = { id, committedAt: new Date(Number(seconds) * 1000).toISOString(), changes: [] };
    } else if (token.startsWith(':')) {
      entry = parseRawEntry(token);
    }
  }
  if (current) yield current;
}
