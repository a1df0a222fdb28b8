import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const CLI = join(ROOT, 'packages/cli/bin/run.js');
const work = mkdtempSync(join(tmpdir(), 'mle-modernize-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function mle(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, MLE_DB: join(work, 'mle.db') } });
}

function notebookFile(name: string, sources: string[]): string {
  const path = join(work, name);
  const cells = sources.map((source, i) => ({ cell_type: i === 0 ? 'markdown' : 'code', id: `c${i}`, metadata: {}, source, ...(i === 0 ? {} : { execution_count: null, outputs: [] }) }));
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  return path;
}

describe('mle modernize (built CLI)', () => {
  it('fix-types lists the 79 catalogue rows and the 2 default-change rules as a table and as JSON', () => {
    const text = mle('modernize', 'fix-types');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^CODE\s+ID\s+KIND\s+SAFETY\s+FIXABLE\s+DESCRIPTION/);
    expect(text.stdout).toMatch(/BC024\s+pandas-dataframe-append\s+error-repair\s+safe\s+sometimes\s+Rewrite DataFrame.append/);
    expect(text.stdout).toContain('81 fix types (69 with fixes, 12 display-only)');
    expect(text.stdout).toMatch(/DC002\s+restore-era-default\s+score-calibration\s+safe\s+sometimes/);
    const json = mle('modernize', 'fix-types', '--json');
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as { fixTypes: { code: string; safety: string }[]; problems: string[] };
    expect(parsed.fixTypes.map((f) => f.code)).toEqual([...Array.from({ length: 79 }, (_, i) => `BC${String(i + 1).padStart(3, '0')}`), 'DC001', 'DC002']);
    expect(parsed.problems).toEqual([]);
  });

  it('diff prints the structural diff per cell, as text and JSON', () => {
    const before = notebookFile('before.ipynb', ['# t', 'import numpy as np\nx = np.float(1)', 'opt = Adam(lr=0.1)', 'print x']);
    const after = notebookFile('after.ipynb', ['# t', 'import numpy as np\nx = float(1)', 'opt = Adam(learning_rate=0.1)', 'print(x)']);
    const text = mle('modernize', 'diff', before, after);
    expect(text.status).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([
      'cell 1:',
      '  delete attribute `np.float` (2:5)',
      '  move   identifier `float` (2:8 → 2:5)',
      'cell 2:',
      '  rename identifier `lr` → `learning_rate` (1:12)',
      'cell 3:',
      '  delete print_statement `print x` (1:1)',
      '  insert expression_statement `print(x)` (1:1)',
      '  move   identifier `x` (1:7 → 1:7)',
      '(1 cells unchanged)',
    ]);
    const json = JSON.parse(mle('modernize', 'diff', before, after, '--json').stdout) as { cells: { beforeIndex: number; counts: Record<string, number> }[] };
    expect(json.cells.map((c) => [c.beforeIndex, c.counts.rename])).toEqual([[1, 0], [2, 1], [3, 0]]);
  });

  it('diff fails with a one-line error on a file that is not a notebook', () => {
    const good = notebookFile('good.ipynb', ['# t', 'x = 1']);
    writeFileSync(join(work, 'broken.ipynb'), '{"cells": [');
    const result = mle('modernize', 'diff', good, join(work, 'broken.ipynb'));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/broken\.ipynb: not valid JSON/);
    expect(mle('modernize', 'diff', good, join(work, 'missing.ipynb')).stderr).toMatch(/missing\.ipynb: ENOENT/);
  });
});
