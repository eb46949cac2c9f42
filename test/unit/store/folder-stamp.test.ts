import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  SqliteIncidentStore,
  type ArtifactRow,
  type IncidentRow,
} from '../../../src/main/store/sqlite-store';
import { dropFolderStamps, dropListingStamps } from '../../helpers/schema-downgrade';

/** A synthetic incident row: these tests are about the schema. */
const inc = (id: string, folder: string, title = `crash ${id}`): IncidentRow => ({
  id,
  groupKey: `k-${id}`,
  kind: 'crash',
  source: 'wer',
  capturedAt: '2026-01-02T00:00:00.000',
  capturedMs: 1_767_312_000_000,
  folder,
  title,
  signature: null,
  culpritKey: null,
  verdict: null,
  hasErrors: false,
  artifactCount: 1,
});

/** A synthetic artifact row. */
const art = (path: string, size = 10): ArtifactRow => ({
  role: 'dump',
  path,
  name: path.split('/').pop()!,
  size,
  mtimeMs: 1_767_312_000_000,
  sha256: null,
  parseStatus: 'ok',
  parseError: null,
  analyzer: null,
  factsJson: null,
});

/** SQL run by hand on its own connection, as another tool (or a user) might. */
function byHand(path: string, sql: string, foreignKeys: boolean): void {
  const db = new Database(path);
  db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  db.exec(sql);
  db.close();
}

/** A fresh index per test, and what every stamp test does with it. */
function stampFixture(stampOf: (store: SqliteIncidentStore, folder: string) => string | null) {
  const ctx = { tmp: '', store: null as unknown as SqliteIncidentStore };
  beforeEach(() => {
    ctx.tmp = mkdtempSync(join(tmpdir(), 'ctd-stamp-'));
    ctx.store = SqliteIncidentStore.open(join(ctx.tmp, 'index.sqlite'), ctx.tmp);
  });
  afterEach(() => {
    ctx.store.close();
    rmSync(ctx.tmp, { recursive: true, force: true });
  });
  return {
    ctx,
    stamp: (folder: string) => stampOf(ctx.store, folder),
    write: (id: string, folder: string, files = [art(`${folder}/${id}.dmp`)], title?: string) =>
      ctx.store.transaction(() => ctx.store.writeIncident(inc(id, folder, title), files, [], id)),
    /** Runs `fn` and says which of the folders' stamps it changed. */
    changes: (fn: () => void, folders = ['/a', '/b']): string[] => {
      const before = folders.map((f) => stampOf(ctx.store, f));
      fn();
      return folders.filter((f, i) => stampOf(ctx.store, f) !== before[i]);
    },
    raw: (sql: string, foreignKeys = true) => byHand(ctx.store.path, sql, foreignKeys),
  };
}

/**
 * Migrations 13 and 14 (issue 15). A folder's write stamp changes with every write to what a
 * scan's state is made of (its incidents' ids, their artifacts' paths, roles, sizes and mtimes):
 * a no-change rescan trusts an equal stamp instead of reading the folder's rows
 * (sources/scan-state.ts). Its listing stamp changes with every write to what the scan's text
 * listing shows (id, kind, source, status, time, error mark, title) or its order (search key,
 * folder): the scan serves its kept listing only under equal stamps (store/listing-cache.ts).
 * Each from the store or by hand, and with nothing else. Synthetic rows: the test is about the
 * schema; rescan-shortcut.test.ts covers whole scans of real files.
 */
const STAMPS = [
  {
    migration: 13,
    what: 'write stamps',
    table: 'folder_writes',
    stampOf: (s: SqliteIncidentStore, f: string) => s.folderStamp(f),
    drop: dropFolderStamps,
  },
  {
    migration: 14,
    what: 'listing stamps',
    table: 'listing_writes',
    stampOf: (s: SqliteIncidentStore, f: string) => s.listingStamp(f),
    drop: dropListingStamps,
  },
] as const;

for (const { migration, what, table, stampOf, drop } of STAMPS)
  describe(`migration ${migration}: per-folder ${what}`, () => {
    const { ctx, stamp, write, changes, raw } = stampFixture(stampOf);

    it('a folder nothing was written to has no stamp; a write gives it one', () => {
      expect(stamp('/a')).toBe('none');
      write('i1', '/a');
      expect(stamp('/a')).toMatch(/^s:[0-9A-F]{24}$/);
      expect(stamp('/b')).toBe('none');
    });

    it(`an index from schema ${migration - 1} gets a stamp for every folder it holds`, () => {
      write('i1', '/a');
      write('i2', '/b');
      ctx.store.close();
      const db = new Database(join(ctx.tmp, 'index.sqlite'));
      drop(db);
      db.pragma(`user_version = ${migration - 1}`);
      db.close();
      ctx.store = SqliteIncidentStore.open(join(ctx.tmp, 'index.sqlite'), ctx.tmp);
      const a = stamp('/a');
      expect(a).toMatch(/^s:[0-9A-F]{24}$/);
      expect(stamp('/b')).toMatch(/^s:[0-9A-F]{24}$/);
      expect(stamp('/b')).not.toBe(a);
      expect(stamp('/c')).toBe('none');
      expect(changes(() => write('i1', '/a'))).toEqual(['/a']);
    });

    it('a folder with incidents whose stamp row is gone has no stamp to trust', () => {
      write('i1', '/a');
      raw(`DELETE FROM ${table} WHERE folder = '/a'`);
      expect(stamp('/a')).toBeNull();
      write('i1', '/a');
      expect(stamp('/a')).toMatch(/^s:/);
    });
  });

describe('migration 13: what changes a write stamp', () => {
  const { ctx, write, changes, raw } = stampFixture((s, f) => s.folderStamp(f));
  const store = () => ctx.store;

  it('every write to the scan state of a folder changes its stamp, and only its own', () => {
    write('i1', '/a', [art('/a/1.dmp'), art('/a/1.log')]);
    write('i2', '/b', [art('/b/2.dmp')]);
    // The same incident written again (a rescan that rebuilt it).
    expect(changes(() => write('i1', '/a', [art('/a/1.dmp'), art('/a/1.log')]))).toEqual(['/a']);
    // A file taken over by an incident of another folder (a nested root).
    expect(changes(() => write('i2', '/b', [art('/b/2.dmp'), art('/a/1.log')]))).toEqual(['/a', '/b']);
    expect(changes(() => store().transaction(() => store().deleteIncidents(['i2'])))).toEqual(['/b']);
    // By hand: an incident deleted, an artifact's size or role changed, one deleted, one added.
    write('i3', '/b', [art('/b/3.dmp')]);
    expect(changes(() => raw("UPDATE artifacts SET size = 11 WHERE path = '/a/1.dmp'"))).toEqual(['/a']);
    expect(changes(() => raw("UPDATE artifacts SET role = 'wct' WHERE path = '/b/3.dmp'"))).toEqual(['/b']);
    expect(changes(() => raw("DELETE FROM artifacts WHERE path = '/a/1.dmp'"))).toEqual(['/a']);
    expect(
      changes(() =>
        raw(
          "INSERT INTO artifacts (incident_id, role, path, name, size, mtime_ms, parse_status) VALUES ('i3', 'dump', '/b/x.dmp', 'x.dmp', 1, 1, 'ok')",
        ),
      ),
    ).toEqual(['/b']);
    expect(changes(() => raw("DELETE FROM incidents WHERE id = 'i3'"))).toEqual(['/b']);
    expect(changes(() => raw("UPDATE incidents SET folder = '/b' WHERE id = 'i1'"))).toEqual(['/a', '/b']);
  });

  it('what is not scan state leaves the stamp alone: status, notes, verdict, hashes, facts', () => {
    write('i1', '/a', [art('/a/1.dmp')]);
    expect(
      changes(() => {
        store().setStatus('i1', 'fixed', 'a note');
        raw(`UPDATE incidents SET verdict_json = '{}', title = 't' WHERE id = 'i1';
             UPDATE artifacts SET sha256 = 'ab', facts_json = '{}', parse_status = 'error' WHERE path = '/a/1.dmp'`);
      }),
    ).toEqual([]);
  });
});

describe('migration 14: what changes a listing stamp', () => {
  const { ctx, write, changes, raw } = stampFixture((s, f) => s.listingStamp(f));
  const store = () => ctx.store;

  it('every write to what a folder lists changes its stamp, and only its own', () => {
    write('i1', '/a');
    write('i2', '/b');
    // The same incident written again (a rescan that rebuilt it), and with a new title.
    expect(changes(() => write('i1', '/a'))).toEqual(['/a']);
    expect(changes(() => write('i1', '/a', undefined, 'another title'))).toEqual(['/a']);
    // Triage from the app.
    expect(changes(() => store().setStatus('i2', 'fixed'))).toEqual(['/b']);
    expect(changes(() => store().setStatus('i2', 'seen', 'with a note'))).toEqual(['/b']);
    // By hand, one listed column at a time.
    for (const set of [
      "kind = 'hang'",
      "source = 'skyrimdiag'",
      "status = 'ignored'",
      "captured_at = '2026-01-03T00:00:00.000'",
      'has_errors = 1',
      "title = 't'",
      'search_key = -search_key',
    ])
      expect(
        changes(() => raw(`UPDATE incidents SET ${set} WHERE id = 'i1'`)),
        set,
      ).toEqual(['/a']);
    // An id changed by hand (its artifacts keep the old id: keys off for the round trip).
    expect(changes(() => raw("UPDATE incidents SET id = 'i1x' WHERE id = 'i1'", false))).toEqual(['/a']);
    raw("UPDATE incidents SET id = 'i1' WHERE id = 'i1x'", false);
    expect(changes(() => raw("UPDATE incidents SET folder = '/b' WHERE id = 'i1'"))).toEqual(['/a', '/b']);
    expect(changes(() => store().transaction(() => store().deleteIncidents(['i2'])))).toEqual(['/b']);
    expect(changes(() => raw("DELETE FROM incidents WHERE id = 'i1'"))).toEqual(['/b']);
  });

  it('what the listing does not show leaves the stamp alone: verdict, notes, signature, artifacts', () => {
    write('i1', '/a');
    expect(
      changes(() => {
        raw(`UPDATE incidents SET verdict_json = '{}', notes = 'n', signature = 'sig', headline = 'h',
               cause_confidence = 'high', game = 'skyrim', culprit_key = 'c', artifact_count = 3 WHERE id = 'i1';
             UPDATE artifacts SET sha256 = 'ab', facts_json = '{}', size = 11, parse_status = 'error' WHERE path = '/a/i1.dmp'`);
      }),
    ).toEqual([]);
  });
});
