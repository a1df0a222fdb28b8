import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { SchemaFromFutureError } from './errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered `.sql` files beside the package (`packages/core/migrations/NNNN-what.sql`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -4), sql: readFileSync(`${dir}/${file}`, 'utf8') }));
}

export function getUserVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Bring the schema up to the newest migration. Each migration runs with its `user_version`
 * bump in one transaction, so a crash leaves the database at a whole step.
 */
export function migrate(db: Database.Database, path: string, migrations: Migration[] = loadMigrations()): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = getUserVersion(db);
  if (current > latest) throw new SchemaFromFutureError(current, latest, path);
  for (const migration of migrations) {
    if (migration.version <= getUserVersion(db)) continue;
    db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      if (migration.version <= getUserVersion(db)) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return getUserVersion(db);
}
