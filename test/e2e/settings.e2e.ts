import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { openApp, shot } from './support/app';
import { axe, BLOCKING } from './support/axe';
import { scratch, startServe, type ServeHandle } from './support/serve';

/**
 * Preferences in the real UI (serve mode): storage retention shown and edited in Folders, the
 * symbol folder the Crash tab names functions from, the new-crash notice (serve mode: a toast
 * with Open, the browser has not granted notifications), and the hotkey setting in Capture.
 * Files are REAL fixtures (a Breakpad test dump with its symbols, a Crash Logger log).
 */
const now = new Date();
const p2 = (n: number) => String(n).padStart(2, '0');
/** Crash loggers name logs by local time; a log "from now" is news. */
const nowLog = `crash-${now.getFullYear()}-${p2(now.getMonth() + 1)}-${p2(now.getDate())}-${p2(now.getHours())}-${p2(now.getMinutes())}-${p2(now.getSeconds())}.log`;

async function noBlockingAxe(page: Page, what: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const bad = (await axe(page)).filter((v) => BLOCKING.has(v.impact ?? ''));
    expect(bad.map((v) => `${what} (${theme}): ${v.id} ×${v.nodes.length}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

if (!fixturesAvailable()) {
  test('settings (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('preferences: storage, symbols, notifications, hotkey', () => {
    test.describe.configure({ mode: 'serial' });
    test.use({ bypassCSP: true });
    let server: ServeHandle;
    let folder: string;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-settings-');
      folder = join(tmp, 'crashes');
      mkdirSync(folder, { recursive: true });
      copyFileSync(real('minidumps', 'minidump2.dmp'), join(folder, 'test_app.exe.4242.dmp'));
      // Dated in the past: a crash log written "now" must not pair with it (logs pair within 120 s).
      const then = new Date('2026-03-01T10:00:00');
      utimesSync(join(folder, 'test_app.exe.4242.dmp'), then, then);
      server = await startServe({ folders: [folder], tmp, watch: true });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test('Folders shows storage use and its limits; they can be changed', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-folders').click();
      const storage = page.getByTestId('storage-section');
      await expect(storage.getByTestId('storage-total')).toContainText('0 B of 10 GiB');
      await expect(page.getByTestId('retention-days')).toHaveValue('90');
      await page.getByTestId('retention-gb').fill('2.5');
      await page.getByTestId('retention-days').fill('30');
      await page.getByTestId('retention-save').click();
      await expect(storage.getByTestId('storage-total')).toContainText('of 2.5 GiB');
      await page.getByTestId('retention-clean').click();
      await expect(page.getByTestId('retention-result')).toHaveText('Nothing to remove.');
      await page.reload();
      await page.getByTestId('nav-folders').click();
      await expect(page.getByTestId('retention-days')).toHaveValue('30');
      await shot(page, 'folders-settings');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'folders-settings-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await noBlockingAxe(page, 'folders');
    });

    test('a symbol folder set in Folders names the functions in the Crash tab', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-folders').click();
      await page.getByTestId('symbols-path').fill(join(folder, 'no-such-folder'));
      await page.getByTestId('symbols-add').click();
      await expect(page.getByTestId('prefs-error')).toContainText('Not a folder');
      await page.getByTestId('symbols-path').fill(real('minidumps', 'symbols'));
      await page.getByTestId('symbols-add').click();
      await expect(page.getByTestId('symbol-dirs')).toContainText('symbols');
      await page.getByTestId('nav-incidents').click();
      await page.getByTestId('incident-row').first().dblclick();
      await page.getByTestId('tab-crash').click();
      await expect(page.locator('.crash-tab')).toContainText("`anonymous namespace'::CrashFunction");
    });

    test('a new crash shows a notice that opens it (browser without notification permission)', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-folders').click();
      await expect(page.getByTestId('notify-toggle')).toBeChecked();
      copyFileSync(real('crashlogs', 'skyrim-mocked', 'TestLogCrashLogger1.txt'), join(folder, nowLog));
      const toast = page.getByTestId('toast');
      await expect(toast).toContainText('New Skyrim crash:', { timeout: 20_000 });
      await shot(page, 'new-crash-toast');
      await noBlockingAxe(page, 'toast');
      await toast.getByTestId('toast-action').click();
      await expect(page.getByTestId('detail-view')).toBeVisible();
      await expect(page.getByTestId('detail-title')).not.toBeEmpty();
    });

    test('the Capture view has the hotkey setting, checked while typing', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-capture').click();
      const setting = page.getByTestId('hotkey-setting');
      await expect(page.getByTestId('hotkey-input')).toHaveValue('CommandOrControl+Shift+F12');
      await expect(page.getByTestId('hotkey-status')).toContainText('part of the desktop app');
      await page.getByTestId('hotkey-input').fill('Ctrl+Banana');
      await expect(page.getByTestId('hotkey-status')).toContainText('"Banana" is not a key');
      await expect(page.getByTestId('hotkey-save')).toBeDisabled();
      await page.getByTestId('hotkey-input').fill('Alt+Shift+F9');
      await page.getByTestId('hotkey-save').click();
      await expect(page.getByTestId('hotkey-input')).toHaveValue('Alt+Shift+F9');
      await expect(setting.getByRole('button', { name: /Default/ })).toBeVisible();
      await shot(page, 'capture-hotkey');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'capture-hotkey-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await noBlockingAxe(page, 'capture');
      await page.getByTestId('hotkey-off').click();
      await expect(page.getByTestId('hotkey-input')).toHaveValue('');
    });
  });
}
