// Shared by the integration tests: the project's real ipykernel, notebooks from cell lists, and
// the check that a kernel left no process behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { toolPath, toolsDir, type NormalizedCell, type NormalizedNotebook } from '@mle/core';
import { KernelCgroup } from '../kernel-cgroup.js';
import { liveKernelGroups } from '../kernel-registry.js';
import { processGroupMembers } from '../peak-memory-sampler.js';

/** Python of the tools venv (ipykernel 7 installed by `npm run setup`). */
export const PYTHON = toolPath('python');
/** The tools venv itself, the environment directory for sandboxed runs. */
export const TOOLS_ENV = toolsDir();

if (!existsSync(PYTHON)) throw new Error(`tools venv python not found at ${PYTHON}: run npm run setup`);

export type CellInput = string | { source: string; tags?: string[]; type?: NormalizedCell['cellType'] };

export function notebookOf(cells: CellInput[]): NormalizedNotebook {
  return {
    nbformat: 4,
    nbformatMinor: 5,
    metadata: {},
    cells: cells.map((input, index) => {
      const cell = typeof input === 'string' ? { source: input } : input;
      return {
        index,
        cellType: cell.type ?? 'code',
        source: cell.source,
        executionCount: null,
        outputs: [],
        metadata: cell.tags ? { tags: cell.tags } : {},
      };
    }),
  };
}

/** Text of all stream outputs of a cell with the given name. */
export function streamTextOf(cell: NormalizedCell | undefined, name: 'stdout' | 'stderr' = 'stdout'): string {
  return (cell?.outputs ?? [])
    .filter((output) => output.output_type === 'stream' && output.name === name)
    .map((output) => {
      const text = (output as { text: string | string[] }).text;
      return Array.isArray(text) ? text.join('') : text;
    })
    .join('');
}

/** Dead processes not yet reaped by init (this machine's init reaps orphans with some delay). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Resolve once no live process of the group is left (waiting up to `ms`), else reject listing
 * the survivors.
 */
export async function expectGroupGone(pgid: number | null, ms = 5000): Promise<void> {
  if (pgid === null) return;
  const deadline = Date.now() + ms;
  const living = (): number[] => processGroupMembers(pgid).filter((pid) => !isZombie(pid));
  let members = living();
  while (members.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    members = living();
  }
  if (members.length > 0) throw new Error(`kernel process group ${pgid} still has processes: ${members.join(', ')}`);
  if (liveKernelGroups().includes(pgid)) throw new Error(`kernel process group ${pgid} is still registered as live`);
}

/** No kernel of this process is still registered, and no cgroup or socket directory of this process is left. */
export function expectNothingLeft(): void {
  const live = liveKernelGroups();
  if (live.length > 0) throw new Error(`kernel process groups still live: ${live.join(', ')}`);
  const cgroups = KernelCgroup.leftovers();
  if (cgroups.length > 0) throw new Error(`kernel cgroups left behind: ${cgroups.join(', ')}`);
  const socketDirs = [...new Set([tmpdir(), '/tmp'])].flatMap((base) => readdirSync(base).filter((entry) => entry.startsWith(`mle-k-${process.pid}-`)));
  if (socketDirs.length > 0) throw new Error(`kernel socket directories left behind: ${socketDirs.join(', ')}`);
}
