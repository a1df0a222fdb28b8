#!/usr/bin/env node
// API report for @mle/core's plugin API, on the TypeScript compiler API (in the spirit of
// api-extractor's .api.md files, without its dependency).
//
// Reads the emitted declaration file (packages/core/dist/plugin-api/index.d.ts, after `tsc -b`),
// follows its re-exports to every exported declaration, adds the local declarations they refer to
// (so a change to a referenced type shows too), and prints them normalized: comments removed,
// exports sorted by name, interface members sorted, one canonical printer layout.
//
//   node scripts/api-report.mjs            print the report
//   node scripts/api-report.mjs --check    compare with the committed report; exit 1 with a diff when they differ
//   node scripts/api-report.mjs --update   rewrite the committed report (after reviewing the change)
//   --entry FILE.d.ts / --report FILE.md   other inputs (tests use them)
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : fallback;
}

const entry = option('--entry', resolve(root, 'packages/core/dist/plugin-api/index.d.ts'));
const reportPath = option('--report', resolve(root, 'packages/core/api-report/plugin-api.api.md'));
const mode = process.argv.includes('--check') ? 'check' : process.argv.includes('--update') ? 'update' : 'print';

function fail(message) {
  process.stderr.write(`api-report: ${message}\n`);
  process.exit(2);
}

if (!existsSync(entry)) fail(`${relative(root, entry)} does not exist; run \`npx tsc -b packages/core\` first`);

const program = ts.createProgram([entry], { noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext });
const checker = program.getTypeChecker();
const entryFile = program.getSourceFile(entry);
const moduleSymbol = entryFile && checker.getSymbolAtLocation(entryFile);
if (!moduleSymbol) fail(`${relative(root, entry)} is not a module`);

const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
/** Declarations of our own package count; anything under node_modules is an external reference. */
const isOwn = (file) => !file.fileName.split(/[\\/]/).includes('node_modules') && !file.hasNoDefaultLib;

function resolveAlias(symbol) {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function print(node) {
  return printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
}

/** One declaration, normalized: no `declare`, interface members sorted (their order is not API). */
function render(declaration, exportedAs) {
  let text;
  if (ts.isInterfaceDeclaration(declaration)) {
    const heritage = declaration.heritageClauses?.map((clause) => ` ${print(clause)}`).join('') ?? '';
    const typeParameters = declaration.typeParameters ? `<${declaration.typeParameters.map(print).join(', ')}>` : '';
    const memberName = (member) => (member.name ? member.name.getText() : '');
    const members = [...declaration.members]
      .map((member) => [memberName(member), print(member).split('\n').map((line) => `    ${line}`).join('\n')])
      .sort((x, y) => x[0].localeCompare(y[0]) || x[1].localeCompare(y[1]))
      .map(([, text]) => text);
    text = `interface ${declaration.name.text}${typeParameters}${heritage} {\n${members.join('\n')}\n}`;
  } else {
    text = print(declaration).replace(/^(export\s+)?(declare\s+)?/, '');
  }
  const name = declaration.name && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
  const prefix = exportedAs === undefined ? '' : 'export ';
  const note = exportedAs !== undefined && name !== undefined && name !== exportedAs ? ` // exported as ${exportedAs}` : '';
  return `${prefix}${text}${note}`;
}

const exported = new Map(); // symbol → export name
for (const symbol of checker.getExportsOfModule(moduleSymbol)) exported.set(resolveAlias(symbol), symbol.getName());

const referenced = new Set();
const external = new Set();
/** Follow type references from a declaration to the local declarations it depends on. */
function collectReferences(node) {
  const visit = (child) => {
    if (ts.isTypeReferenceNode(child) || ts.isExpressionWithTypeArguments(child) || ts.isTypeQueryNode(child)) {
      const target = ts.isTypeReferenceNode(child) ? child.typeName : ts.isTypeQueryNode(child) ? child.exprName : child.expression;
      const symbol = checker.getSymbolAtLocation(target);
      if (symbol) {
        const resolved = resolveAlias(symbol);
        for (const declaration of resolved.declarations ?? []) {
          if (ts.isTypeParameterDeclaration(declaration)) continue;
          const file = declaration.getSourceFile();
          if (!isOwn(file)) {
            const module = file.fileName.split(`node_modules${sep}`).pop().split(/[\\/]/);
            external.add(`${module[0].startsWith('@') ? `${module[0]}/${module[1]}` : module[0]}: ${resolved.getName()}`);
          } else if (!exported.has(resolved) && !referenced.has(resolved)) {
            referenced.add(resolved);
            collectReferences(declaration);
          }
        }
      }
    }
    ts.forEachChild(child, visit);
  };
  ts.forEachChild(node, visit);
}

const exportedBlocks = [];
for (const [symbol, name] of [...exported].sort((a, b) => a[1].localeCompare(b[1]))) {
  for (const declaration of symbol.declarations ?? []) {
    exportedBlocks.push(render(declaration, name));
    collectReferences(declaration);
  }
}
const referencedBlocks = [...referenced]
  .sort((a, b) => a.getName().localeCompare(b.getName()))
  .flatMap((symbol) => (symbol.declarations ?? []).map((declaration) => render(declaration, undefined)));

const report = [
  `## API Report File for "@mle/core" plugin API`,
  '',
  `> Generated by \`node scripts/api-report.mjs --update\` from \`${relative(root, entry).split(sep).join('/')}\`. Do not edit by hand:`,
  '> a difference from the emitted declarations fails CI until the change is reviewed and the report updated.',
  '',
  '```ts',
  '// Exported',
  '',
  exportedBlocks.join('\n\n'),
  ...(referencedBlocks.length > 0 ? ['', '// Referenced by the exports, not exported themselves', '', referencedBlocks.join('\n\n')] : []),
  ...(external.size > 0 ? ['', '// External types referenced', ...[...external].sort().map((name) => `// ${name}`)] : []),
  '```',
  '',
].join('\n');

/** A unified diff of two texts by lines (LCS), with three lines of context. */
function unifiedDiff(oldText, newText) {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push([' ', a[i++], j++]);
    else if (j < b.length && (i === a.length || table[i][j + 1] >= table[i + 1][j])) ops.push(['+', b[j++]]);
    else ops.push(['-', a[i++]]);
  }
  const lines = [];
  let last = -Infinity;
  ops.forEach((op, index) => {
    if (op[0] === ' ') return;
    const from = Math.max(index - 3, last + 1);
    if (from > last + 1 && lines.length > 0) lines.push('...');
    for (let k = from; k <= Math.min(index + 3, ops.length - 1); k++) {
      if (k <= last) continue;
      lines.push(`${ops[k][0]} ${ops[k][1]}`);
      last = k;
    }
  });
  return lines.join('\n');
}

if (mode === 'print') {
  process.stdout.write(report);
} else if (mode === 'update') {
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, report);
  process.stdout.write(`api-report: wrote ${relative(root, reportPath)}\n`);
} else {
  if (!existsSync(reportPath)) {
    process.stderr.write(`api-report: ${relative(root, reportPath)} is missing; review the API and run \`node scripts/api-report.mjs --update\`\n`);
    process.exit(1);
  }
  const committed = readFileSync(reportPath, 'utf8');
  if (committed === report) {
    process.stdout.write(`api-report: ${relative(root, reportPath)} is up to date\n`);
  } else {
    process.stderr.write(`api-report: the plugin API changed and ${relative(root, reportPath)} was not updated.\n`);
    process.stderr.write('Review the change below (- committed, + emitted), then run `node scripts/api-report.mjs --update` and commit the report.\n\n');
    process.stderr.write(`${unifiedDiff(committed, report)}\n`);
    process.exit(1);
  }
}
