import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { openApp, rows, shot } from './support/app';
import { runTsxJson, startServe, type ServeHandle } from './support/serve';

/** A fresh data dir: the empty state, then opening a folder by path (serve mode has no dialog). */
test.describe('first run', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ServeHandle;

  test.beforeAll(async () => {
    // Watching on: a file written into an opened folder must show up without a click.
    server = await startServe({ watch: true });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('shows the empty state with Open folder', async ({ page }) => {
    await openApp(page, server.url);
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expect(page.getByTestId('open-folder')).toBeVisible();
    await shot(page, 'empty-state');
  });

  test('a dropped folder without a path (browser) asks for the path', async ({ page }) => {
    await openApp(page, server.url);
    // Chromium gives pages no filesystem path for a dropped folder; the app must ask instead.
    // (A string: this file is type-checked without DOM typings.)
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'Tullius Ctd Logs'));
      const target = document.querySelector('.shell');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    })()`);
    await expect(page.getByTestId('path-prompt')).toBeVisible();
    await expect(page.getByTestId('path-prompt')).toContainText('does not reveal');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('path-prompt')).toBeHidden();
  });

  test('opening a real folder by path lists its incidents live', async ({ page }) => {
    test.setTimeout(120_000);
    const have = fixturesAvailable();
    await openApp(page, server.url);
    const folder = join(server.tmp, 'games');
    const expected = have ? runTsxJson<unknown[]>('test/e2e/support/build-folder.ts', [folder]) : [];
    await page.getByTestId('open-folder').click();
    await page.getByTestId('folder-path-input').fill(have ? folder : server.tmp);
    await shot(page, 'open-folder-prompt');
    await page.getByTestId('folder-path-submit').click();
    await expect(page.getByTestId('path-prompt')).toBeHidden({ timeout: 60_000 });
    if (have) await expect(rows(page)).toHaveCount(expected.length);
    await page.getByTestId('nav-folders').click();
    await expect(page.getByTestId('folder-list')).toContainText(have ? folder : server.tmp);
    await shot(page, 'folders-view');
  });

  test('a crash log written into a watched folder appears live', async ({ page }) => {
    await openApp(page, server.url);
    await expect(rows(page).first().or(page.getByTestId('empty-state'))).toBeVisible();
    const before = await rows(page).count();
    const dir = join(server.tmp, 'live');
    mkdirSync(dir, { recursive: true });
    await page.getByTestId('nav-folders').click();
    await page.getByRole('button', { name: 'Add folder…' }).click();
    await page.getByTestId('folder-path-input').fill(dir);
    await page.getByTestId('folder-path-submit').click();
    await expect(page.getByTestId('path-prompt')).toBeHidden();
    await page.getByTestId('nav-incidents').click();
    // SYNTHETIC minimal Crash Logger-style log: only the watcher → list path is under test.
    writeFileSync(
      join(dir, 'crash-2026-11-24-12-00-00.log'),
      'Skyrim SSE v1.6.1170\nCrashLoggerSSE v1-15-0-0 Nov 24 2026 12:00:00\n\nUnhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FF6A1B2C3D4 SkyrimSE.exe+0123456\n',
    );
    const t0 = Date.now();
    await expect(rows(page)).toHaveCount(before + 1, { timeout: 15_000 });
    console.log(`[bench] watcher → list: new crash log listed ${Date.now() - t0} ms after it was written`);
    await expect(rows(page).first()).toContainText('2026-11-24 12:00:00');
  });
});
