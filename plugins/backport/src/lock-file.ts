import { createHash } from 'node:crypto';
import { normalizeDistributionName } from './import-map.js';

/** One resolved distribution. */
export interface Pin {
  /** PEP 503 normalized name. */
  name: string;
  version: string;
}

/** What a lock file says about the environment besides its pins. */
export interface LockHeader {
  pythonVersion: string | null;
  excludeNewer: string | null;
  /** The kernel stack's own cutoff under the `newest` kernel policy. */
  kernelExcludeNewer: string | null;
  targetDate: string | null;
  kind: string | null;
  /** Local wheel directories the pins need (the CPU torch wheel). */
  findLinks: string[];
}

export interface LockFile {
  header: LockHeader;
  pins: Pin[];
  /** The requirements text uv installs (pins with `--hash` options), header comments included. */
  text: string;
  /** Whether every pin carries at least one hash (uv then verifies every file it installs). */
  hashed: boolean;
}

const LOCK_FORMAT = 'mle environment lock, format 1';
const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)/;

/**
 * Write a lock: uv's compiled requirements (pins and hashes) under comment lines recording the
 * interpreter and date, so the file is both pip/uv-installable and self-describing.
 */
export function formatLock(header: LockHeader, requirementsText: string): string {
  const lines = [`# ${LOCK_FORMAT}`];
  if (header.kind) lines.push(`# kind: ${header.kind}`);
  if (header.pythonVersion) lines.push(`# python: ${header.pythonVersion}`);
  if (header.targetDate) lines.push(`# target-date: ${header.targetDate}`);
  if (header.excludeNewer) lines.push(`# exclude-newer: ${header.excludeNewer}`);
  if (header.kernelExcludeNewer) lines.push(`# kernel-exclude-newer: ${header.kernelExcludeNewer}`);
  for (const dir of header.findLinks) lines.push(`# find-links: ${dir}`);
  const body = requirementsText
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trim();
  return `${lines.join('\n')}\n${body}\n`;
}

/** Read a lock written by formatLock, or any `name==version` requirements file (header fields then null). */
export function parseLock(text: string): LockFile {
  const header: LockHeader = { pythonVersion: null, excludeNewer: null, kernelExcludeNewer: null, targetDate: null, kind: null, findLinks: [] };
  const pins: Pin[] = [];
  let pinsWithHash = 0;
  let current: Pin | null = null;
  let currentHashed = false;
  const closePin = () => {
    if (current && currentHashed) pinsWithHash++;
    current = null;
    currentHashed = false;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const comment = /^#\s*([a-z-]+):\s*(.+)$/.exec(line);
    if (comment) {
      const [, field, value] = comment as unknown as [string, string, string];
      if (field === 'python') header.pythonVersion = value.trim();
      else if (field === 'exclude-newer') header.excludeNewer = value.trim();
      else if (field === 'kernel-exclude-newer') header.kernelExcludeNewer = value.trim();
      else if (field === 'target-date') header.targetDate = value.trim();
      else if (field === 'kind') header.kind = value.trim();
      else if (field === 'find-links') header.findLinks.push(value.trim());
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('--hash=')) {
      if (current) currentHashed = true;
      continue;
    }
    if (line.startsWith('-')) continue;
    const match = PIN.exec(line);
    closePin();
    if (!match) throw new LockParseError(`not a pinned requirement (name==version): ${line}`);
    current = { name: normalizeDistributionName(match[1]!), version: match[2]! };
    if (line.includes('--hash=')) currentHashed = true;
    pins.push(current);
  }
  closePin();
  pins.sort((a, b) => a.name.localeCompare(b.name));
  return { header, pins, text, hashed: pins.length > 0 && pinsWithHash === pins.length };
}

/** A lock file that is not a list of exact pins. */
export class LockParseError extends Error {
  override name = 'LockParseError';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The cache key of an environment: its interpreter version and its pins, nothing else, so two
 * notebooks (or dates, or import lists) that resolve to the same pins share one environment.
 */
export function environmentKey(pythonVersion: string, pins: readonly Pin[]): string {
  const canonical = [...pins]
    .map((pin) => `${pin.name}==${pin.version}`)
    .sort()
    .join('\n');
  return `py${pythonVersion}-${sha256(`${pythonVersion}\n${canonical}`).slice(0, 16)}`;
}
