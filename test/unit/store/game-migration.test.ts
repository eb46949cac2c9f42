import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Verdict } from '../../../src/shared/domain/incident';
import { gameOfFileName, gameOfText, incidentGame } from '../../../src/shared/domain/game';
import { migrate } from '../../../src/main/store/migrations';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';

// Migration 6: the game of every incident (list column, trends split) and source/game in
// module participation (trends leave imported bundles out). Rows are SYNTHETIC: the point is
// the schema's bookkeeping, not a file format.
type Row = Record<string, unknown>;

describe('which game an incident is of', () => {
  it('reads verdict game lines, game executables and file names', () => {
    expect(gameOfText('Skyrim SE 1.5.97')).toBe('skyrim');
    expect(gameOfText('Fallout 4 1.10.163')).toBe('fallout4');
    expect(gameOfText('Starfield')).toBeNull();
    expect(gameOfFileName('SkyrimSE.exe')).toBe('skyrim');
    expect(gameOfFileName('SkyrimSE.exe.5528.dmp')).toBe('skyrim');
    expect(gameOfFileName('Fallout4VR.exe')).toBe('fallout4');
    expect(gameOfFileName('crashme.exe')).toBeNull();
    expect(
      incidentGame({ verdictGame: null, source: 'wer', modules: ['a.dll', 'Fallout4.exe'], files: [] }),
    ).toBe('fallout4');
    expect(incidentGame({ verdictGame: null, source: 'skyrimdiag', modules: [], files: [] })).toBe('skyrim');
    expect(
      incidentGame({ verdictGame: null, source: 'wer', modules: ['crashme.exe'], files: ['x.dmp'] }),
    ).toBeNull();
  });
});

describe('migration 7: game and participation source', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-mig6-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('backfills the game from verdict, modules and source, and copies source/game into participation', () => {
    const db = new Database(join(tmp, 'a.sqlite'));
    db.pragma('foreign_keys = ON');
    migrate(db, 6);
    const inc = db.prepare(
      "INSERT INTO incidents (id, group_key, kind, source, captured_at, captured_ms, folder, title, verdict_json) VALUES (?, ?, 'crash', ?, '2026-01-01T00:00:00.000', 0, '/f', 't', ?)",
    );
    const mod = db.prepare(
      'INSERT INTO incident_modules (incident_id, module, role, hits) VALUES (?, ?, ?, 1)',
    );
    const part = db.prepare(
      "INSERT INTO module_participation (incident_id, module, faulting, captured_ms, kind) VALUES (?, ?, 0, 0, 'crash')",
    );
    inc.run('log', 'a', 'crashlogger', JSON.stringify({ game: 'Fallout 4 1.10.163' }));
    inc.run('dump', 'b', 'wer', null);
    mod.run('dump', 'skyrimse.EXE', 'stack');
    inc.run('diag', 'c', 'skyrimdiag', null);
    inc.run('other', 'd', 'bundle', JSON.stringify({ game: null }));
    part.run('other', 'x.dll');
    part.run('log', 'y.dll');
    expect(migrate(db, 7)).toEqual([7]);
    const games = db.prepare('SELECT id, game FROM incidents ORDER BY id').all() as Row[];
    expect(games).toEqual([
      { id: 'diag', game: 'skyrim' },
      { id: 'dump', game: 'skyrim' },
      { id: 'log', game: 'fallout4' },
      { id: 'other', game: null },
    ]);
    expect(db.prepare('SELECT incident_id, source, game FROM module_participation ORDER BY 1').all()).toEqual(
      [
        { incident_id: 'log', source: 'crashlogger', game: 'fallout4' },
        { incident_id: 'other', source: 'bundle', game: null },
      ],
    );
    db.close();
  });

  it('the store writes the game of what it indexes, and the list filters by it', () => {
    const store = SqliteIncidentStore.open(join(tmp, 'index.sqlite'), tmp);
    const row = (id: string, source: IncidentRow['source'], game: string | null): IncidentRow => ({
      id,
      groupKey: id,
      kind: 'crash',
      source,
      capturedAt: '2026-01-01T00:00:00.000',
      capturedMs: id.charCodeAt(0),
      folder: '/f',
      title: id,
      signature: null,
      verdict: game ? Verdict.parse({ title: id, analyzer: 'test', game }) : null,
      hasErrors: false,
      artifactCount: 0,
    });
    store.writeIncident(row('a', 'crashlogger', 'Skyrim SE 1.6.1170'), [], [], '');
    store.writeIncident(
      row('b', 'crashlogger', 'Fallout 4 1.10.163'),
      [],
      [{ name: 'f4ee.dll', role: 'stack', hits: 1 }],
      '',
    );
    store.writeIncident(row('c', 'wer', null), [], [], '');
    const all = store.list({ offset: 0, limit: 10 }).items;
    expect(Object.fromEntries(all.map((i) => [i.id, i.game]))).toEqual({
      a: 'skyrim',
      b: 'fallout4',
      c: null,
    });
    expect(store.list({ offset: 0, limit: 10, game: 'fallout4' }).items.map((i) => i.id)).toEqual(['b']);
    store.close();
    const db = new Database(join(tmp, 'index.sqlite'), { readonly: true });
    expect(db.prepare('SELECT source, game FROM module_participation').get()).toEqual({
      source: 'crashlogger',
      game: 'fallout4',
    });
    db.close();
  });
});
