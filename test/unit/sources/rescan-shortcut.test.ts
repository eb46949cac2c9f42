import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { recordPath, recordScan, unchangedSince, walkDigest } from '../../../src/main/sources/scan-state';
import { walkFolder } from '../../../src/main/sources/walk';
import { runCli } from '../../../src/main/cli/run';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { readIndex } from '../../helpers/index-db';
import { buildSkyrimDiagFolder, manifest } from '../../helpers/skyrimdiag-folder';
import { papyrusText } from '../../helpers/papyrus-log';
import { captureIo } from '../../helpers/cli-io';

/**
 * The no-change shortcut (sources/scan-state.ts) must be exact: after any change to the files
 * (added, removed, renamed, touched, rewritten; captures, logs that join any incident, bundles,
 * traces, evidence, files no incident holds) or to the index, a rescan gives the index a cold
 * scan of the same files gives, and with nothing changed it skips grouping and writes nothing.
 * Real SQLite files, real fixture dumps and logs (skyrimdiag-folder.ts).
 */

/** Everything a scan writes, without row ids (a rescan and a cold scan number rows differently). */
function indexContents(dbPath: string) {
  return readIndex(dbPath, (db) => ({
    incidents: db
      .prepare(
        `SELECT id, group_key, kind, source, captured_at, captured_ms, folder, title, signature, status, notes,
                verdict_json, has_errors, artifact_count, headline, cause_confidence, game, culprit_key
         FROM incidents ORDER BY id`,
      )
      .all(),
    artifacts: db
      .prepare(
        `SELECT incident_id, role, path, name, size, mtime_ms, sha256, parse_status, parse_error, analyzer, facts_json
         FROM artifacts ORDER BY path`,
      )
      .all(),
    modules: db.prepare('SELECT * FROM incident_modules ORDER BY incident_id, module, role').all(),
    participation: db.prepare('SELECT * FROM module_participation ORDER BY incident_id, module').all(),
    search: db
      .prepare(
        'SELECT i.id, f.title, f.body FROM incidents i JOIN incident_fts f ON f.rowid = i.search_key ORDER BY i.id',
      )
      .all(),
  }));
}

/** The index file, its log and the scan record, byte for byte. */
function onDisk(dbPath: string): string {
  const h = createHash('sha256');
  for (const p of [dbPath, `${dbPath}-wal`, `${dbPath}-scans.json`])
    h.update(existsSync(p) ? `${p}:${statSync(p).mtimeMs}:` : `${p}:none:`).update(
      existsSync(p) ? readFileSync(p) : '',
    );
  return h.digest('hex');
}

const SD = ['overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs'];

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'rescan shortcut: exact, and writes nothing when nothing changed',
  () => {
    let tmp: string;
    let root: string;
    let sd: string;
    let skse: string;
    let wb: Workbench;
    let cold = 0;
    const store = () => wb.ctx.store as SqliteIncidentStore;

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'ctd-rescan-'));
      root = buildSkyrimDiagFolder(join(tmp, 'games')).root;
      sd = join(root, ...SD);
      skse = join(root, 'My Games', 'Skyrim Special Edition', 'SKSE');
      // Session and Papyrus logs join whichever capture is nearest in time.
      writeFileSync(join(skse, 'skse64.log'), 'SKSE64 runtime: initialize\n');
      utimesSync(join(skse, 'skse64.log'), new Date('2026-03-18T19:00:00'), new Date('2026-03-18T19:00:00'));
      wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
      await wb.ctx.sources.scan([root]);
    });
    afterAll(async () => {
      await wb?.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    /** The index a cold scan of the files as they are now gives. */
    async function coldScan() {
      const dataDir = join(tmp, `cold-${cold++}`);
      const fresh = await createWorkbench({ dataDir, transport: 'test' });
      try {
        await fresh.ctx.sources.scan([root]);
        return indexContents(fresh.ctx.store.path);
      } finally {
        await fresh.close();
      }
    }

    async function shortcutApplies(): Promise<boolean> {
      return unchangedSince(store(), root, walkDigest(await walkFolder(root))) !== null;
    }

    /** A rescan with nothing changed: the shortcut, same counts, nothing written. */
    async function expectShortcut() {
      expect(await shortcutApplies()).toBe(true);
      const before = onDisk(wb.ctx.store.path);
      const incidents = indexContents(wb.ctx.store.path).incidents.length;
      const r = await wb.ctx.sources.scan([root]);
      expect(r).toMatchObject({ incidents, added: 0, updated: 0, removed: 0, filesRead: 0 });
      expect(onDisk(wb.ctx.store.path)).toBe(before);
    }

    const t = (iso: string) => new Date(iso);
    const changes: [string, () => void][] = [
      [
        'a dump touched (mtime only)',
        () =>
          utimesSync(
            join(sd, 'SkyrimDiag_Crash_20260314_070000_000.dmp'),
            t('2026-03-14T07:00:05'),
            t('2026-03-14T07:00:05'),
          ),
      ],
      [
        'a crash log rewritten',
        () =>
          writeFileSync(
            join(skse, 'crash-2024-06-01-10-00-00.log'),
            readFileSync(real('crashlogs', 'skyrim-mocked', 'TestLogCrashLogger1.txt')),
          ),
      ],
      [
        'a dump added',
        () =>
          copyFileSync(
            real('minidumps', 'null_read_av.dmp'),
            join(sd, 'SkyrimDiag_Crash_20260320_110000_000.dmp'),
          ),
      ],
      [
        'its manifest added',
        () =>
          writeFileSync(
            join(sd, 'SkyrimDiag_Incident_Crash_20260320_110000_000.json'),
            JSON.stringify(
              manifest('crash', '20260320_110000_000', 'SkyrimDiag_Crash_20260320_110000_000.dmp'),
            ),
          ),
      ],
      ['a manifest removed', () => unlinkSync(join(sd, 'SkyrimDiag_Incident_Hang_20260316_090000_250.json'))],
      [
        'a paired crash log renamed out of its window',
        () =>
          renameSync(
            join(skse, 'crash-2026-03-18-20-01-10.log'),
            join(skse, 'crash-2026-03-18-21-01-10.log'),
          ),
      ],
      [
        'a Papyrus log written at a capture',
        () => {
          const p = join(skse, 'Papyrus.0.log');
          writeFileSync(p, papyrusText(40, { startMs: Date.UTC(2026, 2, 20, 10, 50) }));
          utimesSync(p, t('2026-03-20T11:00:30'), t('2026-03-20T11:00:30'));
        },
      ],
      [
        'the Papyrus log touched out of the window',
        () => utimesSync(join(skse, 'Papyrus.0.log'), t('2026-03-25T11:00:30'), t('2026-03-25T11:00:30')),
      ],
      [
        'a session log touched to another session',
        () => utimesSync(join(skse, 'skse64.log'), t('2026-03-16T08:30:00'), t('2026-03-16T08:30:00')),
      ],
      ['a file no incident holds added', () => writeFileSync(join(skse, 'notes.txt'), 'not a crash log\n')],
      ['that file removed again', () => unlinkSync(join(skse, 'notes.txt'))],
      [
        'an ETL trace added to a capture',
        () => copyFileSync(real('etl', 'gcevents.etl'), join(sd, 'SkyrimDiag_Crash_20260320_110000_000.etl')),
      ],
      [
        'exit evidence naming a dump added',
        () =>
          writeFileSync(
            join(sd, 'SkyrimDiag_PostExitCrashEvidence_20260320_110002_1.json'),
            JSON.stringify({ dump_filename: 'C:\\x\\SkyrimDiag_Crash_20260320_110000_000.dmp' }),
          ),
      ],
      [
        'an imported bundle folder added',
        () => {
          const b = join(root, 'bundles', 'b1');
          mkdirSync(b, { recursive: true });
          copyFileSync(real('minidumps', 'minidump2.dmp'), join(b, 'crash.dmp'));
          writeFileSync(
            join(b, 'bundle.json'),
            JSON.stringify({
              created_at: '2026-03-02T10:00:00Z',
              incident: { kind: 'crash' },
              files: [{ name: 'crash.dmp', role: 'dump' }],
            }),
          );
        },
      ],
      [
        'the bundle manifest rewritten (same size)',
        () => {
          const p = join(root, 'bundles', 'b1', 'bundle.json');
          writeFileSync(p, readFileSync(p, 'utf8').replace('"kind":"crash"', '"kind":"hang" '));
        },
      ],
      ['a capture folder renamed', () => renameSync(join(root, 'CrashDumps'), join(root, 'CrashDumps2'))],
      ['a dump removed', () => unlinkSync(join(sd, 'SkyrimDiag_Crash_20260319_080000_000.dmp'))],
    ];

    it('starts from a recorded scan', async () => {
      // The first scan's record needs one more scan to see nothing changed only if it was not made.
      await expectShortcut();
    });

    for (const [what, change] of changes)
      it(`${what}: the rescan equals a cold scan, and the next one is the shortcut`, async () => {
        change();
        expect(await shortcutApplies()).toBe(false);
        const r = await wb.ctx.sources.scan([root]);
        expect(r.errors).toEqual([]);
        expect(indexContents(wb.ctx.store.path)).toEqual(await coldScan());
        await expectShortcut();
      });

    it('a change to the index made elsewhere (an incident deleted) is not skipped', async () => {
      const expected = indexContents(wb.ctx.store.path);
      const victim = (expected.incidents[0] as { id: string }).id;
      store().transaction(() => store().deleteIncidents([victim]));
      expect(await shortcutApplies()).toBe(false);
      const r = await wb.ctx.sources.scan([root]);
      expect(r.added).toBe(1);
      expect(indexContents(wb.ctx.store.path)).toEqual(expected);
      await expectShortcut();
    });

    it('a scan whose index does not hold what its grouping says records nothing', async () => {
      const walk = walkDigest(await walkFolder(root));
      // As if another process wrote the folder between this scan's writes and its record.
      recordScan(store(), root, walk, '0:not-this-state');
      expect(JSON.parse(readFileSync(recordPath(store()), 'utf8')).folders[root]).toBeUndefined();
      expect(await shortcutApplies()).toBe(false);
      await wb.ctx.sources.scan([root]);
      await expectShortcut();
    });

    it('the CLI scan answers from the shortcut what the full scan answered', async () => {
      const dataDir = join(tmp, 'cli-data');
      const db = join(dataDir, 'index.sqlite');
      const run = async () => {
        const io = captureIo();
        expect(await runCli(['scan', root, '--data-dir', dataDir, '--json'], io)).toBe(0);
        const doc = JSON.parse(io.outText) as { scan: Record<string, unknown>; incidents: unknown[] };
        return { ...doc, scan: { ...doc.scan, durationMs: 0, filesRead: 0 } };
      };
      const text = async () => {
        const io = captureIo();
        expect(await runCli(['scan', root, '--data-dir', dataDir], io)).toBe(0);
        // The first line ends with the scan's duration and files read.
        return io.outText.split('\n').slice(1).join('\n');
      };
      await run();
      // Without its record, a no-change scan runs in full (and records); then the shortcut.
      unlinkSync(`${db}-scans.json`);
      const full = await run();
      unlinkSync(`${db}-scans.json`);
      const fullText = await text();
      const record = readFileSync(`${db}-scans.json`, 'utf8');
      const contents = indexContents(db);
      const file = () => {
        const st = statSync(db, { bigint: true });
        return `${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;
      };
      const closed = file();
      const quick = await run();
      expect(quick).toEqual(full);
      expect(await text()).toBe(fullText);
      expect(fullText.split('\n').length).toBeGreaterThan(3);
      // The shortcut reads the index without opening it for writing (store/index-probe.ts): the
      // file stays as the last orderly close recorded it, and the scan adds nothing.
      expect(file()).toBe(closed);
      expect(readFileSync(`${db}-scans.json`, 'utf8')).toBe(record);
      expect(indexContents(db)).toEqual(contents);
    });

    it('the CLI scan serves its kept listing only while the index lists the same', async () => {
      const dataDir = join(tmp, 'cli-kept');
      const db = join(dataDir, 'index.sqlite');
      const kept = `${db}-listing`;
      const text = async () => {
        const io = captureIo();
        expect(await runCli(['scan', root, '--data-dir', dataDir], io)).toBe(0);
        return io.outText.split('\n').slice(1).join('\n');
      };
      const inode = () => statSync(kept).ino;
      // The cold scan keeps its listing; a no-change scan serves it without writing it again.
      const first = await text();
      expect(first.split('\n').length).toBeGreaterThan(3);
      const keptAt = inode();
      expect(await text()).toBe(first);
      expect(inode()).toBe(keptAt);
      // Triage in the app changes what is listed: the next scan lists it, and keeps that.
      const id = first.split('  ')[0]!;
      const app = SqliteIncidentStore.open(db, dataDir);
      app.setStatus(id, 'fixed');
      app.close();
      const triaged = await text();
      const others = (t: string) => t.split('\n').filter((l) => !l.startsWith(id));
      expect(others(triaged)).toEqual(others(first));
      expect(triaged.split('\n').find((l) => l.startsWith(id))).toMatch(/ fixed {3}/);
      expect(first.split('\n').find((l) => l.startsWith(id))).not.toMatch(/ fixed /);
      expect(inode()).not.toBe(keptAt);
      expect(await text()).toBe(triaged);
      // A cut file is not served: the listing comes from the index, and is kept whole again.
      truncateSync(kept, statSync(kept).size - 5);
      expect(await text()).toBe(triaged);
      expect(await text()).toBe(triaged);
      // Nor is it for other folders (the same folder given twice lists each incident twice).
      const io = captureIo();
      expect(await runCli(['scan', root, root, '--data-dir', dataDir], io)).toBe(0);
      const lines = (t: string) => t.split('\n').filter((l) => l);
      expect(lines(io.outText).slice(1).sort()).toEqual(
        lines(triaged)
          .flatMap((l) => [l, l])
          .sort(),
      );
    });
  },
);
