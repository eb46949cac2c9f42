import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { papyrusText } from '../helpers/papyrus-log';
import { openApp, shot } from './support/app';
import { runTsx, scratch, startServe, type ServeHandle } from './support/serve';

/**
 * The Logs tab and the Trends view in the real UI (serve mode, own data dir). The crash is a
 * REAL Breakpad dump under a SkyrimDiag name; its Papyrus.0.log (40,000 lines) is SYNTHETIC
 * (test/helpers/papyrus-log.ts), skse64.log is written here; the Trends history is SYNTHETIC
 * dated incidents seeded into the index (test/e2e/support/seed-trends.ts).
 */
const PAPYRUS_LINES = 40_000;
const setTime = (p: string, iso: string) => utimesSync(p, new Date(iso), new Date(iso));

if (!fixturesAvailable()) {
  test('logs and trends UI (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('Logs tab and Trends view', () => {
    test.describe.configure({ mode: 'serial' });
    let server: ServeHandle;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-logs-');
      const games = join(tmp, 'games');
      const sd = join(games, 'Tullius Ctd Logs');
      const skse = join(games, 'SKSE');
      const scripts = join(games, 'Logs', 'Script');
      for (const d of [sd, skse, scripts]) mkdirSync(d, { recursive: true });
      copyFileSync(
        real('minidumps', 'null_read_av.dmp'),
        join(sd, 'SkyrimDiag_Crash_20260318_200000_500.dmp'),
      );
      const papyrus = join(scripts, 'Papyrus.0.log');
      writeFileSync(papyrus, papyrusText(PAPYRUS_LINES, { seed: 21, startMs: Date.UTC(2026, 2, 18, 18, 0) }));
      setTime(papyrus, '2026-03-18T20:00:40');
      const skseLog = join(skse, 'skse64.log');
      writeFileSync(
        skseLog,
        [
          'SKSE64 runtime: initialize (version = 2.2.6 010970A0 01DB95F0F2C61D5E, os = 6.2 (9200))',
          "plugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\po3_Tweaks.dll (00000001 powerofthree's Tweaks 00010600) loaded correctly",
          'plugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\EngineFixes.dll (00000001 EngineFixes 00000007) loaded correctly',
          "couldn't load plugin C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\OldMod.dll (error 126)",
        ].join('\r\n'),
      );
      setTime(skseLog, '2026-03-18T19:20:00');
      const dataDir = join(tmp, 'data');
      runTsx('test/e2e/support/seed-trends.ts', [dataDir, '240', '90']);
      server = await startServe({ folders: [games], tmp, dataDir });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    const openCrashLogs = async (page: Page) => {
      await openApp(page, server.url);
      await page.getByTestId('search').fill('crashme');
      await page.getByTestId('incident-row').filter({ hasText: '2026-03-18 20:00:00' }).first().dblclick();
      await page.getByTestId('tab-logs').click();
      await expect(page.getByTestId('logs-tab')).toBeVisible();
    };

    test('Logs tab: patterns of the Papyrus log, filtered, and a click shows the line in the raw view', async ({
      page,
    }) => {
      await openCrashLogs(page);
      await expect(page.getByTestId('log-summary')).toContainText(
        `${PAPYRUS_LINES.toLocaleString('en-US')} lines`,
      );
      await expect(page.getByTestId('log-summary')).toContainText('papyrus');
      const rows = page.getByTestId('log-pattern');
      await expect(rows.first()).toBeVisible();
      // Worst first: the first rows are errors; the table is virtualized (only visible rows exist).
      await expect(rows.first().locator('.sev-badge')).toHaveText('error');
      expect(await rows.count()).toBeLessThan(80);
      await expect(page.getByTestId('log-raw').locator('.monaco-editor')).toBeVisible();

      await page.getByTestId('log-filter').fill('GetActorBase');
      await expect(page.getByTestId('log-pattern-count')).toHaveText(/^1 pattern/);
      const row = rows.first();
      await expect(row).toContainText('GetActorBase');
      await row.click();
      await expect(row).toHaveClass(/selected/);
      // The raw view reveals and marks the pattern's first line.
      const focus = page.getByTestId('log-raw').locator('.code-line-focus');
      await expect(focus).toHaveCount(1);
      await expect(page.getByTestId('log-raw').locator('.view-lines')).toContainText('GetActorBase');
      await shot(page, 'logs-tab');

      // The last occurrence is far down the file: the raw view loads that window.
      await row.locator('button.link').click();
      await expect(page.getByTestId('raw-range')).not.toContainText(/^Lines 1–/);
      await expect(page.getByTestId('log-raw').locator('.view-lines')).toContainText('GetActorBase');

      // The first and last error/warning lines, kept verbatim; a line number opens it raw.
      await page.getByTestId('show-kept').click();
      const kept = page.getByTestId('log-kept').locator('.kept-line');
      await expect(kept).toHaveCount(200);
      await expect(page.getByTestId('log-kept')).toContainText('more error/warning lines');
      await shot(page, 'logs-kept-lines');
      await kept.nth(150).locator('button.link').click();
      await expect(page.getByTestId('log-raw').locator('.code-line-focus')).toHaveCount(1);

      await page.getByTestId('log-filter').fill('');
      await page.getByTestId('sev-warning').click();
      await expect(rows.first().locator('.sev-badge')).toHaveText('warning');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.getByTestId('log-raw').locator('.monaco-editor.vs-dark')).toBeVisible();
      await shot(page, 'logs-tab-dark');
    });

    test('Logs tab: the SKSE log of the same session is one click away', async ({ page }) => {
      await openCrashLogs(page);
      await page.getByTestId('log-select').selectOption({ label: 'skse64.log' });
      await expect(page.getByTestId('log-summary')).toContainText('4 lines');
      await page.getByTestId('sev-error').click();
      await expect(page.getByTestId('log-pattern')).toHaveCount(1);
      await expect(page.getByTestId('log-pattern')).toContainText("couldn't load plugin");
    });

    test('Trends view: health, activity, buckets with "new", modules; a bucket filters the list', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-trends').click();
      await expect(page.getByTestId('trends-view')).toBeVisible();
      const strong = page.getByTestId('health-score').locator('strong');
      await expect(strong).toHaveText(/^\d+$/);
      const score = Number(await strong.textContent());
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      await expect(page.getByTestId('health-factors').locator('tr')).toHaveCount(5);
      await expect(
        page.getByTestId('activity-chart').locator('.recharts-bar-rectangle').first(),
      ).toBeVisible();
      await expect(page.getByTestId('bucket-row').first()).toBeVisible();
      await expect(page.getByTestId('new-badge').first()).toBeVisible();
      await expect(page.getByTestId('module-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const suffix = scheme === 'dark' ? '-dark' : '';
        await page.getByTestId('trends-view').evaluate((el) => el.scrollTo(0, 0));
        await shot(page, `trends-view${suffix}`);
        await page.getByTestId('module-chart').scrollIntoViewIfNeeded();
        await shot(page, `trends-buckets-modules${suffix}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });

      await page.getByTestId('range-7').click();
      await expect(
        page.getByTestId('activity-chart').locator('.recharts-bar-rectangle').first(),
      ).toBeVisible();

      const newRow = page
        .getByTestId('bucket-row')
        .filter({ has: page.getByTestId('new-badge') })
        .first();
      await expect(newRow).toContainText('NewMod.dll');
      await newRow.click();
      await expect(page.getByTestId('incident-list')).toBeVisible();
      await expect(page.getByTestId('search')).toHaveValue(/newmod\.dll\+0x4242/);
      await expect(page.getByTestId('incident-row')).toHaveCount(2);
    });
  });
}
