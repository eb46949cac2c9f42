import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { fixturesAvailable, real } from '../helpers/fixtures';
import { writeHangScenario } from '../helpers/etl-scenario';
import { manifest } from '../helpers/skyrimdiag-folder';
import { deadlockDoc } from '../unit/hang/wct-fixtures';
import { openApp, openRowAt, shot } from './support/app';
import { scratch, startServe, type ServeHandle } from './support/serve';

/**
 * The ETW tab on two SkyrimDiag incidents built in a scratch folder: a crash whose trace is a
 * REAL fixture (PerfView's gcevents.etl, copied under the SkyrimDiag name next to a real
 * Breakpad dump), and a hang whose trace is the SYNTHETIC kernel trace of
 * test/helpers/etl-scenario.ts (no real fixture has kernel events). Manifests and WCT JSON are
 * synthetic, as in hang.e2e.ts.
 */
const CRASH = '20260318_200000_500';
const HANG = '20260316_090000_250';

const etwManifest = (kind: 'crash' | 'hang', ts: string, etw: string, wct = '') => {
  const dump = `SkyrimDiag_${kind === 'crash' ? 'Crash' : 'Hang'}_${ts}.dmp`;
  return manifest(kind, ts, dump, wct, {
    artifacts: { dump, wct, etw, etw_status: 'written', helper_log: 'SkyrimDiagHelper.log' },
  });
};

function buildFolder(folder: string): void {
  mkdirSync(folder, { recursive: true });
  const json = (name: string, v: unknown) => writeFileSync(join(folder, name), JSON.stringify(v, null, 2));
  copyFileSync(real('minidumps', 'null_read_av.dmp'), join(folder, `SkyrimDiag_Crash_${CRASH}.dmp`));
  copyFileSync(real('etl', 'gcevents.etl'), join(folder, `SkyrimDiag_Crash_${CRASH}.etl`));
  json(
    `SkyrimDiag_Incident_Crash_${CRASH}.json`,
    etwManifest('crash', CRASH, `SkyrimDiag_Crash_${CRASH}.etl`),
  );
  writeFileSync(join(folder, `SkyrimDiag_Hang_${HANG}.etl`), writeHangScenario().data);
  json(`SkyrimDiag_WCT_${HANG}.json`, deadlockDoc());
  json(
    `SkyrimDiag_Incident_Hang_${HANG}.json`,
    etwManifest('hang', HANG, `SkyrimDiag_Hang_${HANG}.etl`, `SkyrimDiag_WCT_${HANG}.json`),
  );
}

const at = (ts: string) =>
  `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(9, 11)}:${ts.slice(11, 13)}:${ts.slice(13, 15)}`;

async function openEtw(page: Page, url: string, ts: string): Promise<void> {
  await openApp(page, url);
  await openRowAt(page, at(ts));
  await page.getByTestId('tab-etw').click();
  await expect(page.getByTestId('etw-tab')).toBeVisible();
}

if (!fixturesAvailable()) {
  test('ETW tab (NOT RUN: fixtures missing, set CTD_FIXTURES)', () => {
    test.info().annotations.push({ type: 'notice', description: 'real fixtures missing' });
  });
} else {
  test.describe('ETW tab', () => {
    test.describe.configure({ mode: 'serial' });
    let serve: ServeHandle;
    test.beforeAll(async () => {
      const tmp = scratch('ctd-e2e-etw-');
      const folder = join(tmp, 'Tullius Ctd Logs');
      buildFolder(folder);
      serve = await startServe({ folders: [folder], tmp });
    });
    test.afterAll(async () => {
      await serve?.stop();
    });

    test('a real trace: summary, event types, filtered events and a decoded raw event', async ({ page }) => {
      await page.setViewportSize({ width: 1280, height: 1100 });
      await openEtw(page, serve.url, CRASH);
      await expect(page.getByTestId('etw-facts')).toContainText('ETW trace: 70 events from 2 provider(s)');
      await expect(page.getByTestId('etw-types')).toContainText('GC/AllocationTick');
      await expect(page.getByTestId('etw-timeline').locator('.recharts-surface').first()).toBeVisible();
      await expect(page.getByTestId('etw-event-count')).toHaveText('70 events');

      await page.getByTestId('etw-filter-event').selectOption('GC/AllocationTick');
      await expect(page.getByTestId('etw-event-count')).toHaveText('12 events');
      await expect(page.getByTestId('etw-event-row')).toHaveCount(12);
      await page.getByTestId('etw-event-row').first().click();
      const detail = page.getByTestId('etw-event-detail');
      await expect(detail).toContainText('Microsoft-Windows-DotNETRuntime/GC/AllocationTick');
      await expect(detail.getByTestId('etw-fields')).toContainText('System.String');
      await expect(detail.getByTestId('etw-hex')).toContainText('0000000000000000');
      await shot(page, 'etw-real-trace');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'etw-real-trace-dark');
    });

    test('a kernel trace of a hang: main thread, top threads, modules and the CPU timeline', async ({
      page,
    }) => {
      await page.setViewportSize({ width: 1280, height: 1400 });
      await openEtw(page, serve.url, HANG);
      await expect(page.getByTestId('etw-main-thread')).toContainText('blocked in calls from SomeMod.dll');
      await expect(page.getByTestId('etw-threads-cpu').locator('tbody tr').first()).toContainText('1008');
      await expect(page.getByTestId('etw-modules')).toContainText('d3d11.dll');
      await expect(page.getByTestId('etw-timeline').locator('.recharts-area')).toHaveCount(3);
      await shot(page, 'etw-kernel-hang');
      await page.emulateMedia({ colorScheme: 'dark' });
      await shot(page, 'etw-kernel-hang-dark');
    });
  });
}
