import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NewIncidentWatch } from '../../../src/main/notify/new-incidents';
import { CaptureHotkey } from '../../../src/main/shell/hotkey';
import { installQuitCleanup } from '../../../src/main/shell/quit-cleanup';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../../src/shared/domain/local-time';
import { SqliteIncidentStore, type IncidentRow } from '../../../src/main/store/sqlite-store';
import { acceleratorLabel, acceleratorProblem } from '../../../src/shared/domain/accelerator';

describe('accelerators', () => {
  it('accepts modifier+key and lone F-keys, says what is wrong otherwise', () => {
    for (const ok of ['CommandOrControl+Shift+F12', 'Alt+F9', 'F10', 'Ctrl+Alt+K', 'Shift+Space'])
      expect(acceleratorProblem(ok), ok).toBeNull();
    expect(acceleratorProblem('K')).toMatch(/needs a modifier/);
    expect(acceleratorProblem('Ctrl+Shift')).toMatch(/Add a key/);
    expect(acceleratorProblem('Hyper+K')).toMatch(/not a modifier/);
    expect(acceleratorProblem('Ctrl+Banana')).toMatch(/not a key/);
    expect(acceleratorProblem('Ctrl++')).toMatch(/joined by "\+"/);
    expect(acceleratorLabel('CommandOrControl+Shift+F12')).toBe('Ctrl+Shift+F12');
    expect(acceleratorLabel('CommandOrControl+Shift+F12', 'darwin')).toBe('Cmd+Shift+F12');
  });

  it('CaptureHotkey gives the old shortcut up when it changes, and reports a taken one', () => {
    const reg = new Map<string, () => void>();
    const gs = {
      register: (a: string, cb: () => void) => (a === 'Alt+F1' ? false : (reg.set(a, cb), true)),
      unregister: (a: string) => void reg.delete(a),
    };
    let pressed = 0;
    const hk = new CaptureHotkey(gs, () => pressed++);
    expect(hk.apply('Alt+F2').state).toBe('active');
    reg.get('Alt+F2')!();
    expect(pressed).toBe(1);
    expect(hk.apply('Alt+F1')).toMatchObject({ state: 'failed', message: expect.stringMatching(/taken/) });
    expect([...reg.keys()]).toEqual([]);
    expect(hk.accelerator).toBeNull();
    expect(hk.apply('').state).toBe('off');
  });

  it('quit cleanup holds the first quit until it is done, once', async () => {
    const listeners: ((e: { preventDefault(): void }) => void)[] = [];
    let quits = 0;
    let cleaned = 0;
    const app = {
      on: (_: 'before-quit', l: (e: { preventDefault(): void }) => void) => listeners.push(l),
      quit: () => {
        let held = false;
        for (const l of listeners) l({ preventDefault: () => (held = true) });
        if (!held) quits++;
      },
    };
    installQuitCleanup(app, async () => {
      await new Promise((r) => setTimeout(r, 30));
      cleaned++;
    });
    app.quit();
    app.quit(); // a second click while cleaning waits too
    expect(quits).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect([cleaned, quits]).toEqual([1, 1]);
  });
});

describe('new incidents worth a notification (SYNTHETIC rows)', () => {
  it('recent crashes and hangs of the player, inserted since the last look; not rescans, old ones or bundles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctd-news-'));
    const store = SqliteIncidentStore.open(join(dir, 'index.sqlite'), dir);
    try {
      const now = Date.now();
      const row = (
        id: string,
        kind: IncidentRow['kind'],
        source: IncidentRow['source'],
        hoursAgo: number,
      ): IncidentRow => {
        const iso = localIsoFromMs(now - hoursAgo * 3_600_000);
        return {
          id,
          groupKey: id,
          kind,
          source,
          capturedAt: iso,
          capturedMs: sortKeyOfLocalIso(iso),
          folder: '/f',
          title: `title ${id}`,
          signature: null,
          verdict: null,
          hasErrors: false,
          artifactCount: 0,
        };
      };
      store.writeIncident(row('before', 'crash', 'wer', 0.1), [], [], '');
      const watch = new NewIncidentWatch(store, () => now);
      expect(watch.check()).toBeNull();
      store.writeIncident(row('crash', 'crash', 'crashlogger', 0.5), [], [], '');
      store.writeIncident(row('hang', 'hang', 'skyrimdiag', 1), [], [], '');
      store.writeIncident(row('old', 'crash', 'wer', 48), [], [], '');
      store.writeIncident(row('bundle', 'crash', 'bundle', 0.2), [], [], '');
      store.writeIncident(row('manual', 'manual', 'capture', 0.2), [], [], '');
      store.writeIncident(row('before', 'crash', 'wer', 0.1), [], [], ''); // a rescan of a known one
      expect(watch.check()).toEqual({
        items: [
          { id: 'crash', kind: 'crash', title: 'title crash', game: null },
          { id: 'hang', kind: 'hang', title: 'title hang', game: 'skyrim' },
        ],
        total: 2,
      });
      expect(watch.check()).toBeNull();
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
