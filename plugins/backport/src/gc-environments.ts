import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { WritableStore } from '@mle/core';
import { listEnvironments, setEnvironmentStatus } from './environment-store.js';

export type GcReason =
  /** A directory no ready environment of this database points at: a half-built or foreign leftover. */
  | 'unreferenced'
  /** The directory of an environment recorded as failed. */
  | 'failed'
  /** A ready environment not used for longer than `unusedForDays`. */
  | 'unused'
  /** A build lock whose process is gone. */
  | 'stale-lock';

export interface GcEntry {
  path: string;
  reason: GcReason;
  bytes: number;
  environmentId?: number;
}

export interface GcOptions {
  envDir: string;
  /** List what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Also remove ready environments whose last use is older than this many days. */
  unusedForDays?: number;
  now?: Date;
}

export interface GcResult {
  envDir: string;
  dryRun: boolean;
  removed: GcEntry[];
  /** Ready environments whose directories are gone: marked `removed` (they are rebuilt from their lock when asked for). */
  missing: number[];
  kept: number;
  bytes: number;
}

/** Bytes under a path, counting each hard-linked inode once (uv links files from its cache). */
function diskUsage(path: string, seen = new Set<string>()): number {
  let total = 0;
  const stack = [path];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let info;
    try {
      info = lstatSync(current);
    } catch {
      continue;
    }
    const inode = `${info.dev}:${info.ino}`;
    if (seen.has(inode)) continue;
    seen.add(inode);
    if (info.isDirectory()) {
      for (const entry of readdirSync(current)) stack.push(join(current, entry));
    } else {
      total += info.blocks * 512;
    }
  }
  return total;
}

function lockIsStale(path: string): boolean {
  const pid = Number(readFileSync(path, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
}

/**
 * Remove environment directories this database does not need: those no ready environment
 * points at (half-built, failed, or left by another database using the same directory; run gc
 * with the database that owns the directory), and optionally long-unused ready ones.
 */
export function gcEnvironments(store: WritableStore, options: GcOptions): GcResult {
  const envDir = resolve(options.envDir);
  const dryRun = options.dryRun ?? false;
  const now = options.now ?? new Date();
  const environments = listEnvironments(store);
  const byPath = new Map(environments.filter((environment) => environment.path).map((environment) => [resolve(environment.path!), environment]));
  const removed: GcEntry[] = [];
  const missing: number[] = [];
  let kept = 0;

  const entries = existsSync(envDir) ? readdirSync(envDir).sort() : [];
  for (const entry of entries) {
    const path = join(envDir, entry);
    if (entry.endsWith('.lock')) {
      if (lockIsStale(path)) removed.push({ path, reason: 'stale-lock', bytes: 0 });
      continue;
    }
    if (!lstatSync(path).isDirectory()) continue;
    const environment = byPath.get(path);
    if (!environment || environment.status === 'removed') {
      removed.push({ path, reason: 'unreferenced', bytes: diskUsage(path) });
      continue;
    }
    if (environment.status === 'failed') {
      removed.push({ path, reason: 'failed', bytes: diskUsage(path), environmentId: environment.id });
      continue;
    }
    const idleDays = (now.getTime() - Date.parse(environment.lastUsedAt)) / 86_400_000;
    if (options.unusedForDays !== undefined && idleDays > options.unusedForDays) {
      removed.push({ path, reason: 'unused', bytes: diskUsage(path), environmentId: environment.id });
      continue;
    }
    kept++;
  }
  for (const environment of environments) {
    if (environment.status === 'ready' && environment.path && resolve(environment.path).startsWith(`${envDir}/`) && !existsSync(environment.path)) missing.push(environment.id);
  }

  if (!dryRun) {
    for (const entry of removed) {
      rmSync(entry.path, { recursive: true, force: true });
      if (entry.environmentId !== undefined && entry.reason === 'unused') setEnvironmentStatus(store, entry.environmentId, 'removed');
    }
    for (const id of missing) setEnvironmentStatus(store, id, 'removed');
  }
  return { envDir, dryRun, removed, missing, kept, bytes: removed.reduce((sum, entry) => sum + entry.bytes, 0) };
}
