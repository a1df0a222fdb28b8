import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpOnExit } from './kernel-registry.js';

const PREFIX = 'mle-k-';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove socket directories left by mle processes that were killed before they could clean up. */
function removeStale(base: string): void {
  let entries: string[];
  try {
    entries = readdirSync(base).filter((entry) => entry.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    const owner = Number(entry.slice(PREFIX.length).split('-')[0]);
    if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) rmSync(join(base, entry), { recursive: true, force: true });
  }
}

/**
 * A private directory for one kernel's connection file, ipc sockets and IPython profile, named
 * after this process (`mle-k-<pid>-XXXXXX`) so that directories of processes that died can be
 * recognized and removed. It is removed on `remove()`, or when this process exits or is stopped.
 */
export class SocketDirectory {
  readonly path: string;
  readonly #forget: () => void;

  constructor() {
    // ipc endpoints are unix socket paths, limited to ~107 bytes: keep the directory short.
    const base = tmpdir().length > 60 ? '/tmp' : tmpdir();
    removeStale(base);
    this.path = mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
    const path = this.path;
    this.#forget = cleanUpOnExit(() => rmSync(path, { recursive: true, force: true }));
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
    this.#forget();
  }
}
