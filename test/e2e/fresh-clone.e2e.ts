import { expect, test } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openApp } from './support/app';
import { scratch } from './support/serve';

const root = join(__dirname, '..', '..');

/**
 * `npm start` on a fresh clone: no out/, nothing built. It must build through electron-vite's
 * public entry point, say that no Electron binary exists here, start serve mode from the built
 * JavaScript and serve a working app. The clone is every file git tracks (plus new, unignored
 * ones), with node_modules linked in: the same tree `git clone && npm install` gives.
 */
test.describe('fresh clone', () => {
  let clone: string;
  let child: ChildProcess | null = null;
  test.afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child!.once('exit', () => r()));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  test('npm start builds what is missing and serves the app', async ({ page }) => {
    test.setTimeout(600_000);
    clone = scratch('ctd-clone-');
    const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(listed.status, listed.stderr).toBe(0);
    for (const rel of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(root, rel))) continue; // deleted in the working tree
      mkdirSync(dirname(join(clone, rel)), { recursive: true });
      cpSync(join(root, rel), join(clone, rel));
    }
    expect(existsSync(join(clone, 'out'))).toBe(false);
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');

    const start = spawn(
      process.execPath,
      [join(clone, 'scripts', 'start.mjs'), '--port', '0', '--data-dir', join(clone, 'data'), '--no-watch'],
      { cwd: clone, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CTD_RENDERER_DIR: '' } },
    );
    child = start;
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) resolve(m[1]!);
      };
      start.stdout!.on('data', onData);
      start.stderr!.on('data', onData);
      start.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${out}`)));
    });
    expect(out).toContain('Building CTD Workbench first (out/ is missing)');
    expect(out).toContain('No Electron binary is installed here');
    expect(out, 'no warnings or errors on the way').not.toMatch(/\b(warn(ing)?|error|ERR_)\b/i);
    expect(existsSync(join(clone, 'out', 'main', 'serve.js'))).toBe(true);

    await openApp(page, url);
    await expect(page.getByTestId('empty-state')).toBeVisible();
    // The token left the address bar; a reload still works from this tab's sessionStorage.
    expect(page.url()).not.toContain('token=');
    await page.reload();
    await expect(page.getByTestId('empty-state')).toBeVisible();
  });
});
