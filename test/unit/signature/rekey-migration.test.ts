import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, migrate } from '../../../src/main/store/migrations';
import { createWorkbench } from '../../../src/main/workbench';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { readIndex } from '../../helpers/index-db';

type Row = Record<string, unknown>;

/**
 * Migration 6 re-keys stored incidents: an index written by the previous scheme (schema 5, old
 * `module+offset` signatures) comes out with the two-level keys after the next scan, and the
 * player's triage survives. The logs are REAL NetScriptFramework logs of one crash.
 */
// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('migration 9: re-keying stored incidents', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-rekey-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('an index of the old scheme gets the new buckets on the next scan, triage kept', async () => {
    const folder = join(tmp, 'logs');
    mkdirSync(folder);
    for (const f of ['D6DDDA_-_Crash_2024_4_12_11-57-34.txt', 'D6DDDA__-_Crash_2024_4_4_21-8-52.txt'])
      copyFileSync(real('crashlogs', 'skyrim-nsf-nolvus', f), join(folder, f));

    // 1. What the current build writes (to learn the rows), then the same rows in a schema-5 file.
    const first = await createWorkbench({ dataDir: join(tmp, 'd1'), transport: 'test' });
    await first.ctx.sources.scan([folder]);
    await first.close();
    const { incidents, artifacts } = readIndex(join(tmp, 'd1', 'index.sqlite'), (db) => ({
      incidents: db.prepare('SELECT * FROM incidents ORDER BY captured_ms').all() as Row[],
      artifacts: db.prepare('SELECT * FROM artifacts').all() as Row[],
    }));
    expect(incidents).toHaveLength(2);

    const dataDir = join(tmp, 'd2');
    mkdirSync(dataDir);
    const old = new Database(join(dataDir, 'index.sqlite'));
    migrate(old, 5);
    const cols = (t: string) =>
      (old.prepare(`PRAGMA table_info(${t})`).all() as Row[]).map((r) => r.name as string);
    const insert = (table: string, rows: Row[]) => {
      const names = cols(table).filter((c) => c in rows[0]!);
      const st = old.prepare(
        `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
      );
      for (const r of rows) st.run(Object.fromEntries(names.map((n) => [n, r[n]])));
    };
    // The old scheme keyed crash logs on the faulting module and offset only.
    insert(
      'incidents',
      incidents.map((r) => ({
        ...r,
        signature: 'skyrimse.exe+0xd6ddda',
        status: r.id === incidents[0]!.id ? 'fixed' : 'new',
      })),
    );
    insert('artifacts', artifacts);
    old.close();

    // 2. Opening migrates (signatures cleared, artifacts marked changed); the scan re-keys.
    const wb = await createWorkbench({ dataDir, transport: 'test' });
    try {
      const index = join(dataDir, 'index.sqlite');
      readIndex(index, (db) => {
        expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
        const n = db.prepare('SELECT count(*) AS n FROM incidents WHERE signature IS NOT NULL').get() as Row;
        expect(n.n).toBe(0);
      });
      const res = await wb.ctx.sources.scan([folder]);
      expect(res.filesRead).toBeGreaterThanOrEqual(2);
      const after = readIndex(
        index,
        (db) => db.prepare('SELECT id, signature, status FROM incidents ORDER BY captured_ms').all() as Row[],
      );
      expect(after).toHaveLength(2);
      for (const r of after)
        expect(r.signature).toBe(
          'UNKNOWN_EXCEPTION | skyrimse.exe+0xd6ddda | skyrimse.exe+0x13283b5 | skyrimse.exe+0xc68cef',
        );
      expect(after.find((r) => r.id === incidents[0]!.id)?.status).toBe('fixed');
      // The earlier one (2024-04-04) was marked fixed: the later crash of the same bucket is a regression.
      const list = wb.ctx.store.list({ offset: 0, limit: 10 }).items;
      const fixed = list.find((i) => i.id === incidents[0]!.id)!;
      const other = list.find((i) => i.id !== incidents[0]!.id)!;
      expect(fixed.regressed).toBe(false);
      expect(other.capturedAt > fixed.capturedAt).toBe(true);
      expect(other.regressed).toBe(true);
    } finally {
      await wb.close();
    }
  });
});
