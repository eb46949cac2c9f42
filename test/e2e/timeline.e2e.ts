import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { fixturesAvailable } from '../helpers/fixtures';
import { buildCrashFolder } from '../helpers/timeline-folder';
import { openApp, rows, shot } from './support/app';
import { axe, BLOCKING } from './support/axe';
import { scratch, startServe, type ServeHandle } from './support/serve';

// Two SkyrimDiag crashes of the same bucket (the REAL thread_name_list.dmp under two capture
// names; manifests, Papyrus log, ETL and summary are SYNTHETIC, see test/helpers/timeline-folder).

let serve: ServeHandle | null = null;
// axe-core is injected as a script; the app's CSP allows no inline script.
test.use({ bypassCSP: true });

/**
 * axe-core over this feature's own part of the page (the app shell's findings belong to the
 * polish pass's a11y spec): critical and serious violations must be none.
 */
async function noBlockingViolations(page: Page, what: string, selector: string): Promise<void> {
  await axe(page); // loads axe-core into the page
  const v = (await page.evaluate(`(async () => {
    const r = await window.axe.run(${JSON.stringify(selector)}, { resultTypes: ['violations'] });
    return r.violations.map((x) => ({ id: x.id, impact: x.impact, nodes: x.nodes.map((n) => n.failureSummary) }));
  })()`)) as { id: string; impact: string | null }[];
  const blocking = v.filter((x) => BLOCKING.has(x.impact ?? ''));
  expect(blocking, `${what}: ${JSON.stringify(blocking, null, 1)}`).toEqual([]);
}

/** axe over `selector` and a screenshot, in the light theme and then the dark one (back to light after). */
async function inBothThemes(page: Page, what: string, selector: string, name: string): Promise<void> {
  await noBlockingViolations(page, `${what} light`, selector);
  await shot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await noBlockingViolations(page, `${what} dark`, selector);
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

const openCrash = async (page: Page, time: string) => {
  await rows(page).filter({ hasText: time }).first().dblclick();
  await expect(page.getByTestId('detail-view')).toBeVisible();
};

// The timeline folder is built around real dumps and logs. Where they are absent (a user's clone
// without ../shared) one notice test says so, as in the other specs; CI sets
// CTD_REQUIRE_FIXTURES=1, and fixturesAvailable() then throws instead of returning false.
if (!fixturesAvailable()) {
  test('timeline and confirmed causes (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('timeline and confirmed causes', () => {
    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-timeline-');
      buildCrashFolder(join(tmp, 'first'));
      buildCrashFolder(join(tmp, 'second'), '20200915_091500_000');
      serve = await startServe({ folders: [join(tmp, 'first'), join(tmp, 'second')], tmp });
    });

    test.afterAll(async () => {
      await serve?.stop();
    });

    test('the Timeline tab puts the crash’s files on one clock and opens an event in its own tab', async ({
      page,
    }) => {
      await openApp(page, serve?.url ?? '');
      await openCrash(page, '2020-09-14 10:42:27');
      await page.getByTestId('tab-timeline').click();
      await expect(page.getByTestId('timeline-incident-time')).toHaveText('2020-09-14 10:42:27.950');
      const events = page.getByTestId('timeline-event');
      // ±30 s around the crash, nearest first: the crash itself on top.
      await expect(events.first()).toContainText('Crash:');
      await expect(page.getByTestId('timeline-list')).toContainText('Cannot call GetName()');
      await expect(page.getByTestId('timeline-list')).toContainText('SkyrimSE.exe ended');
      await inBothThemes(page, 'timeline', '[data-testid=timeline-tab]', 'detail-timeline');

      // Filter by source: ETW off, its events go.
      await page.getByTestId('timeline-sources').getByLabel(/ETW/).uncheck();
      await expect(page.getByTestId('timeline-list')).not.toContainText('SkyrimSE.exe ended');
      // Zoom out to everything: the Papyrus line from 10:40:00 (−2 min 28 s) appears.
      await page.getByTestId('timeline-zoom').getByRole('radio', { name: 'All' }).click();
      await expect(page.getByTestId('timeline-list')).toContainText('Papyrus log opened');

      // An event opens in its artifact's tab, at its place: the Papyrus line in the Logs tab.
      await page.getByRole('button', { name: /Cannot call GetName\(\)/ }).click();
      await expect(page.getByTestId('logs-tab')).toBeVisible();
      await expect(page.getByTestId('log-raw')).toContainText('Cannot call GetName()');
    });

    test('a confirmed cause shows on the next crash of its bucket, which is flagged regressed', async ({
      page,
    }) => {
      await openApp(page, serve?.url ?? '');
      await openCrash(page, '2020-09-14 10:42:27');
      const form = page.getByTestId('confirm-cause');
      await form.locator('summary').click();
      await page.getByTestId('cause-text').fill('it was Smart Harvest');
      await page.getByTestId('cause-fix').fill('updating to 5.3 fixed it');
      await form.getByLabel(/The fix worked/).check();
      await page.getByTestId('cause-submit').click();
      await expect(page.getByTestId('learned-cause')).toContainText('You confirmed “it was Smart Harvest”');

      await page.getByTestId('back').click();
      const later = rows(page).filter({ hasText: '2020-09-15 09:15:00' });
      await expect(later.getByTestId('regressed-pill')).toBeVisible();
      await later.first().dblclick();
      await expect(page.getByTestId('learned-cause')).toContainText(
        /You confirmed “it was Smart Harvest” for this crash on \d{4}-\d{2}-\d{2}/,
      );
      await expect(page.getByTestId('learned-cause')).toContainText(
        'The fix that worked: updating to 5.3 fixed it',
      );
      await expect(page.getByTestId('regressed-banner')).toContainText('marked fixed on 2020-09-14');
      await inBothThemes(
        page,
        'overview confirmed',
        '[data-testid=learned-causes]',
        'detail-confirmed-regressed',
      );

      // Trends: the bucket is regressed there too.
      await page.getByTestId('back').click();
      await page.getByTestId('nav-trends').click();
      // 2020 is long ago: all time.
      await page.getByTestId('range-0').click();
      await expect(page.getByTestId('bucket-row').getByTestId('regressed-pill').first()).toBeVisible();
      await page.getByTestId('bucket-row').first().scrollIntoViewIfNeeded();
      await shot(page, 'trends-regressed');
    });
  });
}
