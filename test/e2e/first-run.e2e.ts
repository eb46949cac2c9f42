import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { openApp, rows, shot } from './support/app';
import { runTsxJson, scratch, startServe, type ServeHandle } from './support/serve';

/** A fresh data dir: the empty state, then opening a folder by path (serve mode has no dialog). */
test.describe('first run', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ServeHandle;

  test.beforeAll(async () => {
    server = await startServe();
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
    const folder = join(scratch('ctd-e2e-open-'), 'games');
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
});
