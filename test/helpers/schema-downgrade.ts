import type Database from 'better-sqlite3';

/**
 * Takes out what migration 13 added (the per-folder write stamps and their triggers), for tests
 * that make an index look as an older schema left it before they reopen it.
 */
export function dropFolderStamps(db: Database.Database): void {
  const triggers = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'folder_writes_%'")
    .pluck()
    .all() as string[];
  for (const t of triggers) db.exec(`DROP TRIGGER "${t}"`);
  db.exec('DROP TABLE folder_writes');
}
