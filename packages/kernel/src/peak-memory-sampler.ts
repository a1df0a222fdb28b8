import { readdirSync, readFileSync } from 'node:fs';

/** The process group of a pid from /proc/<pid>/stat, or null when it is gone. */
function processGroupOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is parenthesized and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[2]);
  } catch {
    return null;
  }
}

/** VmHWM (peak resident set) of a process in bytes, or null when unavailable. */
export function peakResidentBytes(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Pids in a process group, found by scanning /proc. */
export function processGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (processGroupOf(pid) === pgid) members.push(pid);
  }
  return members;
}

/** How often the sampler rescans /proc for new group members, in samples. */
const RESCAN_EVERY = 5;

/**
 * Samples the largest VmHWM among a kernel's processes (the kernel itself under a sandbox or
 * limits wrapper, and whatever it forked). VmHWM is already a per-process peak, so sampling only
 * has to catch processes before they exit. Linux only; reports null elsewhere.
 */
export class PeakMemorySampler {
  #peak: number | null = null;
  #members: number[] = [];
  #samples = 0;
  #timer: NodeJS.Timeout | null = null;

  /** `listMembers` gives the processes to watch (default: the process group, found in /proc). */
  constructor(
    readonly pgid: number,
    private readonly listMembers: () => number[] = () => processGroupMembers(pgid),
  ) {}

  get peakBytes(): number | null {
    return this.#peak;
  }

  sample(): void {
    if (this.#samples++ % RESCAN_EVERY === 0) this.#members = this.listMembers();
    const alive: number[] = [];
    for (const pid of this.#members) {
      const bytes = peakResidentBytes(pid);
      if (bytes === null) continue;
      alive.push(pid);
      if (this.#peak === null || bytes > this.#peak) this.#peak = bytes;
    }
    this.#members = alive;
  }

  start(intervalMs = 1000): void {
    if (this.#timer || process.platform !== 'linux') return;
    this.sample();
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
