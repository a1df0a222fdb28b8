import type { CellEdit, Failure, Fix, FixSafety, FixType, Match, NormalizedNotebook, PythonParser } from '@mle/core';
import { prepare, type Store, type WritableStore } from '@mle/core';
import { canonicalPattern, describeRewrite, findPatternSites, generalizeFix, notebookVariableNames, type FixPattern, type GeneralizeResult, type Rewrite } from './fix-pattern.js';
import { normalizeErrorSignature, signatureName } from './normalize-error.js';

/** Where a cache entry was learned: from a rule fix or from an LLM fix (study §5.10: "mine accepted LLM fixes into new rules"). */
export type CacheEntrySource = 'rule' | 'llm';

export interface FixCacheEntry {
  id: number;
  errorSignature: string;
  pattern: FixPattern;
  source: CacheEntrySource;
  originFixId: number | null;
  /** Times the entry was applied and run. */
  hits: number;
  /** Times that run was kept (improved or rescued the notebook). */
  successes: number;
  createdAt: string;
}

interface FixCacheRow {
  id: number;
  error_signature: string;
  pattern: string;
  origin_fix_id: number | null;
  source: CacheEntrySource;
  hits: number;
  successes: number;
  created_at: string;
}

function toEntry(row: FixCacheRow): FixCacheEntry {
  return {
    id: row.id,
    errorSignature: row.error_signature,
    pattern: JSON.parse(row.pattern) as FixPattern,
    source: row.source,
    originFixId: row.origin_fix_id,
    hits: row.hits,
    successes: row.successes,
    createdAt: row.created_at,
  };
}

/** The payload a cached fix type carries from `match` to `fix`. */
export interface CachedMatchDetails {
  entryId: number;
  edits: CellEdit[];
  rewrites: string[];
}

/**
 * The fix cache (`fix_cache`): fixes that helped one notebook, generalized to an error signature
 * plus a structural pattern (see `fix-pattern.ts`), tried before the LLM on later notebooks with
 * the same signature. Entries are shared by every experiment in the database: what was learned on
 * one corpus helps the next.
 */
export class FixCache {
  constructor(
    private readonly store: WritableStore,
    private readonly parser: PythonParser,
  ) {}

  /**
   * Entries for a signature, most promising first: by success rate (with one imaginary failure, so
   * that an untried entry ranks below a proven one), then successes, then age.
   */
  lookup(errorSignature: string): FixCacheEntry[] {
    return prepare<[string], FixCacheRow>(
      this.store.db,
      'SELECT * FROM fix_cache WHERE error_signature = ? ORDER BY CAST(successes AS REAL) / (hits + 1) DESC, successes DESC, id ASC',
    )
      .all(errorSignature)
      .map(toEntry);
  }

  get(id: number): FixCacheEntry | undefined {
    const row = prepare<[number], FixCacheRow>(this.store.db, 'SELECT * FROM fix_cache WHERE id = ?').get(id);
    return row ? toEntry(row) : undefined;
  }

  /** Store a generalized fix (or find the equal entry already there). */
  remember(errorSignature: string, pattern: FixPattern, source: CacheEntrySource, originFixId: number | null, now: Date = new Date()): { entry: FixCacheEntry; created: boolean } {
    const text = canonicalPattern(pattern);
    const result = prepare(
      this.store.db,
      'INSERT INTO fix_cache (error_signature, pattern, origin_fix_id, source, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (error_signature, pattern) DO NOTHING',
    ).run(errorSignature, text, originFixId, source, now.toISOString());
    const row = prepare<[string, string], FixCacheRow>(this.store.db, 'SELECT * FROM fix_cache WHERE error_signature = ? AND pattern = ?').get(errorSignature, text)!;
    return { entry: toEntry(row), created: result.changes > 0 };
  }

  /**
   * Generalize a fix that helped and remember it under the error it repaired. Returns the entry,
   * or the reason the fix does not generalize (recorded by the loop as the step's note).
   */
  learn(input: { errorSignature: string; before: NormalizedNotebook; edits: readonly CellEdit[]; source: CacheEntrySource; originFixId: number | null }): { entry: FixCacheEntry; created: boolean } | { reason: string } {
    const general: GeneralizeResult = generalizeFix(this.parser, input.before, input.edits);
    if (!general.ok) return { reason: general.reason };
    return this.remember(input.errorSignature, general.pattern, input.source, input.originFixId);
  }

  recordHit(id: number): void {
    prepare(this.store.db, 'UPDATE fix_cache SET hits = hits + 1 WHERE id = ?').run(id);
  }

  recordSuccess(id: number): void {
    prepare(this.store.db, 'UPDATE fix_cache SET successes = successes + 1 WHERE id = ?').run(id);
  }

  /** The entry as a fix type, so it is asked, tested and recorded like any rule. */
  fixType(entry: FixCacheEntry): FixType<CachedMatchDetails> {
    return cachedFixType(entry, this.parser);
  }
}

/** Every cache entry, for reports and benchmarks. */
export function listFixCache(store: Store): FixCacheEntry[] {
  return prepare<[], FixCacheRow>(store.db, 'SELECT * FROM fix_cache ORDER BY id').all().map(toEntry);
}

/** How far a cached fix is trusted: one learned from a safe rule stays safe; one learned from an LLM is unsafe (verified only by the run that accepted it). */
export function cacheEntrySafety(entry: Pick<FixCacheEntry, 'source'>): Exclude<FixSafety, 'display-only'> {
  return entry.source === 'rule' ? 'safe' : 'unsafe';
}

const CACHE_DOCS_URL = new URL('../README.md#the-fix-cache', import.meta.url).href;

/**
 * A cache entry as a {@link FixType}: code `FC<id>`, id `fix-cache-<id>`. With an error it answers
 * only its own (normalized) signature and rewrites the failing cell — or the whole notebook for
 * rewrites anchored on typed names; in a scan (no error) it looks at every cell.
 */
export function cachedFixType(entry: FixCacheEntry, parser: PythonParser): FixType<CachedMatchDetails> {
  const safety = cacheEntrySafety(entry);
  const descriptions = entry.pattern.rewrites.map(describeRewrite);
  return {
    meta: {
      id: `fix-cache-${entry.id}`,
      code: `FC${String(entry.id).padStart(3, '0')}`,
      kind: 'error-repair',
      description: `Cached fix for "${entry.errorSignature}" learned from ${entry.source === 'llm' ? 'an LLM fix' : 'a rule fix'}: ${descriptions.join('; ')}.`,
      docsUrl: CACHE_DOCS_URL,
      fixable: 'sometimes',
      safety,
      messages: { rewrite: 'Fix cache entry {{entry}} ({{source}}): {{rewrite}}.' },
      errorSignatures: [{ name: signatureName(entry.errorSignature) }],
    },
    match(failure: Failure): Match<CachedMatchDetails> | null {
      if (failure.error) {
        const signature = normalizeErrorSignature(failure.error.name, failure.error.value, { localNames: notebookVariableNames(failure) });
        if (signature !== entry.errorSignature) return null;
      }
      const sites = findPatternSites(parser, entry.pattern, failure, { cellIndex: failure.cellIndex });
      if (!sites) return null;
      return {
        sites: sites.map((site) => ({
          messageId: 'rewrite',
          data: { entry: String(entry.id), source: entry.source, rewrite: describeRewrite(entry.pattern.rewrites[site.rewrite] as Rewrite) },
          cellIndex: site.cellIndex,
          ...site.node,
        })),
        details: { entryId: entry.id, edits: sites.map((site) => site.edit), rewrites: descriptions },
      };
    },
    fix(match: Match<CachedMatchDetails>): Fix | null {
      if (match.details.edits.length === 0) return null;
      return { title: `Apply cached fix ${match.details.entryId}: ${match.details.rewrites.join('; ')}`, safety, edits: match.details.edits };
    },
  };
}
