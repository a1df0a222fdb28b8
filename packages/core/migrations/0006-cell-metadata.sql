-- Cell metadata (tags such as skip-execution and raises-exception steer execution), so a stored
-- notebook can be rebuilt whole for `mle run`.
ALTER TABLE cells ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}';
