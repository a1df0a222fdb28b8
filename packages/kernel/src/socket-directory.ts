import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpOnExit } from './kernel-registry.js';
import { orphanedEntries } from './orphaned-entries.js';

const PREFIX = 'mle-k-';

/** Remove socket directories left by mle processes that were killed before they could clean up. */
function removeStale(base: string): void {
  for (const entry of orphanedEntries(base, PREFIX)) rmSync(join(base, entry), { recursive: true, force: true });
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
