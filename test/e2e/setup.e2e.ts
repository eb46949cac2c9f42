import { expect, test, type Page } from '@playwright/test';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { writeMo2Instance, type SyntheticMod } from '../helpers/mo2-instance';
import { openApp, shot } from './support/app';
import { axe, BLOCKING, type AxeViolation } from './support/axe';
import { scratch, startServe, type ServeHandle } from './support/serve';

/**
 * Mod setup awareness in the real UI (serve mode, own data dir): a SYNTHETIC MO2 instance
 * (test/helpers/mo2-instance.ts; no real one is in the fixtures) beside two REAL crash logs
 * (temp copies). Folders → Mod setups, mod names on the Overview, what changed, per-mod trends
 * and a guided bisect; axe-clean in light and dark.
 */
const MODS: SyntheticMod[] = [
  { name: 'SSE Engine Fixes (Part 2)', version: '6.1.0.0', nexusId: 17230, rootFiles: ['tbbmalloc.dll'] },
  { name: 'JContainers SE', version: '4.2.9.0', nexusId: 16495, dlls: ['JContainers64.dll'] },
  ...Array.from({ length: 12 }, (_, i): SyntheticMod => ({
    name: `Mod ${i}`,
    version: `1.${i}.0.0`,
    plugins: [
      { name: `Plugin${i}.esp`, masters: i > 2 ? ['Skyrim.esm', `Plugin${i - 3}.esp`] : ['Skyrim.esm'] },
    ],
  })),
];

/**
 * Elements styled only by the app-wide palette, whose contrast the polish branch fixes (a
 * darker primary fill). TODO(setup): drop once that palette is on main.
 */
const GLOBAL_STYLES = [['button.primary']];

/**
 * axe over this feature's own region in light and dark: no critical or serious violation. The
 * rest of the page is the polish work's (test/e2e/a11y.e2e.ts on its branch).
 */
async function noBlockingViolations(page: Page, region: string | string[], where: string): Promise<void> {
  const include = Array.isArray(region) ? region : [region];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await axe(page); // injects axe-core
    const found = (await page.evaluate(`(async () => {
      const r = await window.axe.run({ include: ${JSON.stringify(include.map((r) => [r]))}, exclude: ${JSON.stringify(GLOBAL_STYLES)} }, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), summary: n.failureSummary || '' })) }));
    })()`)) as AxeViolation[];
    const blocking = found.filter((v) => BLOCKING.has(v.impact ?? ''));
    expect(blocking, `${where} (${scheme}): ${JSON.stringify(blocking, null, 1)}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

async function both(page: Page, name: string): Promise<void> {
  await shot(page, name);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, `${name}-dark`);
  await page.emulateMedia({ colorScheme: 'light' });
}

if (!fixturesAvailable()) {
  test('mod setup UI (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('mod setups, mod names, what changed, mod trends, bisect', () => {
    test.describe.configure({ mode: 'serial' });
    // axe is injected as an inline script, which the app's CSP (rightly) forbids.
    test.use({ bypassCSP: true });
    let server: ServeHandle;
    let instance: string;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-setup-');
      instance = join(tmp, 'MO2');
      writeMo2Instance(instance, { profiles: [{ name: 'Default', mods: MODS }] });
      // The profile was last saved before both crashes: it is the setup they ran with.
      const old = new Date(2024, 0, 1);
      for (const f of ['modlist.txt', 'plugins.txt', 'loadorder.txt'])
        utimesSync(join(instance, 'profiles', 'Default', f), old, old);
      const logs = join(tmp, 'logs');
      mkdirSync(logs);
      copyFileSync(
        real('crashlogs', 'skyrim-nsf-nolvus', 'Gravelord_-_Crash_2024_3_21.txt'),
        join(logs, 'Crash_2024_3_21_10-00-00.txt'),
      );
      copyFileSync(
        real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'),
        join(logs, 'Crash_2024_4_12_18-50-46.txt'),
      );
      server = await startServe({ folders: [logs], tmp });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test('Folders: use an MO2 instance; its profiles are listed', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-folders').click();
      await page.getByTestId('setup-path').fill(join(instance, 'nowhere'));
      await page.getByTestId('setup-use').click();
      await expect(page.getByTestId('setup-error')).toContainText('not a Mod Organizer 2 instance');
      await page.getByTestId('setup-path').fill(instance);
      await page.getByTestId('setup-use').click();
      const card = page.getByTestId('setup-instance');
      await expect(card).toContainText('Skyrim Special Edition');
      await expect(page.getByTestId('setup-profile')).toContainText('Default');
      await expect(page.getByTestId('setup-profile')).toContainText('14 / 14');
      await page.getByTestId('setup-instances').scrollIntoViewIfNeeded();
      await noBlockingViolations(page, '[data-testid=setup-instances]', 'Folders with a mod setup');
      await both(page, 'setup-folders');
    });

    test('Overview: suspects name their mod; what changed since the previous crash', async ({ page }) => {
      await openApp(page, server.url);
      const row = page.getByTestId('incident-row').filter({ hasText: 'JContainers' });
      await row.first().dblclick();
      await expect(page.getByTestId('overview')).toContainText('JContainers SE (JContainers64.dll, v4.2.9)');
      await page.locator('.overview-grid').scrollIntoViewIfNeeded();
      await shot(page, 'setup-overview-suspects');
      const changes = page.getByTestId('setup-changes');
      await expect(changes).toContainText('previous crash');
      await expect(changes).toContainText('Added');
      await changes.scrollIntoViewIfNeeded();
      await noBlockingViolations(
        page,
        ['[data-testid=setup-changes]', '.overview-grid'],
        'Overview: suspects with mods, what changed',
      );
      await both(page, 'setup-overview-changes');
    });

    test('Trends: crashes per mod, drill down to an incident', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-trends').click();
      await page.getByTestId('range-0').click();
      const mods = page.getByTestId('mod-trends');
      await expect(mods).toContainText('JContainers SE');
      await mods.getByRole('button', { name: 'JContainers SE' }).click();
      await expect(mods.getByTestId('mod-drill')).toContainText('JContainers64.dll');
      await mods.scrollIntoViewIfNeeded();
      await noBlockingViolations(page, '[data-testid=mod-trends]', 'Trends with mods');
      await both(page, 'setup-mod-trends');
      await mods.getByTestId('mod-drill').getByRole('button').first().click();
      await expect(page.getByTestId('detail-view')).toBeVisible();
    });

    test('Bisect: start from the profile, answer rounds, find the culprit, clean up', async ({ page }) => {
      await openApp(page, server.url);
      await page.getByTestId('nav-folders').click();
      await page.getByTestId('setup-profile').getByRole('button', { name: 'Bisect…' }).click();
      await expect(page.getByTestId('bisect-view')).toBeVisible();
      await noBlockingViolations(page, '[data-testid=bisect-view]', 'Bisect start form');
      await both(page, 'setup-bisect-start');
      await page.getByTestId('bisect-start').click();
      await expect(page.getByTestId('bisect-message')).toContainText('Default - bisect 1');
      await noBlockingViolations(page, '[data-testid=bisect-view]', 'Bisect round');
      await both(page, 'setup-bisect-round');
      // The planted culprit is Plugin7.esp: a round is bad when its test enables it.
      for (let i = 0; i < 8; i++) {
        const status = page.getByTestId('bisect-status');
        if (await page.getByTestId('bisect-culprit').isVisible()) break;
        await status.locator('details summary').click();
        const on = await status.locator('.chip-list li').allTextContents();
        await page.getByTestId(on.includes('Plugin7.esp') ? 'bisect-bad' : 'bisect-good').click();
        // The answered round shows its answer before the next one is looked at.
        await expect(page.getByTestId('bisect-rounds').locator('tbody tr').nth(i)).not.toContainText(
          'waiting',
        );
      }
      await expect(page.getByTestId('bisect-culprit')).toContainText('Plugin7.esp — from the mod Mod 7');
      await both(page, 'setup-bisect-found');
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('bisect-reset').click();
      await expect(page.getByTestId('bisect-start')).toBeVisible();
    });
  });
}
