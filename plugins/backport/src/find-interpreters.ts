import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
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

let cached: Promise<PythonInterpreter[]> | undefined;

/**
 * Every interpreter environments can be made from: Python 3 from @mle/core's finder, plus
 * Python 2 under pyenv. Probing takes ~0.1 s per interpreter, so the list is computed once per
 * process unless `refresh` is set.
 */
export function findInterpreters(options: { env?: NodeJS.ProcessEnv; refresh?: boolean } = {}): Promise<PythonInterpreter[]> {
  if (!cached || options.refresh || options.env) {
    const env = options.env ?? process.env;
    const pending = Promise.all([findPythonInterpreters(env), findPython2Interpreters(env)]).then(([python3, python2]) => [...python3, ...python2]);
    if (!options.env) cached = pending;
    return pending;
  }
  return cached;
}
