import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { git, GitCommandError } from './git-process.js';

/** A repository ready to read: its git directory and what identifies it as a source. */
export interface ResolvedRepository {
  /** The git directory (`.git` of a work tree, or a bare repository). */
  gitDir: string;
  /** The work tree's top level, the bare repository's path, or the clone URL. */
  location: string;
  /** Set for clone URLs: the cached bare mirror was cloned now, fetched again, or kept after a failed fetch. */
  cache?: { path: string; action: 'cloned' | 'fetched' | 'fetch-failed' };
}

export interface ResolveRepositoryOptions {
  /** Where clone URLs are mirrored; default `$XDG_CACHE_HOME/mle/git` or `~/.cache/mle/git`. */
  cacheDir?: string;
  /** Told when a cached mirror could not be refreshed and is used as it is. */
  onWarning?: (message: string) => void;
}

/** `https://…`, `ssh://…`, `file://…`, `git://…`, and scp-like `user@host:path`. */
export function isCloneUrl(spec: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) || /^[^/\s:]+@[^/\s:]+:/.test(spec);
}

export function defaultGitCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME.trim() !== '' ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'mle', 'git');
}

/** The cache directory of a clone URL: a hash, so any URL makes a safe, stable folder name. */
export function mirrorPathFor(url: string, cacheDir: string = defaultGitCacheDir()): string {
  return join(cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 16));
}

async function ensureMirror(url: string, options: ResolveRepositoryOptions): Promise<ResolvedRepository> {
  const path = mirrorPathFor(url, options.cacheDir);
  if (existsSync(join(path, 'HEAD'))) {
    try {
      // A mirror's refspec is +refs/*:refs/*: this brings every branch and tag up to date.
      await git(['--git-dir', path, 'fetch', '--prune', '--quiet', 'origin'], { timeoutMs: 0 });
      return { gitDir: path, location: url, cache: { path, action: 'fetched' } };
    } catch (error) {
      options.onWarning?.(`could not fetch ${url} again (${(error as Error).message}); using the copy cached at ${path}`);
      return { gitDir: path, location: url, cache: { path, action: 'fetch-failed' } };
    }
  }
  await mkdir(options.cacheDir ?? defaultGitCacheDir(), { recursive: true });
  // Clone beside the final place and rename: an interrupted clone never looks like a cache.
  const partial = `${path}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  try {
    await git(['clone', '--mirror', '--quiet', '--', url, partial], { timeoutMs: 0 });
    await rename(partial, path);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    if (existsSync(join(path, 'HEAD'))) return { gitDir: path, location: url, cache: { path, action: 'fetched' } }; // another process won the race
    throw new GitCommandError(`cannot clone ${url}: ${(error as Error).message}`);
  }
  return { gitDir: path, location: url, cache: { path, action: 'cloned' } };
}

async function openLocal(spec: string): Promise<ResolvedRepository> {
  const path = resolve(spec);
  const info = await stat(path).catch(() => null);
  if (!info) throw new GitCommandError(`no such repository: ${path}`);
  let out: string;
  try {
    out = await git(['-C', path, 'rev-parse', '--absolute-git-dir', '--is-inside-work-tree']);
  } catch {
    throw new GitCommandError(`not a git repository: ${path}`);
  }
  const [gitDir = '', inWorkTree = 'false'] = out.split('\n').map((line) => line.trim());
  // A bare repository, or the .git folder of a work tree named directly.
  if (inWorkTree !== 'true') return { gitDir, location: gitDir };
  const top = (await git(['-C', path, 'rev-parse', '--show-toplevel'])).trim();
  return { gitDir, location: top };
}

/**
 * Open a repository named by a local path (work tree, any folder inside it, or bare) or a clone
 * URL (mirrored bare into the cache and fetched again on later runs), and check it has commits.
 */
export async function resolveRepository(spec: string, options: ResolveRepositoryOptions = {}): Promise<ResolvedRepository> {
  const repository = isCloneUrl(spec) ? await ensureMirror(spec, options) : await openLocal(spec);
  try {
    await git(['--git-dir', repository.gitDir, 'rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  } catch {
    throw new GitCommandError(`repository has no commits at HEAD: ${repository.location}`);
  }
  return repository;
}
