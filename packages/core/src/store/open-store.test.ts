import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseBusyError, NotADatabaseError, SchemaFromFutureError } from './errors.js';
import { loadMigrations, migrate } from './migrations.js';
import { openStore, writeTransaction, type WritableStore } from './open-store.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'mle-store-'));
const opened: WritableStore[] = [];
const open = (name: string, busyTimeoutMs?: number) => {
  const store = openStore(join(dir, name), busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  opened.push(store);
  return store;
};
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

describe('openStore', () => {
  it('creates the schema, in WAL mode, at the newest migration', () => {
    const store = open('fresh.db');
    const latest = loadMigrations().at(-1)!.version;
    expect(store.schemaVersion).toBe(latest);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => (row as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['sources', 'notebooks', 'origins', 'cells', 'imports']));
  });

  it('is idempotent: reopening applies nothing twice', () => {
    open('twice.db').close();
    const store = open('twice.db');
    expect(store.schemaVersion).toBe(loadMigrations().at(-1)!.version);
  });

  it('applies each migration with its version bump atomically', () => {
    const path = join(dir, 'atomic.db');
    const db = new Database(path);
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); THIS IS NOT SQL;' },
    ];
    expect(() => migrate(db, path, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a database from a newer mle', () => {
    const path = join(dir, 'future.db');
    const db = new Database(path);
    db.pragma('user_version = 9999');
    db.close();
    expect(() => openStore(path)).toThrow(SchemaFromFutureError);
  });

  it('refuses a file that is not SQLite with a one-line error', () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'this is not a database, just text '.repeat(200));
    expect(() => openStore(path)).toThrow(NotADatabaseError);
  });

  it('makes a second writer wait, then fail clearly, while another process holds the write lock', async () => {
    const path = join(dir, 'locked.db');
    open('locked.db');
    // Another process takes the write lock and holds it for two seconds.
    const holder = spawn(process.execPath, [
      '-e',
      `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(path)});
       db.exec('BEGIN IMMEDIATE'); process.stdout.write('locked\\n'); setTimeout(() => { db.exec('COMMIT'); db.close(); }, 2000);`,
    ]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const impatient = open('locked.db', 100);
    const insert = (store: WritableStore, location: string) =>
      writeTransaction(store, () => store.db.prepare("INSERT INTO sources (kind, location, created_at) VALUES ('dir', ?, 'now')").run(location));
    expect(() => insert(impatient, 'x')).toThrow(DatabaseBusyError);
    // The patient writer waits for the lock and succeeds.
    const patient = open('locked.db', 10_000);
    insert(patient, 'y');
    expect(patient.db.prepare('SELECT location FROM sources').all()).toEqual([{ location: 'y' }]);
    await new Promise((resolve) => holder.once('exit', resolve));
  });
});

describe('DatabaseBusyError', () => {
  it('says what to do', () => {
    expect(new DatabaseBusyError('/x/mle.db').message).toMatch(/another mle process.*--db/);
  });
});
