import Database from 'better-sqlite3';

/**
 * Tests look inside the index through their own read-only connection: the store exposes no
 * handle (no SQL runs outside src/main/store), and a second connection sees what the store
 * committed, as another process would.
 */
export function readIndex<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
