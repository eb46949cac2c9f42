import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate, migrations } from '../../../src/main/store/migrations';
import { SqliteIncidentStore, StoreError } from '../../../src/main/store/sqlite-store';
import { toFtsQuery } from '../../../src/main/store/fts-query';

describe('index schema and opening', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-store-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('migrates an empty database to the latest schema', () => {
    const db = new Database(join(tmp, 'a.sqlite'));
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table')").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['incidents', 'artifacts', 'settings', 'incident_modules', 'incident_fts']),
    );
    db.close();
  });

  it('migrates each previous schema forward, keeping its rows', () => {
    for (const prev of migrations.slice(0, -1)) {
      const path = join(tmp, `v${prev.version}.sqlite`);
      const db = new Database(path);
      migrate(db, prev.version);
      db.prepare(
        "INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title) VALUES ('x', 'k', 'crash', 'wer', '2026-01-01T00:00:00.000', 0, '/f', 't')",
      ).run();
      const applied = migrate(db);
      expect(applied).toEqual(migrations.filter((m) => m.version > prev.version).map((m) => m.version));
      expect((db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n).toBe(1);
      db.close();
    }
  });

  it('carries v2 search text into the rowid-keyed search table (migration 3)', () => {
    const path = join(tmp, 'v2fts.sqlite');
    const db = new Database(path);
    migrate(db, 2);
    db.prepare(
      "INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title) VALUES ('x', 'k', 'crash', 'wer', '2026-01-01T00:00:00.000', 0, '/f', 'crash in JContainers64.dll')",
    ).run();
    db.prepare(
      "INSERT INTO incident_fts (incident_id, title, body) VALUES ('x', 'crash in JContainers64.dll', 'hdtSMP64')",
    ).run();
    db.close();
    const store = SqliteIncidentStore.open(path, tmp);
    expect(store.list({ search: 'hdtSMP64', offset: 0, limit: 10 }).items.map((i) => i.id)).toEqual(['x']);
    store.close();
  });

  it('refuses an index written by a newer build with a clear message', () => {
    const path = join(tmp, 'new.sqlite');
    const db = new Database(path);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    expect(() => SqliteIncidentStore.open(path, tmp)).toThrow(/newer CTD Workbench/);
  });

  it('moves a corrupt index aside and starts a fresh one (files are the truth)', () => {
    const path = join(tmp, 'index.sqlite');
    writeFileSync(path, Buffer.alloc(8192, 0x5a));
    const store = SqliteIncidentStore.open(path, tmp);
    expect(store.recoveredFrom).toMatch(/index\.sqlite\.corrupt-\d{8}-\d{6}$/);
    expect(readdirSync(tmp).some((f) => f.startsWith('index.sqlite.corrupt-'))).toBe(true);
    expect(store.list({ offset: 0, limit: 10 }).total).toBe(0);
    store.close();
  });

  it('says clearly when another process holds the index locked', () => {
    const path = join(tmp, 'index.sqlite');
    SqliteIncidentStore.open(path, tmp).close();
    const other = new Database(path);
    other.pragma('journal_mode = DELETE');
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE');
    let err: unknown;
    try {
      SqliteIncidentStore.open(path, tmp, { busyTimeoutMs: 200 }).close();
    } catch (e) {
      err = e;
    }
    other.exec('COMMIT');
    other.close();
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('locked');
    expect((err as Error).message).toMatch(/busy: another CTD Workbench process/);
  });

  it('turns any typed search into a safe prefix query', () => {
    expect(toFtsQuery('SkyrimSE.exe+D6DDDA')).toBe('"SkyrimSE"* "exe"* "D6DDDA"*');
    expect(toFtsQuery('"unbalanced AND (')).toBe('"unbalanced"* "AND"*');
    expect(toFtsQuery('   ')).toBeNull();
    expect(toFtsQuery('사용자 Пользователь')).toBe('"사용자"* "Пользователь"*');
  });
});
