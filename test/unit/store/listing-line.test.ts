import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LISTING_LINE_SQL, listingLine } from '../../../src/main/store/listing-line';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

/**
 * The scan's text listing is built by SQLite (listing-line.ts) for speed; it must be the line
 * listingLine builds from the summary, byte for byte, whatever the index holds. Synthetic rows:
 * the hostile values are the point (a damaged or hand-edited index, a bundle's odd titles).
 */
describe('listing lines built by SQLite', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-lines-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  const row = (i: number, folder: string): IncidentRow => ({
    id: `inc-${String(i).padStart(3, '0')}`,
    groupKey: `k${i}`,
    kind: i % 2 ? 'crash' : 'hang',
    source: i % 3 ? 'wer' : 'skyrimdiag',
    capturedAt: new Date(1_767_312_000_000 + (i % 7) * 1000).toISOString().replace('Z', ''),
    capturedMs: 1_767_312_000_000 + (i % 7) * 1000,
    folder,
    title: `crash ${i} in Mod${i}.dll`,
    signature: `sig-${i % 3}`,
    culpritKey: null,
    verdict: null,
    hasErrors: i % 4 === 0,
    artifactCount: 1,
  });

  /** Column edits by incident number, each a SQL expression (set through a raw connection). */
  const hostile: [number, string, string][] = [
    // These pass the plain-text gate: the SQL form itself must get them right.
    [1, 'captured_at', "'T2026-01-01T10:00:00.000'"], // two T's: only the first becomes a space
    [2, 'captured_at', "'2026'"], // shorter than 19
    [3, 'captured_at', "'2026-01-01 10:00:00.123456789Z'"], // no T, longer than 19
    [4, 'captured_at', "'2026-01-01T10:00:00T00'"], // a second T at 20
    [5, 'kind', "'averyverylongkind'"], // longer than its pad
    [6, 'kind', "''"],
    [7, 'source', "'abcdefghijkl'"], // 12 > 11
    [8, 'title', "'Crash in 💥 Ünïcode.dll'"],
    [9, 'id', "'inc-ü-💥'"],
    [10, 'title', "CAST(x'e2' AS TEXT) || ' after a cut sequence'"], // invalid UTF-8 in TEXT
    [11, 'title', "'ends cut ' || CAST(x'e282' AS TEXT)"],
    [12, 'has_errors', '2.5'],
    [13, 'title', "''"],
    [14, 'status', "'fixed'"],
    [23, 'title', '42'], // TEXT affinity stores it as '42'
    // These fail the gate: listed from the summary instead.
    [15, 'kind', "'crä'"],
    [16, 'kind', "'💥💥'"],
    [17, 'source', "'wér'"],
    [18, 'status', "'ñew'"],
    [19, 'captured_at', "'2026-01-01T10:00:ü0'"],
    [20, 'title', "'a' || char(0) || 'b'"],
    [21, 'id', "'inc' || char(0) || '21'"],
    [22, 'title', "x'c3a9'"], // a blob
    [24, 'has_errors', "'x'"],
    [25, 'kind', "'a' || char(0) || 'b'"],
  ];

  function build(): string {
    const path = join(tmp, 'index.sqlite');
    const store = SqliteIncidentStore.open(path, tmp);
    store.transaction(() => {
      for (let i = 0; i < 40; i++) store.writeIncident(row(i, i % 3 ? '/a' : '/b'), [], [], `body ${i}`);
    });
    store.close();
    const db = new Database(path);
    for (const [i, col, value] of hostile)
      db.prepare(`UPDATE incidents SET ${col} = ${value} WHERE id = ?`).run(row(i, '').id);
    db.close();
    return path;
  }

  it('equal the lines built from the summaries, plain and hostile rows, one and several folders', () => {
    const store = SqliteIncidentStore.open(build(), tmp);
    for (const folders of [['/a'], ['/b'], ['/b', '/a'], ['/a', '/none', '/a']]) {
      const fromSummaries = [...store.incidentsInFolders(folders)].map((s) => `${listingLine(s)}\n`);
      expect([...store.listingLinesInFolders(folders)]).toEqual(fromSummaries);
      expect(fromSummaries.length).toBeGreaterThan(10);
    }
    store.close();
  });

  it('SQLite builds the line for every row that passes its gate, and only those', () => {
    const path = build();
    const db = new Database(path, { readonly: true });
    const kinds = db
      .prepare(`SELECT i.id AS id, typeof(${LISTING_LINE_SQL}) AS t FROM incidents i ORDER BY i.rowid`)
      .all() as { id: string; t: string }[];
    db.close();
    const fallback = kinds.filter((k) => k.t !== 'text');
    // Rows 15-22, 24 and 25 are the ones the gate turns away; the rest, hostile or not, are built in SQL.
    expect(fallback).toHaveLength(10);
    expect(kinds.filter((k) => k.t === 'text')).toHaveLength(40 - 10);
    expect(fallback.every((k) => k.t === 'integer')).toBe(true);
  });
});
