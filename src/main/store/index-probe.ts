import Database from 'better-sqlite3';
import type { IncidentSummary } from '../../shared/domain/incident';
import { onDisk, openCheckReason, readOpenState } from './clean-close';
import { asReadable, type ReadableDB } from './db';
import { folderStampOf, linesInFolders, listingStampOf, summariesInFolders } from './folder-listing';
import { LATEST_VERSION } from './migrations';

/**
 * A read-only look at the index, for a scan that will most likely find nothing changed (issue
 * 15: the no-change rescan).
 *
 * Opening the store counts a session in and out (two write transactions), and its orderly close
 * checkpoints and then waits for the clock to step past the file's new times before it records
 * them (clean-close.ts): about 35 ms of writes and waiting for a scan that only reads. A session
 * that only reads cannot damage the index, so it need not be counted: the probe opens a
 * read-only connection and leaves the index file as it found it, so the last orderly close's
 * record stays true.
 *
 * It opens only when the store's own open would do nothing but count the session: the last
 * close was orderly and recorded, nobody has the index open, no log is left, no full check is
 * due, the schema is current and no one-time backfill is waiting. Otherwise (or on any error)
 * `open` answers null and the caller opens the store, which checks, migrates and recovers as
 * always.
 */
export class IndexProbe {
  private constructor(
    private readonly db: ReadableDB,
    readonly path: string,
  ) {}

  static open(path: string, now = Date.now()): IndexProbe | null {
    // As the store's open does: what is on disk before SQLite touches anything.
    const disk = onDisk(path);
    if (!disk.identity || !disk.mark || disk.walBytes > 0) return null;
    let db: Database.Database | null = null;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      const ready =
        db.pragma('user_version', { simple: true }) === LATEST_VERSION &&
        openCheckReason(readOpenState(db), disk, now) === 'clean' &&
        // The store's open backfills these (sqlite-store-base.ts) before anything lists.
        !db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'incident_fts_v2'").get() &&
        !db.prepare('SELECT 1 FROM incidents WHERE search_key IS NULL LIMIT 1').get();
      if (ready) return new IndexProbe(asReadable(db), path);
    } catch {
      // Locked, damaged, not an index: the store's open deals with it.
    }
    db?.close();
    return null;
  }

  folderStamp(folder: string): string | null {
    return folderStampOf(this.db, folder);
  }

  listingStamp(folder: string): string | null {
    return listingStampOf(this.db, folder);
  }

  incidentsInFolders(folders: readonly string[]): Generator<IncidentSummary, void, undefined> {
    return summariesInFolders(this.db, folders);
  }

  listingLinesInFolders(folders: readonly string[]): Generator<string, void, undefined> {
    return linesInFolders(this.db, folders);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
