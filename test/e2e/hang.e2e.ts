import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { deadlockDoc } from '../unit/hang/wct-fixtures';
import { shot } from './support/app';
import { scratch, startServe, type ServeHandle } from './support/serve';

// A hang incident opened in the real UI (serve mode, own data dir) shows its deadlock cycle.
// Synthetic SkyrimDiag hang files (WCT + manifest): no real SkyrimDiag WCT file may be used
// (fixtures/skyrimdiag/PROVENANCE.md), see test/unit/hang/wct-fixtures.ts.

const TS = '20260315_130000_001';
let serve: ServeHandle | null = null;

function writeHangIncident(folder: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `SkyrimDiag_WCT_${TS}.json`), JSON.stringify(deadlockDoc(), null, 2));
  writeFileSync(
    join(folder, `SkyrimDiag_Incident_Hang_${TS}.json`),
    JSON.stringify(
      {
        schema: { name: 'SkyrimDiagIncident', version: 1 },
        incident_id: `hang_${TS}_pid4242`,
        capture_kind: 'hang',
        timestamp_local: TS,
        pid: 4242,
        state_flags: 0,
        artifacts: {
          dump: `SkyrimDiag_Hang_${TS}.dmp`,
          wct: `SkyrimDiag_WCT_${TS}.json`,
          etw: '',
          etw_status: 'disabled',
          helper_log: 'SkyrimDiagHelper.log',
        },
        privacy: { paths: 'filenames_only', contains_user_paths: false, contains_config_paths: false },
      },
      null,
      2,
    ),
  );
}

test.beforeAll(async () => {
  const tmp = scratch('ctd-e2e-hang-');
  const folder = join(tmp, 'SkyrimDiag');
  writeHangIncident(folder);
  serve = await startServe({ folders: [folder], tmp });
});

test.afterAll(async () => {
  await serve?.stop();
});

test('a hang incident shows its deadlock cycle, main thread first, owners linked', async ({ page }) => {
  await page.goto(serve?.url ?? '');
  // The list shows the hang verdict as the incident's title; double-click opens it.
  await page
    .getByTestId('incident-row')
    .filter({ hasText: /main thread 5120/i })
    .first()
    .dblclick();
  await page.getByTestId('tab-hang').click();

  await expect(page.getByTestId('hang-verdict')).toContainText(
    /main thread 5120.*critical section.*thread 6312/i,
  );
  const cycle = page.getByTestId('hang-cycle');
  await expect(cycle).toHaveCount(1);
  await expect(cycle).toContainText('thread 5120');
  await expect(cycle).toContainText('thread 6312');

  const rows = page.getByTestId('hang-thread');
  await expect(rows.first()).toContainText('5120');
  await expect(rows.first()).toContainText('main');

  // Clicking an owner jumps to (and marks) its row.
  await cycle.getByRole('button', { name: 'thread 6312' }).click();
  await expect(page.locator('#hang-thread-6312')).toHaveClass(/hang-focus/);
  await shot(page, 'detail-hang');
});

// e2e runs on Linux (serve mode in Debian Chromium), where the capture addon does not exist.
test('the Capture view says capture needs Windows off Windows', async ({ page }) => {
  await page.goto(serve?.url ?? '');
  await page
    .getByRole('button', { name: /^Capture/ })
    .or(page.getByText('Capture', { exact: true }))
    .first()
    .click();
  await expect(page.getByTestId('capture-unsupported')).toContainText('Capture needs Windows');
  await shot(page, 'capture-unsupported');
});
