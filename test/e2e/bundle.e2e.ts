import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { openApp, openRowAt, rows, shot } from './support/app';
import { runTsxJson, scratch, startServe, type ServeHandle } from './support/serve';

/**
 * Export a real-fixture incident from the UI (redacted), download it, import it back through the
 * Import button and by dropping it on the window (serve mode: the bytes go over the bridge), and
 * read the imported bundle's redaction report. The personal data in the folder is synthetic.
 */
if (!fixturesAvailable()) {
  test('bundle export/import (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('share: export a bundle and import it back', () => {
    test.describe.configure({ mode: 'serial' });
    let server: ServeHandle;
    let tmp: string;
    let zipPath: string;

    test.beforeAll(async () => {
      tmp = scratch('ctd-e2e-bundle-');
      const folder = join(tmp, 'games');
      runTsxJson('test/e2e/support/build-bundle-folder.ts', [folder]);
      server = await startServe({ folders: [folder], tmp });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test('the export dialog previews what is replaced, exports, and downloads the bundle', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-18T20:00:00');
      await page.getByTestId('open-export').click();
      const dialog = page.getByTestId('export-dialog');
      await expect(dialog).toBeVisible();
      await expect(
        dialog.getByTestId('export-file').filter({ hasText: 'SkyrimDiag_Preflight.json' }),
      ).toBeVisible();
      await expect(dialog.getByTestId('preview-total')).toHaveText(/^[1-9]\d* values?$/);
      await expect(dialog.getByTestId('redaction-preview')).toContainText('profile-path');
      await expect(dialog.getByTestId('redaction-preview')).toContainText('<user>');
      await dialog.locator('summary').click();
      await expect(dialog.locator('.samples pre').first()).toContainText('C:\\Users\\<user>\\');
      await expect(dialog).not.toContainText('e2eplayer');
      await shot(page, 'export-dialog');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'export-dialog-dark');
      await page.emulateMedia({ colorScheme: 'light' });

      // A word the rules cannot know, saved as a setting: the preview counts it at once.
      await page.getByTestId('always-redact').fill('SkyrimDiag');
      await page.getByTestId('always-redact-save').click();
      await expect(dialog.getByTestId('redaction-preview')).toContainText('identity:word');
      await page.getByTestId('always-redact').fill('');
      await page.getByTestId('always-redact-save').click();
      await expect(dialog.getByTestId('redaction-preview')).not.toContainText('identity:word');

      await page.getByTestId('export-start').click();
      await expect(page.getByTestId('export-result')).toContainText(
        'ctd-bundle-crash-20260318-200000-public.zip',
      );
      await expect(page.getByTestId('export-progress')).toContainText('Wrote');
      await shot(page, 'export-done');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-download').click(),
      ]);
      expect(download.suggestedFilename()).toBe('ctd-bundle-crash-20260318-200000-public.zip');
      zipPath = join(tmp, 'downloaded.zip');
      await download.saveAs(zipPath);
      const bytes = readFileSync(zipPath);
      expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
      expect(bytes.toString('latin1')).not.toContain('e2eplayer');
      await page.getByTestId('export-close').click();
      await expect(page.getByTestId('export-dialog')).toHaveCount(0);
    });

    test('"Copy as issue" shows the redacted Markdown it copied', async ({ page, context }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(server.url).origin,
      });
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-18T20:00:00');
      await page.getByTestId('copy-issue').click();
      const text = page.getByTestId('issue-text');
      await expect(text).toBeVisible();
      await expect(text).toHaveValue(/^## Crash: /);
      await expect(text).toHaveValue(/### Culprits and suspects/);
      await expect(text).toHaveValue(/### Attachments/);
      expect(await text.inputValue()).not.toContain('e2eplayer');
      // The page's own clipboard (the callback runs in the browser).
      const clip = await page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      );
      expect(clip).toBe(await text.inputValue());
      await shot(page, 'issue-dialog');
      await page.getByTestId('issue-close').click();
    });

    test('Import bundle… brings it back as a bundle incident with its redaction report', async ({ page }) => {
      await openApp(page, server.url);
      await expect(page.getByTestId('incident-count')).toHaveText(/^[1-9]\d* incidents$/);
      const before = Number((await page.getByTestId('incident-count').textContent())!.split(' ')[0]);
      await page.getByTestId('import-bundle-input').setInputFiles(zipPath);
      await expect(page.getByTestId('bundle-tab')).toBeVisible();
      await expect(page.getByTestId('bundle-kind')).toContainText('Redacted public bundle');
      await expect(page.getByTestId('bundle-total-hits')).toContainText(/[1-9]\d* values replaced/);
      await expect(page.getByTestId('bundle-rules')).toContainText('profile-path');
      await expect(page.getByTestId('bundle-files')).toContainText('SkyrimDiag_Preflight.json');
      await expect(page.locator('.detail-sub')).toContainText('Bundle');
      await shot(page, 'bundle-imported');
      await page.getByTestId('tab-overview').click();
      await expect(page.getByTestId('verdict')).toContainText('EXCEPTION_ACCESS_VIOLATION');
      await page.getByTestId('back').click();
      await expect(page.getByTestId('incident-count')).toHaveText(`${before + 1} incidents`);
      await page.getByTestId('filter-source').selectOption('bundle');
      await expect(rows(page)).toHaveCount(1);
      await shot(page, 'bundle-in-list');
    });

    test('dropping the same .zip on the window imports it over the bridge (already there)', async ({
      page,
    }) => {
      await openApp(page, server.url);
      const bytes = readFileSync(zipPath).toString('base64');
      // A DataTransfer holding the bundle as a File, built in the page (the callback runs there).
      const dt = await page.evaluateHandle((b64) => {
        type Dt = { items: { add(f: unknown): void } };
        const g = globalThis as unknown as {
          DataTransfer: new () => Dt;
          File: new (parts: unknown[], name: string, o: object) => unknown;
        };
        const bin = atob(b64);
        const u8 = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
        const d = new g.DataTransfer();
        d.items.add(new g.File([u8], 'dropped-bundle.zip', { type: 'application/zip' }));
        return d;
      }, bytes);
      await page.dispatchEvent('.shell', 'dragover', { dataTransfer: dt });
      await expect(page.locator('.drop-overlay')).toContainText('bundle .zip');
      await page.dispatchEvent('.shell', 'drop', { dataTransfer: dt });
      await expect(page.getByTestId('toast')).toContainText('Already imported dropped-bundle.zip');
      await expect(page.getByTestId('bundle-tab')).toBeVisible();
    });

    test('a zip that is not a bundle is refused with its reason', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('import-bundle-input').setInputFiles({
        name: 'not-a-bundle.zip',
        mimeType: 'application/zip',
        buffer: Buffer.from('this is not a zip file'),
      });
      await expect(page.getByTestId('toast')).toContainText('not-a-bundle.zip: Not a zip archive');
    });
  });
}
