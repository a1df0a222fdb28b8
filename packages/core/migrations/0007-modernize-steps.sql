-- Modernization steps that 0005 could not describe: a step that applied several rule fixes at
-- once (the proactive rule pass), and the cache entry a `source = 'cache'` step came from.

-- JSON [{code, fixTypeId, title, safety, pass}]: every rule fix a step applied. A one-fix step has
-- one element (also in fix_type_id / fix_code); the proactive pass lists all the rules it applied.
ALTER TABLE fixes ADD COLUMN applied_rules TEXT NOT NULL DEFAULT '[]';

-- For `source = 'cache'`: the fix_cache entry whose pattern made the edits.
ALTER TABLE fixes ADD COLUMN cache_entry_id INTEGER REFERENCES fix_cache(id);

CREATE INDEX fixes_cache_entry ON fixes (cache_entry_id);
CREATE INDEX fix_cache_signature ON fix_cache (error_signature);
CREATE INDEX llm_calls_modernization ON llm_calls (modernization_id);
