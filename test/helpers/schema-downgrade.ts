import type Database from 'better-sqlite3';

/**
 * Takes out what migrations 13 and 14 added (the per-folder write and listing stamps and their
 * triggers), for tests that make an index look as a schema before 13 left it before they reopen it.
 */
export function dropFolderStamps(db: Database.Database): void {
  dropListingStamps(db);
  dropStampTable(db, 'folder_writes');
}

/** Takes out what migration 14 added (the per-folder listing stamps and their triggers). */
export function dropListingStamps(db: Database.Database): void {
  dropStampTable(db, 'listing_writes');
}

function dropStampTable(db: Database.Database, table: 'folder_writes' | 'listing_writes'): void {
  const triggers = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '${table}_%'`)
    .pluck()
    .all() as string[];
  for (const t of triggers) db.exec(`DROP TRIGGER "${t}"`);
  db.exec(`DROP TABLE ${table}`);
}
