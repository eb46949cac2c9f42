import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { listTime, openApp, openRowAt, rows, shot } from './support/app';
import { runTsxJson, scratch, startServe, type ServeHandle } from './support/serve';

/**
 * The folder is built from the REAL fixtures (Breakpad/rust-minidump dumps, real Buffout 4,
 * NetScriptFramework and Crash Logger logs) under SkyrimDiag/WER/crash-log names; the
 * SkyrimDiag JSON around them is synthetic (see test/helpers/skyrimdiag-folder.ts).
 */
type Expected = { at: string; kind: string; source: string; files: string[] }[];

if (!fixturesAvailable()) {
  test('real-fixture UI flow (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('incidents from a SkyrimDiag-style folder', () => {
    test.describe.configure({ mode: 'serial' });
    let server: ServeHandle;
    let expected: Expected;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-folder-');
      const folder = join(tmp, 'games');
      expected = runTsxJson<Expected>('test/e2e/support/build-folder.ts', [folder]);
      server = await startServe({ folders: [folder], tmp });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test('lists every incident, newest first, with kind, source and error markers', async ({ page }) => {
      await openApp(page, server.url);
      await expect(rows(page)).toHaveCount(expected.length);
      const times = await page.getByTestId('incident-time').allTextContents();
      expect(times).toEqual(expected.map((e) => listTime(e.at)));
      const kinds = await page
        .locator('[data-testid="incident-row"] .kind-badge')
        .evaluateAll((els) => els.map((el) => el.getAttribute('title')));
      expect(kinds).toEqual(expected.map((e) => e.kind));
      // The 0-byte dump + broken manifest incident is listed with its error marker.
      const broken = rows(page).filter({ hasText: listTime('2026-03-19T08:00:00') });
      await expect(broken.locator('.error-marker')).toBeVisible();
      await expect(page.getByTestId('incident-count')).toHaveText(`${expected.length} incidents`);
      await shot(page, 'incidents-list');
    });

    test('opens an incident: overview, files, and a text file in Monaco', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-18T20:00:00');
      await expect(page.getByTestId('overview')).toBeVisible();
      await expect(page.getByTestId('verdict')).not.toBeEmpty();
      await shot(page, 'detail-overview');

      await page.getByTestId('tab-files').click();
      const files = page.getByTestId('artifact-row');
      for (const f of expected.find((e) => e.at === '2026-03-18T20:00:00')!.files)
        await expect(files.filter({ hasText: f })).toHaveCount(1);
      await files.filter({ hasText: '_SkyrimDiagReport.txt' }).getByTestId('view-text').click();
      await expect(page.locator('[data-testid="text-viewer"] .monaco-editor')).toBeVisible();
      await expect(page.locator('[data-testid="text-viewer"] .view-lines')).toContainText(
        'SkyrimDiag report',
      );
      await shot(page, 'detail-files');
    });

    test('the Crash tab explains a real dump: exception, stack with frame trust, modules, memory', async ({
      page,
    }) => {
      await openApp(page, server.url);
      // null_read_av.dmp (Breakpad test data): NULL read in crashme.exe, Windows 7 x86.
      await openRowAt(page, '2026-03-18T20:00:00');
      await page.getByTestId('tab-crash').click();
      const tab = page.locator('.crash-tab');
      await expect(tab.getByRole('heading', { name: 'Exception' })).toBeVisible();
      await expect(tab).toContainText('EXCEPTION_ACCESS_VIOLATION');
      await expect(tab.getByRole('heading', { name: 'Crashing thread stack' })).toBeVisible();
      await expect(tab).toContainText('crashme.exe');
      await expect(tab).toContainText(/context/);
      await expect(tab.getByRole('heading', { name: /^Modules \(\d+\)$/ })).toBeVisible();
      await shot(page, 'detail-crash');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'detail-crash-dark');
    });

    test('shows the manifest as JSON in Monaco, valid against the schema', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-18T20:00:00');
      await page.getByTestId('tab-manifest').click();
      const editor = page.locator('[data-testid="manifest-tab"] .monaco-editor');
      await expect(editor).toBeVisible();
      await expect(editor.locator('.view-lines')).toContainText('SkyrimDiagIncident');
      await expect(page.getByTestId('schema-problems')).toHaveText(/Valid against/);
      await shot(page, 'detail-manifest');
      // Dark theme follows the OS setting, Monaco included.
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect(page.locator('[data-testid="manifest-tab"] .monaco-editor.vs-dark')).toBeVisible();
      await shot(page, 'detail-manifest-dark');
      await page.getByTestId('back').click();
      await shot(page, 'incidents-list-dark');
    });

    test('underlines a manifest field with the wrong type', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-14T07:00:00');
      await page.getByTestId('tab-manifest').click();
      await expect(page.locator('[data-testid="manifest-tab"] .monaco-editor')).toBeVisible();
      await expect(page.getByTestId('schema-problems')).toHaveText(/1 problem/);
      await expect(
        page
          .locator(
            '[data-testid="manifest-tab"] .squiggly-warning, [data-testid="manifest-tab"] .squiggly-error',
          )
          .first(),
      ).toBeAttached();
      // Hovering the underline explains it (Monaco's hover contribution is bundled).
      await page
        .locator('[data-testid="manifest-tab"] .view-line', { hasText: '"four"' })
        .getByText('"four"')
        .hover();
      await expect(page.locator('.monaco-hover').filter({ hasText: /Incorrect type|integer/ })).toBeVisible();
      await shot(page, 'detail-manifest-invalid');
    });

    test('shows why a broken incident could not be read', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-19T08:00:00');
      await expect(page.getByTestId('parse-errors')).toBeVisible();
      await page.getByTestId('tab-files').click();
      await expect(page.locator('.parse-pill.parse-error').first()).toBeVisible();
      await shot(page, 'detail-broken');
    });

    test('search narrows the list and clearing it restores it', async ({ page }) => {
      await openApp(page, server.url);
      await expect(rows(page)).toHaveCount(expected.length);
      await page.keyboard.press('/');
      await expect(page.getByTestId('search')).toBeFocused();
      // One query, not one per keystroke: with `type`, the poll below could pass on the
      // results for a prefix and `n` would not be the final count.
      await page.getByTestId('search').fill('Fallout4');
      await expect.poll(async () => rows(page).count()).toBeLessThan(expected.length);
      const n = await rows(page).count();
      expect(n).toBeGreaterThan(0);
      await expect(page.getByTestId('incident-count')).toHaveText(`${n} incident${n === 1 ? '' : 's'}`);
      await shot(page, 'search');
      await page.getByTestId('search').fill('');
      await expect(rows(page)).toHaveCount(expected.length);
      await page.getByTestId('search').fill('zzzz-nothing-matches');
      await expect(page.getByTestId('no-results')).toBeVisible();
    });

    test('filters by kind', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('filter-kind').selectOption('hang');
      await expect(rows(page)).toHaveCount(expected.filter((e) => e.kind === 'hang').length);
      await page.getByTestId('filter-kind').selectOption('');
      await expect(rows(page)).toHaveCount(expected.length);
    });

    test('keyboard: arrows select, Enter opens, Esc goes back', async ({ page }) => {
      await openApp(page, server.url);
      await expect(rows(page)).toHaveCount(expected.length);
      await page.keyboard.press('/');
      await page.keyboard.press('ArrowDown');
      await expect(page.getByTestId('incident-list')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      const selected = page.locator('[data-testid="incident-row"][aria-selected="true"]');
      await expect(selected).toContainText(listTime(expected[2]!.at));
      // The cell shows the probable cause; its tooltip ends with the incident's own title.
      const tip = (await selected.locator('.title-cell').getAttribute('title')) ?? '';
      const title = tip.split('\n').pop()?.trim() ?? '';
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('detail-view')).toBeVisible();
      if (title && title !== '(no verdict yet)')
        await expect(page.getByTestId('detail-title')).toHaveText(title);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('incident-list')).toBeVisible();
      await expect(selected).toContainText(listTime(expected[2]!.at));
      await page.keyboard.press('End');
      await expect(selected).toContainText(listTime(expected[expected.length - 1]!.at));
    });

    test('triage status set in the detail shows in the list', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-17T10:00:00');
      await page.getByTestId('status-setter').getByText('fixed').click();
      await page.getByTestId('notes').fill('Disabled the suspect mod; no repeat.');
      await page.getByTestId('back').click();
      await expect(
        rows(page)
          .filter({ hasText: listTime('2026-03-17T10:00:00') })
          .locator('.status-pill'),
      ).toHaveText('fixed');
      await openRowAt(page, '2026-03-17T10:00:00');
      await expect(page.getByTestId('notes')).toHaveValue('Disabled the suspect mod; no repeat.');
    });

    test('a folder that does not exist gives a clear message', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByRole('button', { name: 'Open folder…' }).click();
      await expect(page.getByTestId('path-prompt')).toBeVisible();
      const missing = join(server.tmp, 'no such folder', 'Tullius Ctd Logs');
      await page.getByTestId('folder-path-input').fill(missing);
      await page.getByTestId('folder-path-submit').click();
      const err = page.getByTestId('folder-error');
      await expect(err).toBeVisible();
      await expect(err).toContainText('Cannot open that folder');
      await expect(page.getByTestId('toast')).toBeHidden();
      await expect(err).toContainText('no such folder');
      await shot(page, 'bad-folder');
    });
  });
}
