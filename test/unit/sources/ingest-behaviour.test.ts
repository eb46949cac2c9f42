import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { channels } from '../../../src/shared/contract/index';
import { featureHandlers } from '../../../src/main/features/index';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { readIndex } from '../../helpers/index-db';
import { buildSkyrimDiagFolder } from '../../helpers/skyrimdiag-folder';

const list = async (wb: Workbench, search?: string) =>
  (await wb.handlers['incidents:list']({ offset: 0, limit: 1000, search })).items;

function snapshot(wb: Workbench) {
  return readIndex(wb.ctx.store.path, (db) =>
    db
      .prepare(
        `SELECT i.id, i.kind, i.source, i.captured_at, i.title, i.signature, i.has_errors, a.role, a.name, a.size, a.sha256, a.parse_status, a.parse_error
         FROM incidents i JOIN artifacts a ON a.incident_id = i.id ORDER BY i.id, a.path`,
      )
      .all(),
  );
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('ingest: files are the truth', () => {
  let tmp: string;
  let wb: Workbench;
  let root: string;
  beforeEach(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-ingest-'));
    root = buildSkyrimDiagFolder(join(tmp, 'games')).root;
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test', initialFolders: [root] });
  });
  afterEach(async () => {
    await wb.close();
    chmodSync(tmp, 0o700);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('rebuilding from scratch gives the same index, and keeps triage status', async () => {
    const before = snapshot(wb);
    const first = (await list(wb))[0]!;
    await wb.handlers['incidents:setStatus']({ id: first.id, status: 'fixed' });
    const r = await wb.handlers['db:rebuild']({});
    expect(r.added).toBe(before.length > 0 ? r.incidents : 0);
    expect(snapshot(wb)).toEqual(before);
    expect((await wb.handlers['incidents:get']({ id: first.id }))!.status).toBe('fixed');
    // A different data folder, same files: same ids and rows.
    await wb.close();
    rmSync(join(tmp, 'data'), { recursive: true });
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test', initialFolders: [root] });
    expect(snapshot(wb)).toEqual(before);
  });

  it('a rescan with nothing changed reads no file; a changed file is re-read alone', async () => {
    const again = await wb.handlers['incidents:scan']({ folders: [root] });
    expect(again).toMatchObject({ added: 0, updated: 0, removed: 0, filesRead: 0 });
    const sd = join(root, 'overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs');
    writeFileSync(
      join(sd, 'SkyrimDiag_Incident_Crash_20260319_080000_000.json'),
      JSON.stringify({ fixed: false }),
    );
    const third = await wb.handlers['incidents:scan']({ folders: [root] });
    expect(third).toMatchObject({ added: 0, updated: 1, removed: 0, filesRead: 1 });
  });

  it('adds new captures, drops deleted ones, and re-links files that appear later', async () => {
    const sd = join(root, 'overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs');
    const n0 = (await list(wb)).length;
    copyFileSync(
      real('minidumps', 'electron-windows.dmp'),
      join(sd, 'SkyrimDiag_Crash_20260320_110000_000.dmp'),
    );
    let r = await wb.handlers['incidents:scan']({ folders: [root] });
    expect(r.added).toBe(1);
    // The manifest arrives seconds later (§13) and joins the same incident.
    writeFileSync(
      join(sd, 'SkyrimDiag_Incident_Crash_20260320_110000_000.json'),
      JSON.stringify({
        schema: { name: 'SkyrimDiagIncident', version: 1 },
        incident_id: 'crash_20260320_110000_000_pid1',
        capture_kind: 'crash',
        timestamp_local: '20260320_110000_000',
        pid: 1,
        artifacts: { dump: 'SkyrimDiag_Crash_20260320_110000_000.dmp' },
      }),
    );
    r = await wb.handlers['incidents:scan']({ folders: [root] });
    expect(r).toMatchObject({ added: 0, updated: 1 });
    const newest = (await list(wb))[0]!;
    expect(newest.capturedAt).toBe('2026-03-20T11:00:00.000');
    expect(newest.artifactCount).toBe(2);
    // SkyrimDiag deletes a crash family when the game exits with code 0.
    unlinkSync(join(sd, 'SkyrimDiag_Crash_20260320_110000_000.dmp'));
    unlinkSync(join(sd, 'SkyrimDiag_Incident_Crash_20260320_110000_000.json'));
    r = await wb.handlers['incidents:scan']({ folders: [root] });
    expect(r.removed).toBe(1);
    expect((await list(wb)).length).toBe(n0);
  });

  it('searches the full text: modules, exception names, file names, non-ASCII', async () => {
    expect((await list(wb, 'crashme')).length).toBeGreaterThanOrEqual(2);
    expect((await list(wb, 'EXCEPTION_ACCESS_VIOLATION')).length).toBeGreaterThan(3);
    expect((await list(wb, 'deadlock')).map((i) => i.kind)).toEqual(['hang']);
    expect(await list(wb, 'zzzz-nothing-like-this')).toEqual([]);
    const kinds = (await wb.handlers['incidents:list']({ offset: 0, limit: 100, kind: 'hang' })).items;
    expect(kinds.every((i) => i.kind === 'hang')).toBe(true);
    const src = (await wb.handlers['incidents:list']({ offset: 0, limit: 100, source: 'wer' })).items;
    expect(src).toHaveLength(2);
  });

  it('handles Korean and Cyrillic user folders', async () => {
    const ru = join(tmp, 'Пользователь', 'CrashDumps');
    mkdirSync(ru, { recursive: true });
    copyFileSync(real('minidumps', 'null_read_av.dmp'), join(ru, 'SkyrimSE.exe.777.dmp'));
    await wb.handlers['folders:add']({ path: join(tmp, 'Пользователь') });
    const hit = (await list(wb)).find((i) => i.folder.includes('Пользователь'));
    expect(hit?.title).toMatch(/EXCEPTION_ACCESS_VIOLATION reading 0x0/);
    const ko = (await list(wb)).find((i) => i.title.includes('test_app.exe'));
    const d = await wb.handlers['incidents:get']({ id: ko!.id });
    expect(d!.artifacts[0]!.path).toContain('사용자');
  });

  it('reports a missing or unreadable folder clearly and keeps going', async () => {
    await expect(wb.handlers['folders:add']({ path: join(tmp, 'nope') })).rejects.toThrow(
      /Folder does not exist/,
    );
    const locked = join(tmp, 'locked');
    mkdirSync(join(locked, 'inner'), { recursive: true });
    chmodSync(join(locked, 'inner'), 0o000);
    // Only folders the user added may be scanned (a page cannot have any folder read).
    await wb.handlers['folders:add']({ path: locked });
    const r = await wb.handlers['incidents:scan']({ folders: [locked, root] });
    chmodSync(join(locked, 'inner'), 0o700);
    if (process.getuid?.() !== 0) expect(r.errors.map((e) => e.message).join('\n')).toMatch(/No permission/);
    expect(r.scannedFolders).toHaveLength(2);
  });

  it('reads artifact text (decoded) and answers clearly for an unknown artifact', async () => {
    const inc = (await list(wb, 'Buffout'))[0]!;
    const d = await wb.handlers['incidents:get']({ id: inc.id });
    const t = await wb.handlers['artifacts:readText']({ artifactId: d!.artifacts[0]!.id, maxBytes: 200 });
    expect(t.truncated).toBe(true);
    expect(t.text).toMatch(/Fallout 4/);
    await expect(wb.handlers['artifacts:readText']({ artifactId: 999999, maxBytes: 10 })).rejects.toThrow(
      /No artifact/,
    );
  });

  it('the CLI scan --json prints the same incidents the UI lists', async () => {
    let out = '';
    const io = { out: (s: string) => (out += s), err: () => undefined, env: {}, cwd: tmp };
    const code = await runCli(['scan', root, '--json', '--data-dir', join(tmp, 'cli-data')], io);
    expect(code).toBe(0);
    const cli = JSON.parse(out) as { incidents: { id: string; title: string; capturedAt: string }[] };
    const ui = await list(wb);
    expect(cli.incidents.map((i) => [i.id, i.title, i.capturedAt])).toEqual(
      ui.map((i) => [i.id, i.title, i.capturedAt]),
    );
    out = '';
    expect(await runCli(['show', ui[0]!.id.slice(0, 6), '--data-dir', join(tmp, 'cli-data')], io)).toBe(0);
    expect(out).toContain(ui[0]!.title);
    expect(await runCli(['scan', join(tmp, 'missing'), '--data-dir', join(tmp, 'cli-data')], io)).toBe(2);
    expect(await runCli(['show', 'ffffffffffff', '--data-dir', join(tmp, 'cli-data')], io)).toBe(2);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('folder watcher', () => {
  it('indexes a new crash and notifies the renderer within 2 seconds', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ctd-watch-'));
    const folder = join(tmp, 'Tullius Ctd Logs');
    mkdirSync(folder);
    const events: { at: number; ids: string[] }[] = [];
    const wb = await createWorkbench({
      dataDir: join(tmp, 'data'),
      transport: 'test',
      watch: true,
      initialFolders: [folder],
      emit: (name, payload) => {
        if (name === 'incidents:changed')
          events.push({ at: performance.now(), ids: (payload as { ids: string[] }).ids });
      },
    });
    try {
      const t0 = performance.now();
      copyFileSync(
        real('minidumps', 'null_read_av.dmp'),
        join(folder, 'SkyrimDiag_Crash_20260321_090000_000.dmp'),
      );
      while (events.length === 0 && performance.now() - t0 < 5000)
        await new Promise((r) => setTimeout(r, 50));
      expect(events.length).toBeGreaterThan(0);
      console.log(`[watcher] new dump indexed and announced after ${Math.round(events[0]!.at - t0)} ms`);
      expect(events[0]!.at - t0).toBeLessThan(2000);
      expect((await list(wb))[0]!.capturedAt).toBe('2026-03-21T09:00:00.000');
    } finally {
      await wb.close();
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('the composed handler table', () => {
  it('covers every contract channel with a real handler', () => {
    // Factories must not touch the context while building their table; a proxy stands in for it.
    const deep: unknown = new Proxy(function () {}, { get: () => deep, apply: () => deep });
    const stubCtx = deep as Parameters<(typeof featureHandlers)[number]>[0];
    const names = new Set<string>();
    for (const f of featureHandlers) for (const k of Object.keys(f(stubCtx))) names.add(k);
    expect([...names].sort()).toEqual(Object.keys(channels).sort());
  });
});
