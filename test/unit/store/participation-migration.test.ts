import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrations';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';
import { readIndex } from '../../helpers/index-db';
import { mulberry32 } from '../../helpers/prng';

// Migration 3 (trends): covering indexes and module_participation kept by triggers. Rows are
// SYNTHETIC: the point is the schema's bookkeeping, not any file format.
type Row = Record<string, unknown>;

/** What module_participation must hold: recomputed from incident_modules + incidents (names compare without case). */
function expected(db: Database.Database): Row[] {
  return db
    .prepare(
      `SELECT m.incident_id, lower(m.module) AS module, max(m.role = 'faulting') AS faulting, i.captured_ms, i.kind
       FROM incident_modules m JOIN incidents i ON i.id = m.incident_id
       GROUP BY m.incident_id, m.module ORDER BY 1, 2 COLLATE NOCASE`,
    )
    .all() as Row[];
}
const actual = (db: Database.Database) =>
  db
    .prepare(
      'SELECT incident_id, lower(module) AS module, faulting, captured_ms, kind FROM module_participation ORDER BY 1, 2 COLLATE NOCASE',
    )
    .all() as Row[];

describe('migration 3: trends indexes and module participation', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-mig3-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('from empty: the table, its index, the covering indexes and (at step 4) the triggers exist', () => {
    const db = new Database(join(tmp, 'a.sqlite'));
    migrate(db, 4);
    const names = (db.prepare('SELECT type, name FROM sqlite_master').all() as Row[]).map(
      (r) => `${r.type}:${r.name}`,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'table:module_participation',
        'index:module_participation_module',
        'index:incidents_signature_time',
        'index:incidents_time_kind',
        'trigger:incident_modules_participation_ins',
        'trigger:incident_modules_participation_del',
        'trigger:incidents_participation_upd',
      ]),
    );
    expect(names).not.toContain('index:incidents_signature');
    // Step 5 hands the bookkeeping to the store's writer (the triggers doubled write cost).
    migrate(db);
    const after = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Row[]).map(
      (r) => r.name,
    );
    expect(after.filter((n) => /participation/.test(String(n)))).toEqual([]);
    db.close();
  });

  it('from schema 2 with data: participation is backfilled (one row per incident and module)', () => {
    const db = new Database(join(tmp, 'b.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, 2);
    const inc = db.prepare(
      "INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title, signature) VALUES (?, ?, ?, 'wer', '2026-01-01T00:00:00.000', ?, '/f', 't', 'sig')",
    );
    const mod = db.prepare(
      'INSERT INTO incident_modules (incident_id, module, role, hits) VALUES (?, ?, ?, 1)',
    );
    inc.run('a', 'ka', 'crash', 1000);
    inc.run('b', 'kb', 'hang', 2000);
    mod.run('a', 'Foo.dll', 'faulting');
    mod.run('a', 'foo.DLL', 'stack');
    mod.run('a', 'Bar.dll', 'stack');
    mod.run('a', 'Bar.dll', 'suspect');
    mod.run('b', 'Bar.dll', 'stack');
    expect(migrate(db, 5)).toEqual([3, 4, 5]);
    expect(actual(db)).toEqual([
      { incident_id: 'a', module: 'bar.dll', faulting: 0, captured_ms: 1000, kind: 'crash' },
      { incident_id: 'a', module: 'foo.dll', faulting: 1, captured_ms: 1000, kind: 'crash' },
      { incident_id: 'b', module: 'bar.dll', faulting: 0, captured_ms: 2000, kind: 'hang' },
    ]);
    expect(actual(db)).toEqual(expected(db));
    db.close();
  });

  it('stays equal to a recomputation through random writes, rescans and deletions by the store', () => {
    const store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    const rnd = mulberry32(77);
    const mods = ['A.dll', 'a.DLL', 'B.dll', 'SkyrimSE.exe', 'C.dll'];
    const roles = ['faulting', 'stack', 'suspect'];
    const row = (i: number): IncidentRow => ({
      id: `i${i}`,
      groupKey: `k${i}`,
      kind: rnd() < 0.5 ? 'crash' : 'hang',
      source: 'wer',
      capturedAt: '2026-01-01T00:00:00.000',
      capturedMs: Math.floor(rnd() * 1e9),
      folder: '/f',
      title: 't',
      signature: `s${i % 3}`,
      verdict: null,
      hasErrors: false,
      artifactCount: 0,
    });
    for (let step = 0; step < 300; step++) {
      const i = Math.floor(rnd() * 20);
      if (rnd() < 0.15) store.deleteIncidents([`i${i}`]);
      else {
        const modules = Array.from({ length: Math.floor(rnd() * 5) }, () => ({
          name: mods[Math.floor(rnd() * mods.length)]!,
          role: roles[Math.floor(rnd() * roles.length)]!,
          hits: 1,
        }));
        store.transaction(() => store.writeIncident(row(i), [], modules, ''));
      }
      readIndex(store.path, (db) => expect(actual(db), `step ${step}`).toEqual(expected(db)));
    }
    expect(readIndex(store.path, actual).length).toBeGreaterThan(0);
    store.close();
  });
});
