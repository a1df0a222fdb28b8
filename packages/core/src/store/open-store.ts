import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DatabaseBusyError, NotADatabaseError } from './errors.js';
import { getUserVersion, migrate } from './migrations.js';

export const DEFAULT_DB_PATH = './mle.db';

export interface OpenStoreOptions {
  /** Open without writing: no migrations, no WAL switch; fails if the file is missing. */
  readonly?: boolean;
  /** How long to wait for another process's write lock before failing. */
  busyTimeoutMs?: number;
}

/** A connection to an mle database; `db` is better-sqlite3's handle for table-group modules. */
export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly schemaVersion: number;
  close(): void;
}

/** A store that may write: only the process's single writer gets one. */
export interface WritableStore extends Store {
  readonly writable: true;
}

function isBusy(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED');
}

function isNotADatabase(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_NOTADB' || error.code === 'SQLITE_CORRUPT');
}

/** Translate SQLite's lock and format errors into the one-line errors users see. */
export function translateSqliteError(error: unknown, path: string): unknown {
  if (isBusy(error)) return new DatabaseBusyError(path, { cause: error });
  if (isNotADatabase(error)) return new NotADatabaseError(path, { cause: error });
  return error;
}

export function openStore(path: string, options: OpenStoreOptions & { readonly: true }): Store;
export function openStore(path?: string, options?: OpenStoreOptions): WritableStore;
/**
 * Open (creating and migrating if needed) an mle database. WAL lets readers work beside the
 * writer; a second writer waits `busyTimeoutMs` and then fails with DatabaseBusyError.
 */
export function openStore(path: string = DEFAULT_DB_PATH, options: OpenStoreOptions = {}): Store | WritableStore {
  if (options.readonly && !existsSync(path)) throw new Error(`no database at ${path}; run \`mle mine\` first or pass --db`);
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 30_000}`);
    db.pragma('foreign_keys = ON');
    let schemaVersion: number;
    if (options.readonly) {
      schemaVersion = getUserVersion(db);
    } else {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      schemaVersion = migrate(db, path);
      try {
        db.pragma('optimize');
      } catch (error) {
        // optimize may need the write lock; a busy database must still open.
        if (!isBusy(error)) throw error;
      }
    }
    const handle = db;
    const store = {
      db: handle,
      path,
      schemaVersion,
      close() {
        if (!handle.open) return;
        if (!handle.readonly) {
          try {
            handle.pragma('optimize');
          } catch {
            // optimize is advisory; a busy database must still close.
          }
        }
        handle.close();
      },
    };
    return options.readonly ? store : { ...store, writable: true as const, close: store.close };
  } catch (error) {
    db?.close();
    throw translateSqliteError(error, path);
  }
}

/**
 * Run `work` in one IMMEDIATE write transaction: all of it lands or none does. A lock held by
 * another process past the busy timeout becomes a DatabaseBusyError.
 */
export function writeTransaction<T>(store: WritableStore, work: () => T): T {
  try {
    return store.db.transaction(work).immediate();
  } catch (error) {
    throw translateSqliteError(error, store.path);
  }
}
