import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnvironmentFailureError } from './failure-mode.js';
import { EnvironmentAbortedError } from './uv-client.js';

const POLL_MS = 250;

function holderIsAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').trim());
  } catch {
    // Vanished between our open attempt and the read: the holder finished.
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run `work` while holding an exclusive lock file (created with O_EXCL, holding our pid), so two
 * processes (or two jobs of one process) asking for the same environment build it once: the
 * second waits, then finds it built. A lock whose pid is dead is stale and taken over.
 */
export async function withBuildLock<T>(path: string, deadline: number, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  let held = false;
  while (!held) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!holderIsAlive(path)) {
        rmSync(path, { force: true });
        continue;
      }
      if (signal?.aborted) throw new EnvironmentAbortedError('install');
      if (Date.now() > deadline) throw new EnvironmentFailureError('timeout', 'install', `waited for another build of the same environment (${path}) until the time budget ran out`);
      await sleep(POLL_MS);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}
