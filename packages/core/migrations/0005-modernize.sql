-- Modernization: one row per (experiment, notebook) repair loop, every fix it tried, every LLM
-- call it paid for, and the cache of fixes that rescued a notebook, generalized for reuse.

CREATE TABLE modernizations (
  id                INTEGER PRIMARY KEY,
  experiment_id     INTEGER NOT NULL REFERENCES experiments(id),
  notebook_id       INTEGER NOT NULL REFERENCES notebooks(id),
  environment_id    INTEGER REFERENCES environments(id),
  status            TEXT NOT NULL CHECK (status IN ('running', 'already-reproducible', 'rescued', 'not-rescued',
                                                    'fix-budget-exhausted', 'llm-budget-exhausted', 'failed')),
  initial_run_id    INTEGER REFERENCES runs(id),   -- the run that started the loop
  best_run_id       INTEGER REFERENCES runs(id),   -- the run of the best state kept
  initial_status    TEXT,                          -- runs.status of the initial run
  final_status      TEXT,                          -- runs.status of the best run
  fixes_applied     INTEGER NOT NULL DEFAULT 0,
  fixes_rolled_back INTEGER NOT NULL DEFAULT 0,
  llm_calls         INTEGER NOT NULL DEFAULT 0,
  cost_usd          REAL NOT NULL DEFAULT 0,
  wall_ms           INTEGER,
  output_path       TEXT,                          -- the modernized notebook, beside the original
  diff_path         TEXT,                          -- its structural diff against the original
  reason            TEXT,                          -- one line: why the loop stopped
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  UNIQUE (experiment_id, notebook_id)
);

CREATE TABLE fixes (
  id                INTEGER PRIMARY KEY,
  modernization_id  INTEGER NOT NULL REFERENCES modernizations(id),
  step              INTEGER NOT NULL,              -- 1-based order within the loop
  trigger_run_id    INTEGER REFERENCES runs(id),   -- the run whose outcome asked for this fix
  result_run_id     INTEGER REFERENCES runs(id),   -- the run after applying it
  kind              TEXT NOT NULL CHECK (kind IN ('error-repair', 'runtime-reduction', 'score-calibration')),
  source            TEXT NOT NULL CHECK (source IN ('rule', 'cache', 'llm')),
  fix_type_id       TEXT,                          -- kebab-case id of the fix type (rules, cache entries made from rules)
  fix_code          TEXT,                          -- catalogue code (BC024, ...) when there is one
  safety            TEXT NOT NULL CHECK (safety IN ('safe', 'unsafe', 'display-only')),
  title             TEXT NOT NULL,
  error_signature   TEXT,                          -- normalized "ename: evalue" the fix answered
  edited_cells      TEXT NOT NULL DEFAULT '[]',    -- JSON array of cell indices
  edits             TEXT NOT NULL DEFAULT '[]',    -- JSON: the cell edits as applied
  structural_diff   TEXT NOT NULL DEFAULT '[]',    -- JSON: tree edit script of the edited cells
  outcome           TEXT NOT NULL CHECK (outcome IN ('rescued', 'improved', 'no-change', 'rolled-back', 'not-applied')),
  outcome_reason    TEXT,
  created_at        TEXT NOT NULL,
  UNIQUE (modernization_id, step)
);
CREATE INDEX fixes_source ON fixes (source, outcome);

CREATE TABLE llm_calls (
  id                INTEGER PRIMARY KEY,
  modernization_id  INTEGER REFERENCES modernizations(id),
  fix_id            INTEGER REFERENCES fixes(id),  -- set when the answer became a fix
  model             TEXT NOT NULL,
  base_url          TEXT,
  granularity       TEXT NOT NULL CHECK (granularity IN ('cell', 'notebook')),
  kind              TEXT NOT NULL,                 -- the fix kind asked for
  status            TEXT NOT NULL CHECK (status IN ('ok', 'invalid-answer', 'http-error', 'timeout', 'rate-limited', 'budget-exhausted', 'skipped')),
  tokens_in         INTEGER NOT NULL DEFAULT 0,
  tokens_cached     INTEGER NOT NULL DEFAULT 0,
  tokens_out        INTEGER NOT NULL DEFAULT 0,
  cost_usd          REAL NOT NULL DEFAULT 0,
  latency_ms        INTEGER,
  attempts          INTEGER NOT NULL DEFAULT 1,    -- HTTP attempts behind this call (retries on 429/5xx)
  prompt_hash       TEXT,
  response_hash     TEXT,
  error             TEXT,
  created_at        TEXT NOT NULL
);

-- A fix that rescued a notebook, generalized (error signature + structural pattern of the edit)
-- and tried before the LLM on later notebooks with the same signature.
CREATE TABLE fix_cache (
  id              INTEGER PRIMARY KEY,
  error_signature TEXT NOT NULL,
  pattern         TEXT NOT NULL,                   -- JSON: the generalized edit
  origin_fix_id   INTEGER REFERENCES fixes(id),
  source          TEXT NOT NULL CHECK (source IN ('rule', 'llm')),
  hits            INTEGER NOT NULL DEFAULT 0,      -- times it was tried
  successes       INTEGER NOT NULL DEFAULT 0,      -- times it helped
  created_at      TEXT NOT NULL,
  UNIQUE (error_signature, pattern)
);
