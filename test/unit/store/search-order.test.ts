import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

// Synthetic rows: ordering, ties and count freshness are properties of the index itself.
function row(id: string, capturedMs: number, title: string): IncidentRow {
  return {
    id,
    groupKey: id,
    kind: 'crash',
    source: 'wer',
    capturedAt: new Date(capturedMs).toISOString(),
    capturedMs,
    folder: '/f',
    title,
    signature: null,
    verdict: null,
    hasErrors: false,
    artifactCount: 0,
  };
}

describe('search keys: newest first, ties, fresh counts', () => {
  let tmp: string;
  let store: SqliteIncidentStore;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-search-'));
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
  });
  afterEach(() => {
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const write = (r: IncidentRow, body: string) =>
    store.transaction(() => store.writeIncident(r, [], [], body));
  const ids = (search?: string) => store.list({ search, offset: 0, limit: 100 }).items.map((i) => i.id);

  it('lists and searches newest capture first, with the same order for both', () => {
    write(row('old', 1_000, 'old crash'), 'hdtSMP64.dll');
    write(row('new', 3_000, 'new crash'), 'hdtSMP64.dll');
    write(row('mid', 2_000, 'mid crash'), 'hdtSMP64.dll');
    expect(ids()).toEqual(['new', 'mid', 'old']);
    expect(ids('hdtsmp64')).toEqual(['new', 'mid', 'old']);
  });

  it('keeps every incident of one capture millisecond, also past the 1,024 tie slots', () => {
    store.transaction(() => {
      for (let i = 0; i < 1_100; i++) store.writeIncident(row(`t${i}`, 5_000, `tie ${i}`), [], [], 'tied');
      store.writeIncident(row('later', 5_001, 'later'), [], [], 'tied');
    });
    const all = store.list({ search: 'tied', offset: 0, limit: 2_000 });
    expect(all.total).toBe(1_101);
    expect(new Set(all.items.map((i) => i.id)).size).toBe(1_101);
  });

  it('past the tie slots: later-indexed first, across a reopened index and a deleted incident', () => {
    store.transaction(() => {
      for (let i = 0; i < 1_100; i++) store.writeIncident(row(`t${i}`, 5_000, `tie ${i}`), [], [], 'tied');
    });
    store.deleteIncidents(['t1050']);
    store.close();
    // A new store remembers no spill: it finds the first free key again, past the deleted one's.
    store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    store.transaction(() => {
      for (let i = 1_100; i < 1_150; i++)
        store.writeIncident(row(`t${i}`, 5_000, `tie ${i}`), [], [], 'tied');
    });
    const all = store.list({ search: 'tied', offset: 0, limit: 2_000 }).items.map((i) => i.id);
    expect(all).toHaveLength(1_149);
    expect(new Set(all).size).toBe(1_149);
    expect(all.slice(0, 3)).toEqual(['t1149', 't1148', 't1147']);
    expect(ids().slice(0, 3)).toEqual(['t1149', 't1148', 't1147']);
  });

  it('a rewritten incident keeps one search row; a moved capture time moves it in the order', () => {
    write(row('a', 1_000, 'a'), 'first text');
    write(row('b', 2_000, 'b'), 'other');
    write(row('a', 1_000, 'a'), 'second text');
    expect(store.list({ search: 'first', offset: 0, limit: 10 }).total).toBe(0);
    expect(ids('second')).toEqual(['a']);
    write(row('a', 9_000, 'a'), 'second text');
    expect(ids()).toEqual(['a', 'b']);
    expect(store.list({ search: 'second', offset: 0, limit: 10 }).total).toBe(1);
  });

  it('counts follow writes, deletes, clear() and writes by another connection', () => {
    write(row('a', 1_000, 'a'), 'jcontainers');
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(1);
    write(row('b', 2_000, 'b'), 'jcontainers');
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(2);
    store.transaction(() => store.deleteIncidents(['a']));
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(1);
    store.clear();
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(0);
    write(row('c', 3_000, 'c'), 'jcontainers');
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(1);
    // Another process (a CLI scan) changing the file is seen too.
    const other = new Database(store.path);
    other.exec('DELETE FROM incident_fts; DELETE FROM incidents;');
    other.close();
    expect(store.list({ search: 'jcontainers', offset: 0, limit: 1 }).total).toBe(0);
  });
});
