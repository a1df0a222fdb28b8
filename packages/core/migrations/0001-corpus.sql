-- The corpus: where notebooks came from, each distinct notebook once, its cells and imports.

CREATE TABLE sources (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,              -- dir | git | meta-kaggle | run | plugin-defined
  location    TEXT NOT NULL,              -- absolute path, repository URL, dump directory
  options     TEXT NOT NULL DEFAULT '{}', -- JSON of the options that shape what was mined
  created_at  TEXT NOT NULL,
  UNIQUE (kind, location)
);

CREATE TABLE notebooks (
  id                  INTEGER PRIMARY KEY,
  content_hash        TEXT NOT NULL UNIQUE,  -- sha256 of normalized code (see normalizedCode)
  nbformat            INTEGER NOT NULL,      -- major version of the file as read
  nbformat_minor      INTEGER NOT NULL,
  language            TEXT NOT NULL,
  language_evidence   TEXT NOT NULL,
  python_major        INTEGER,               -- 2 or 3 when the metadata says
  is_ml               INTEGER NOT NULL,      -- imports an ML library (see ml_libraries)
  ml_libraries        TEXT NOT NULL DEFAULT '[]',
  cell_count          INTEGER NOT NULL,
  code_cell_count     INTEGER NOT NULL,
  primary_origin_id   INTEGER,               -- the earliest origin; its date is the notebook's date
  date                TEXT,                  -- ISO 8601 UTC
  competition         TEXT,
  reported_score      REAL,
  reported_score_kind TEXT,                  -- private | public
  metadata            TEXT NOT NULL DEFAULT '{}'
);

-- Every file a source offered, whatever became of it: the unit of resumption.
CREATE TABLE origins (
  id                INTEGER PRIMARY KEY,
  source_id         INTEGER NOT NULL REFERENCES sources(id),
  origin_key        TEXT NOT NULL,           -- unique within the source (path, commit:path, kernel version id)
  path              TEXT,
  commit_id         TEXT,
  kernel_version_id INTEGER,
  date              TEXT,
  status            TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'rejected', 'filtered')),
  reason_code       TEXT,                    -- rejection code or filter name
  reason            TEXT,                    -- one line a person can read
  notebook_id       INTEGER REFERENCES notebooks(id),
  details           TEXT NOT NULL DEFAULT '{}',
  UNIQUE (source_id, origin_key)
);
CREATE INDEX origins_notebook ON origins (notebook_id);
CREATE INDEX origins_status ON origins (status);

CREATE TABLE cells (
  notebook_id     INTEGER NOT NULL REFERENCES notebooks(id),
  idx             INTEGER NOT NULL,
  cell_type       TEXT NOT NULL,
  source          TEXT NOT NULL,
  execution_count INTEGER,
  outputs         TEXT NOT NULL DEFAULT '[]', -- nbformat v4 outputs, oversized payloads replaced by markers
  parse_status    TEXT,                       -- ok | partial | not-parsed, filled by analysis
  PRIMARY KEY (notebook_id, idx)
) WITHOUT ROWID;

CREATE TABLE imports (
  notebook_id INTEGER NOT NULL REFERENCES notebooks(id),
  cell_idx    INTEGER NOT NULL,
  line        INTEGER NOT NULL,               -- 1-based within the cell
  module      TEXT NOT NULL,                  -- dotted module as written (relative imports keep their dots)
  name        TEXT,                           -- imported name for `from m import name`, NULL for `import m`
  alias       TEXT,
  nested      INTEGER NOT NULL DEFAULT 0      -- inside a function, class or block
);
CREATE INDEX imports_notebook ON imports (notebook_id);
CREATE INDEX imports_module ON imports (module);
