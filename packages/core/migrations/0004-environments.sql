-- Python environments made with uv: contemporary, backported as of a date, or installed from a
-- recorded lock. One row per distinct (interpreter version, resolved pins), plus one failed row per
-- request that could not even be resolved; the request cache and the build/reuse log sit beside it.

CREATE TABLE environments (
  id              INTEGER PRIMARY KEY,
  key             TEXT NOT NULL UNIQUE,      -- py<version>-<sha256(version, sorted pins)[:16]>, or unresolved-<request key[:16]>
  kind            TEXT NOT NULL CHECK (kind IN ('contemporary', 'backport', 'lock')),
  python_version  TEXT,                      -- full version of the interpreter used, NULL when none fitted
  python_path     TEXT,
  python_rule     TEXT NOT NULL DEFAULT '{}', -- JSON: the date rule's ideal minor, the chosen one and why they differ
  target_date     TEXT,                      -- ISO 8601 UTC: the date the environment stands for
  exclude_newer   TEXT,                      -- the exact UTC timestamp given to uv --exclude-newer
  requested       TEXT NOT NULL DEFAULT '{}', -- JSON: imports, their distributions (table | guess ...), skipped imports, options
  pins            TEXT NOT NULL DEFAULT '[]', -- JSON [{name, version}], sorted by name
  lock_hash       TEXT,                      -- sha256 of the lock file (pins with their file hashes)
  lock            TEXT,                      -- the lock file itself, so a removed environment is rebuilt without resolving
  path            TEXT,                      -- the environment directory; its kernelspec is inside it
  status          TEXT NOT NULL CHECK (status IN ('ready', 'failed', 'removed')),
  failure_mode    TEXT,                      -- stable code, see plugins/backport/src/failure-mode.ts
  failure_step    TEXT,                      -- interpreter | preflight | resolve | venv | install | kernelspec
  failure_message TEXT,                      -- the tool's own message, trimmed
  build_seconds   REAL,
  created_at      TEXT NOT NULL,
  last_used_at    TEXT NOT NULL
);
CREATE INDEX environments_status ON environments (status);

-- The resolution cache: a request (interpreter, exclude-newer, requirements, options) → the
-- environment it resolved to (or failed as). A repeated request asks uv nothing.
CREATE TABLE environment_requests (
  request_key    TEXT PRIMARY KEY,           -- sha256 of the canonical request
  environment_id INTEGER NOT NULL REFERENCES environments(id),
  created_at     TEXT NOT NULL
);
CREATE INDEX environment_requests_environment ON environment_requests (environment_id);

-- Every create call's outcome: builds and reuses are counted from here.
CREATE TABLE environment_events (
  id             INTEGER PRIMARY KEY,
  environment_id INTEGER REFERENCES environments(id),
  request_key    TEXT NOT NULL,
  notebook_id    INTEGER,                    -- the notebook the environment was made for, when one was
  action         TEXT NOT NULL CHECK (action IN ('built', 'reused', 'failed')),
  resolved       INTEGER NOT NULL,           -- 1 when uv was asked to resolve in this call
  cached_failure INTEGER NOT NULL DEFAULT 0, -- 1 when a recorded deterministic failure was returned
  seconds        REAL NOT NULL,
  at             TEXT NOT NULL
);
CREATE INDEX environment_events_environment ON environment_events (environment_id);
