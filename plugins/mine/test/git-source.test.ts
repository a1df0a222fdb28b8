import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mineCorpus } from '../src/mine-corpus.js';
import { GitSource } from '../src/sources/git-source.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = join(ROOT, 'packages/cli/bin/run.js');
const work = mkdtempSync(join(tmpdir(), 'mle-git-source-'));
const repo = join(work, 'repo');
const SPACED = 'dir with space/b é.ipynb';
const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** A small valid ML notebook: `import sklearn` plus a line that makes its code distinct. */
function notebook(code: string): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
    cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: ['import sklearn\n', code] }],
  });
}

function put(path: string, code: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), notebook(code));
}

function gitIn(args: string[], committerDate?: string): string {
  // Author dates a year earlier than committer dates: the source must report the committer's.
  const dates = committerDate ? { GIT_COMMITTER_DATE: committerDate, GIT_AUTHOR_DATE: committerDate.replace(/^2020/, '2019') } : {};
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    env: { ...GIT_ENV, ...dates },
    encoding: 'utf8',
  }).trim();
}

/** Commit the whole work tree with a fixed committer date; returns the commit id. */
function commit(message: string, date: string): string {
  gitIn(['add', '-A']);
  gitIn(['commit', '-q', '-m', message], date);
  return gitIn(['rev-parse', 'HEAD']);
}

const c: Record<string, string> = {};

beforeAll(() => {
  mkdirSync(repo);
  gitIn(['init', '-q', '-b', 'main']);
  put('a.ipynb', 'a = 1');
  put(SPACED, 'b = 1');
  put('old.ipynb', 'old = 1');
  put('ren.ipynb', 'ren = 1');
  writeFileSync(join(repo, 'notes.txt'), 'not a notebook');
  c.c1 = commit('four notebooks', '2020-01-01T10:00:00Z');
  put('a.ipynb', 'a = 2');
  c.c2 = commit('a modified', '2020-02-01T10:00:00Z');
  gitIn(['checkout', '-q', '-b', 'side']);
  put('side.ipynb', 'side = 1');
  c.side = commit('a notebook on a branch', '2020-02-15T10:00:00Z');
  gitIn(['checkout', '-q', 'main']);
  rmSync(join(repo, 'old.ipynb'));
  mkdirSync(join(repo, 'moved'));
  gitIn(['mv', 'ren.ipynb', 'moved/ren.ipynb']);
  c.c3 = commit('old deleted, ren renamed', '2020-03-01T10:00:00Z');
  put('a.ipynb', 'a = 3');
  c.c4 = commit('a modified again', '2020-04-01T10:00:00Z');
  put('a.ipynb', 'a = 1');
  c.c5 = commit('a reverted to its first content', '2020-05-01T10:00:00Z');
  gitIn(['merge', '-q', '--no-ff', '-m', 'merge side', 'side'], '2020-06-01T10:00:00Z');
  c.merge = gitIn(['rev-parse', 'HEAD']);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface OriginRow {
  origin_key: string;
  path: string;
  commit_id: string | null;
  date: string | null;
  status: string;
}

function origins(store: WritableStore): OriginRow[] {
  return store.db.prepare('SELECT origin_key, path, commit_id, date, status FROM origins ORDER BY id').all() as OriginRow[];
}

function row(commitId: string, path: string, date: string, status = 'stored'): OriginRow {
  return { origin_key: `${commitId}:${path}`, path, commit_id: commitId, date, status };
}

describe('GitSource', () => {
  it('takes every notebook at HEAD with the commit that last wrote its content', async () => {
    const store = openStore(join(work, 'head.db'));
    try {
      const summary = await mineCorpus(store, [new GitSource(repo)]);
      expect(summary.sources[0]!.location).toBe(repo);
      expect(summary.stored).toBe(4);
      expect(origins(store)).toEqual([
        // Reverted to the c1 content by c5: c5 wrote what HEAD holds.
        row(c.c5!, 'a.ipynb', '2020-05-01T10:00:00.000Z'),
        row(c.c1!, SPACED, '2020-01-01T10:00:00.000Z'),
        // A rename is the commit that put the file at its HEAD path.
        row(c.c3!, 'moved/ren.ipynb', '2020-03-01T10:00:00.000Z'),
        // Merged from a branch: the branch commit, not the merge, wrote it.
        row(c.side!, 'side.ipynb', '2020-02-15T10:00:00.000Z'),
      ]);
      const details = store.db.prepare('SELECT details FROM origins WHERE path = ?').pluck().get('a.ipynb') as string;
      expect(JSON.parse(details)).toEqual({ blob: gitIn(['rev-parse', 'HEAD:a.ipynb']), head: c.merge });
      const code = store.db.prepare("SELECT source FROM cells JOIN origins o ON o.notebook_id = cells.notebook_id WHERE o.path = ?").pluck().get(SPACED);
      expect(code).toBe('import sklearn\nb = 1');
    } finally {
      store.close();
    }
  });

  it('takes every distinct version in history with --all-commits, each with the commit that introduced it', async () => {
    const store = openStore(join(work, 'all.db'));
    try {
      const summary = await mineCorpus(store, [new GitSource(repo, { allCommits: true })]);
      expect(summary.stored).toBe(7);
      expect(origins(store)).toEqual([
        row(c.c1!, 'a.ipynb', '2020-01-01T10:00:00.000Z'),
        row(c.c1!, SPACED, '2020-01-01T10:00:00.000Z'),
        // Deleted later, still a version that existed.
        row(c.c1!, 'old.ipynb', '2020-01-01T10:00:00.000Z'),
        row(c.c1!, 'ren.ipynb', '2020-01-01T10:00:00.000Z'),
        row(c.c2!, 'a.ipynb', '2020-02-01T10:00:00.000Z'),
        row(c.side!, 'side.ipynb', '2020-02-15T10:00:00.000Z'),
        // c3's rename keeps the blob (not a new version); c5's revert brings back c1's blob.
        row(c.c4!, 'a.ipynb', '2020-04-01T10:00:00.000Z'),
      ]);

      // HEAD mode on the same source: keys of versions already mined are skipped; the two
      // HEAD keys that are new hold code stored already, so they are duplicates.
      const again = await mineCorpus(store, [new GitSource(repo)]);
      expect(again.sources[0]).toMatchObject({ seen: 4, alreadyMined: 2, stored: 0, duplicates: 2 });
    } finally {
      store.close();
    }
  });

  it('mirrors a clone URL into the cache and fetches it again on the next run', async () => {
    const cacheDir = join(work, 'cache-lib');
    const url = pathToFileURL(repo).href;
    const store = openStore(join(work, 'url.db'));
    try {
      const first = new GitSource(url, { cacheDir });
      expect((await first.prepare()).cache?.action).toBe('cloned');
      const one = await mineCorpus(store, [first]);
      expect(one.sources[0]).toMatchObject({ location: url, seen: 4, stored: 4 });
      expect(readdirSync(cacheDir)).toHaveLength(1);

      put('later.ipynb', 'later = 1');
      c.later = commit('a notebook added after the first mining', '2020-07-01T10:00:00Z');
      const second = new GitSource(url, { cacheDir });
      expect((await second.prepare()).cache?.action).toBe('fetched');
      const two = await mineCorpus(store, [second]);
      expect(two.sources[0]).toMatchObject({ seen: 5, alreadyMined: 4, stored: 1 });
      expect(origins(store).at(-1)).toEqual(row(c.later!, 'later.ipynb', '2020-07-01T10:00:00.000Z'));

      // The remote gone: the cached mirror is mined as it is, with a warning.
      renameSync(repo, `${repo}-away`);
      try {
        const warnings: string[] = [];
        const offline = new GitSource(url, { cacheDir, onWarning: (message) => warnings.push(message) });
        expect((await offline.prepare()).cache?.action).toBe('fetch-failed');
        expect(warnings).toEqual([expect.stringMatching(new RegExp(`^could not fetch ${url} again \\(.+\\); using the copy cached at ${cacheDir}/[0-9a-f]{16}$`))]);
        expect((await mineCorpus(store, [offline])).sources[0]).toMatchObject({ seen: 5, alreadyMined: 5 });
      } finally {
        renameSync(`${repo}-away`, repo);
      }
    } finally {
      store.close();
    }
  });

  it('credits a merge that resolved a conflict with the content it wrote', async () => {
    const other = join(work, 'conflict');
    mkdirSync(other);
    const run = (args: string[], date?: string) =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', ...args], {
        cwd: other,
        env: { ...GIT_ENV, ...(date ? { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } : {}) },
        encoding: 'utf8',
      }).trim();
    const write = (code: string) => writeFileSync(join(other, 'x.ipynb'), notebook(code));
    run(['init', '-q', '-b', 'main']);
    write('x = 0');
    run(['add', '-A']);
    run(['commit', '-q', '-m', 'base'], '2021-01-01T00:00:00Z');
    const base = run(['rev-parse', 'HEAD']);
    run(['checkout', '-q', '-b', 'left']);
    write('x = 1');
    run(['commit', '-q', '-am', 'left'], '2021-01-02T00:00:00Z');
    const left = run(['rev-parse', 'HEAD']);
    run(['checkout', '-q', 'main']);
    write('x = 2');
    run(['commit', '-q', '-am', 'right'], '2021-01-03T00:00:00Z');
    const right = run(['rev-parse', 'HEAD']);
    spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.org', 'merge', '-q', 'left'], { cwd: other, env: GIT_ENV });
    write('x = 3');
    run(['add', '-A']);
    run(['commit', '-q', '--no-edit'], '2021-01-04T00:00:00Z');
    const merge = run(['rev-parse', 'HEAD']);

    const store = openStore(join(work, 'conflict.db'));
    try {
      await mineCorpus(store, [new GitSource(other)]);
      await mineCorpus(store, [new GitSource(join(other, '.git'), { allCommits: true })]);
      expect(origins(store)).toEqual([
        { origin_key: `${merge}:x.ipynb`, path: 'x.ipynb', commit_id: merge, date: '2021-01-04T00:00:00.000Z', status: 'stored' },
        // The .git folder is another location, so another source: every version, oldest first.
        { origin_key: `${base}:x.ipynb`, path: 'x.ipynb', commit_id: base, date: '2021-01-01T00:00:00.000Z', status: 'stored' },
        { origin_key: `${left}:x.ipynb`, path: 'x.ipynb', commit_id: left, date: '2021-01-02T00:00:00.000Z', status: 'stored' },
        { origin_key: `${right}:x.ipynb`, path: 'x.ipynb', commit_id: right, date: '2021-01-03T00:00:00.000Z', status: 'stored' },
        { origin_key: `${merge}:x.ipynb`, path: 'x.ipynb', commit_id: merge, date: '2021-01-04T00:00:00.000Z', status: 'duplicate' },
      ]);
    } finally {
      store.close();
    }
  });

  it('fails with one clear line on a folder that is not a repository and on a URL that cannot be cloned', async () => {
    const plain = join(work, 'plain');
    mkdirSync(plain);
    await expect(new GitSource(plain).prepare()).rejects.toThrow(`not a git repository: ${plain}`);
    await expect(new GitSource(join(work, 'missing')).prepare()).rejects.toThrow('no such repository');
    await expect(new GitSource('file:///nonexistent/mle-repo.git', { cacheDir: join(work, 'cache-fail') }).prepare()).rejects.toThrow(/^cannot clone file:\/\/\/nonexistent\/mle-repo\.git: .+/);
    expect(existsSync(join(work, 'cache-fail')) ? readdirSync(join(work, 'cache-fail')) : []).toEqual([]);
  });
});

describe('mle mine git (built CLI)', () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [CLI, 'mine', 'git', ...args], { cwd: work, env: { ...GIT_ENV, ...env }, encoding: 'utf8' });

  it('mines a file:// URL through the cache under $XDG_CACHE_HOME and prints the summary as JSON', () => {
    const cacheHome = join(work, 'xdg');
    const result = cli([pathToFileURL(repo).href, '--all-commits', '--db', join(work, 'cli.db'), '--json'], { XDG_CACHE_HOME: cacheHome });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { stored: number; sources: { kind: string; location: string; seen: number }[] };
    // The 7 versions of the --all-commits test plus later.ipynb, added by the URL test above
    // (tests in a file run in order).
    expect(summary.sources[0]).toMatchObject({ kind: 'git', location: pathToFileURL(repo).href, seen: 8 });
    expect(summary.stored).toBe(8);
    expect(readdirSync(join(cacheHome, 'mle', 'git'))).toEqual([expect.stringMatching(/^[0-9a-f]{16}$/)]);
  });

  it('exits non-zero with a one-line error for a folder that is not a repository', () => {
    const result = cli([work, '--db', join(work, 'cli-error.db'), '--json']);
    expect(result.status).not.toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ error: { name: 'GitCommandError', message: `not a git repository: ${work}` } });
  });
});
