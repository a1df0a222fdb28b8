import { readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where CPU builds of torch may lie on disk. Only PyPI is reachable from these machines, and
 * PyPI's torch for Linux x86_64 is a CUDA build that pulls several GB of nvidia-* wheels; the
 * machines carry a CPU wheel in pip's find-links directory instead (uv does not look there on
 * its own). `MLE_TORCH_WHEELS` overrides; otherwise pip's `PIP_FIND_LINKS`, then /opt/wheels.
 */
export function torchWheelDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.MLE_TORCH_WHEELS) return env.MLE_TORCH_WHEELS.split(delimiter).filter(Boolean);
  const dirs = (env.PIP_FIND_LINKS ?? '').split(/[\s]+/).filter((dir) => dir && !dir.includes('://'));
  return dirs.length > 0 ? dirs : ['/opt/wheels'];
}

export interface LocalTorchWheel {
  /** The version with its local label, e.g. `2.13.0+cpu`: pinning it keeps PyPI's CUDA build out. */
  version: string;
  file: string;
  dir: string;
}

const WHEEL = /^torch-([^-]+)-(cp\d+)-(cp\d+)-(.+)\.whl$/;

/**
 * The newest CPU torch wheel on disk for an interpreter minor (`3.11` → cp311), or why none.
 * Only `+cpu` builds qualify: any other torch wheel here may be a CUDA build.
 */
export function findLocalTorchWheel(pythonMinor: string, dirs: readonly string[]): LocalTorchWheel | { missing: string } {
  const tag = `cp${pythonMinor.replace('.', '')}`;
  const seen: string[] = [];
  let best: LocalTorchWheel | null = null;
  for (const dir of dirs) {
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files) {
      const match = WHEEL.exec(file);
      if (!match) continue;
      seen.push(file);
      const [, version, pythonTag, , platform] = match as unknown as [string, string, string, string, string];
      if (pythonTag !== tag || !version.endsWith('+cpu') || !/x86_64|aarch64/.test(platform)) continue;
      if (!best || version.localeCompare(best.version, undefined, { numeric: true }) > 0) best = { version, file: join(dir, file), dir };
    }
  }
  if (best) return best;
  return {
    missing:
      `no CPU torch wheel for ${tag} in ${dirs.join(', ')} (found: ${seen.join(', ') || 'none'}); ` +
      "PyPI's torch for Linux is a CUDA build of several GB, which mle does not download",
  };
}
