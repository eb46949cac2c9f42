import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { openApp, rows, shot } from './support/app';
import { runTsx, scratch, startServe, type ServeHandle } from './support/serve';

/**
 * 10,000 SYNTHETIC incidents written straight into the index (seed-incidents.ts): only the
 * list's rendering is under test here, not ingest (bench:index covers that). Prints the
 * figures; asserts only generous bounds (timings on a shared CI machine are noisy).
 */
const COUNT = 10_000;

test.describe('10,000-incident list', () => {
  test.describe.configure({ mode: 'serial' });
  let server: ServeHandle;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    const tmp = scratch('ctd-e2e-scale-');
    const dataDir = join(tmp, 'data');
    runTsx('test/e2e/support/seed-incidents.ts', [dataDir, String(COUNT)]);
    server = await startServe({ dataDir, tmp });
  });
  test.afterAll(async () => {
    await server?.stop();
  });

  test('first paint, total, and scrolling to the oldest row', async ({ page }) => {
    // Warm the HTTP cache and the server once, as a returning user's app would be.
    await openApp(page, server.url);
    await expect(rows(page).first()).toBeVisible();
    await page.goto('about:blank');

    const url = server.url.replace(/\?token=.*/, '');
    await page.goto(url);
    const firstRowMs = await page.waitForFunction(
      // A function, not a string: the app's CSP (rightly) forbids eval. No DOM typings here.
      () =>
        (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector(
          '[data-testid="incident-row"]',
        )
          ? performance.now()
          : 0,
      undefined,
      { polling: 'raf', timeout: 10_000 },
    );
    const ms = (await firstRowMs.jsonValue()) as number;
    const domRows = await page.locator('.incident-row:not(.incident-head)').count();
    console.log(
      `[bench] 10,000-incident list: first row painted ${ms.toFixed(0)} ms after navigation start (${domRows} rows in the DOM)`,
    );
    expect(ms).toBeLessThan(3000);
    expect(domRows).toBeLessThan(100);
    await expect(page.getByTestId('incident-count')).toHaveText('10,000 incidents');
    await shot(page, 'list-10000');

    // Scroll through with the wheel and record frame gaps.
    const list = page.getByTestId('incident-list');
    await list.hover();
    // In-page scripts are strings: this file is type-checked without DOM typings.
    await page.evaluate(`(() => {
      window.__gaps = [];
      window.__stop = false;
      let last = performance.now();
      const tick = (t) => {
        window.__gaps.push(t - last);
        last = t;
        if (!window.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    for (let i = 0; i < 40; i++) {
      await page.mouse.wheel(0, 1500);
      await page.waitForTimeout(16);
    }
    const gaps = (await page.evaluate(
      `(() => { window.__stop = true; return window.__gaps.slice(1).sort((a, b) => a - b); })()`,
    )) as number[];
    const p95 = gaps[Math.floor(gaps.length * 0.95)] ?? 0;
    console.log(
      `[bench] scrolling 60,000 px: ${gaps.length} frames, p95 frame gap ${p95.toFixed(1)} ms, worst ${(gaps[gaps.length - 1] ?? 0).toFixed(1)} ms`,
    );
    expect(p95).toBeLessThan(250);

    // End jumps to the oldest incident; its page loads on demand.
    await list.focus();
    await page.keyboard.press('End');
    await expect(page.locator('[data-testid="incident-row"][aria-selected="true"]')).toContainText(
      'synthetic #0',
    );
    await shot(page, 'list-10000-end');

    // FTS narrows 10,000 to the rows of one module.
    await page.getByTestId('search').fill('hdtSMP64');
    await expect(page.getByTestId('incident-count')).toHaveText('2,000 incidents');
  });
});
