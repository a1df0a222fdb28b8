import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** Where the sandboxed kernel runs, as a Kaggle notebook expects. */
export const KAGGLE_WORKING = '/kaggle/working';
export const KAGGLE_INPUT = '/kaggle/input';

export interface SandboxInput {
  /** Directory name under /kaggle/input (a competition or dataset slug). */
  slug: string;
  /** Host directory bound read-only there. */
  path: string;
}

export interface SandboxOptions {
  /** Python environment directory (a venv prefix), bound read-only at its own path. */
  environmentDir: string;
  /** Host directory bound read-write at /kaggle/working: the kernel's cwd and HOME. */
  workDir: string;
  /** Data bound read-only at /kaggle/input/<slug>. */
  inputs?: SandboxInput[];
  /** More host paths bound read-only at their own path. */
  readOnlyPaths?: string[];
  /** bubblewrap binary; found on PATH or in /usr/bin by default. A path that does not exist means "no bwrap". */
  bwrapPath?: string;
}

/** What `sandboxArgv` needs from the running kernel's setup. */
export interface SandboxMounts extends SandboxOptions {
  /** Host directory holding the connection file and ipc sockets, bound read-write at its own path. */
  socketDir: string;
}

/** Path of bubblewrap, or null when it is not installed (or not on Linux). */
export function findBwrap(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux') return null;
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, 'bwrap');
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class InvalidSandboxInputError extends Error {
  constructor(slug: string) {
    super(`input slug ${JSON.stringify(slug)} is not a plain directory name`);
    this.name = 'InvalidSandboxInputError';
  }
}

function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/**
 * Prefixes of the interpreters the kernel will exec. A venv's `bin/python` is a symlink into the
 * base interpreter's installation (pyenv, uv's python store), which must be visible too: bind the
 * target's prefix (`<prefix>/bin/python3.x` → `<prefix>`).
 */
export function interpreterPrefixes(argv0: string, environmentDir: string): string[] {
  const prefixes = new Set<string>();
  for (const candidate of [argv0, join(environmentDir, 'bin', 'python')]) {
    if (!isAbsolute(candidate) || !existsSync(candidate)) continue;
    const target = realpathSync(candidate);
    const prefix = dirname(dirname(target));
    if (isUnder(target, '/usr') || isUnder(target, realpathSync(environmentDir))) continue;
    prefixes.add(prefix);
  }
  return [...prefixes];
}

/** The host's /lib, /lib64, /bin, /sbin as symlinks into /usr (merged-usr) or as read-only binds. */
function rootLinks(): string[] {
  const args: string[] = [];
  for (const top of ['/lib', '/lib64', '/bin', '/sbin']) {
    let stat;
    try {
      stat = lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else if (stat.isDirectory()) args.push('--ro-bind', top, top);
  }
  return args;
}

/**
 * Wrap a kernel argv in bubblewrap following the recipe checked on these machines: an empty root
 * with /usr and /etc read-only, the environment and its interpreter read-only, /dev, /proc, a
 * private /tmp, data read-only under /kaggle/input, the work dir read-write at /kaggle/working
 * (the cwd), the socket dir read-write, the root itself read-only, no network, its own pid namespace, dies with its parent,
 * no capabilities, and exactly `env` as the environment.
 */
export function sandboxArgv(argv: string[], env: Record<string, string>, mounts: SandboxMounts, bwrapPath: string): string[] {
  const environmentDir = resolve(mounts.environmentDir);
  const args = [bwrapPath, '--unshare-net', '--unshare-pid', '--die-with-parent', '--clearenv', '--cap-drop', 'ALL'];
  args.push('--ro-bind', '/usr', '/usr', '--ro-bind', '/etc', '/etc', ...rootLinks());
  // The private /tmp comes before the binds, so an environment, interpreter or input that lives
  // under the host's /tmp is bound on top of it instead of being hidden by it.
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp');
  args.push('--ro-bind', environmentDir, environmentDir);
  const realEnvironmentDir = realpathSync(environmentDir);
  if (realEnvironmentDir !== environmentDir) args.push('--ro-bind', realEnvironmentDir, realEnvironmentDir);
  for (const prefix of interpreterPrefixes(argv[0] ?? '', environmentDir)) args.push('--ro-bind', prefix, prefix);
  for (const path of mounts.readOnlyPaths ?? []) args.push('--ro-bind', resolve(path), resolve(path));
  args.push('--dir', '/kaggle', '--dir', KAGGLE_INPUT);
  for (const input of mounts.inputs ?? []) {
    if (!SLUG.test(input.slug)) throw new InvalidSandboxInputError(input.slug);
    args.push('--ro-bind', resolve(input.path), `${KAGGLE_INPUT}/${input.slug}`);
  }
  args.push('--bind', resolve(mounts.workDir), KAGGLE_WORKING);
  // A socket dir under /tmp is the host's (bound after --tmpfs /tmp), shared with this client.
  args.push('--bind', resolve(mounts.socketDir), resolve(mounts.socketDir));
  // bwrap's root is a writable tmpfs; once every mount point exists, make it read-only so that
  // only /kaggle/working, /tmp and the socket dir (separate mounts) take writes.
  args.push('--remount-ro', '/', '--chdir', KAGGLE_WORKING);
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  return [...args, '--', ...argv];
}
