import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpOnExit } from './kernel-registry.js';
import { orphanedEntries } from './orphaned-entries.js';

const PREFIX = 'mle-k-';

/**
 * Processes whose command line names `path`: a kernel (and its bwrap) launched with that socket
 * directory. A sandboxed kernel does not die with a SIGKILLed mle: the outer bwrap is orphaned
 * and waits for it. Linux only (/proc); elsewhere nothing is found.
 */
function processesUsing(path: string): number[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return [];
  }
  return pids
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(path);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

/**
 * Clean up after mle processes that were killed before they could: kill the kernels still using
 * their socket directories, then remove the directories.
 */
function removeStale(base: string): void {
  for (const entry of orphanedEntries(base, PREFIX)) {
    const path = join(base, entry);
    for (const pid of processesUsing(path)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    rmSync(path, { recursive: true, force: true });
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
