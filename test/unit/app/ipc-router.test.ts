import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppPage, routeInvoke } from '../../../src/main/ipc-router';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';

/** The Electron IPC sender check and routing, without Electron. */
describe('Electron IPC router', () => {
  let dir: string;
  let wb: Workbench;
  const top = { frameUrl: 'app://ctd/index.html', isTopFrame: true };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ctd-ipc-'));
    wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
  });
  afterAll(async () => {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recognises only our own pages', () => {
    expect(isAppPage('app://ctd/index.html')).toBe(true);
    expect(isAppPage('app://ctd/index.html#/x')).toBe(true);
    expect(isAppPage('app://evil/index.html')).toBe(false);
    expect(isAppPage('file:///C:/Users/x/index.html')).toBe(false);
    expect(isAppPage('https://ctd/index.html')).toBe(false);
    expect(isAppPage('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppPage('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isAppPage('app://ctd/index.html', 'http://localhost:5173')).toBe(false);
  });

  it('answers our top frame through the shared dispatch', async () => {
    const r = await routeInvoke(wb.handlers, top, 'app:info', {});
    expect(r.ok).toBe(true);
    expect(r.ok && r.res).toHaveProperty('version');
  });

  it('refuses other pages, sub-frames and vanished frames before touching a handler', async () => {
    for (const sender of [
      { frameUrl: 'https://example.com/', isTopFrame: true },
      { frameUrl: 'file:///tmp/index.html', isTopFrame: true },
      { frameUrl: 'app://ctd/index.html', isTopFrame: false },
      { frameUrl: null, isTopFrame: true },
    ]) {
      const r = await routeInvoke(wb.handlers, sender, 'folders:list', {});
      expect(r).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'Caller is not the workbench window' },
      });
    }
  });

  it('rejects non-string and unknown channel names and invalid requests', async () => {
    expect(await routeInvoke(wb.handlers, top, 42, {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await routeInvoke(wb.handlers, top, '__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await routeInvoke(wb.handlers, top, 'folders:add', { path: '' })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
  });
});
