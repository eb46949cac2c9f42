import { _electron as electron, expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { runTsxJson, scratch } from './support/serve';

/**
 * The desktop shell itself. Selected only where node_modules/electron/dist holds a binary
 * (playwright.config.ts); CI here has none and runs the same UI through serve mode instead.
 */
const root = join(__dirname, '..', '..');

test('Electron: hardened window, preload bridge, folder opened through IPC', async () => {
  test.setTimeout(120_000);
  const tmp = scratch('ctd-e2e-electron-');
  const app = await electron.launch({
    args: [join(root, 'out', 'main', 'index.js')],
    env: { ...process.env, CTD_DATA_DIR: join(tmp, 'data') },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('nav-incidents')).toBeVisible();
    expect(await page.title()).toBe('CTD Workbench');

    // The page gets exactly one bridge object and no Node.
    const surface = (await page.evaluate(`(() => ({
      require: typeof require,
      process: typeof process,
      ctd: Object.keys(window.ctd || {}).sort(),
      opened: window.open('https://example.com/') === null,
    }))()`)) as { require: string; process: string; ctd: string[]; opened: boolean };
    expect(surface).toEqual({
      require: 'undefined',
      process: 'undefined',
      ctd: ['call', 'on', 'pathForFile'],
      opened: true,
    });

    // Calls answer the CallResult envelope: the code survives contextBridge.
    const unknown = (await page.evaluate(`window.ctd.call('fs:readAnything', {})`)) as {
      ok: boolean;
      error: { code: string; message: string };
    };
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(unknown.error.message).toContain('Unknown channel');

    const info = (await page.evaluate(`window.ctd.call('app:info', {})`)) as { res: { transport: string } };
    expect(info.res.transport).toBe('electron');

    if (fixturesAvailable()) {
      const folder = join(tmp, 'games');
      const expected = runTsxJson<unknown[]>('test/e2e/support/build-folder.ts', [folder]);
      await page.evaluate(`window.ctd.call('folders:add', { path: ${JSON.stringify(folder)} })`);
      await expect(page.getByTestId('incident-row')).toHaveCount(expected.length);
    }

    // Navigation away from the app is refused.
    await page.evaluate(`location.href = 'https://example.com/'`).catch(() => undefined);
    await page.waitForTimeout(500);
    expect(page.url().startsWith('app://ctd/')).toBe(true);
  } finally {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
});
