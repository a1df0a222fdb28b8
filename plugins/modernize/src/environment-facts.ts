import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { prepare, type FixEnvironment, type Store } from '@mle/core';
import type { ResolvedKernel } from '@mle/runner';

const run = promisify(execFile);

// Asks the interpreter itself: exact for any venv, whoever made it.
const PROBE = `import sys, json
try:
    from importlib import metadata
except ImportError:
    metadata = None
pins = {}
if metadata is not None:
    for dist in metadata.distributions():
        name = dist.metadata.get('Name')
        if name:
            pins[name] = dist.version
print(json.dumps({'python': sys.version.split()[0], 'pins': pins}))`;

/** Distribution names as FixEnvironment wants them: lowercase, runs of `-_.` as one `-` (PEP 503). */
export function normalizeDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const cache = new Map<string, Promise<FixEnvironment>>();

/**
 * The Python version and installed distributions of the environment a kernel runs in: from the
 * `environments` row (`pins`, `python_version`) for an `mle env` environment, else by asking the
 * environment's interpreter (once per process and directory). Rules use the pins to decline fixes
 * the installed versions do not support; the LLM prompt shows those of the imported packages.
 * Unknown (empty pins, null version) when neither works: rules then assume current versions.
 */
export function environmentFacts(store: Store, kernel: ResolvedKernel): Promise<FixEnvironment> {
  if (kernel.environmentId !== null) {
    const row = prepare<[number], { python_version: string | null; pins: string }>(store.db, 'SELECT python_version, pins FROM environments WHERE id = ?').get(kernel.environmentId);
    if (row) {
      const pins = Object.fromEntries((JSON.parse(row.pins) as { name: string; version: string }[]).map((pin) => [normalizeDistribution(pin.name), pin.version]));
      return Promise.resolve({ python: row.python_version, pins });
    }
  }
  const python = 'pythonPath' in kernel.kernel ? kernel.kernel.pythonPath : (kernel.kernel.spec.argv[0] && kernel.kernel.spec.argv[0].startsWith('/') ? kernel.kernel.spec.argv[0] : join(kernel.environmentDir, 'bin', 'python'));
  let facts = cache.get(python);
  if (!facts) {
    facts = probe(python);
    cache.set(python, facts);
  }
  return facts;
}

async function probe(python: string): Promise<FixEnvironment> {
  if (!existsSync(python)) return { python: null, pins: {} };
  try {
    const { stdout } = await run(python, ['-c', PROBE], { timeout: 30_000, maxBuffer: 8 * 1024 * 1024 });
    const parsed = JSON.parse(stdout) as { python: string; pins: Record<string, string> };
    return { python: parsed.python, pins: Object.fromEntries(Object.entries(parsed.pins).map(([name, version]) => [normalizeDistribution(name), version])) };
  } catch {
    return { python: null, pins: {} };
  }
}

/** Import names whose distribution is named otherwise (the common ones in ML notebooks). */
const DISTRIBUTION_OF: Readonly<Record<string, string>> = {
  sklearn: 'scikit-learn',
  cv2: 'opencv-python',
  PIL: 'pillow',
  skimage: 'scikit-image',
  yaml: 'pyyaml',
  bs4: 'beautifulsoup4',
  lgb: 'lightgbm',
  xgb: 'xgboost',
  tf: 'tensorflow',
  google: 'protobuf',
  dateutil: 'python-dateutil',
  Crypto: 'pycryptodome',
};

/**
 * The pins of the packages a notebook imports (top-level module → distribution), for the LLM
 * prompt: the study filtered the environment the same way, so the model sees what matters.
 */
export function importedPins(environment: FixEnvironment, modules: Iterable<string>): Record<string, string> {
  const pins: Record<string, string> = {};
  for (const module of modules) {
    const top = module.replace(/^\.+/, '').split('.')[0]!;
    if (!top) continue;
    const candidates = [DISTRIBUTION_OF[top], top].filter((name): name is string => name !== undefined).map(normalizeDistribution);
    for (const name of candidates) {
      const version = environment.pins[name];
      if (version !== undefined) {
        pins[name] = version;
        break;
      }
    }
  }
  return Object.fromEntries(Object.entries(pins).sort(([a], [b]) => (a < b ? -1 : 1)));
}
