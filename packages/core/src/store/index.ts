export { openStore, writeTransaction, translateSqliteError, DEFAULT_DB_PATH, type Store, type WritableStore, type OpenStoreOptions } from './open-store.js';
export { migrate, loadMigrations, getUserVersion, MIGRATIONS_DIR, type Migration } from './migrations.js';
export { prepare } from './prepare.js';
export { SchemaFromFutureError, DatabaseBusyError, NotADatabaseError } from './errors.js';
export * from './corpus.js';
