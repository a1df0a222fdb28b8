import { readdirSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { runTool } from './run-tool.js';

export interface PythonInterpreter {
  /** Path as found (first one, when several names point at the same binary). */
  path: string;
  realPath: string;
  /** Full version, e.g. `3.11.7`. */
  version: string;
  /** `3.11`. */
  minor: string;
  /** Whether `import venv` works, which uv and pip need to make environments. */
  hasVenv: boolean;
}

const NAME = /^python(\d(\.\d+)?)?$/;

function isExecutableFile(path: string): boolean {
  try {
    const info = statSync(path);
    return info.isFile() && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Candidate interpreter paths: PATH entries, pyenv versions and uv-managed Pythons. */
function candidatePaths(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const pyenvRoot = env.PYENV_ROOT ?? join(homedir(), '.pyenv');
  for (const root of [join(pyenvRoot, 'versions'), join(homedir(), '.local/share/uv/python')]) {
    try {
      for (const entry of readdirSync(root)) dirs.push(join(root, entry, 'bin'));
    } catch {
      // not installed
    }
  }
  const paths: string[] = [];
  for (const dir of dirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) if (NAME.test(entry) && isExecutableFile(join(dir, entry))) paths.push(join(dir, entry));
  }
  return paths;
}

/**
 * Every distinct Python interpreter on this machine (by real path), newest first. Backporting
 * chooses among these: uv's own interpreter downloads come from a host these machines cannot reach.
 */
export async function findPythonInterpreters(env: NodeJS.ProcessEnv = process.env): Promise<PythonInterpreter[]> {
  const seen = new Set<string>();
  const found: PythonInterpreter[] = [];
  for (const path of candidatePaths(env)) {
    let realPath: string;
    try {
      realPath = realpathSync(path);
    } catch {
      continue;
    }
    // pyenv shims re-dispatch to a version; the versions themselves are listed separately.
    if (seen.has(realPath) || path.includes('/shims/')) continue;
    seen.add(realPath);
    // Python 2 has neither importlib.util nor venv: the probe must run on every version.
    const probe = await runTool(path, ['-c', 'import sys\ntry:\n    import venv\n    ok = True\nexcept ImportError:\n    ok = False\nprint("%d.%d.%d" % sys.version_info[:3])\nprint(ok)'], { timeoutMs: 5000 });
    if (!probe.ok) continue;
    const [version = '', venv = ''] = probe.stdout.trim().split('\n');
    if (!/^\d+\.\d+\.\d+$/.test(version)) continue;
    found.push({ path, realPath, version, minor: version.split('.').slice(0, 2).join('.'), hasVenv: venv.trim() === 'True' });
  }
  const key = (v: string) => v.split('.').map((part) => part.padStart(4, '0')).join('.');
  return found.sort((a, b) => (key(a.version) < key(b.version) ? 1 : key(a.version) > key(b.version) ? -1 : 0));
}
