-- Explicit assertions synthesized from implicit feedback with stored outputs (`mle feedback
-- synthesize`), their validation runs (`--validate`, `mle feedback validate`), and the cell-level
-- reproducibility oracle's verdict per run (`mle run --oracle outputs`).

-- One row per proposal: the assertion that would have checked what a print or a last-cell value showed.
CREATE TABLE synthesized_assertions (
  id                  INTEGER PRIMARY KEY,
  notebook_id         INTEGER NOT NULL REFERENCES notebooks(id),
  synthesizer_version TEXT NOT NULL,
  cell_idx            INTEGER NOT NULL,
  line                INTEGER NOT NULL,   -- 1-based last line of the statement the assertion follows
  mechanism           TEXT NOT NULL CHECK (mechanism IN ('print', 'last_cell')),
  category            TEXT NOT NULL,      -- the implicit instance's category (feedback taxonomy)
  statement           TEXT NOT NULL,
  expression          TEXT NOT NULL,
  kind                TEXT NOT NULL,      -- shape | length | number | metric | dtypes | columns | value-counts | series | frame | array | sequence | literal
  code                TEXT NOT NULL,      -- one Python assert statement
  observed            TEXT NOT NULL,      -- JSON: the value read from the stored output
  tolerance           TEXT,               -- JSON {abs} or {rel}; NULL = exact
  stability           TEXT NOT NULL,      -- why the value is expected to come back
  extraction          TEXT NOT NULL,      -- JSON: how to read the value from a cell's outputs
  created_at          TEXT NOT NULL,
  UNIQUE (notebook_id, synthesizer_version, cell_idx, line, expression)
);
CREATE INDEX synthesized_assertions_notebook ON synthesized_assertions (notebook_id, synthesizer_version);

-- Implicit instances with a stored output that got no assertion, and why.
CREATE TABLE synthesized_skips (
  notebook_id         INTEGER NOT NULL REFERENCES notebooks(id),
  synthesizer_version TEXT NOT NULL,
  cell_idx            INTEGER NOT NULL,
  line                INTEGER NOT NULL,
  mechanism           TEXT NOT NULL,
  category            TEXT NOT NULL,
  statement           TEXT NOT NULL,
  expression          TEXT,
  reason              TEXT NOT NULL
);
CREATE INDEX synthesized_skips_notebook ON synthesized_skips (notebook_id, synthesizer_version);

-- Per notebook and synthesizer version: how many instances had outputs (the denominator).
CREATE TABLE synthesis_runs (
  notebook_id           INTEGER NOT NULL REFERENCES notebooks(id),
  synthesizer_version   TEXT NOT NULL,
  instances_with_output INTEGER NOT NULL,
  proposals             INTEGER NOT NULL,
  synthesized_at        TEXT NOT NULL,
  PRIMARY KEY (notebook_id, synthesizer_version)
) WITHOUT ROWID;

-- One row per assertion and validation: did it pass when the notebook ran with it inserted?
CREATE TABLE assertion_validations (
  id             INTEGER PRIMARY KEY,
  assertion_id   INTEGER NOT NULL REFERENCES synthesized_assertions(id),
  environment_id INTEGER,                -- environments.id when an `mle env` environment ran it
  kernel         TEXT NOT NULL,          -- the kernel's label (env:3, kernelspec:python3, ...)
  outcome        TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'error', 'not-run')),
  detail         TEXT,                   -- the exception for fail/error, why for not-run
  output_path    TEXT,                   -- the executed, instrumented notebook
  validated_at   TEXT NOT NULL
);
CREATE INDEX assertion_validations_assertion ON assertion_validations (assertion_id);

-- The oracle's verdict for one run: the first cell whose observed values left the stored ones.
CREATE TABLE run_divergences (
  run_id             INTEGER PRIMARY KEY REFERENCES runs(id),
  oracle             TEXT NOT NULL,      -- outputs
  cell_idx           INTEGER,            -- NULL: no divergence found
  via                TEXT CHECK (via IN ('assertion', 'text', 'error')),
  assertion_id       INTEGER REFERENCES synthesized_assertions(id),
  expression         TEXT,
  expected           TEXT,
  observed           TEXT,
  message            TEXT,               -- "diverges first at cell 14: `df.shape` was (891, 12), now (891, 11)"
  cells_compared     INTEGER NOT NULL,
  assertions_checked INTEGER NOT NULL,
  checked_at         TEXT NOT NULL
);
