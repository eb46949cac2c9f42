import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrations';

/**
 * Migration 10 (issue 15): a scan's "what do we hold for this folder" query is answered from
 * two covering indexes instead of a table page per incident and artifact row. Synthetic rows: the test is
 * about the schema, not about any file.
 */
describe('migration 10: covering indexes for the scan state of a folder', () => {
  let tmp: string;
  let db: Database.Database;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-store-state-'));
    db = new Database(join(tmp, 'a.sqlite'));
    db.pragma('foreign_keys = ON');
  });
  afterEach(() => {
    db.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the scan-state query reads the covering index only', () => {
    migrate(db);
    const plan = (
      db
        .prepare(
          'EXPLAIN QUERY PLAN SELECT a.id, a.incident_id, a.path, a.role, a.size, a.mtime_ms FROM artifacts a JOIN incidents i ON i.id = a.incident_id WHERE i.folder = ?',
        )
        .all('/f') as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan).toEqual([
      expect.stringMatching(/COVERING INDEX incidents_folder_id/),
      expect.stringMatching(/COVERING INDEX artifacts_state/),
    ]);
    const indexes = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'artifacts'").all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(indexes).not.toContain('artifacts_incident');
  });

  it('from schema 9 with rows: keeps them, and deleting an incident still deletes its artifacts', () => {
    migrate(db, 9);
    db.prepare(
      "INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title) VALUES ('a', 'k', 'crash', 'wer', '2026-01-01T00:00:00.000', 1, '/f', 't')",
    ).run();
    db.prepare(
      "INSERT INTO artifacts (incident_id, role, path, name, size, mtime_ms, parse_status) VALUES ('a', 'dump', '/f/x.dmp', 'x.dmp', 10, 5, 'ok')",
    ).run();
    expect(migrate(db)).toContain(10);
    expect(db.prepare('SELECT path, size, mtime_ms FROM artifacts').all()).toEqual([
      { path: '/f/x.dmp', size: 10, mtime_ms: 5 },
    ]);
    db.prepare("DELETE FROM incidents WHERE id = 'a'").run();
    expect(db.prepare('SELECT COUNT(*) AS n FROM artifacts').get()).toEqual({ n: 0 });
  });
});
