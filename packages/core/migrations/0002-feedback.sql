-- Feedback mechanisms (assertions, guards, prints, displays, logging, last-cell values) found in
-- code cells by `mle feedback scan`. Rows are facts about one scan: a newer analyzer version scans
-- again into new rows, and readers use each notebook's latest scan (feedback_current_scans).

-- One row per notebook and analyzer version: the unit of resumption.
CREATE TABLE feedback_scans (
  id               INTEGER PRIMARY KEY,
  notebook_id      INTEGER NOT NULL REFERENCES notebooks(id),
  analyzer_version TEXT NOT NULL,
  scanned_at       TEXT NOT NULL,
  study_ml         INTEGER NOT NULL,  -- the study's ML filter: a cell with `import` matching sklearn|torch|tensorflow|keras
  code_cells       INTEGER NOT NULL,
  instances        INTEGER NOT NULL,
  UNIQUE (notebook_id, analyzer_version)
);

-- Every code cell of a scanned notebook, so that no cell is lost from the counts.
CREATE TABLE feedback_cells (
  scan_id      INTEGER NOT NULL REFERENCES feedback_scans(id),
  notebook_id  INTEGER NOT NULL,
  cell_idx     INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'not-python', 'not-parsed')),
  -- what the study's method (Python 3 ast.parse, drop on failure) would do with the cell
  study_parse  TEXT NOT NULL CHECK (study_parse IN ('ok', 'magic', 'python2', 'syntax-error', 'not-python')),
  masked_lines INTEGER NOT NULL,      -- IPython lines (%magic, !shell, obj?) blanked before parsing
  instances    INTEGER NOT NULL,
  PRIMARY KEY (scan_id, cell_idx)
) WITHOUT ROWID;

CREATE TABLE feedback (
  id          INTEGER PRIMARY KEY,
  scan_id     INTEGER NOT NULL REFERENCES feedback_scans(id),
  notebook_id INTEGER NOT NULL REFERENCES notebooks(id),
  cell_idx    INTEGER NOT NULL,
  line        INTEGER NOT NULL,        -- 1-based within the cell
  mechanism   TEXT NOT NULL CHECK (mechanism IN ('assert', 'assert_call', 'guard', 'print', 'display', 'logging', 'stdout', 'last_cell')),
  form        TEXT NOT NULL CHECK (form IN ('explicit', 'implicit')),
  variant     TEXT,                    -- print: call | statement (Python 2); stdout: the writer; logging: the logger
  category    TEXT NOT NULL,           -- the study's categories (kebab-case) or other
  confidence  REAL NOT NULL,           -- of the category, 0..1
  rule_id     TEXT NOT NULL,           -- the category rule that decided
  code        TEXT NOT NULL,
  output      TEXT,                    -- last_cell: the stored execute_result's text/plain, truncated
  library     TEXT,                    -- assert_call: numpy.testing | pandas.testing | tf.debugging | torch.testing | unittest | user-defined
  flags       TEXT NOT NULL DEFAULT '[]', -- JSON array: nested, in-function, in-loop, in-error, always-true, has-message, execute-result, ...
  study       INTEGER NOT NULL         -- the study's method would have counted it
);
CREATE INDEX feedback_scan ON feedback (scan_id);
CREATE INDEX feedback_notebook ON feedback (notebook_id, cell_idx);
CREATE INDEX feedback_mechanism ON feedback (mechanism, category);

-- Each notebook's latest scan.
CREATE VIEW feedback_current_scans AS
  SELECT s.* FROM feedback_scans s
  WHERE s.id = (SELECT MAX(t.id) FROM feedback_scans t WHERE t.notebook_id = s.notebook_id);
