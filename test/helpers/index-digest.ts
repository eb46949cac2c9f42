import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

/**
 * Every table of an index as sorted JSON rows, for "these two indexes hold the same rows"
 * (issue 15: a faster write path must not change what a scan stores). Left out, because they
 * are not what was scanned: FTS5's shadow tables (their segment layout follows when the text
 * was written; the text itself is compared through incident_fts, by incident), the session
 * bookkeeping in integrity_state, the folders' random write and listing stamps (folder_writes, listing_writes), and
 * autoincrement ids. With `clock`, times the scan takes
 * from its own clock (a setup "observed" now) are left out too. With `ties`, which incident of
 * one capture millisecond took which search key is left out (it follows the order analyses
 * finish in); the keys each millisecond holds are still compared.
 */
export function indexDigest(
  path: string,
  opts: { clock?: boolean; ties?: boolean } = {},
): Record<string, string[]> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const drop: Record<string, string[]> = {
      artifacts: ['id'],
      setup_sessions: opts.clock ? ['id', 'first_ms', 'last_ms'] : ['id'],
      mod_versions: opts.clock ? ['last_ms'] : [],
      incidents: opts.ties ? ['search_key'] : [],
      incident_fts: opts.ties ? ['rowid'] : [],
    };
    const out: Record<string, string[]> = {};
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'incident_fts_%'
         AND name NOT LIKE 'sqlite_%' AND name NOT IN ('integrity_state', 'folder_writes', 'listing_writes') ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    for (const t of tables) {
      const sql =
        t === 'incident_fts'
          ? 'SELECT i.id, f.rowid, f.title, f.body FROM incident_fts f LEFT JOIN incidents i ON i.search_key = f.rowid'
          : `SELECT * FROM "${t}"`;
      const rows = (db.prepare(sql).all() as Record<string, unknown>[]).map((r) => {
        for (const c of drop[t] ?? []) delete r[c];
        return JSON.stringify(r);
      });
      out[t] = rows.sort();
    }
    out.search_keys = (
      db
        .prepare('SELECT captured_ms, search_key FROM incidents ORDER BY captured_ms, search_key')
        .raw()
        .all() as [number, number][]
    ).map((r) => JSON.stringify(r));
    return out;
  } finally {
    db.close();
  }
}

/** One hash per table (short enough to print when two digests differ). */
export function digestHashes(d: Record<string, string[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(d).map(([t, rows]) => [
      t,
      `${rows.length}:${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`,
    ]),
  );
}
