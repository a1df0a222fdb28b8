import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { findPythonInterpreters, runTool, type PythonInterpreter } from '@mle/core';

/**
 * Python 2 interpreters under pyenv. @mle/core's finder probes with `importlib.util`, which
 * Python 2 lacks, so it never lists them; backporting still wants them as candidates so that a
 * Python 2 notebook fails with uv's own refusal rather than with "none found" when one exists.
 */
async function findPython2Interpreters(env: NodeJS.ProcessEnv): Promise<PythonInterpreter[]> {
  const root = join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions');
  let entries: string[];
  try {
    entries = readdirSync(root).filter((name) => name.startsWith('2.'));
  } catch {
    return [];
  }
  const found: PythonInterpreter[] = [];
  for (const entry of entries) {
    const path = join(root, entry, 'bin', 'python');
    const probe = await runTool(path, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { timeoutMs: 5000 });
    const version = probe.stdout.trim();
    if (!probe.ok || !/^2\.\d+\.\d+$/.test(version)) continue;
    found.push({ path, realPath: path, version, minor: version.split('.').slice(0, 2).join('.'), hasVenv: false });
  }
  return found;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * What makes a probed list stale: the directories interpreters are found in (a directory's mtime
 * changes when an entry is added or removed) and the interpreters themselves (reinstalled in place).
 */
function fingerprint(env: NodeJS.ProcessEnv, interpreters: readonly PythonInterpreter[]): string {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const roots = [join(env.PYENV_ROOT ?? join(homedir(), '.pyenv'), 'versions'), join(homedir(), '.local/share/uv/python')];
  return JSON.stringify({
    dirs: [...dirs, ...roots].map((dir) => [dir, mtimeOf(dir)]),
    interpreters: interpreters.map((interpreter) => [interpreter.realPath, mtimeOf(interpreter.realPath)]),
  });
}

async function probe(env: NodeJS.ProcessEnv): Promise<PythonInterpreter[]> {
  const [python3, python2] = await Promise.all([findPythonInterpreters(env), findPython2Interpreters(env)]);
  return [...python3, ...python2];
}

/** Probed interpreters saved beside the environments: a CLI call then starts no Python to pick one. */
interface InterpreterCacheFile {
  fingerprint: string;
  interpreters: PythonInterpreter[];
}

let inProcess: Promise<PythonInterpreter[]> | undefined;

/**
 * Every interpreter environments can be made from: Python 3 from @mle/core's finder, plus
 * Python 2 under pyenv. Probing starts each interpreter (~0.05 s each, 0.5 s for this machine's
 * nine under load), so the list is kept for the process and, with `cacheFile`, on disk until a
 * search directory or an interpreter changes; `refresh` probes again.
 */
export async function findInterpreters(options: { env?: NodeJS.ProcessEnv; refresh?: boolean; cacheFile?: string } = {}): Promise<PythonInterpreter[]> {
  const env = options.env ?? process.env;
  if (!options.refresh && !options.env && inProcess) return inProcess;
  if (options.cacheFile && !options.refresh) {
    try {
      const saved = JSON.parse(readFileSync(options.cacheFile, 'utf8')) as InterpreterCacheFile;
      if (Array.isArray(saved.interpreters) && saved.fingerprint === fingerprint(env, saved.interpreters)) return saved.interpreters;
    } catch {
      // No cache yet, or an unreadable one: probe.
    }
  }
  const pending = probe(env);
  if (!options.env) inProcess = pending;
  const interpreters = await pending;
  if (options.cacheFile) {
    // Write-then-rename, so a concurrent reader never sees half a file.
    mkdirSync(dirname(options.cacheFile), { recursive: true });
    const temporary = `${options.cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ fingerprint: fingerprint(env, interpreters), interpreters } satisfies InterpreterCacheFile));
    renameSync(temporary, options.cacheFile);
  }
  return interpreters;
}
