import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNotebook, openStore, readNotebook, type WritableStore } from '@mle/core';
import { EnvironmentBuilder } from '@mle/plugin-backport';
import { environmentKernel, ingestNotebookFile, runExperiment } from '@mle/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeNotebooks } from '../synthesize/synthesize-notebooks.js';
import { validateNotebooks } from '../validate/validate-notebooks.js';
import { divergenceOf, notebookDivergence, outputsOracle } from './outputs-oracle.js';

// The four `default-change` era notebooks run without error in today's libraries but no longer
// reproduce their score. Their assertions are synthesized from the stored outputs, validated in
// each notebook's dated environment (real uv environments, cached under ~/.cache/mle/envs), then
// the notebooks run in the demo's contemporary environment with the outputs oracle, which must
// name the cell where each known cause first shows.
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-oracle-'));
const competitionsDir = join(repo, 'datasets', 'competitions');

interface KnownCause {
  path: string;
  /** First divergence with text comparison on, and what its message must say (a validated value, or the output line). */
  cell: number;
  line: RegExp;
  /** First divergence through the validated assertions alone, and the expression. */
  assertionCell: number;
  expression: RegExp;
}

const CASES: Record<string, KnownCause> = {
  // XGBoost 2.0 starts boosting from the target mean (base_score was 0.5): the first round's
  // validation RMSE in the fit cell's evaluation log moves, then the printed validation score.
  xgboost: { path: 'diabetes-progression/2023-05-arjunk-xgboost-slow-lr.ipynb', cell: 6, line: /validation_0-rmse/, assertionCell: 7, expression: /^rmse$/ },
  // scikit-learn 1.6's LinearRegression lstsq cond: the cross-validated RMSE print.
  polynomial: { path: 'diabetes-progression/2024-02-ewaz-polynomial-regression.ipynb', cell: 6, line: /`rmse` was 79, now \d/, assertionCell: 6, expression: /^rmse$/ },
  // AdaBoost without SAMME.R: the first cross-validated log loss.
  adaboost: { path: 'wine-cultivars/2022-09-oleksandrv-adaboost.ipynb', cell: 7, line: /`-scores\.mean\(\)` was 0\.8052, now \d/, assertionCell: 7, expression: /scores\.mean\(\)/ },
  // Copy-on-Write: the clipping cell (7) no longer clips, so the check printed after it (cell 8,
  // the columns' minimum, 0.05) is where the assertions see it. The text comparison sees an
  // earlier, separate change first: log_loss of the (unnormalised) clipped probabilities in the
  // k loop of cell 6 (scikit-learn now normalises them).
  knn: { path: 'wine-cultivars/2023-07-mwanjiru-knn-clipped.ipynb', cell: 6, line: /clipped=/, assertionCell: 8, expression: /min\(\)/ },
};

let store: WritableStore;
const ids: Record<string, number> = {};

beforeAll(async () => {
  store = openStore(join(root, 'mle.db'));
  for (const [name, known] of Object.entries(CASES)) ids[name] = await ingestNotebookFile(store, join(repo, 'datasets', 'notebooks', known.path));
  await synthesizeNotebooks(store, Object.values(ids));
  const validations = await validateNotebooks(store, Object.values(ids), { competitionsDir, outputDir: join(root, 'out') });
  for (const v of validations) expect('error' in v ? v.error : v.passed, JSON.stringify(v)).toBeGreaterThan(0);
  const contemporary = await new EnvironmentBuilder(store).create({ kind: 'contemporary', at: '2026-11-20' });
  expect(contemporary.status).toBe('ready');
  const env = contemporary.environment;
  const summary = await runExperiment(store, {
    experiment: 'contemporary',
    kind: 'baseline',
    kernel: environmentKernel(env.id, env.path!),
    notebookIds: Object.values(ids),
    competitionsDir,
    outputDir: join(root, 'out'),
    jobs: 2,
    oracle: outputsOracle,
  });
  expect(summary.statuses).toEqual({ 'score-mismatch': 4 });
}, 1_800_000);

afterAll(() => {
  store?.close();
  rmSync(root, { recursive: true, force: true });
});

function runOf(notebookId: number): { id: number; output_path: string } {
  return store.db.prepare('SELECT id, output_path FROM runs WHERE notebook_id = ? ORDER BY id DESC LIMIT 1').get(notebookId) as { id: number; output_path: string };
}

describe('the outputs oracle on the default-change notebooks (contemporary environment)', () => {
  for (const [name, known] of Object.entries(CASES)) {
    it(`${name}: names the first diverging cell and the value that moved`, () => {
      const run = runOf(ids[name]!);
      const recorded = divergenceOf(store, run.id);
      expect(recorded?.cell, recorded?.message ?? 'no divergence').toBe(known.cell);
      expect(recorded?.message).toMatch(known.line);
      expect(recorded?.message).toMatch(new RegExp(`^diverges first at cell ${known.cell}: `));

      const executed = readNotebook(readFileSync(run.output_path, 'utf8'));
      if (!executed.ok) throw new Error(executed.reason);
      const viaAssertions = notebookDivergence(store, ids[name]!, executed.notebook, undefined, { text: false });
      expect(viaAssertions.divergence?.cell, viaAssertions.divergence?.message ?? 'no divergence').toBe(known.assertionCell);
      expect(viaAssertions.divergence?.via).toBe('assertion');
      expect(viaAssertions.divergence?.expression).toMatch(known.expression);
      // The stored notebook compared with itself never diverges.
      const itself = loadNotebook(store, ids[name]!)!;
      expect(notebookDivergence(store, ids[name]!, itself).divergence).toBeNull();
    });
  }
});
