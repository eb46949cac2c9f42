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
import { dropFolderStamps } from '../../helpers/schema-downgrade';

/**
 * Migration 13 (issue 15): a folder's write stamp changes with every write to what a scan's
 * state is made of (its incidents' ids, their artifacts' paths, roles, sizes and mtimes), from
 * the store or by hand, and with nothing else. A no-change rescan trusts an equal stamp instead
 * of reading the folder's rows (sources/scan-state.ts). Synthetic rows: the test is about the
 * schema; rescan-shortcut.test.ts covers whole scans of real files.
 */
describe('migration 13: per-folder write stamps', () => {
  let tmp: string;
  let store: SqliteIncidentStore;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-stamp-'));
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
  });
  afterEach(() => {
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const inc = (id: string, folder: string): IncidentRow => ({
    id,
    groupKey: `k-${id}`,
    kind: 'crash',
    source: 'wer',
    capturedAt: '2026-01-02T00:00:00.000',
    capturedMs: 1_767_312_000_000,
    folder,
    title: `crash ${id}`,
    signature: null,
    culpritKey: null,
    verdict: null,
    hasErrors: false,
    artifactCount: 1,
  });
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
  const write = (id: string, folder: string, files: ArtifactRow[]) =>
    store.transaction(() => store.writeIncident(inc(id, folder), files, [], id));
  /** Runs `fn` and says which of the folders' stamps it changed. */
  const changes = (fn: () => void, folders = ['/a', '/b']): string[] => {
    const before = folders.map((f) => store.folderStamp(f));
    fn();
    return folders.filter((f, i) => store.folderStamp(f) !== before[i]);
  };
  const raw = (sql: string) => {
    const db = new Database(store.path);
    db.pragma('foreign_keys = ON');
    db.exec(sql);
    db.close();
  };

  it('a folder nothing was written to has no stamp; a write gives it one', () => {
    expect(store.folderStamp('/a')).toBe('none');
    write('i1', '/a', [art('/a/1.dmp')]);
    expect(store.folderStamp('/a')).toMatch(/^s:[0-9A-F]{24}$/);
    expect(store.folderStamp('/b')).toBe('none');
  });

  it('every write to the scan state of a folder changes its stamp, and only its own', () => {
    write('i1', '/a', [art('/a/1.dmp'), art('/a/1.log')]);
    write('i2', '/b', [art('/b/2.dmp')]);
    // The same incident written again (a rescan that rebuilt it).
    expect(changes(() => write('i1', '/a', [art('/a/1.dmp'), art('/a/1.log')]))).toEqual(['/a']);
    // A file taken over by an incident of another folder (a nested root).
    expect(changes(() => write('i2', '/b', [art('/b/2.dmp'), art('/a/1.log')]))).toEqual(['/a', '/b']);
    expect(changes(() => store.transaction(() => store.deleteIncidents(['i2'])))).toEqual(['/b']);
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
        store.setStatus('i1', 'fixed', 'a note');
        raw(`UPDATE incidents SET verdict_json = '{}', title = 't' WHERE id = 'i1';
             UPDATE artifacts SET sha256 = 'ab', facts_json = '{}', parse_status = 'error' WHERE path = '/a/1.dmp'`);
      }),
    ).toEqual([]);
  });

  it('an index from schema 12 gets a stamp for every folder it holds', () => {
    write('i1', '/a', [art('/a/1.dmp')]);
    write('i2', '/b', [art('/b/2.dmp')]);
    store.close();
    const db = new Database(join(tmp, 'index.sqlite'));
    dropFolderStamps(db);
    db.pragma('user_version = 12');
    db.close();
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    const a = store.folderStamp('/a');
    expect(a).toMatch(/^s:[0-9A-F]{24}$/);
    expect(store.folderStamp('/b')).toMatch(/^s:[0-9A-F]{24}$/);
    expect(store.folderStamp('/b')).not.toBe(a);
    expect(store.folderStamp('/c')).toBe('none');
    expect(changes(() => write('i1', '/a', [art('/a/1.dmp')]))).toEqual(['/a']);
  });

  it('a folder with incidents whose stamp row is gone has no stamp to trust', () => {
    write('i1', '/a', [art('/a/1.dmp')]);
    raw("DELETE FROM folder_writes WHERE folder = '/a'");
    expect(store.folderStamp('/a')).toBeNull();
    write('i1', '/a', [art('/a/1.dmp')]);
    expect(store.folderStamp('/a')).toMatch(/^s:/);
  });
});
