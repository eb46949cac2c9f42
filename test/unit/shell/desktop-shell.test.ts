import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { activeEtwCount, recordEtwWindow } from '../../../src/main/capture/wpr';
import type { PreferencesState } from '../../../src/shared/contract/preferences';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { fakeWpr } from '../capture/fake-wpr';
import { electronStub } from './electron-stub';

/**
 * The Electron entry (src/main/index.ts) started against a stubbed 'electron' module: the
 * global capture hotkey and the tray item are wired, the hotkey follows the preferences, a new
 * crash becomes a desktop notification that opens it, and quitting cancels a running ETW trace
 * session before the app goes. Everything behind the stub is real: services, SQLite index,
 * contract dispatch, the fake wpr.exe of the capture tests.
 */
const tmp = mkdtempSync(join(tmpdir(), 'ctd-shell-'));
const stub = vi.hoisted(() => ({ current: null as ReturnType<typeof electronStub> | null }));
vi.mock('electron', () => stub.current!.module);

const APP_FRAME = { senderFrame: { url: 'app://ctd/index.html', parent: null } };
const invoke = async (name: string, req: unknown) => {
  const r = (await stub.current!.invokeHandlers.get('ctd:invoke')!(APP_FRAME, name, req)) as {
    ok: boolean;
    res?: unknown;
    error?: { message: string };
  };
  if (!r.ok) throw new Error(r.error?.message);
  return r.res;
};
const until = async (what: string, ok: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const menuLabels = () => stub.current!.trays[0]!.menu.map((i) => i.label ?? `(${i.type})`);

beforeAll(async () => {
  stub.current = electronStub(join(tmp, 'data'));
  process.env.CTD_DATA_DIR = join(tmp, 'data');
  await import('../../../src/main/index');
  await until('the app to start', () => stub.current!.invokeHandlers.has('ctd:invoke'));
});
afterAll(() => {
  delete process.env.CTD_DATA_DIR;
  rmSync(tmp, { recursive: true, force: true });
});

describe('desktop shell (src/main/index.ts with a stubbed electron)', () => {
  it('registers the global capture hotkey and puts a tray item up', () => {
    const s = stub.current!;
    expect([...s.registered.keys()]).toEqual(['CommandOrControl+Shift+F12']);
    expect(s.trays).toHaveLength(1);
    expect(s.trays[0]!.icon).toMatch(/resources[\\/]icon\.png$/);
    expect(s.trays[0]!.tooltip).toBe('CTD Workbench');
    expect(menuLabels()).toEqual([
      'Capture the game now\tCtrl+Shift+F12',
      'Show CTD Workbench',
      '(separator)',
      'Quit',
    ]);
    expect(s.windows).toHaveLength(1);
  });

  it('the hotkey and the tray item run the quick capture and say what happened', async () => {
    const s = stub.current!;
    s.registered.get('CommandOrControl+Shift+F12')!();
    await until('a notification', () => s.notifications.length === 1);
    // No capture helper off Windows: the shell says why, where a full-screen player sees it.
    expect(s.notifications[0]).toMatchObject({
      title: 'Nothing captured',
      body: expect.stringMatching(/Windows/),
    });
    s.trays[0]!.menu[0]!.click!();
    await until('a second notification', () => s.notifications.length === 2);
    s.trays[0]!.listeners.get('click')!();
    expect(s.windows[0]!.shown).toBeGreaterThan(0);
  });

  it('the hotkey follows the preferences: changed, refused when taken, turned off', async () => {
    const s = stub.current!;
    let st = (await invoke('preferences:set', { captureHotkey: 'Alt+Shift+F9' })) as PreferencesState;
    expect(st.hotkey).toEqual({ state: 'active', message: null });
    expect([...s.registered.keys()]).toEqual(['Alt+Shift+F9']);
    expect(menuLabels()[0]).toBe('Capture the game now\tAlt+Shift+F9');

    s.taken.add('Ctrl+Alt+K');
    st = (await invoke('preferences:set', { captureHotkey: 'Ctrl+Alt+K' })) as PreferencesState;
    expect(st.hotkey.state).toBe('failed');
    expect(st.hotkey.message).toMatch(/taken by another program/);
    expect(s.registered.size).toBe(0);
    expect(((await invoke('preferences:get', {})) as PreferencesState).hotkey.state).toBe('failed');

    st = (await invoke('preferences:set', { captureHotkey: '' })) as PreferencesState;
    expect(st.hotkey.state).toBe('off');
    expect(menuLabels()[0]).toBe('Capture the game now');
    await expect(invoke('preferences:set', { captureHotkey: 'Shift+Banana' })).rejects.toThrow(/shortcut/);

    st = (await invoke('preferences:set', {
      captureHotkey: 'CommandOrControl+Shift+F12',
    })) as PreferencesState;
    expect(st.hotkey.state).toBe('active');
  });

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())('a new crash becomes a desktop notification that opens it', async () => {
    const s = stub.current!;
    const folder = join(tmp, 'SKSE');
    mkdirSync(folder, { recursive: true });
    // A REAL Crash Logger log under a name dated now (crash loggers name logs by local time).
    const d = new Date();
    const p = (n: number) => String(n).padStart(2, '0');
    const name = `crash-${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}.log`;
    copyFileSync(real('crashlogs', 'skyrim-mocked', 'TestLogCrashLogger1.txt'), join(folder, name));
    const before = s.notifications.length;
    await invoke('folders:add', { path: folder });
    await until('the new-crash notification', () => s.notifications.length > before);
    const n = s.notifications[before]!;
    expect(n.title).toBe('New Skyrim crash');
    n.click!();
    const sent = s.windows[0]!.sent.filter(([ch]) => ch === 'ctd:evt:notify:open');
    expect(sent).toHaveLength(1);
    const id = (sent[0]![1] as { id: string }).id;
    expect(((await invoke('incidents:get', { id })) as { title: string }).title).toBe(n.body);

    // Notifications off: the next crash is indexed silently.
    await invoke('preferences:set', { notifyNewIncidents: false });
    copyFileSync(
      real('crashlogs', 'skyrim-mocked', 'TestLogTrainwreck1.txt'),
      join(folder, name.replace('.log', '-2.log')),
    );
    const quiet = s.notifications.length;
    await invoke('incidents:scan', {});
    await new Promise((r) => setTimeout(r, 300));
    expect(s.notifications.length).toBe(quiet);
  });

  it('quitting cancels a running ETW trace session first, then lets the app go', async () => {
    const s = stub.current!;
    const wpr = fakeWpr();
    try {
      const rec = recordEtwWindow(wpr.wpr(), { seconds: 30, etlPath: join(wpr.dir, 'q.etl'), tickMs: 1000 });
      expect(await rec.started).toBe(true);
      expect(activeEtwCount()).toBe(1);
      expect(wpr.sessionRunning()).toBe(true);
      s.module.app.quit();
      expect(s.quits.done).toBe(0); // held until the cleanup is done
      const res = await rec.done;
      expect(res.errorCode).toBe('cancelled');
      await until('the quit to go through', () => s.quits.done === 1);
      expect(wpr.calls().map((c) => c[0])).toContain('-cancel');
      expect(wpr.sessionRunning()).toBe(false);
      expect(s.registered.size).toBe(0);
      expect(s.trays[0]!.destroyed).toBe(true);
    } finally {
      wpr.dispose();
    }
  });
});
