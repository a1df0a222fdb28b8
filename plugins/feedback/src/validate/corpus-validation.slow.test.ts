import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type WritableStore } from '@mle/core';
import { ingestNotebookFile } from '@mle/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertionsOf, explicitByCategory } from '../synthesize/assertion-store.js';
import { synthesizeNotebooks } from '../synthesize/synthesize-notebooks.js';
import { validateNotebooks } from './validate-notebooks.js';
import type { NotebookValidation } from './validate-assertions.js';

// Every era notebook of the bundled corpus: synthesize assertions from its stored outputs and
// validate them by running it in its dated environment (real uv environments, sandboxed kernels).
const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'mle-synthesize-'));
const notebooksDir = join(repo, 'datasets', 'notebooks');
const paths = readdirSync(notebooksDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(join(notebooksDir, d.name)).filter((f) => f.endsWith('.ipynb')).map((f) => join(d.name, f)))
  .sort();

let store: WritableStore;
const ids = new Map<string, number>();
const validations = new Map<number, NotebookValidation | { notebookId: number; error: string }>();
const withOutputs = new Map<number, number>();

beforeAll(async () => {
  store = openStore(join(root, 'mle.db'));
  for (const path of paths) ids.set(path, await ingestNotebookFile(store, join(notebooksDir, path)));
  await synthesizeNotebooks(store, [...ids.values()], { onNotebook: (id, _proposals, instances) => withOutputs.set(id, instances) });
  const toValidate = [...ids.values()].filter((id) => (withOutputs.get(id) ?? 0) > 0);
  for (const v of await validateNotebooks(store, toValidate, { competitionsDir: join(repo, 'datasets', 'competitions'), outputDir: join(root, 'out') })) validations.set(v.notebookId, v);
}, 3_600_000);

afterAll(() => {
  store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('synthesized assertions on the bundled corpus', () => {
  it('has 25 notebooks, 23 of them with stored outputs (the two Python 2 notebooks have none)', () => {
    expect(paths).toHaveLength(25);
    expect([...withOutputs.values()].filter((n) => n > 0)).toHaveLength(23);
  });

  for (const path of paths) {
    it(`${path}: every notebook with stored outputs gets validated assertions`, () => {
      const id = ids.get(path)!;
      if ((withOutputs.get(id) ?? 0) === 0) {
        expect(assertionsOf(store, id)).toHaveLength(0);
        return;
      }
      const v = validations.get(id)!;
      expect('error' in v ? v.error : null).toBeNull();
      const validated = assertionsOf(store, id, { validatedOnly: true });
      expect(validated.length, JSON.stringify(assertionsOf(store, id).filter((a) => a.validation !== 'pass').map((a) => [a.code, a.validation, a.validationDetail]))).toBeGreaterThan(0);
    });
  }

  it('reports the implicit checks made explicit per category', () => {
    const rows = explicitByCategory(store);
    const total = rows.reduce((sum, r) => sum + r.validated, 0);
    expect(total).toBe([...ids.values()].reduce((sum, id) => sum + assertionsOf(store, id, { validatedOnly: true }).length, 0));
    for (const r of rows) expect(r.instancesMadeExplicit).toBeLessThanOrEqual(r.withOutput);
    expect(rows.find((r) => r.category === 'shape')?.validated ?? 0).toBeGreaterThan(0);
  });
});
