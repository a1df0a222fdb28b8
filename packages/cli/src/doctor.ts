import { existsSync } from 'node:fs';
import { findPythonInterpreters, openStore, loadMigrations, runTool, toolPath, type PythonInterpreter } from '@mle/core';
import { findKernelSpecs } from '@mle/kernel';

export interface DoctorCheck {
  name: string;
  ok: boolean;
  /** What was found (a version, a path, a count). */
  found: string;
  /** What to do when it is missing; empty when ok. */
  fix: string;
  /** Missing but mle still works (with less). */
  optional: boolean;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
  interpreters: PythonInterpreter[];
  kernelspecs: { name: string; language: string; argv0: string }[];
}

function check(name: string, ok: boolean, found: string, fix: string, optional = false): DoctorCheck {
  return { name, ok, found, fix: ok ? '' : fix, optional };
}

/** Inspect this machine and the database for everything mle relies on. */
export async function diagnose(dbPath: string): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const [major] = process.versions.node.split('.').map(Number);
  checks.push(check('node', (major ?? 0) >= 20, process.version, 'install Node.js 20 or newer'));

  const interpreters = await findPythonInterpreters();
  const py3 = interpreters.filter((i) => i.version.startsWith('3.'));
  checks.push(check('python', py3.length > 0, interpreters.map((i) => `${i.version} (${i.path})`).join(', ') || 'none', 'install Python 3 (apt-get install python3 python3-venv)'));

  const uv = await runTool(toolPath('uv'), ['--version']);
  checks.push(check('uv', uv.ok, uv.ok ? `${uv.stdout.trim()} (${toolPath('uv')})` : uv.error ?? 'not found', 'run `npm run setup` (installs uv from PyPI into .mle/tools)'));

  const bwrap = await runTool('bwrap', ['--version']);
  checks.push(check('bubblewrap', bwrap.ok, bwrap.ok ? bwrap.stdout.trim() : 'not found', 'apt-get install bubblewrap (without it kernels run unsandboxed, recorded as sandbox=none)', true));

  const git = await runTool('git', ['--version']);
  checks.push(check('git', git.ok, git.ok ? git.stdout.trim() : 'not found', 'apt-get install git (needed by `mle mine git`)', true));

  const ipykernel = await runTool(toolPath('python'), ['-c', 'import ipykernel; print(ipykernel.__version__)']);
  checks.push(check('ipykernel (tools venv)', ipykernel.ok, ipykernel.ok ? ipykernel.stdout.trim() : 'not importable', 'run `npm run setup` (installs ipykernel into .mle/tools)'));

  const specs = findKernelSpecs({ prefixes: [toolPath('python').replace(/\/bin\/python$/, '')] });
  checks.push(check('kernelspecs', specs.length > 0, specs.map((s) => s.name).join(', ') || 'none', 'run `npm run setup`, or `python -m ipykernel install --user`', true));

  const latest = loadMigrations().at(-1)?.version ?? 0;
  if (existsSync(dbPath)) {
    try {
      const store = openStore(dbPath, { readonly: true });
      const version = store.schemaVersion;
      store.close();
      checks.push(check('database', version <= latest, `${dbPath}: schema ${version} (this mle: ${latest})`, version > latest ? 'upgrade mle: the database is newer' : ''));
    } catch (error) {
      checks.push(check('database', false, `${dbPath}: ${(error as Error).message}`, 'pass another --db, or move the file away'));
    }
  } else {
    checks.push(check('database', true, `${dbPath}: not created yet (schema ${latest} on first write)`, ''));
  }
  return {
    ok: checks.every((c) => c.ok || c.optional),
    checks,
    interpreters,
    kernelspecs: specs.map((s) => ({ name: s.name, language: s.language, argv0: s.argv[0] ?? '' })),
  };
}
