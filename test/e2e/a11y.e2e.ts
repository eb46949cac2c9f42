import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable } from '../helpers/fixtures';
import { openApp, openRowAt, shot } from './support/app';
import { axe, BLOCKING, countByImpact, type AxeViolation } from './support/axe';
import { runTsx, scratch, startServe, type ServeHandle } from './support/serve';

/**
 * axe-core over every view, tab and dialog of the app, in the light and the dark theme: the
 * target is no critical and no serious violation anywhere. The folder holds every kind of
 * incident (support/build-a11y-folder.ts: real dumps, crash logs and an ETL trace; synthetic
 * manifests, WCT, kernel trace and Papyrus log); Trends gets SYNTHETIC history
 * (support/seed-trends.ts). The per-screen figures are written to test-results/a11y.json.
 */
interface Row {
  screen: string;
  theme: 'light' | 'dark';
  counts: Record<string, number>;
  /** Every violation, blocking or not: "impact id ×nodes: first target". */
  rules: string[];
  blocking: AxeViolation[];
}

const results: Row[] = [];

/** Screens worth a committed screenshot (light and dark) while they are scanned. */
const SHOTS: Record<string, string> = {
  'incidents list': 'list-games',
  'trends (history)': 'trends-games',
  'hang (WCT + dump) crash': 'detail-hang-dump',
  'loose ETL trace overview': 'detail-etl-overview',
  'Buffout 4 log overview': 'detail-fo4-overview',
  'hang with a kernel trace etw': 'detail-etw-hang',
  'export dialog (done)': 'export-done',
  'issue dialog': 'issue-dialog',
  'path prompt': 'open-folder-prompt',
  'imported bundle: bundle tab': 'bundle-imported',
};

async function scan(page: Page, screen: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    const name = SHOTS[screen];
    if (name) await shot(page, theme === 'light' ? name : `${name}-dark`);
    const v = await axe(page);
    results.push({
      screen,
      theme,
      counts: countByImpact(v),
      rules: v.map(
        (x) => `${x.impact ?? '?'} ${x.id} ×${x.nodes.length}: ${x.nodes[0]?.target.join(' ') ?? ''}`,
      ),
      blocking: v.filter((x) => BLOCKING.has(x.impact ?? '')),
    });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

if (!fixturesAvailable()) {
  test('accessibility (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('accessibility: axe-core on every view and dialog, light and dark', () => {
    test.describe.configure({ mode: 'serial' });
    test.use({ bypassCSP: true });
    let server: ServeHandle;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-a11y-');
      const folder = join(tmp, 'folders');
      runTsx('test/e2e/support/build-a11y-folder.ts', [folder]);
      server = await startServe({
        folders: [join(folder, 'game'), join(folder, 'etw'), join(folder, 'traces')],
        tmp,
      });
    });
    test.afterAll(async () => {
      await server?.stop();
      writeFileSync(join('test-results', 'a11y.json'), JSON.stringify(results, null, 2));
      console.log(
        results
          .map((r) => `${r.screen.padEnd(34)} ${r.theme.padEnd(5)} ${JSON.stringify(r.counts)}`)
          .join('\n'),
      );
    });

    test('top-level views', async ({ page }) => {
      test.setTimeout(120_000);
      await openApp(page, server.url);
      await expect(page.getByTestId('incident-row').first()).toBeVisible();
      await scan(page, 'incidents list');
      for (const v of ['trends', 'capture', 'folders']) {
        await page.getByTestId(`nav-${v}`).click();
        await page.waitForTimeout(1500);
        await scan(page, v);
      }
    });

    test('Trends with weeks of history, and the empty state', async ({ page }) => {
      test.setTimeout(180_000);
      const tmp = scratch('ctd-e2e-a11y-trends-');
      const dataDir = join(tmp, 'data');
      runTsx('test/e2e/support/seed-trends.ts', [dataDir, '240', '90']);
      const seeded = await startServe({ tmp, dataDir });
      try {
        await openApp(page, seeded.url);
        await page.getByTestId('nav-trends').click();
        await expect(page.locator('.recharts-surface').first()).toBeVisible();
        await page.waitForTimeout(1000);
        await scan(page, 'trends (history)');
      } finally {
        await seeded.stop();
      }
      const empty = await startServe();
      try {
        await openApp(page, empty.url);
        await expect(page.getByTestId('empty-state')).toBeVisible();
        await scan(page, 'empty state');
      } finally {
        await empty.stop();
      }
    });

    const detailTabs = async (page: Page, iso: string, label: string) => {
      await openApp(page, server.url);
      await openRowAt(page, iso);
      const tabs = await page
        .locator('[data-testid^="tab-"]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
      for (const t of tabs) {
        await page.getByTestId(t).click();
        await page.waitForTimeout(1200);
        await scan(page, `${label} ${t.slice(4)}`);
        if (t === 'tab-crashlog') {
          const sections = page.locator('.cl-views [role="tab"]');
          const n = await sections.count();
          for (let i = 1; i < n; i++) {
            await sections.nth(i).click();
            await page.waitForTimeout(800);
            await scan(page, `${label} crashlog/${(await sections.nth(i).textContent())?.split(' ')[0]}`);
          }
          await sections.first().click();
        }
      }
    };
    const incidents: [string, string][] = [
      ['crash with a crash log', '2026-03-18T20:00:00'],
      ['hang (WCT + dump)', '2026-03-16T09:00:00'],
      ['hang with a kernel trace', '2026-03-12T15:00:00'],
      ['loose ETL trace', '2026-03-05T09:30:00'],
      ['Buffout 4 log', '2025-03-18T07:49:12'],
    ];
    for (const [label, iso] of incidents) {
      test(`detail tabs: ${label}`, async ({ page }) => {
        test.setTimeout(240_000);
        await detailTabs(page, iso, label);
      });
    }

    test('dialogs, and the tab of an imported bundle', async ({ page, context }) => {
      test.setTimeout(180_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(server.url).origin,
      });
      await openApp(page, server.url);
      await openRowAt(page, '2026-03-18T20:00:00');
      await page.getByTestId('open-export').click();
      await expect(page.getByTestId('redaction-preview')).toBeVisible();
      await scan(page, 'export dialog');
      await page.getByTestId('export-start').click();
      await expect(page.getByTestId('export-result')).toBeVisible({ timeout: 60_000 });
      await scan(page, 'export dialog (done)');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-download').click(),
      ]);
      const zip = join(server.tmp, 'a11y-bundle.zip');
      await download.saveAs(zip);
      await page.getByTestId('export-close').click();
      await page.getByTestId('copy-issue').click();
      await expect(page.getByTestId('issue-text')).toBeVisible();
      await scan(page, 'issue dialog');
      await page.getByTestId('issue-close').click();
      await page.getByTestId('back').click();
      await page.getByTestId('nav-folders').click();
      await page.getByRole('button', { name: 'Add folder…' }).click();
      await expect(page.getByTestId('path-prompt')).toBeVisible();
      await scan(page, 'path prompt');
      await page.keyboard.press('Escape');
      await page.getByTestId('nav-incidents').click();
      await page.getByTestId('import-bundle-input').setInputFiles(zip);
      await expect(page.getByTestId('bundle-tab')).toBeVisible({ timeout: 60_000 });
      await scan(page, 'imported bundle: bundle tab');
    });

    test('labels say what the data is: a hang dump, a loose trace, whole words in toasts', async ({
      page,
    }) => {
      await openApp(page, server.url);
      // The hang's dump has no exception: no "culprits", no "crashing" thread, a "Dump" tab.
      await openRowAt(page, '2026-03-16T09:00:00');
      await expect(page.getByTestId('tab-crash')).toHaveText('Dump');
      await page.getByTestId('tab-crash').click();
      await expect(page.getByTestId('crash-stack-title')).toContainText('Stack of thread #0');
      await expect(page.locator('.crash-tab')).not.toContainText('Likely culprits');
      await expect(page.locator('.crash-tab')).not.toContainText('Crashing thread stack');
      await page.getByTestId('back').click();
      // A loose .etl: a manual capture titled from its summary, with that summary as the verdict.
      const etl = page.getByTestId('incident-row').filter({ hasText: '2026-03-05 09:30:00' });
      await expect(etl).toContainText('manual');
      await expect(etl.getByTestId('incident-verdict')).toHaveText(/^ETW trace: 70 events from 2 provider/);
      await etl.dblclick();
      await expect(page.getByTestId('verdict')).toHaveText(/^ETW trace: 70 events/);
      await expect(page.getByTestId('overview')).not.toContainText('have not produced a verdict');
      await page.getByTestId('back').click();
      // Toasts wrap between words (a path may still break inside).
      const wrap = await page.evaluate(`(() => {
        const t = document.createElement('div');
        t.className = 'toast';
        document.body.appendChild(t);
        const s = getComputedStyle(t);
        const r = [s.wordBreak, s.overflowWrap];
        t.remove();
        return r;
      })()`);
      expect(wrap).toEqual(['normal', 'anywhere']);
    });

    test('keyboard: Esc in the search box gives the list the keyboard back', async ({ page }) => {
      await openApp(page, server.url);
      const count = page.locator('.nav-count');
      const all = await count.textContent();
      await page.keyboard.press('/');
      await expect(page.getByTestId('search')).toBeFocused();
      await page.keyboard.type('crashme');
      await expect(page.getByTestId('incident-count')).not.toHaveText(`${all} incidents`);
      // The sidebar counts the index, not the search.
      await expect(count).toHaveText(all ?? '');
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('search')).toHaveValue('');
      await expect(page.getByTestId('incident-list')).toBeFocused();
      await page.keyboard.press('ArrowDown');
      await expect(page.locator('#row-1')).toHaveAttribute('aria-selected', 'true');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('detail-view')).toBeVisible();
    });

    test('the list has a game column and a game filter', async ({ page }) => {
      await openApp(page, server.url);
      const fo4 = page.getByTestId('incident-row').filter({ hasText: '2025-03-18 07:49:12' });
      await expect(fo4.getByTestId('incident-game')).toHaveText('Fallout 4');
      const sk = page.getByTestId('incident-row').filter({ hasText: '2024-04-12 11:57:34' });
      await expect(sk.getByTestId('incident-game')).toHaveText('Skyrim');
      await page.getByTestId('filter-game').selectOption('fallout4');
      // The filtered list arrives asynchronously: wait for the other games' rows to go
      // (a one-shot read right after selectOption raced the query and saw the old rows).
      const games = page.getByTestId('incident-game');
      await expect(games.filter({ hasNotText: 'Fallout 4' })).toHaveCount(0);
      await expect(fo4.getByTestId('incident-game')).toHaveText('Fallout 4');
      expect(new Set(await games.allTextContents())).toEqual(new Set(['Fallout 4']));
    });

    test('no blocking violation anywhere', () => {
      const bad = results.filter((r) => r.blocking.length > 0);
      expect(
        bad.map(
          (r) =>
            `${r.screen} (${r.theme}): ${r.blocking.map((v) => `${v.id} ×${v.nodes.length}`).join(', ')}`,
        ),
      ).toEqual([]);
    });
  });
}
