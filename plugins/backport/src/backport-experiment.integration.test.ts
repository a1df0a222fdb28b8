import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '@mle/core';
import { environmentKernel, ingestNotebookFile, runExperiment } from '@mle/runner';
import { afterAll, describe, expect, it } from 'vitest';
import { backportExperiment } from './backport-experiment.js';
import { EnvironmentBuilder } from './create-environment.js';

// Real uv environments (shared uv cache under .mle/uv-cache), real sandboxed kernels, the bundled
// digits competition. The notebooks import pandas, so each environment is the Python of its date,
// the pandas (and numpy) of its date, and ipykernel.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-backport-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function notebook(name: string, date: string, cells: string[]): string {
  const path = join(root, `${name}.ipynb`);
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', language: 'python' }, mle: { competition: 'digits', date, reported_score: 0.5 } },
    cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source })),
  };
  writeFileSync(path, JSON.stringify(nb));
  return path;
}

describe('mle backport', () => {
  it('runs each notebook in the environment of its date, and a second backport builds nothing', async () => {
    const store = openStore(join(root, 'mle.db'));
    const versionCell = "import sys, pandas\nprint('%d.%d' % sys.version_info[:2], pandas.__version__)";
    const ids = [
      await ingestNotebookFile(store, notebook('a-2023', '2023-03-01', [versionCell])),
      await ingestNotebookFile(store, notebook('b-2023-same-month', '2023-03-20', [versionCell, 'x = 1'])),
      await ingestNotebookFile(store, notebook('c-2024', '2024-06-01', [versionCell, 'y = 2'])),
    ];
    const builder = () => new EnvironmentBuilder(store, { envDir: join(root, 'envs'), uvCacheDir: join(repo, '.mle', 'uv-cache'), dateGranularity: 'month' });
    const options = { notebookIds: ids, competitionsDir: join(repo, 'datasets', 'competitions'), outputDir: join(root, 'out'), notebookTimeoutMs: 60_000 };
    const first = await backportExperiment(store, { ...options, experiment: 'backport', builder: builder() });
    // No submission is written: every run ends no-submission, each in its own dated interpreter.
    expect(first.statuses, JSON.stringify(store.db.prepare('SELECT error_name, error_value FROM runs').all())).toEqual({ 'no-submission': 3 });
    expect(first.environments, JSON.stringify(store.db.prepare('SELECT e.environment_id, e.notebook_id, e.action, v.python_version, v.target_date FROM environment_events e JOIN environments v ON v.id = e.environment_id').all())).toEqual({ built: 2, reused: 1, failed: 0, skipped: 0 });
    const printed = (id: number) => {
      const row = store.db.prepare("SELECT r.output_path FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'backport' AND r.notebook_id = ?").get(id) as { output_path: string };
      const executed = JSON.parse(readFileSync(row.output_path, 'utf8')) as { cells: { outputs: { text: string[] }[] }[] };
      return executed.cells[0]!.outputs[0]!.text.join('').trim();
    };
    // Python by date: newest minor before the date, minus one (3.11 → 3.10 in March 2023; 3.12 → 3.11
    // in June 2024); pandas as uploaded before the date (2.0 came out in April 2023).
    const [python2023, pandas2023] = printed(ids[0]!).split(' ');
    const [python2024, pandas2024] = printed(ids[2]!).split(' ');
    expect(python2023).toBe('3.10');
    expect(Number(pandas2023!.split('.')[0])).toBe(1);
    expect(python2024).toBe('3.11');
    expect(Number(pandas2024!.split('.')[0])).toBe(2);

    // The same notebook in a contemporary environment runs today's pandas.
    const contemporary = await builder().create({ kind: 'contemporary', stack: ['pandas'] });
    if (contemporary.status !== 'ready') throw new Error(`${contemporary.environment.failureMode}: ${contemporary.environment.failureMessage}`);
    const env = contemporary.environment;
    const now = await runExperiment(store, {
      ...options,
      notebookIds: [ids[0]!],
      experiment: 'baseline',
      kind: 'baseline',
      kernel: environmentKernel(env.id, env.path!),
    });
    expect(now.statuses).toEqual({ 'no-submission': 1 });
    const baselineRun = store.db.prepare("SELECT r.output_path FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'baseline'").get() as { output_path: string };
    const pandasNow = (JSON.parse(readFileSync(baselineRun.output_path, 'utf8')) as { cells: { outputs: { text: string[] }[] }[] }).cells[0]!.outputs[0]!.text.join('').trim().split(' ')[1]!;
    expect(Number(pandasNow.split('.')[0])).toBeGreaterThanOrEqual(2);
    expect(pandasNow).not.toBe(pandas2024);

    const builds = () => (store.db.prepare("SELECT COUNT(*) AS n FROM environment_events WHERE action = 'built'").get() as { n: number }).n;
    expect(builds()).toBe(3); // two dated environments and the contemporary one
    const second = await backportExperiment(store, { ...options, experiment: 'backport-again', builder: builder() });
    expect(second.environments).toEqual({ built: 0, reused: 3, failed: 0, skipped: 0 });
    expect(second.transitions).toEqual({ 'no-submission → no-submission': 1 });
    expect(builds()).toBe(3);
    store.close();
  });
});
