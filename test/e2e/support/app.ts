import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'screenshots');

/** Committed screenshots: small PNGs of the states a reviewer should look at. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

export const rows = (page: Page) => page.getByTestId('incident-row');

/** "2026-03-18T20:00:00" → the list's "2026-03-18 20:00:00". */
export function listTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19);
}

export async function openApp(page: Page, url: string): Promise<void> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await expect(page.getByTestId('nav-incidents')).toBeVisible();
  expect(errors, 'no uncaught errors while loading').toEqual([]);
}

export async function openRowAt(page: Page, iso: string): Promise<void> {
  const row = rows(page).filter({ hasText: listTime(iso) });
  await row.first().dblclick();
  await expect(page.getByTestId('detail-view')).toBeVisible();
}
