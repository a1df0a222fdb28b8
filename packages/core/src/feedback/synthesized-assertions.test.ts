import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type WritableStore } from '../store/open-store.js';
import { explicitChecksByCategory, latestSynthesizerVersion } from './synthesized-assertions.js';

let dir: string;
let store: WritableStore;

function setUp(): void {
  dir = mkdtempSync(join(tmpdir(), 'mle-synth-'));
  store = openStore(join(dir, 'mle.db'));
  store.db.prepare("INSERT INTO notebooks (id, content_hash, nbformat, nbformat_minor, language, language_evidence, is_ml, cell_count, code_cell_count) VALUES (1, 'h1', 4, 5, 'python', 'metadata', 1, 3, 3)").run();
}

function assertion(id: number, version: string, category: string, line: number, outcomes: string[]): void {
  store.db
    .prepare("INSERT INTO synthesized_assertions (id, notebook_id, synthesizer_version, cell_idx, line, mechanism, category, statement, expression, kind, code, observed, stability, extraction, created_at) VALUES (?, 1, ?, 0, ?, 'print', ?, 's', ?, 'shape', 'assert x', '1', 'exact', '{}', 't')")
    .run(id, version, line, category, `e${id}`);
  for (const outcome of outcomes) store.db.prepare("INSERT INTO assertion_validations (assertion_id, kernel, outcome, validated_at) VALUES (?, 'env:1', ?, 't')").run(id, outcome);
}

afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('explicitChecksByCategory', () => {
  it('counts values with outputs, proposals, and assertions whose latest validation passed, for the newest synthesizer version', () => {
    setUp();
    expect(latestSynthesizerVersion(store)).toBeNull();
    expect(explicitChecksByCategory(store)).toEqual([]);
    store.db.prepare("INSERT INTO synthesis_runs VALUES (1, 'v1', 9, 9, '2026-01-01T00:00:00Z')").run();
    store.db.prepare("INSERT INTO synthesis_runs VALUES (1, 'v2', 3, 2, '2026-02-01T00:00:00Z')").run();
    assertion(1, 'v2', 'data shape', 1, ['fail', 'pass']);
    assertion(2, 'v2', 'data shape', 1, ['pass', 'fail']);
    assertion(3, 'v2', 'model performance', 2, []);
    assertion(4, 'v1', 'model performance', 2, ['pass']);
    store.db.prepare("INSERT INTO synthesized_skips VALUES (1, 'v2', 0, 3, 'print', 'model performance', 'print(t)', 't', 'a timestamp')").run();
    expect(latestSynthesizerVersion(store)).toBe('v2');
    expect(explicitChecksByCategory(store)).toEqual([
      // Two assertions on one printed statement: one instance with an output, made explicit once.
      { category: 'data shape', withOutput: 1, proposed: 2, validated: 1, instancesMadeExplicit: 1 },
      { category: 'model performance', withOutput: 2, proposed: 1, validated: 0, instancesMadeExplicit: 0 },
    ]);
    expect(explicitChecksByCategory(store, 'v1')).toEqual([{ category: 'model performance', withOutput: 1, proposed: 1, validated: 1, instancesMadeExplicit: 1 }]);
  });
});
