import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** The built CLI, as a user runs it. */
const BIN = fileURLToPath(new URL('../../../../../packages/cli/bin/run.js', import.meta.url));

async function mle(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

const code = (source: string, outputs: unknown[] = []) => ({ cell_type: 'code', source, outputs, execution_count: 1, metadata: {} });

let dir: string;
let small: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mle-feedback-file-'));
  small = join(dir, 'small.ipynb');
  writeFileSync(
    small,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'Python 3' } },
      cells: [
        code('import pandas as pd\ndf = pd.read_csv("train.csv")\ndf.head()', [{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '   a  b\n0  1  2' }, metadata: {} }]),
        { cell_type: 'markdown', source: 'Checks', metadata: {} },
        code('%matplotlib inline\nassert df.shape[0] > 0, "empty"\nprint(df.isnull().sum())'),
        code('df.head();'),
      ],
    }),
  );
  mkdirSync(join(dir, 'more'));
  writeFileSync(join(dir, 'more', 'py2.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 0, metadata: {}, cells: [code('print "hello"')] }));
  writeFileSync(join(dir, 'more', 'broken.ipynb'), '{"cells": [');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mle feedback file', () => {
  it('prints one JSON line per instance with the documented keys', async () => {
    const { stdout, code: exit } = await mle('feedback', 'file', small, '--json');
    expect(exit).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { notebook: small, cell: 0, line: 3, mechanism: 'last_cell', form: 'implicit', category: 'spot-check', code: 'df.head()', output: '   a  b\n0  1  2' },
      { notebook: small, cell: 2, line: 2, mechanism: 'assert', form: 'explicit', category: 'data-shape', code: 'assert df.shape[0] > 0, "empty"', output: null },
      { notebook: small, cell: 2, line: 3, mechanism: 'print', form: 'implicit', category: 'missing-value', code: 'print(df.isnull().sum())', output: null },
    ]);
  });

  it('searches directories, reads Python 2, reports unreadable files on stderr with exit code 1', async () => {
    const { stdout, stderr, code: exit } = await mle('feedback', 'file', join(dir, 'more'), '--json', '--jobs', '2');
    expect(exit).toBe(1);
    expect(stderr).toContain('broken.ipynb: invalid-json');
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { notebook: string; mechanism: string; code: string });
    expect(lines).toEqual([expect.objectContaining({ notebook: join(dir, 'more', 'py2.ipynb'), mechanism: 'print', code: 'print "hello"' })]);
  });

  it('prints a readable listing without --json', async () => {
    const { stdout, code: exit } = await mle('feedback', 'file', small);
    expect(exit).toBe(0);
    expect(stdout).toContain(`${small}:2:2  assert`);
    expect(stdout).toContain('1 notebooks, 3 code cells, 3 instances');
  });
});

describe('mle feedback scan and stats', () => {
  it('mines, scans and reports through the CLI, and a second scan does nothing', async () => {
    const db = join(dir, 'cli.db');
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(join(corpus, 'a.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', language: 'python', display_name: 'P' } }, cells: [code('import sklearn\n!pip install x\nprint(sklearn.__version__)'), code('assert True')] }));
    expect((await mle('mine', 'dir', corpus, '--db', db)).code).toBe(0);
    const scan = JSON.parse((await mle('feedback', 'scan', '--db', db, '--json')).stdout) as { scanned: number; instances: number };
    expect(scan).toMatchObject({ scanned: 1, instances: 2 });
    const again = JSON.parse((await mle('feedback', 'scan', '--db', db, '--json')).stdout) as { scanned: number; alreadyScanned: number };
    expect(again).toMatchObject({ scanned: 0, alreadyScanned: 1 });
    const stats = JSON.parse((await mle('feedback', 'stats', '--db', db, '--ml-only', '--json')).stdout) as { instances: number; cells: { studyDropped: { magic: number }; studyDroppedAnalysed: number } };
    expect(stats.instances).toBe(2);
    expect(stats.cells.studyDropped.magic).toBe(1);
    expect(stats.cells.studyDroppedAnalysed).toBe(1);
    const text = await mle('feedback', 'stats', '--db', db);
    expect(text.stdout).toContain("the study's method (Python 3 ast.parse, drop on failure) would drop 1 of 2 cells");
  });
});
