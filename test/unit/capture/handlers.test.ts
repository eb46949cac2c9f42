import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WorkbenchContext } from '../../../src/main/context';
import { CAPTURE_NEEDS_WINDOWS, loadCaptureAddon } from '../../../src/main/capture/addon';
import { createCaptureHandlers } from '../../../src/main/features/capture/handlers';
import { pickQuickCaptureTarget, quickCapture } from '../../../src/main/capture/quick-capture';
import { channels } from '../../../src/shared/contract/index';
import { fakeWpr, type FakeWprEnv } from './fake-wpr';

// A minimal stand-in context: the capture handlers only need emit, dirs, scanFolder and a lookup
// of the artifact row the scan created.
function fakeCtx(dir: string) {
  const events: { name: string; payload: unknown }[] = [];
  const scanned: string[] = [];
  const ctx = {
    dataDir: dir,
    transport: 'test',
    emit: (name: string, payload: unknown) => void events.push({ name, payload }),
    dirs: { captures: join(dir, 'captures'), imports: join(dir, 'imports') },
    sources: { scanFolder: async (p: string) => void scanned.push(p) },
    store: { incidentIdOfArtifact: () => 'incident-1' },
  } as unknown as WorkbenchContext;
  return { ctx, events, scanned };
}

let dir: string;
let f: FakeWprEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-caph-'));
  f = fakeWpr();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  f.dispose();
});

describe('capture handlers', () => {
  it('the addon never loads off Windows: listing says "capture needs Windows"', async () => {
    expect(loadCaptureAddon('linux', 'x64')).toEqual({ ok: false, reason: CAPTURE_NEEDS_WINDOWS });
    const { ctx } = fakeCtx(dir);
    const h = createCaptureHandlers(ctx, {
      loadAddon: () => loadCaptureAddon('linux'),
      wprConfig: () => null,
    });
    const list = await h['capture:listProcesses']!({});
    expect(list).toEqual({ supported: false, reason: CAPTURE_NEEDS_WINDOWS, processes: [] });
    const start = await h['capture:start']!(channels['capture:start'].request.parse({ pid: 1 }));
    expect(start.ok).toBe(false);
    expect(start.message).toBe(CAPTURE_NEEDS_WINDOWS);
    expect((await h['capture:etwStatus']!({})).available).toBe(false);
  });

  it('capture:start runs the capture, emits progress, scans the folder and returns the incident', async () => {
    const { ctx, events, scanned } = fakeCtx(dir);
    const h = createCaptureHandlers(ctx, {
      wprConfig: () => null,
      helpers: {
        isAlive: () => true,
        collectWaitChains: async (pid) => ({
          pid,
          threads: [],
          error: 50,
          debugPrivilegeEnabled: false,
          comCallbackRegistered: false,
        }),
        writeDump: async (_p, path) => writeFileSync(path, Buffer.alloc(64, 1)),
        startEtw: null,
      },
    });
    const res = await h['capture:start']!(channels['capture:start'].request.parse({ pid: 77 }));
    expect(res.ok).toBe(true);
    expect(res.incidentId).toBe('incident-1');
    expect(scanned).toEqual([ctx.dirs.captures]);
    const phases = events
      .filter((e) => e.name === 'capture:progress')
      .map((e) => (e.payload as { phase: string }).phase);
    expect(phases).toEqual(['wct', 'dump', 'manifest', 'done']);
    expect(events.at(-1)).toMatchObject({
      name: 'capture:completed',
      payload: { incidentId: 'incident-1', ok: true },
    });
    expect(channels['capture:start'].response.parse(res)).toBeTruthy();
  });

  it('stale ETW session: status reports it and cancelStaleEtw ends it', async () => {
    const { ctx } = fakeCtx(dir);
    await f.wpr().start('GeneralProfile');
    const h = createCaptureHandlers(ctx, {
      loadAddon: () => loadCaptureAddon('linux'),
      wprConfig: () => f.config(),
    });
    expect(await h['capture:etwStatus']!({})).toMatchObject({ available: true, staleSession: true });
    expect(await h['capture:cancelStaleEtw']!({})).toMatchObject({ ok: true });
    expect(f.sessionRunning()).toBe(false);
    expect(await h['capture:etwStatus']!({})).toMatchObject({ available: true, staleSession: false });
  });
});

describe('quick capture (hotkey / tray)', () => {
  const p = (pid: number, name: string, responding: boolean | null, isGame: boolean) => ({
    pid,
    parentPid: 1,
    name,
    exePath: '',
    windowTitle: name,
    responding,
    isGame,
  });

  it('prefers a frozen game, then any game, then a frozen window', () => {
    expect(pickQuickCaptureTarget([p(1, 'a.exe', false, false), p(2, 'SkyrimSE.exe', true, true)])?.pid).toBe(
      2,
    );
    expect(
      pickQuickCaptureTarget([p(2, 'SkyrimSE.exe', true, true), p(3, 'Fallout4.exe', false, true)])?.pid,
    ).toBe(3);
    expect(pickQuickCaptureTarget([p(1, 'a.exe', false, false), p(4, 'b.exe', true, false)])?.pid).toBe(1);
    expect(pickQuickCaptureTarget([p(4, 'b.exe', true, false)])).toBeNull();
  });

  it('off Windows it answers with the reason instead of capturing', async () => {
    const { ctx } = fakeCtx(dir);
    const h = createCaptureHandlers(ctx, {
      loadAddon: () => loadCaptureAddon('linux'),
      wprConfig: () => null,
    });
    expect(await quickCapture(h as Parameters<typeof quickCapture>[0])).toEqual({
      ok: false,
      message: CAPTURE_NEEDS_WINDOWS,
    });
  });
});

describe('ETW availability', () => {
  it('missing admin rights make ETW unavailable with the reason', async () => {
    const { ctx } = fakeCtx(dir);
    const h = createCaptureHandlers(ctx, {
      loadAddon: () => loadCaptureAddon('linux'),
      wprConfig: () => f.config({ FAKE_WPR_NOADMIN: '1' }),
    });
    const s = await h['capture:etwStatus']!({});
    expect(s.available).toBe(false);
    expect(s.reason).toMatch(/administrator rights/);
  });
});
