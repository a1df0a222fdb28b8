import { openStore, type WritableStore } from '@mle/core';

/**
 * A small but complete mle database for report tests, written through openStore (so every
 * migration's constraints apply) with rows as the pipeline writes them. The expected numbers in
 * report tests are hand-computed from the tables in the comments below.
 *
 * Notebooks 1-10 (10 is not ML and never run; 1-9 have a competition and a reported score).
 *
 * baseline (E1), one row per notebook: status (relative error, wall s)
 *   1 reproduced (0.02, 5)   2 reproduced: attempt 1 score-mismatch 0.12, attempt 2 0.05 (12 s), verdict reproducible
 *   3 attempt 1 reproduced, attempt 2 score-mismatch 0.30 (30 s), verdict not reproducible → score-mismatch
 *   4 error ModuleNotFoundError (2)   5 error AttributeError (3)   6 error ValueError could not convert (4)
 *   7 timeout (600)   8 error NameError (1.5)   9 no-submission (8)
 * backport (E2): 1 reproduced, 2 env-failed, 3 score-mismatch, 4 reproduced, 5 error AttributeError,
 *   6 env-failed, 7 timeout, 8 error ImportError
 * modernize-rules (E3): 1 already-reproducible; 3 not-rescued (0 fixes); 4 rescued (rule module-move);
 *   5 rescued (rule dataframe-append improved, then rescued); 6 fix-budget-exhausted (rule rolled back,
 *   rule not applied); 7 not-rescued; 8 rescued (cache); 9 not-rescued
 * modernize-llm (E4): 1 already-reproducible; 3 rescued (llm improved, llm rescued); 4 rescued (rule);
 *   5 rescued (rule); 6 rescued (rule rolled back, llm rescued); 7 not-rescued (llm no-change);
 *   8 rescued (cache); 9 llm-budget-exhausted (llm not applied). LLM calls: 3: $0.05 + $0.07,
 *   6: $0.10, 7: $0.04 (invalid-answer) + $0.04, 9: $0.20 (invalid-answer) = $0.50.
 */
export interface FixtureOptions {
  /** Text put wherever notebook-derived strings go (cells, errors, paths, an experiment name). */
  payload?: string;
  /**
   * Directory the executed notebooks and diffs are said to be in (for links; tests create the
   * files they want linked). With a payload, notebook 5's baseline notebook is named like a
   * javascript: URL.
   */
  artifactDir?: string;
}

export const EXPERIMENTS = { baseline: 'baseline', backport: 'backport', rules: 'modernize-rules', llm: 'modernize-llm' } as const;

const AT = '2025-01-02T03:04:05.000Z';

export function buildFixtureDatabase(path: string, options: FixtureOptions = {}): { store: WritableStore; experimentNames: Record<keyof typeof EXPERIMENTS, string> } {
  const store = openStore(path);
  const db = store.db;
  const payload = options.payload ?? '';
  // With a payload, one experiment name carries it and another starts like a spreadsheet formula.
  const names = payload ? { ...EXPERIMENTS, backport: '=HYPERLINK("http://example.invalid/","backport")', llm: `modernize-llm ${payload}` } : { ...EXPERIMENTS };
  const artifact = (name: string) => (options.artifactDir ? `${options.artifactDir}/${name}` : `/nonexistent/${name}`);

  db.transaction(() => {
    db.prepare("INSERT INTO sources (id, kind, location, created_at) VALUES (1, 'dir', '/corpus', ?)").run(AT);
    for (let id = 1; id <= 10; id++) {
      const ml = id === 10 ? 0 : 1;
      db.prepare(
        `INSERT INTO notebooks (id, content_hash, nbformat, nbformat_minor, language, language_evidence, python_major, is_ml, ml_libraries, cell_count, code_cell_count, primary_origin_id, date, competition, reported_score, reported_score_kind)
         VALUES (?, ?, 4, 5, 'python', 'kernelspec', 3, ?, '["sklearn"]', 3, 3, ?, '2019-05-01T00:00:00Z', ?, ?, 'private')`,
      ).run(id, `hash-${id}`, ml, id, id === 10 ? null : 'titanic', id === 10 ? null : 0.8);
      db.prepare("INSERT INTO origins (id, source_id, origin_key, path, date, status, notebook_id) VALUES (?, 1, ?, ?, '2019-05-01T00:00:00Z', 'stored', ?)").run(
        id,
        `nb${id}.ipynb`,
        id === 5 && payload ? `/corpus/nb5 ${payload}.ipynb` : `/corpus/nb${id}.ipynb`,
        id,
      );
      const sources = ['import pandas as pd\nfrom sklearn.linear_model import LogisticRegression', `train = pd.read_csv('../input/train.csv')  # notebook ${id}`, id === 5 && payload ? `print("${payload}")` : 'df = df.append(other)'];
      sources.forEach((source, idx) => db.prepare("INSERT INTO cells (notebook_id, idx, cell_type, source, outputs) VALUES (?, ?, 'code', ?, '[]')").run(id, idx, source));
    }
    db.prepare(
      `INSERT INTO competitions (slug, title, metric, higher_is_better, id_column, target_columns, submission_columns, runtime_budget_seconds, dir, data_dir, answers_path, config_sha256, answers_sha256, registered_at)
       VALUES ('titanic', 'Titanic', 'accuracy', 1, 'PassengerId', '["Survived"]', '["Survived"]', 600, '/c/titanic', '/c/titanic/data', '/c/titanic/private/answers.csv', 'a', 'b', ?)`,
    ).run(AT);
    const experiment = (id: number, name: string, kind: string) => db.prepare("INSERT INTO experiments (id, name, kind, config, started_at, finished_at) VALUES (?, ?, ?, '{}', ?, ?)").run(id, name, kind, AT, AT);
    experiment(1, names.baseline, 'baseline');
    experiment(2, names.backport, 'backport');
    experiment(3, names.rules, 'modernize');
    experiment(4, names.llm, 'modernize');

    let runId = 0;
    const run = (
      experimentId: number,
      notebookId: number,
      attempt: number,
      status: string,
      facts: { error?: [string, string]; relativeError?: number; wallMs?: number; failingCell?: number } = {},
    ): number => {
      runId++;
      const score = facts.relativeError === undefined ? null : 0.8 * (1 - facts.relativeError);
      db.prepare(
        `INSERT INTO runs (id, experiment_id, notebook_id, competition, attempt, status, error_name, error_value, failing_cell, wall_ms, score, reported_score, relative_error, reproducible, output_path, started_at, finished_at)
         VALUES (?, ?, ?, 'titanic', ?, ?, ?, ?, ?, ?, ?, 0.8, ?, ?, ?, ?, ?)`,
      ).run(
        runId,
        experimentId,
        notebookId,
        attempt,
        status,
        facts.error?.[0] ?? null,
        facts.error?.[1] ?? null,
        facts.error ? (facts.failingCell ?? 2) : null,
        facts.wallMs ?? 1000,
        score,
        facts.relativeError ?? null,
        facts.relativeError === undefined ? null : facts.relativeError <= 0.1 ? 1 : 0,
        payload && experimentId === 1 && notebookId === 5 ? artifact('javascript:window.__xss=4') : artifact(`e${experimentId}-nb${notebookId}-a${attempt}.ipynb`),
        AT,
        AT,
      );
      return runId;
    };
    const errorValue = (text: string) => (payload ? `${text} ${payload}` : text);
    // baseline
    run(1, 1, 1, 'reproduced', { relativeError: 0.02, wallMs: 5000 });
    run(1, 2, 1, 'score-mismatch', { relativeError: 0.12, wallMs: 11000 });
    run(1, 2, 2, 'reproduced', { relativeError: 0.05, wallMs: 12000 });
    run(1, 3, 1, 'reproduced', { relativeError: 0.08, wallMs: 29000 });
    run(1, 3, 2, 'score-mismatch', { relativeError: 0.3, wallMs: 30000 });
    run(1, 4, 1, 'error', { error: ['ModuleNotFoundError', "No module named 'sklearn.cross_validation'"], wallMs: 2000, failingCell: 0 });
    run(1, 5, 1, 'error', { error: ['AttributeError', errorValue("'DataFrame' object has no attribute 'append'")], wallMs: 3000, failingCell: 2 });
    run(1, 6, 1, 'error', { error: ['ValueError', "could not convert string to float: 'male'"], wallMs: 4000 });
    run(1, 7, 1, 'timeout', { wallMs: 600000 });
    run(1, 8, 1, 'error', { error: ['NameError', "name 'train_df' is not defined"], wallMs: 1500 });
    run(1, 9, 1, 'no-submission', { wallMs: 8000 });
    const verdict = (notebookId: number, reproducible: number) =>
      db.prepare("INSERT INTO run_verdicts (experiment_id, notebook_id, criterion, runs, reproducible, reason, decided_at) VALUES (1, ?, 't-test', 2, ?, 'two attempts', ?)").run(notebookId, reproducible, AT);
    verdict(2, 1);
    verdict(3, 0);
    // backport
    run(2, 1, 1, 'reproduced', { relativeError: 0.01, wallMs: 6000 });
    run(2, 2, 1, 'env-failed', { wallMs: 0 });
    run(2, 3, 1, 'score-mismatch', { relativeError: 0.4, wallMs: 31000 });
    run(2, 4, 1, 'reproduced', { relativeError: 0.0, wallMs: 2500 });
    run(2, 5, 1, 'error', { error: ['AttributeError', "module 'numpy' has no attribute 'float'"], wallMs: 3500 });
    run(2, 6, 1, 'env-failed', { wallMs: 0 });
    run(2, 7, 1, 'timeout', { wallMs: 600000 });
    run(2, 8, 1, 'error', { error: ['ImportError', "cannot import name 'Imputer' from 'sklearn.preprocessing'"], wallMs: 1800 });

    // modernizations: [notebook, status, initial status, final status, fixes applied, rolled back, llm calls, cost, fixes]
    type Fix = [source: string, fixType: string | null, code: string | null, kind: string, outcome: string];
    type Loop = [number, string, string, string, number, number, number, number, Fix[]];
    let modernizationId = 0;
    let fixId = 0;
    const loops = (experimentId: number, list: Loop[]) => {
      for (const [notebookId, status, initial, final, applied, rolledBack, calls, cost, fixes] of list) {
        const initialRun = run(experimentId, notebookId, 1, initial, initial === 'reproduced' ? { relativeError: 0.02 } : initial === 'error' ? { error: ['AttributeError', 'x'] } : {});
        const bestRun = fixes.length ? run(experimentId, notebookId, 2, final, final === 'reproduced' ? { relativeError: 0.04, wallMs: 2000 } : final === 'error' ? { error: ['AttributeError', 'y'] } : {}) : initialRun;
        modernizationId++;
        db.prepare(
          `INSERT INTO modernizations (id, experiment_id, notebook_id, status, initial_run_id, best_run_id, initial_status, final_status, fixes_applied, fixes_rolled_back, llm_calls, cost_usd, wall_ms, output_path, diff_path, started_at, finished_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 60000, ?, ?, ?, ?)`,
        ).run(
          modernizationId,
          experimentId,
          notebookId,
          status,
          initialRun,
          bestRun,
          initial,
          final,
          applied,
          rolledBack,
          calls,
          cost,
          artifact(`e${experimentId}-nb${notebookId}.modernized.ipynb`),
          artifact(`e${experimentId}-nb${notebookId}.diff.json`),
          AT,
          AT,
        );
        fixes.forEach(([source, fixType, code, kind, outcome], step) => {
          fixId++;
          db.prepare(
            `INSERT INTO fixes (id, modernization_id, step, trigger_run_id, result_run_id, kind, source, fix_type_id, fix_code, safety, title, error_signature, outcome, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'safe', ?, ?, ?, ?)`,
          ).run(fixId, modernizationId, step + 1, initialRun, bestRun, kind, source, fixType, code, `fix ${fixType ?? 'llm'}`, payload ? `AttributeError: ${payload}` : 'AttributeError: x', outcome, AT);
        });
      }
    };
    loops(3, [
      [1, 'already-reproducible', 'reproduced', 'reproduced', 0, 0, 0, 0, []],
      [3, 'not-rescued', 'score-mismatch', 'score-mismatch', 0, 0, 0, 0, []],
      [4, 'rescued', 'error', 'reproduced', 1, 0, 0, 0, [['rule', 'module-move', 'BC030', 'error-repair', 'rescued']]],
      [5, 'rescued', 'error', 'reproduced', 2, 0, 0, 0, [['rule', 'dataframe-append', 'BC024', 'error-repair', 'improved'], ['rule', 'dataframe-append', 'BC024', 'error-repair', 'rescued']]],
      [6, 'fix-budget-exhausted', 'error', 'error', 0, 1, 0, 0, [['rule', 'read-csv-error-bad-lines', 'BC031', 'error-repair', 'rolled-back'], ['rule', 'read-csv-error-bad-lines', 'BC031', 'error-repair', 'not-applied']]],
      [7, 'not-rescued', 'timeout', 'timeout', 0, 0, 0, 0, []],
      [8, 'rescued', 'error', 'reproduced', 1, 0, 0, 0, [['cache', 'module-move', 'BC030', 'error-repair', 'rescued']]],
      [9, 'not-rescued', 'no-submission', 'no-submission', 0, 0, 0, 0, []],
    ]);
    loops(4, [
      [1, 'already-reproducible', 'reproduced', 'reproduced', 0, 0, 0, 0, []],
      [3, 'rescued', 'score-mismatch', 'reproduced', 2, 0, 2, 0.12, [['llm', null, null, 'score-calibration', 'improved'], ['llm', null, null, 'score-calibration', 'rescued']]],
      [4, 'rescued', 'error', 'reproduced', 1, 0, 0, 0, [['rule', 'module-move', 'BC030', 'error-repair', 'rescued']]],
      [5, 'rescued', 'error', 'reproduced', 1, 0, 0, 0, [['rule', 'dataframe-append', 'BC024', 'error-repair', 'rescued']]],
      [6, 'rescued', 'error', 'reproduced', 1, 1, 1, 0.1, [['rule', 'read-csv-error-bad-lines', 'BC031', 'error-repair', 'rolled-back'], ['llm', null, null, 'error-repair', 'rescued']]],
      [7, 'not-rescued', 'timeout', 'timeout', 1, 0, 2, 0.08, [['llm', null, null, 'runtime-reduction', 'no-change']]],
      [8, 'rescued', 'error', 'reproduced', 1, 0, 0, 0, [['cache', 'module-move', 'BC030', 'error-repair', 'rescued']]],
      [9, 'llm-budget-exhausted', 'no-submission', 'no-submission', 0, 0, 1, 0.2, [['llm', null, null, 'score-calibration', 'not-applied']]],
    ]);
    // LLM calls of E4, modernization ids 9.. (E3 has 8 loops): nb3 = 10, nb6 = 13, nb7 = 14, nb9 = 16.
    const call = (modernization: number, status: string, cost: number, tokensIn: number, tokensOut: number, latencyMs: number) =>
      db.prepare(
        `INSERT INTO llm_calls (modernization_id, model, base_url, granularity, kind, status, tokens_in, tokens_cached, tokens_out, cost_usd, latency_ms, created_at)
         VALUES (?, 'gpt-test', 'http://127.0.0.1:1', 'cell', 'error-repair', ?, ?, 100, ?, ?, ?, ?)`,
      ).run(modernization, status, tokensIn, tokensOut, cost, latencyMs, AT);
    call(10, 'ok', 0.05, 1000, 200, 1000);
    call(10, 'ok', 0.07, 1500, 300, 2000);
    call(13, 'ok', 0.1, 2000, 400, 3000);
    call(14, 'invalid-answer', 0.04, 800, 100, 4000);
    call(14, 'ok', 0.04, 800, 100, 5000);
    call(16, 'invalid-answer', 0.2, 4000, 800, 6000);

    // environments: 4, two failed
    const environment = (id: number, kind: string, status: string, mode: string | null, step: string | null, message: string | null) =>
      db.prepare(
        `INSERT INTO environments (id, key, kind, python_version, status, failure_mode, failure_step, failure_message, created_at, last_used_at) VALUES (?, ?, ?, '3.8.20', ?, ?, ?, ?, ?, ?)`,
      ).run(id, `env-${id}`, kind, status, mode, step, message, AT, AT);
    environment(1, 'contemporary', 'ready', null, null, null);
    environment(2, 'backport', 'ready', null, null, null);
    environment(3, 'backport', 'failed', 'no-wheel', 'install', payload ? `no wheel for ${payload}` : 'no wheel for tensorflow==1.4.0 on cp38');
    environment(4, 'backport', 'failed', 'resolution-conflict', 'resolve', 'numpy<=1.13 conflicts with pandas<=0.25');
    const event = (environmentId: number, action: string, seconds: number) =>
      db.prepare("INSERT INTO environment_events (environment_id, request_key, action, resolved, seconds, at) VALUES (?, ?, ?, 1, ?, ?)").run(environmentId, `req-${environmentId}`, action, seconds, AT);
    event(1, 'built', 30);
    event(2, 'built', 40);
    event(2, 'reused', 0.5);
    event(3, 'failed', 10);
    event(4, 'failed', 5);

    // feedback: an old scan of notebook 1 (ignored: not the latest) and current scans of 1-4
    const scan = (id: number, notebookId: number, version: string, instances: number) =>
      db.prepare("INSERT INTO feedback_scans (id, notebook_id, analyzer_version, scanned_at, study_ml, code_cells, instances) VALUES (?, ?, ?, ?, 1, 3, ?)").run(id, notebookId, version, AT, instances);
    scan(1, 1, '0.9', 1);
    scan(2, 1, '1.0', 2);
    scan(3, 2, '1.0', 2);
    scan(4, 3, '1.0', 2);
    scan(5, 4, '1.0', 1);
    const feedback = (scanId: number, notebookId: number, mechanism: string, form: string, category: string, study: number, code: string) =>
      db.prepare(
        "INSERT INTO feedback (scan_id, notebook_id, cell_idx, line, mechanism, form, category, confidence, rule_id, code, study) VALUES (?, ?, 1, 1, ?, ?, ?, 0.9, 'rule', ?, ?)",
      ).run(scanId, notebookId, mechanism, form, category, code, study);
    feedback(1, 1, 'assert', 'explicit', 'existence', 1, 'assert os.path.exists(p)');
    feedback(2, 1, 'assert', 'explicit', 'data-shape', 1, payload ? `assert x == "${payload}"` : 'assert X.shape[0] == len(y)');
    feedback(2, 1, 'print', 'implicit', 'model-performance', 1, 'print(acc)');
    feedback(3, 2, 'print', 'implicit', 'model-performance', 1, 'print(f"rmse {rmse}")');
    feedback(3, 2, 'last_cell', 'implicit', 'data-distribution', 1, 'df.label.value_counts()');
    feedback(4, 3, 'assert', 'explicit', 'data-validation', 1, 'assert df.fare.ge(0).all()');
    feedback(4, 3, 'guard', 'explicit', 'data-validation', 0, 'if df.empty: raise ValueError()');
    feedback(5, 4, 'display', 'implicit', 'other', 0, 'display(df)');
  })();
  return { store, experimentNames: names };
}
