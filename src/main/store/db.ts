import type Database from 'better-sqlite3';

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;

/**
 * Connection handles typed by what they may do (Signal-Desktop's ReadableDB / WritableDB):
 * a query function takes the weakest handle it needs, so a read path cannot be handed the
 * writer by accident and a write cannot run on the read-only connection. The store opens one of
 * each (sqlite-store.ts); the readable one is opened read-only, so SQLite enforces it too.
 * A WritableDB may read (a writer checks what is there inside its own transaction).
 */
export type ReadableDB = Database.Database & { readonly [readableBrand]: true };
export type WritableDB = ReadableDB & { readonly [writableBrand]: true };

export const asWritable = (db: Database.Database): WritableDB => db as WritableDB;
export const asReadable = (db: Database.Database): ReadableDB => db as ReadableDB;

/** Statements compiled once per connection and SQL text: compiling costs more than running most of ours. */
const compiled = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function statement(db: ReadableDB, text: string): Database.Statement {
  let byText = compiled.get(db);
  if (!byText) compiled.set(db, (byText = new Map()));
  let st = byText.get(text);
  if (!st) byText.set(text, (st = db.prepare(text)));
  return st;
}
