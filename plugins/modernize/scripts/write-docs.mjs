#!/usr/bin/env node
// Regenerate plugins/modernize/docs/<code>-<id>.md from the built rules (run `npx tsc -b plugins/modernize` first).
// Pages of rules that no longer exist are removed, so the folder always mirrors the catalogue.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const docsDir = join(here, '..', 'docs');
const { builtinFixTypes } = await import('../dist/fix-types/builtin-fix-types.js');
const { docsFileName, renderRuleDocs } = await import('../dist/fix-types/render-rule-docs.js');

mkdirSync(docsDir, { recursive: true });
const wanted = new Set();
for (const rule of builtinFixTypes) {
  const name = docsFileName(rule);
  wanted.add(name);
  writeFileSync(join(docsDir, name), renderRuleDocs(rule));
}
for (const name of readdirSync(docsDir)) {
  if (/^[A-Z]+\d{3}-.*\.md$/.test(name) && !wanted.has(name)) rmSync(join(docsDir, name));
}
console.log(`${wanted.size} rule pages written to ${docsDir}`);
