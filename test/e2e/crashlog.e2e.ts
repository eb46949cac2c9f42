import { expect, test } from '@playwright/test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { openApp, openRowAt, shot } from './support/app';
import { scratch, startServe, type ServeHandle } from './support/serve';

/**
 * Real crash logs (a Buffout 4 log hitting the BA2 limit, a NetScriptFramework Shadow Scene
 * Node crash) copied into a scratch folder, scanned by serve mode, opened in Chromium.
 */
if (!fixturesAvailable()) {
  test('crash log tab (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('crash log incidents', () => {
    test.describe.configure({ mode: 'serial' });
    let server: ServeHandle;

    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-crashlog-');
      const folder = join(tmp, 'logs');
      mkdirSync(folder, { recursive: true });
      copyFileSync(
        real('crashlogs', 'buffout4-fo4', 'crash-2024-07-11-00-35-13.log'),
        join(folder, 'crash-2024-07-11-00-35-13.log'),
      );
      copyFileSync(
        real('crashlogs', 'skyrim-nsf-nolvus', 'ShadowSceneNode1.txt'),
        join(folder, 'Crash_2024_3_11_9-59-3.txt'),
      );
      server = await startServe({ folders: [folder], tmp });
    });
    test.afterAll(async () => {
      await server?.stop();
    });

    test('Overview lists the findings with severity and evidence', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2024-07-11T00:35:13');
      const findings = page.getByTestId('overview-findings');
      await expect(findings).toBeVisible();
      const ba2 = findings.getByTestId('finding-fo4-ba2-limit');
      await expect(ba2).toContainText('Too many archives (BA2 limit)');
      await expect(ba2.locator('.severity-badge')).toHaveText('critical');
      await expect(ba2.locator('.finding-evidence')).toContainText('LooseFileAsyncStream');
      await expect(findings.getByTestId('finding-fo4-looksmenu-f4ee-off')).toBeVisible();
      await shot(page, 'crashlog-overview-findings');
    });

    test('Crash log tab: summary, call stack, registers, stack, modules, plugins, objects', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2024-07-11T00:35:13');
      await page.getByTestId('tab-crashlog').click();
      const tab = page.getByTestId('crashlog-tab');
      await expect(tab).toBeVisible();
      await expect(page.getByTestId('crashlog-verdict')).toContainText(
        'EXCEPTION_ACCESS_VIOLATION at Fallout4.exe+0x1AF8F6A',
      );
      await expect(page.getByTestId('crashlog-findings').getByTestId('finding-fo4-ba2-limit')).toBeVisible();
      await shot(page, 'crashlog-summary');

      await tab.getByRole('tab', { name: /^Call stack/ }).click();
      await expect(page.getByTestId('crashlog-callstack').locator('tbody tr')).toHaveCount(17);
      await expect(page.getByTestId('crashlog-callstack')).toContainText('Fallout4.exe+1AF8F6A');
      await shot(page, 'crashlog-callstack');

      await tab.getByRole('tab', { name: /^Registers/ }).click();
      await expect(page.getByTestId('crashlog-registers').locator('tbody tr')).toHaveCount(16);

      await tab.getByRole('tab', { name: /^Stack/ }).click();
      await page.getByLabel('Filter stack slots').fill('LooseFileAsyncStream');
      await expect(page.getByTestId('crashlog-stack').locator('tbody tr').first()).toContainText(
        'LooseFileAsyncStream',
      );
      await shot(page, 'crashlog-stack-filtered');

      await tab.getByRole('tab', { name: /^Modules/ }).click();
      await expect(page.getByTestId('crashlog-modules')).toContainText('Buffout4.dll');
      await shot(page, 'crashlog-modules');
    });

    test('NSF log: findings, load order with light plugins, relevant objects, raw view with outline', async ({
      page,
    }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2024-03-11T09:59:03');
      await page.getByTestId('tab-crashlog').click();
      const tab = page.getByTestId('crashlog-tab');
      await expect(page.getByTestId('finding-skyrim-shadow-scene-node')).toContainText(
        'Shadow Scene Node crash',
      );

      await tab.getByRole('tab', { name: /^Plugins/ }).click();
      const plugins = page.getByTestId('crashlog-plugins');
      await expect(plugins).toContainText('Skyrim.esm');
      await page.getByLabel('Filter plugins').fill('FE:0');
      await expect(plugins.locator('tbody tr').first()).toContainText('light');
      await shot(page, 'crashlog-plugins');

      await tab.getByRole('tab', { name: /^Objects/ }).click();
      await expect(page.getByTestId('crashlog-objects')).toContainText('shadow scene node');
      await shot(page, 'crashlog-objects');

      await tab.getByRole('tab', { name: /^Raw/ }).click();
      const raw = page.getByTestId('crashlog-raw');
      await expect(raw.locator('.monaco-editor')).toBeVisible();
      await expect(raw.locator('.view-lines')).toContainText('Unhandled native exception');
      await page.locator('.cl-outline button', { hasText: 'Game plugins' }).click();
      await expect(raw.locator('.view-lines')).toContainText('Game plugins');
      await shot(page, 'crashlog-raw');

      await page.emulateMedia({ colorScheme: 'dark' });
      await tab.getByRole('tab', { name: /^Summary/ }).click();
      await expect(page.getByTestId('crashlog-findings')).toBeVisible();
      await shot(page, 'crashlog-summary-dark');
    });

    test('Rules: bundled files listed, own rule folder can be turned on', async ({ page }) => {
      await openApp(page, server.url);
      await openRowAt(page, '2024-03-11T09:59:03');
      await page.getByTestId('tab-crashlog').click();
      await page.getByTestId('crashlog-tab').getByRole('tab', { name: 'Rules' }).click();
      const rules = page.getByTestId('crashlog-rules');
      await expect(rules).toContainText('Skyrim (bundled)');
      await expect(rules).toContainText('Fallout 4 (bundled)');
      const toggle = rules.getByRole('checkbox');
      await expect(toggle).not.toBeChecked();
      await toggle.check();
      await expect(toggle).toBeChecked();
      await expect(rules).toContainText(join(server.dataDir, 'rules'));
      await shot(page, 'crashlog-rules');
    });
  });
}
