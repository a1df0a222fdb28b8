import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openStore } from '@mle/core';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveKernel } from '../src/resolve-kernel.js';
import { allNotebookIds, runExperiment } from '../src/run-experiment.js';
import { ingestNotebookFile } from '../src/ingest-notebook-file.js';

// Real kernels (the tools venv's ipykernel, kernelspec mle-tools), real bubblewrap sandbox, the
// bundled digits competition (materialized by `npm run setup`), plain-Python notebooks.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(repo, 'packages/cli/bin/run.js');
const competitions = join(repo, 'datasets/competitions');
const work = mkdtempSync(join(tmpdir(), 'mle-run-'));

function notebook(name: string, cells: string[], reported?: number): void {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { competition: 'digits', date: '2024-01-01', ...(reported === undefined ? {} : { reported_score: reported }) } },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  writeFileSync(join(work, 'corpus', `${name}.ipynb`), JSON.stringify(nb));
}
// `mle mine` keeps ML notebooks only; this import is parsed by the miner but never runs (the tools venv has no sklearn).
const ML_MARKER = "if False:\n    import sklearn";
const WRITE = (label: string) => `with open('submission.csv', 'w') as f:\n    f.write('id,label\\n')\n    for r in rows:\n        f.write(f"{r['id']},${label}\\n")`;
const READ = "import csv\nrows = list(csv.DictReader(open('/kaggle/input/digits/test.csv')))\nprint(len(rows), 'test rows')";

mkdirSync(join(work, 'corpus'));
// The accuracy of always answering 3 on the bundled split: computed from the answers file.
const answers = readFileSync(join(competitions, 'digits/private/answers.csv'), 'utf8').trim().split('\n').slice(1);
const accuracyOf3 = answers.filter((line) => line.endsWith(',3')).length / answers.length;
notebook('a-reproduced', [ML_MARKER, READ, WRITE('3')], accuracyOf3);
notebook('b-mismatch', [ML_MARKER, READ, WRITE('3')].concat(['# same code, other score']), 0.9);
notebook('c-no-submission', [ML_MARKER, READ], 0.5);
notebook('d-grading-error', [ML_MARKER, READ, "open('submission.csv', 'w').write('id,wrong\\n1,2\\n')"], 0.5);
notebook('e-error', [ML_MARKER, READ, "import pandas_that_does_not_exist"], 0.5);
notebook('f-timeout', [ML_MARKER, 'while True:\n    pass'], 0.5);
notebook('g-kernel-died', [ML_MARKER, 'import os\nos._exit(3)'], 0.5);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mle run on real kernels', () => {
  it('gives each notebook its status, records runs once, and resumes', async () => {
    const db = join(work, 'mle.db');
    const store = openStore(db);
    for (const name of ['a-reproduced', 'b-mismatch', 'c-no-submission', 'd-grading-error', 'e-error', 'f-timeout', 'g-kernel-died']) {
      await ingestNotebookFile(store, join(work, 'corpus', `${name}.ipynb`));
    }
    const ids = allNotebookIds(store);
    expect(ids).toHaveLength(7);
    const options = {
      experiment: 'baseline',
      kind: 'baseline' as const,
      kernel: resolveKernel(store, 'mle-tools'),
      notebookIds: ids,
      competitionsDir: competitions,
      outputDir: join(work, 'out'),
      jobs: 2,
      notebookTimeoutMs: 8000,
    };
    const summary = await runExperiment(store, options);
    const byName = (name: string) => store.db.prepare('SELECT r.* FROM runs r JOIN origins o ON o.notebook_id = r.notebook_id WHERE o.path = ?').get(join(work, 'corpus', `${name}.ipynb`)) as Record<string, unknown>;
    expect(byName('a-reproduced')).toMatchObject({ status: 'reproduced', reproducible: 1, sandbox: 'bubblewrap', competition: 'digits' });
    expect(byName('a-reproduced').score).toBeCloseTo(accuracyOf3, 12);
    expect(byName('b-mismatch')).toMatchObject({ status: 'score-mismatch', reproducible: 0 });
    expect(byName('c-no-submission')).toMatchObject({ status: 'no-submission' });
    expect(byName('d-grading-error')).toMatchObject({ status: 'grading-error', grading_error_code: 'missing-columns' });
    expect(byName('e-error')).toMatchObject({ status: 'error', error_name: 'ModuleNotFoundError', failing_cell: 2 });
    expect(byName('f-timeout')).toMatchObject({ status: 'timeout', failing_cell: 1 });
    expect(byName('g-kernel-died')).toMatchObject({ status: 'kernel-died', failing_cell: 1 });
    expect(summary.ran).toBe(7);
    expect(summary.judged).toBe(7);
    expect(summary.reproducible).toBe(1);
    // The executed notebook is written, with the outputs of the run.
    const executed = JSON.parse(readFileSync(String(byName('a-reproduced').output_path), 'utf8')) as { cells: { outputs: { text?: string[] }[] }[] };
    expect(executed.cells[1]!.outputs[0]!.text!.join('')).toBe(`${answers.length} test rows\n`);
    expect(existsSync(String(byName('a-reproduced').output_path).replace('.ipynb', '.submission.csv'))).toBe(true);

    const again = await runExperiment(store, options);
    expect(again).toMatchObject({ ran: 0, alreadyRun: 7 });
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 7 });
    store.close();
  });

  it('resumes after `mle run` itself is killed with SIGKILL, without duplicate rows', async () => {
    const db = join(work, 'killed.db');
    const mined = spawnSync(process.execPath, [cli, 'mine', 'dir', join(work, 'corpus'), '--db', db], { encoding: 'utf8' });
    expect(mined.status, mined.stderr).toBe(0);
    const args = [cli, 'run', '--all', '--db', db, '--env', 'mle-tools', '--competitions', competitions, '--out', join(work, 'out-killed'), '--timeout', '8', '--json'];
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const runsRecorded = () => {
      try {
        const handle = new Database(db, { readonly: true });
        const n = (handle.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
        handle.close();
        return n;
      } catch {
        return 0;
      }
    };
    for (let i = 0; i < 400 && runsRecorded() < 2; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGKILL');
    await exited;
    const before = runsRecorded();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(7);
    const resumed = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const summary = JSON.parse(resumed.stdout) as { ran: number; alreadyRun: number };
    expect(summary).toMatchObject({ alreadyRun: before, ran: 7 - before });
    expect(runsRecorded()).toBe(7);
    const handle = new Database(db, { readonly: true });
    expect(handle.prepare('SELECT COUNT(DISTINCT notebook_id) AS n FROM runs').get()).toEqual({ n: 7 });
    handle.close();
    // No kernel outlives the runs. A sandboxed kernel of the SIGKILLed run survives it (the outer
    // bwrap is orphaned), so the next kernel start kills what still uses a dead owner's socket
    // directory; give that teardown a few seconds before judging.
    const leftovers = () => spawnSync('pgrep', ['-a', '-f', join(work, 'out-killed')], { encoding: 'utf8' }).stdout.trim();
    for (let i = 0; i < 50 && leftovers() !== ''; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(leftovers()).toBe('');
  });
});
