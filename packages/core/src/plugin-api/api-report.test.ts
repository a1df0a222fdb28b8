import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const SCRIPT = join(ROOT, 'scripts/api-report.mjs');
const REPORT = join(ROOT, 'packages/core/api-report/plugin-api.api.md');
const work = mkdtempSync(join(tmpdir(), 'mle-api-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function report(...args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
}

describe('plugin API report', () => {
  // The suite runs after `tsc -b`, so the emitted .d.ts is current: a difference is an unreviewed API change.
  it('matches the committed report (on a change: review it, then `node scripts/api-report.mjs --update`)', () => {
    const result = report('--check');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails with a diff when the committed report differs from the emitted API', () => {
    const edited = join(work, 'edited.api.md');
    writeFileSync(edited, readFileSync(REPORT, 'utf8').replace('    safety: FixSafety;\n    title: string;', '    safety: FixSafety;\n    title: string;\n    confidence: number;'));
    const result = report('--check', '--report', edited);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the plugin API changed');
    expect(result.stderr).toContain('-     confidence: number;');
    expect(report('--check', '--report', join(work, 'missing.api.md')).status).toBe(1);
  });

  it('follows re-exports, sorts and strips comments, and lists referenced local types', () => {
    writeFileSync(join(work, 'shapes.d.ts'), ['/** A point. */', 'interface Point { y: number; x: number }', 'export interface Shape {', '  /** where */', '  origin: Point;', '  area(): number;', '}', 'export declare function make(kind: Kind): Shape;', 'type Kind = "a" | "b";', ''].join('\n'));
    writeFileSync(join(work, 'index.d.ts'), "export type { Shape as Figure } from './shapes.js';\nexport { make } from './shapes.js';\nexport type Zeta = 1;\n");
    const result = report('--entry', join(work, 'index.d.ts'));
    expect(result.status).toBe(0);
    const body = result.stdout.slice(result.stdout.indexOf('```ts'));
    expect(body).toBe(
      [
        '```ts',
        '// Exported',
        '',
        'export interface Shape {',
        '    area(): number;',
        '    origin: Point;',
        '} // exported as Figure',
        '',
        'export function make(kind: Kind): Shape;',
        '',
        'export type Zeta = 1;',
        '',
        '// Referenced by the exports, not exported themselves',
        '',
        'type Kind = "a" | "b";',
        '',
        'interface Point {',
        '    x: number;',
        '    y: number;',
        '}',
        '```',
        '',
      ].join('\n'),
    );
  });
});
