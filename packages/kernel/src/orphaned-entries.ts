import { readdirSync } from 'node:fs';

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Names in `dir` of the form `<prefix><owner pid>-...` whose owner process is gone: what mle
 * processes killed before they could clean up left behind (cgroups, socket directories).
 */
export function orphanedEntries(dir: string, prefix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter((entry) => entry.startsWith(prefix));
  } catch {
    return [];
  }
  return entries.filter((entry) => {
    const owner = Number(entry.slice(prefix.length).split('-')[0]);
    return Number.isInteger(owner) && owner > 0 && !pidAlive(owner);
  });
}
