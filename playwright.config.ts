import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * e2e runs Debian's Chromium against serve mode (no Electron binary on CI). The Electron
 * project is only selected where node_modules/electron/dist holds a real binary.
 */
const hasElectron = existsSync(join(__dirname, 'node_modules', 'electron', 'dist'));

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '*.e2e.ts',
  outputDir: 'test-results',
  // Each spec file starts its own serve process; the machine's cores are shared.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CTD_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'chromium', testIgnore: 'electron.e2e.ts' },
    ...(hasElectron ? [{ name: 'electron', testMatch: 'electron.e2e.ts' }] : []),
  ],
});
