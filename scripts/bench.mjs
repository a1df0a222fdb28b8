#!/usr/bin/env node
// Runs every benchmark (benchmarks/<area>/*.bench.mjs), or those whose path contains an argument:
// `npm run bench -- mine`. Each writes its JSON to benchmarks/results/.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../benchmarks/', import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(root)
  .filter((area) => statSync(join(root, area)).isDirectory() && area !== 'results')
  .flatMap((area) => readdirSync(join(root, area)).filter((f) => f.endsWith('.bench.mjs')).map((f) => join(root, area, f)))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stderr.write(`\n== ${file}\n`);
  const result = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
