import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type CellEdit, type Failure, type FixType } from '@mle/core';
import { runExperiment } from '@mle/runner';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatClient } from '../src/chat-client.js';
import { builtinFixTypes } from '../src/fix-types/builtin-fix-types.js';
import { modernizeExperiment, type ModernizeExperimentOptions } from '../src/modernize-experiment.js';
import { CLI, COMPETITIONS, FIT, LOAD, MARK, PREDICT, PY2_FIT, PY2_LOAD, PY2_PREDICT, REPORTED, rows, workspace } from './digits-notebooks.js';

// Real kernels (tools venv, kernelspec mle-tools), real bubblewrap sandbox, the bundled digits
// competition, real SQLite files. No LLM anywhere: the client below fails the test if called.
const work = mkdtempSync(join(tmpdir(), 'mle-modernize-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const forbiddenClient: ChatClient = {
  baseUrl: null,
  complete() {
    throw new Error('the LLM was called although rules should suffice');
  },
};

function options(ws: { kernel: ModernizeExperimentOptions['kernel'] }, experiment: string, ids: number[], extra: Partial<ModernizeExperimentOptions> = {}): ModernizeExperimentOptions {
  return {
    experiment,
    kernel: ws.kernel,
    notebookIds: ids,
    competitionsDir: COMPETITIONS,
    outputDir: join(work, 'out'),
    notebookTimeoutMs: 60_000,
    llm: { enabled: true, client: forbiddenClient, model: 'gpt-5.2' },
    ...extra,
  };
}

interface FixRecord {
  step: number;
  source: string;
  fix_code: string | null;
  outcome: string;
  outcome_reason: string;
  edited_cells: string;
  structural_diff: string;
  applied_rules: string;
  trigger_run_id: number;
  result_run_id: number | null;
}

describe('mle modernize with rules only, on real kernels', () => {
  it('rescues a Python 2 notebook (BC076-BC079) in one proactive rule step with zero LLM calls, and reproduces the score', async () => {
    const ws = await workspace(join(work, 'rescue'));
    const id = await ws.add('py2', [MARK, PY2_LOAD, PY2_FIT, PY2_PREDICT]);
    const summary = await modernizeExperiment(ws.store, options(ws, 'mod', [id]));
    expect(summary).toMatchObject({ rescued: 1, nonReproducible: 1, rescueRate: 1, llmCalls: 0, costUsd: 0, fixesPerRescued: 1, runsPerRescued: 2 });
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', initialStatus: 'error', finalStatus: 'reproduced', fixesApplied: 1, llmCalls: 0 });
    expect(rows(ws.store, 'SELECT * FROM llm_calls')).toEqual([]);

    const [fix] = rows<FixRecord>(ws.store, "SELECT * FROM fixes WHERE outcome <> 'not-applied'");
    expect(fix).toMatchObject({ step: 1, source: 'rule', fix_code: 'BC077', outcome: 'rescued' });
    const applied = JSON.parse(fix!.applied_rules) as { code: string }[];
    expect(new Set(applied.map((a) => a.code))).toEqual(new Set(['BC076', 'BC077', 'BC078', 'BC079']));
    expect(JSON.parse(fix!.edited_cells)).toEqual([2, 3, 4]);
    expect((JSON.parse(fix!.structural_diff) as { beforeIndex: number }[]).map((c) => c.beforeIndex)).toEqual([2, 3, 4]);

    // Attempts 1 (the original) and 2 (after the fix), in the modernize experiment; the final one reproduces.
    const runs = rows<{ attempt: number; status: string; score: number; id: number }>(ws.store, 'SELECT id, attempt, status, score FROM runs ORDER BY attempt');
    expect(runs.map((r) => [r.attempt, r.status])).toEqual([[1, 'error'], [2, 'reproduced']]);
    expect(Math.abs(runs[1]!.score - REPORTED) / REPORTED).toBeLessThan(0.1);
    expect(fix!.trigger_run_id).toBe(runs[0]!.id);
    expect(fix!.result_run_id).toBe(runs[1]!.id);

    // The modernized notebook keeps its markdown and has Python 3 code; the diff is beside it.
    const output = summary.notebooks[0]!.outputPath!;
    expect(output).toBe(join(work, 'out', 'mod', String(id), 'modernized.ipynb'));
    const modernized = JSON.parse(readFileSync(output, 'utf8')) as { cells: { cell_type: string; source: string[] | string }[] };
    const sources = modernized.cells.map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
    expect(modernized.cells[0]!.cell_type).toBe('markdown');
    expect(sources[2]).toContain('from collections.abc import Mapping');
    expect(sources[2]).toContain('print("train rows", len(train))');
    expect(sources[3]).toContain('for i in range(64)');
    expect(sources[3]).toContain('label in sums');
    expect(sources[3]).toContain('sums.items()');
    expect(sources[4]).toContain("print('written')");
    expect(readFileSync(join(work, 'out', 'mod', String(id), 'modernized.diff.txt'), 'utf8')).toContain('rename identifier `xrange` → `range`');
    expect(existsSync(join(work, 'out', 'mod', String(id), 'modernized.diff.json'))).toBe(true);

    // The rule fix that answered the error was learned into the cache.
    expect(rows<{ source: string }>(ws.store, 'SELECT source FROM fix_cache').map((r) => r.source)).toContain('rule');
    ws.store.close();
  });

  it('one fix per run takes a run per breaking change (what the proactive pass saves), and the fix budget stops it with the best state kept', async () => {
    const ws = await workspace(join(work, 'budget'));
    const id = await ws.add('py2', [MARK, PY2_LOAD, PY2_FIT, PY2_PREDICT]);
    // The baseline experiment's run is reused as the loop's initial run.
    await runExperiment(ws.store, { experiment: 'baseline', kind: 'baseline', kernel: ws.kernel, notebookIds: [id], competitionsDir: COMPETITIONS, outputDir: join(work, 'out'), notebookTimeoutMs: 60_000 });
    const summary = await modernizeExperiment(ws.store, options(ws, 'one-per-run', [id], { rulePolicy: 'one-per-run', maxFixes: 2, baseline: 'baseline' }));
    expect(summary.notebooks[0]).toMatchObject({ status: 'fix-budget-exhausted', initialStatus: 'error', finalStatus: 'error', fixesApplied: 2, fixesRolledBack: 0 });
    const fixes = rows<FixRecord>(ws.store, "SELECT * FROM fixes WHERE outcome <> 'not-applied' ORDER BY step");
    expect(fixes.map((f) => [f.fix_code, f.outcome])).toEqual([['BC077', 'improved'], ['BC076', 'improved']]);
    // Only the two fixes' runs belong to the modernize experiment; the initial run is the baseline's.
    const loop = rows<{ initial_run_id: number; best_run_id: number }>(ws.store, 'SELECT initial_run_id, best_run_id FROM modernizations')[0]!;
    expect(rows<{ name: string }>(ws.store, 'SELECT e.name FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?', loop.initial_run_id)).toEqual([{ name: 'baseline' }]);
    expect(rows<{ attempt: number }>(ws.store, "SELECT attempt FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE e.name = 'one-per-run' ORDER BY attempt").map((r) => r.attempt)).toEqual([1, 2]);
    expect(loop.best_run_id).toBe(fixes[1]!.result_run_id);
    const best = readFileSync(summary.notebooks[0]!.outputPath!, 'utf8');
    expect(best).toContain('collections.abc');
    expect(best).toContain('xrange');
    ws.store.close();
  });

  it('rolls back a fix that breaks a cell that passed, then rescues with the next rule', async () => {
    const ws = await workspace(join(work, 'regression'));
    const id = await ws.add('xrange', [MARK, LOAD, FIT.replace('for i in range(64)', 'for i in xrange(64)'), PREDICT]);
    // A plugin-style rule that answers the error by "fixing" the cell before it: it matches, its
    // edits apply, and the run fails in a cell that passed — the regression guard must undo it.
    const vandal: FixType<{ edits: CellEdit[] }> = {
      meta: {
        id: 'test-vandal',
        code: 'TST001',
        kind: 'error-repair',
        description: 'Breaks the loading cell (a test of the regression guard).',
        docsUrl: 'https://example.org/TST001',
        fixable: 'always',
        safety: 'safe',
        messages: { found: 'xrange found' },
        errorSignatures: [{ name: 'NameError', value: /xrange/ }],
      },
      match(failure: Failure) {
        const load = failure.notebook.cells.find((cell) => cell.source.includes('csv.DictReader'));
        return load ? { sites: [{ messageId: 'found', data: {}, cellIndex: load.index, line: 1, column: 1, endLine: 1, endColumn: 1 }], details: { edits: [{ kind: 'replace-range', cellIndex: load.index, start: 0, end: 0, text: "raise RuntimeError('broken by a fix')\n" }] } } : null;
      },
      fix(match) {
        return { title: 'Break the loading cell', safety: 'safe', edits: match.details.edits };
      },
    };
    const summary = await modernizeExperiment(ws.store, options(ws, 'guard', [id], { rulePolicy: 'one-per-run', fixTypes: [vandal as FixType, ...builtinFixTypes] }));
    expect(summary.notebooks[0]).toMatchObject({ status: 'rescued', finalStatus: 'reproduced', fixesApplied: 2, fixesRolledBack: 1, llmCalls: 0 });
    const fixes = rows<FixRecord>(ws.store, 'SELECT * FROM fixes ORDER BY step');
    expect(fixes.map((f) => [f.fix_code, f.outcome])).toEqual([['TST001', 'rolled-back'], ['BC078', 'rescued']]);
    expect(fixes[0]!.outcome_reason).toMatch(/^regression: cell 2 passed before and now ends in error/);
    // The rescue started from the state before the rolled-back fix.
    expect(fixes[1]!.trigger_run_id).toBe(fixes[0]!.trigger_run_id);
    const modernized = readFileSync(summary.notebooks[0]!.outputPath!, 'utf8');
    expect(modernized).not.toContain('broken by a fix');
    expect(modernized).toContain('for i in range(64)');
    ws.store.close();
  });

  it('resumes: finished loops are skipped, an interrupted loop restarts cleanly from the original with its runs kept', async () => {
    const ws = await workspace(join(work, 'resume'));
    const a = await ws.add('a-py2', [MARK, PY2_LOAD, PY2_FIT, PY2_PREDICT]);
    const b = await ws.add('b-py2', [MARK, PY2_LOAD.replace('train rows', 'rows of train'), PY2_FIT, PY2_PREDICT]);
    const controller = new AbortController();
    // Stop (at the next safe point) once notebook b has kept its first fix.
    const first = await modernizeExperiment(
      ws.store,
      options(ws, 'resumable', [a, b], {
        rulePolicy: 'one-per-run',
        signal: controller.signal,
        onStep: (event) => {
          if (event.notebookId === b && /^step 1: improved/.test(event.message)) controller.abort();
        },
      }),
    );
    expect(first.interrupted).toBe(true);
    expect(first.notebooks.map((n) => [n.notebookId, n.status, n.interrupted])).toEqual([[a, 'rescued', false], [b, 'running', true]]);
    const before = rows<{ id: number; initial_run_id: number }>(ws.store, 'SELECT id, initial_run_id FROM modernizations WHERE notebook_id = ?', b)[0]!;
    expect(rows(ws.store, 'SELECT step FROM fixes WHERE modernization_id = ?', before.id)).toHaveLength(1);
    const aFixes = rows(ws.store, 'SELECT * FROM fixes f JOIN modernizations m ON m.id = f.modernization_id WHERE m.notebook_id = ?', a);

    const again = await modernizeExperiment(ws.store, options(ws, 'resumable', [a, b], { rulePolicy: 'one-per-run' }));
    expect(again.interrupted).toBe(false);
    expect(again.notebooks.map((n) => [n.notebookId, n.status, n.alreadyDone])).toEqual([[a, 'rescued', true], [b, 'rescued', false]]);
    expect(again).toMatchObject({ rescued: 2, nonReproducible: 2, alreadyDone: 1 });
    // a untouched; b's loop row kept (same id, same initial run), its steps redone from the original.
    expect(rows(ws.store, 'SELECT * FROM fixes f JOIN modernizations m ON m.id = f.modernization_id WHERE m.notebook_id = ?', a)).toEqual(aFixes);
    const after = rows<{ id: number; initial_run_id: number; fixes_applied: number }>(ws.store, 'SELECT id, initial_run_id, fixes_applied FROM modernizations WHERE notebook_id = ?', b)[0]!;
    expect(after).toMatchObject({ id: before.id, initial_run_id: before.initial_run_id, fixes_applied: 5 });
    expect(rows<{ step: number }>(ws.store, 'SELECT step FROM fixes WHERE modernization_id = ? ORDER BY step', before.id).map((f) => f.step)).toEqual([1, 2, 3, 4, 5]);
    // Every run kept, attempts unique and increasing: 1 initial + 1 before the interruption + 5 after.
    expect(rows<{ attempt: number }>(ws.store, 'SELECT attempt FROM runs WHERE notebook_id = ? ORDER BY attempt', b).map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // No cache entry points at a deleted step.
    expect(rows(ws.store, 'SELECT id FROM fix_cache WHERE origin_fix_id IS NOT NULL AND origin_fix_id NOT IN (SELECT id FROM fixes)')).toEqual([]);
    ws.store.close();
  });

  it('mle modernize (the CLI) repairs a notebook file with --no-llm and reports JSON', () => {
    const dir = join(work, 'cli');
    const db = join(dir, 'mle.db');
    // The workspace helper writes the file; the CLI ingests it from its path.
    return workspace(dir).then(async (ws) => {
      await ws.add('cli-py2', [MARK, PY2_LOAD, PY2_FIT, PY2_PREDICT]);
      ws.store.close();
      const result = spawnSync(
        process.execPath,
        [CLI, 'modernize', ws.path('cli-py2'), '--db', db, '--env', 'mle-tools', '--experiment', 'cli', '--no-llm', '--out', join(dir, 'out'), '--competitions', COMPETITIONS, '--json'],
        { encoding: 'utf8', env: { ...process.env, OPENAI_API_KEY: '' } },
      );
      expect(result.status, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as { rescued: number; llmCalls: number; notebooks: { status: string; outputPath: string }[] };
      expect(summary).toMatchObject({ rescued: 1, llmCalls: 0 });
      expect(existsSync(summary.notebooks[0]!.outputPath)).toBe(true);
      const text = spawnSync(process.execPath, [CLI, 'modernize', ws.path('cli-py2'), '--db', db, '--env', 'mle-tools', '--experiment', 'cli', '--no-llm', '--out', join(dir, 'out'), '--competitions', COMPETITIONS], { encoding: 'utf8' });
      expect(text.status, text.stderr).toBe(0);
      expect(text.stdout).toContain('rescued (done earlier)');
      expect(text.stdout).toMatch(/rescued: 1 of 1 non-reproducible notebooks with a reported score \(100\.0%\)/);
      // The kernel limits reach the loop (and are part of the experiment's recorded settings).
      const store = openStore(db);
      const config = JSON.parse((store.db.prepare("SELECT config FROM experiments WHERE name = 'cli'").get() as { config: string }).config) as Record<string, unknown>;
      store.close();
      expect(config).toMatchObject({ memoryBytes: 8 * 1024 ** 3, maxProcesses: 1024, safety: 'safe', rulePolicy: 'fix-all', llm: null, maxFixes: 16 });
    });
  });
});
