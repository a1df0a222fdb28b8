/** The database was written by a newer mle; opening it could corrupt what that version stored. */
export class SchemaFromFutureError extends Error {
  override name = 'SchemaFromFutureError';
  constructor(readonly databaseVersion: number, readonly codeVersion: number, readonly path: string) {
    super(`${path} has schema version ${databaseVersion}, newer than this mle understands (${codeVersion}); upgrade mle or use another --db`);
  }
}

/** Another process holds the write lock longer than we were willing to wait. */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`${path} is being written by another mle process; wait for it to finish or use another --db`, options);
  }
}

/** The file exists but is not a SQLite database (or is damaged). */
export class NotADatabaseError extends Error {
  override name = 'NotADatabaseError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`${path} is not an mle database (not SQLite, or damaged); pass another --db`, options);
  }
}
