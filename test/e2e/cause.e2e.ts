import { expect, test } from '@playwright/test';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { openApp, openRowAt, rows, shot } from './support/app';
import { scratch, startServe, type ServeHandle } from './support/serve';

/**
 * The probable cause where a player looks first: the first line of Overview and the list's
 * verdict column. Real crash logs (a NetScriptFramework log whose fault is in a mod DLL, a
 * Buffout 4 log hitting a known issue, and the same NSF log cut in the middle of its call
 * stack as a partial paste) scanned by serve mode and opened in Chromium, light and dark.
 */
if (!fixturesAvailable()) {
  test('probable cause (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('probable cause', () => {
    test.describe.configure({ mode: 'serial' });
    let server: ServeHandle;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-cause-');
      const folder = join(tmp, 'logs');
      mkdirSync(folder, { recursive: true });
      const nsf = real('crashlogs', 'skyrim-nsf-nolvus', 'SkyrimUpscaler_-_Crash_2024_4_12_14-45-22.txt');
      copyFileSync(nsf, join(folder, 'Crash_2024_4_12_14-45-22.txt'));
      for (const f of ['crash-2024-07-11-00-35-13.log', 'crash-2023-12-01-08-33-44.log'])
        copyFileSync(real('crashlogs', 'buffout4-fo4', f), join(folder, f));
      // A partial paste: the same log cut inside its call stack.
      const cut = readFileSync(nsf, 'utf8').split('\n').slice(0, 24).join('\n');
      writeFileSync(join(folder, 'Crash_2024_4_13_10-00-00.txt'), cut);
      server = await startServe({ folders: [folder], tmp });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    for (const scheme of ['light', 'dark'] as const) {
      test(`list: the verdict column shows the probable cause (${scheme})`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await openApp(page, server.url);
        const row = rows(page).filter({ hasText: '2024-04-12 14:45:22' });
        await expect(row.getByTestId('incident-verdict')).toContainText(
          'SkyrimUpscaler.dll — owns the faulting instruction',
        );
        await expect(row.getByRole('img', { name: 'High confidence' })).toBeVisible();
        await expect(
          rows(page).filter({ hasText: '2024-07-11 00:35:13' }).getByTestId('incident-verdict'),
        ).toContainText('Too many archives (BA2 limit)');
        await shot(page, `cause-list-${scheme}`);
      });

      test(`Overview: the first line is the probable cause (${scheme})`, async ({ page }) => {
        await page.emulateMedia({ colorScheme: scheme });
        await openApp(page, server.url);
        await openRowAt(page, '2024-04-12T14:45:22');
        const overview = page.getByTestId('overview');
        const first = overview.locator(':scope > *').first();
        await expect(first).toHaveAttribute('data-testid', 'probable-cause');
        await expect(page.getByTestId('headline')).toHaveText(
          /^Probable cause: SkyrimUpscaler\.dll — owns the faulting instruction.*, high confidence\. Next: /,
        );
        await page.getByText(/^Why we think so/).click();
        await expect(page.getByTestId('probable-cause')).toContainText('owns the faulting instruction');
        await shot(page, `cause-overview-${scheme}`);
      });
    }

    test("Overview of a Fallout 4 crash in Windows' Direct3D called from the game-folder d3d11.dll (ENB)", async ({
      page,
    }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2023-12-01T08:33:44');
      await expect(page.getByTestId('headline')).toHaveText(
        /^Probable cause: ENB\/ReShade in the game folder \(d3d11\.dll\) — first mod DLL below Windows' own frames.*Next: Update or remove the d3d11\.dll in the game folder/,
      );
      await shot(page, 'cause-overview-fo4-enb');
    });

    test('Overview of a partial paste: analysed, marked incomplete, with what is missing', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2024-04-13T10:00:00');
      await expect(page.getByTestId('headline')).toContainText('SkyrimUpscaler.dll');
      await expect(page.getByTestId('incomplete')).toContainText('Missing:');
      await shot(page, 'cause-overview-partial');
    });
  });
}
