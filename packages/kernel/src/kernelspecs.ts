import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { delimiter, join } from 'node:path';

/** A kernel as described by its `kernel.json`. */
export interface KernelSpec {
  /** Directory name, lower-cased: what `--env`/`--kernel` names. */
  name: string;
  /** Directory holding kernel.json (the `{resource_dir}` placeholder). */
  resourceDir: string;
  argv: string[];
  displayName: string;
  language: string;
  interruptMode: 'signal' | 'message';
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/**
 * Jupyter data directories in jupyter_core's search order: JUPYTER_PATH, the user data dir,
 * the environment prefix (`extraPrefixes`, e.g. a venv), then the system dirs.
 */
export function jupyterDataDirs(env: NodeJS.ProcessEnv = process.env, extraPrefixes: string[] = []): string[] {
  const dirs: string[] = [];
  if (env.JUPYTER_PATH) dirs.push(...env.JUPYTER_PATH.split(delimiter).filter(Boolean));
  const userDir = env.JUPYTER_DATA_DIR ?? (platform() === 'darwin' ? join(homedir(), 'Library', 'Jupyter') : join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'));
  const prefixDirs = extraPrefixes.map((prefix) => join(prefix, 'share', 'jupyter'));
  if (env.JUPYTER_PREFER_ENV_PATH && env.JUPYTER_PREFER_ENV_PATH !== '0') dirs.push(...prefixDirs, userDir);
  else dirs.push(userDir, ...prefixDirs);
  dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  return dirs;
}

/** Parse one kernelspec directory; null when it has no usable kernel.json. */
export function readKernelSpec(resourceDir: string, name: string): KernelSpec | null {
  const file = join(resourceDir, 'kernel.json');
  if (!existsSync(file)) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!Array.isArray(raw.argv) || raw.argv.length === 0 || !raw.argv.every((arg) => typeof arg === 'string')) return null;
  return {
    name: name.toLowerCase(),
    resourceDir,
    argv: raw.argv as string[],
    displayName: typeof raw.display_name === 'string' ? raw.display_name : name,
    language: typeof raw.language === 'string' ? raw.language : 'unknown',
    interruptMode: raw.interrupt_mode === 'message' ? 'message' : 'signal',
    env: typeof raw.env === 'object' && raw.env !== null ? (raw.env as Record<string, string>) : {},
    metadata: typeof raw.metadata === 'object' && raw.metadata !== null ? (raw.metadata as Record<string, unknown>) : {},
  };
}

/** Every kernelspec found, first match per name winning, as `jupyter kernelspec list` resolves them. */
export function findKernelSpecs(options: { env?: NodeJS.ProcessEnv; prefixes?: string[] } = {}): KernelSpec[] {
  const specs = new Map<string, KernelSpec>();
  for (const dataDir of jupyterDataDirs(options.env, options.prefixes)) {
    const kernelsDir = join(dataDir, 'kernels');
    let names: string[];
    try {
      names = readdirSync(kernelsDir).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (specs.has(name.toLowerCase())) continue;
      const spec = readKernelSpec(join(kernelsDir, name), name);
      if (spec) specs.set(spec.name, spec);
    }
  }
  return [...specs.values()];
}

/** The kernelspec inside an environment directory (`<env>/share/jupyter/kernels/<name>`), if any. */
export function findEnvironmentKernelSpec(envDir: string, name?: string): KernelSpec | null {
  const kernelsDir = join(envDir, 'share', 'jupyter', 'kernels');
  let names: string[];
  try {
    names = readdirSync(kernelsDir).sort();
  } catch {
    return null;
  }
  for (const candidate of name ? [name] : names) {
    const spec = readKernelSpec(join(kernelsDir, candidate), candidate);
    if (spec) return spec;
  }
  return null;
}
