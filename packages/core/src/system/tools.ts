import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project's own tool directory (`.mle/tools`, a Python venv holding uv and ipykernel, made
 * by `npm run setup`), or `MLE_TOOLS_DIR` when set.
 */
export function toolsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MLE_TOOLS_DIR) return resolve(env.MLE_TOOLS_DIR);
  // packages/core/{src,dist}/system → repository root.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '.mle', 'tools');
}

/** Path of a program in the tools venv if it is there, else the bare name (looked up on PATH). */
export function toolPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const local = join(toolsDir(env), 'bin', name);
  return existsSync(local) ? local : name;
}
