import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real third-party fixtures live outside the repo (../shared/fixtures, or $CTD_FIXTURES) and
 * are never copied in. In a user's clone they may be absent: tests then skip with a visible
 * notice. CI sets CTD_REQUIRE_FIXTURES=1 so a missing folder fails instead of skipping.
 */
export const FIXTURES = resolve(
  process.env.CTD_FIXTURES ?? join(__dirname, '..', '..', '..', 'shared', 'fixtures'),
);
export const REAL = join(FIXTURES, 'real');

export function fixturesAvailable(): boolean {
  const ok = existsSync(REAL);
  if (!ok) {
    if (process.env.CTD_REQUIRE_FIXTURES === '1') {
      throw new Error(`CTD_REQUIRE_FIXTURES=1 but fixtures are missing at ${REAL} (set CTD_FIXTURES)`);
    }
    console.warn(
      `\n[fixtures] NOTICE: ${REAL} not found; tests that need real fixtures are SKIPPED. Set CTD_FIXTURES.\n`,
    );
  }
  return ok;
}

/** Path under fixtures/real; use after `fixturesAvailable()` returned true. */
export function real(...parts: string[]): string {
  return join(REAL, ...parts);
}
