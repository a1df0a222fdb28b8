import { opendir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { NotebookCandidate, NotebookSource } from '@mle/core';

/** Folders that hold copies or tooling rather than notebooks people wrote. */
const SKIPPED_DIRS = new Set(['.ipynb_checkpoints', '.git', 'node_modules', '__pycache__', '.venv', 'site-packages']);

async function* walk(dir: string, signal?: AbortSignal): AsyncGenerator<string> {
  const entries: { name: string; isDir: boolean }[] = [];
  for await (const entry of await opendir(dir)) entries.push({ name: entry.name, isDir: entry.isDirectory() });
  // Sorted, so every run sees the files in the same order (stable ids, reproducible limits).
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (signal?.aborted) return;
    const path = join(dir, entry.name);
    if (entry.isDir) {
      if (!SKIPPED_DIRS.has(entry.name)) yield* walk(path, signal);
    } else if (entry.name.toLowerCase().endsWith('.ipynb')) {
      yield path;
    }
  }
}

/** Every `.ipynb` file under a directory (or the one file named), in path order. */
export class DirSource implements NotebookSource {
  readonly kind = 'dir';
  readonly location: string;
  readonly options = {};

  constructor(path: string) {
    this.location = resolve(path);
  }

  async *candidates(signal?: AbortSignal): AsyncIterable<NotebookCandidate> {
    const info = await stat(this.location).catch(() => null);
    if (!info) throw new Error(`no such file or directory: ${this.location}`);
    const files = info.isDirectory() ? walk(this.location, signal) : (async function* (file: string) { yield file; })(this.location);
    for await (const file of files) {
      const key = info.isDirectory() ? relative(this.location, file) : file;
      yield { originKey: key, path: key, extension: 'ipynb', read: () => readFile(file, 'utf8') };
    }
  }
}
