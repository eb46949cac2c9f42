import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrations';
import { dropFolderStamps } from '../../helpers/schema-downgrade';
import {
  FOLDER_LISTING_SQL,
  FOLDERS_LISTING_SQL,
  SqliteIncidentStore,
  type IncidentRow,
} from '../../../src/main/store/sqlite-store';

/**
 * Migration 12 (issue 15): the scan's listing of its folders reads one covering index, not the
 * table (whose rows carry the verdict). Synthetic rows: the test is about the schema.
 */
describe('migration 12: covering index for the listing of scanned folders', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-listing-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const row = (i: number, folder: string): IncidentRow => ({
    id: `inc-${i}`,
    groupKey: `k${i}`,
    kind: i % 2 ? 'crash' : 'hang',
    source: 'wer',
    capturedAt: new Date(1_767_312_000_000 + (i % 5) * 1000).toISOString().replace('Z', ''),
    capturedMs: 1_767_312_000_000 + (i % 5) * 1000,
    folder,
    title: `crash ${i}`,
    signature: `sig-${i % 3}`,
    culpritKey: i % 4 ? `mod:${i}` : null,
    verdict: null,
    hasErrors: i % 3 === 0,
    artifactCount: i,
  });

  it('the listing query reads the covering index only', () => {
    const db = new Database(join(tmp, 'a.sqlite'));
    migrate(db);
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${FOLDERS_LISTING_SQL}`).all({ folders: '["/f"]' }) as {
        detail: string;
      }[]
    ).map((r) => r.detail);
    expect(plan.filter((d) => /\bi\b/.test(d) && /SEARCH|SCAN/.test(d))).toEqual([
      expect.stringMatching(/^SEARCH i USING COVERING INDEX incidents_listing \(folder=\?\)$/),
    ]);
    expect(plan.some((d) => /SCAN incidents\b|SEARCH i USING INDEX/.test(d))).toBe(false);
    // One folder: the index's own order, no sort.
    const one = (
      db.prepare(`EXPLAIN QUERY PLAN ${FOLDER_LISTING_SQL}`).all({ folder: '/f' }) as { detail: string }[]
    ).map((r) => r.detail);
    expect(one.filter((d) => /\bi\b/.test(d) && /SEARCH|SCAN/.test(d))).toEqual([
      expect.stringMatching(/^SEARCH i USING COVERING INDEX incidents_listing \(folder=\?\)$/),
    ]);
    expect(one.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
    db.close();
  });

  it('with nothing marked fixed, the listing is the full query with no incident regressed', () => {
    const path = join(tmp, 'index.sqlite');
    const store = SqliteIncidentStore.open(path, tmp);
    store.transaction(() => {
      for (let i = 0; i < 30; i++) store.writeIncident(row(i, '/a'), [], [], `body ${i}`);
    });
    const listed = [...store.incidentsInFolders(['/a'])];
    const probe = new Database(path, { readonly: true });
    const full = probe.prepare(FOLDERS_LISTING_SQL).all({ folders: '["/a"]' }) as {
      id: string;
      regressed: number;
    }[];
    probe.close();
    expect(listed.map((i) => i.id)).toEqual(full.map((r) => r.id));
    expect(full.every((r) => r.regressed === 0) && listed.every((i) => !i.regressed)).toBe(true);
    store.close();
  });

  it('one folder lists what the several-folder form lists for it, in the same order', () => {
    const store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    // Ties on capture time (i % 5) and on the capture millisecond's key slots.
    store.transaction(() => {
      for (let i = 0; i < 60; i++) store.writeIncident(row(i, i % 3 ? '/a' : '/b'), [], [], `body ${i}`);
    });
    store.setStatus('inc-4', 'fixed');
    for (const f of ['/a', '/b']) {
      const both = [...store.incidentsInFolders([f, '/none'])];
      expect([...store.incidentsInFolders([f])]).toEqual(both);
      expect(both.length).toBeGreaterThan(15);
    }
    store.close();
  });

  it('from schema 11 with rows: the same listing, in the same order, after the upgrade', () => {
    const path = join(tmp, 'index.sqlite');
    const store = SqliteIncidentStore.open(path, tmp);
    store.transaction(() => {
      for (let i = 0; i < 40; i++) store.writeIncident(row(i, i % 3 ? '/a' : '/b'), [], [], `body ${i}`);
    });
    store.setStatus('inc-3', 'fixed');
    const expected = [...store.incidentsInFolders(['/b', '/a', '/b'])];
    store.close();
    const db = new Database(path);
    db.exec('DROP INDEX incidents_listing');
    dropFolderStamps(db);
    db.pragma('user_version = 11');
    db.close();

    const again = SqliteIncidentStore.open(path, tmp);
    const probe = new Database(path, { readonly: true });
    expect(
      probe.prepare("SELECT name FROM sqlite_master WHERE name = 'incidents_listing'").all(),
    ).toHaveLength(1);
    probe.close();
    const listed = [...again.incidentsInFolders(['/b', '/a', '/b'])];
    expect(listed).toEqual(expected);
    expect(listed.length).toBe(40 + 14);
    expect(listed.some((i) => i.regressed)).toBe(true);
    again.close();
  });
});
