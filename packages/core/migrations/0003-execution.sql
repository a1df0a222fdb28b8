-- Execution: competitions notebooks are graded against, experiments, runs and their cells, and
-- the reproducibility verdict over an experiment's repeated runs of one notebook.
-- Written by plugins/execute (run-store.ts); see plugins/execute/src/competition.ts for the
-- competition directory layout these rows describe.

CREATE TABLE competitions (
  slug                   TEXT PRIMARY KEY,        -- also the mount name: /kaggle/input/<slug>
  title                  TEXT NOT NULL,
  metric                 TEXT NOT NULL,           -- grader id (roc-auc, log-loss, ...)
  metric_options         TEXT NOT NULL DEFAULT '{}',
  higher_is_better       INTEGER NOT NULL CHECK (higher_is_better IN (0, 1)),
  id_column              TEXT NOT NULL,
  target_columns         TEXT NOT NULL,           -- JSON array: the answers file's graded columns
  submission_columns     TEXT NOT NULL,           -- JSON array: the submission's graded columns (without the id)
  deadline               TEXT,                    -- ISO 8601 UTC
  runtime_budget_seconds REAL NOT NULL,
  description            TEXT NOT NULL DEFAULT '',
  dir                    TEXT NOT NULL,           -- absolute path of the competition directory
  data_dir               TEXT NOT NULL,           -- mounted read-only into the sandbox
  answers_path           TEXT NOT NULL,           -- never mounted
  config_sha256          TEXT NOT NULL,           -- of competition.json as read
  answers_sha256         TEXT NOT NULL,           -- scores are only comparable under the same answers
  registered_at          TEXT NOT NULL
);

CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('baseline', 'backport', 'modernize', 'adhoc')),
  config      TEXT NOT NULL DEFAULT '{}',         -- JSON: everything that shaped the runs (env, timeout, repeats, ...)
  started_at  TEXT NOT NULL,
  finished_at TEXT
);

-- One row per (experiment, notebook, attempt), written in one transaction with its cells once
-- the attempt is over, so a killed `mle run` leaves either the whole attempt or nothing, and a
-- resumed one can never duplicate it.
CREATE TABLE runs (
  id                 INTEGER PRIMARY KEY,
  experiment_id      INTEGER NOT NULL REFERENCES experiments(id),
  notebook_id        INTEGER NOT NULL REFERENCES notebooks(id),
  environment_id     INTEGER REFERENCES environments(id),  -- created by 0004; NULL = a kernelspec outside mle env
  competition        TEXT,                        -- competitions.slug graded against; NULL = not graded
  attempt            INTEGER NOT NULL CHECK (attempt >= 1),
  status             TEXT NOT NULL CHECK (status IN ('reproduced', 'score-mismatch', 'completed', 'error', 'timeout',
                                                     'kernel-died', 'no-submission', 'grading-error', 'env-failed')),
  error_name         TEXT,                        -- first error: ename, or the signal / OOM for kernel-died
  error_value        TEXT,
  traceback          TEXT,
  failing_cell       INTEGER,                     -- index of the cell that raised, timed out or was running when the kernel died
  wall_ms            INTEGER,
  peak_memory_bytes  INTEGER,
  score              REAL,
  reported_score     REAL,                        -- copied from the notebook at run time: the verdict's reference
  relative_error     REAL,                        -- |score - reported| / |reported|
  reproducible       INTEGER CHECK (reproducible IN (0, 1)),  -- this attempt alone, by relative error; NULL = no verdict
  grading_error_code TEXT,
  grading_error      TEXT,
  sandbox            TEXT,                        -- bubblewrap | none | ...
  output_path        TEXT,                        -- the executed notebook
  started_at         TEXT NOT NULL,
  finished_at        TEXT NOT NULL,
  details            TEXT NOT NULL DEFAULT '{}',  -- JSON for facts without a column (exit signal, warnings)
  UNIQUE (experiment_id, notebook_id, attempt)
);
CREATE INDEX runs_notebook ON runs (notebook_id);
CREATE INDEX runs_status ON runs (experiment_id, status);

CREATE TABLE run_cells (
  run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  cell_idx      INTEGER NOT NULL,                 -- index among all cells, as in cells.idx
  status        TEXT NOT NULL CHECK (status IN ('ok', 'error', 'timeout', 'kernel-died', 'skipped', 'not-run')),
  duration_ms   INTEGER,
  output_digest TEXT,                             -- sha256 of the normalized outputs
  error_name    TEXT,
  error_value   TEXT,
  PRIMARY KEY (run_id, cell_idx)
) WITHOUT ROWID;

-- The verdict over all of an experiment's attempts at one notebook; recomputed (replaced) when
-- more attempts arrive, since it is derived from the runs rows.
CREATE TABLE run_verdicts (
  experiment_id  INTEGER NOT NULL REFERENCES experiments(id),
  notebook_id    INTEGER NOT NULL REFERENCES notebooks(id),
  criterion      TEXT NOT NULL CHECK (criterion IN ('relative-error', 't-test', 't-test-issta')),
  runs           INTEGER NOT NULL,                -- attempts with a finite score
  mean_score     REAL,
  reported_score REAL,
  relative_error REAL,                            -- of the mean score
  statistic      REAL,                            -- t, when a t-test decided
  p_value        REAL,
  reproducible   INTEGER NOT NULL CHECK (reproducible IN (0, 1)),
  reason         TEXT NOT NULL,                   -- one line: why this criterion, what it found
  decided_at     TEXT NOT NULL,
  PRIMARY KEY (experiment_id, notebook_id)
);
