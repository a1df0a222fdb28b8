import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bundled competitions of this repository (datasets/competitions), used when --competitions is absent. */
export function defaultCompetitionsDir(): string {
  const local = resolve('datasets', 'competitions');
  if (existsSync(local)) return local;
  // plugins/execute/{src,dist} → repository root.
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'datasets', 'competitions');
}

/** `8G`, `512M`, `1073741824` → bytes. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)[bB]?$/.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text} (use e.g. 8G, 512M)`);
  const power = { '': 0, k: 1, m: 2, g: 3, t: 4 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.round(Number(match[1]) * 1024 ** power);
}
