#!/usr/bin/env node
// `npm test`: every suite, in order: unit (vitest, Node), e2e (Playwright in Debian Chromium
// against serve mode), and the Windows capture path under Wine where Wine is installed.
// Ends with one plain "N passed, N failed" line so CI can read the totals.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const bin = (name) => join(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.log(`=== ${label}: FAILED (exit ${r.status ?? r.signal}) ===`);
    ok = false;
  }
  return r.status === 0;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

// 1. Unit tests.
const vitestOut = join(tmp, 'vitest.json');
rmSync(vitestOut, { force: true });
run('unit (vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestOut}`,
]);
const v = readJson(vitestOut);
if (v) {
  totals.passed += v.numPassedTests ?? 0;
  totals.failed += (v.numFailedTests ?? 0) + (v.numFailedTestSuites ?? 0) - 0;
  totals.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
} else {
  ok = false;
  totals.failed += 1;
}

// 2. End-to-end: needs out/ built from these sources (serve mode runs out/main/serve.js and
// serves out/renderer); a stale build would test old code.
ensureBuilt();
const pwOut = join(tmp, 'playwright.json');
rmSync(pwOut, { force: true });
run('e2e (playwright)', bin('playwright'), ['test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwOut,
});
const p = readJson(pwOut);
if (p && p.stats) {
  totals.passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  totals.failed += p.stats.unexpected ?? 0;
  totals.skipped += p.stats.skipped ?? 0;
} else {
  ok = false;
  totals.failed += 1;
}

// 3. Windows capture path under Wine (cross-compiled addon in node.exe).
const wineRunner = join(root, 'test', 'wine', 'run-wine-tests.sh');
const haveWine =
  existsSync('/usr/lib/wine/wine64') && spawnSync('which', ['x86_64-w64-mingw32-g++-posix']).status === 0;
if (existsSync(wineRunner)) {
  if (haveWine) {
    const wineOut = join(tmp, 'wine-results.json');
    rmSync(wineOut, { force: true });
    run('windows capture under wine', 'bash', [wineRunner], { WINE_RESULTS: wineOut });
    const w = readJson(wineOut);
    if (w) {
      totals.passed += w.passed ?? 0;
      totals.failed += w.failed ?? 0;
    } else {
      ok = false;
      totals.failed += 1;
    }
  } else if (process.env.CTD_REQUIRE_WINE === '1') {
    console.log('CTD_REQUIRE_WINE=1 but wine64 / mingw-w64 are not installed');
    ok = false;
    totals.failed += 1;
  } else {
    console.log(
      '\n[wine] NOTICE: wine64 or g++-mingw-w64-x86-64 not installed: Windows capture tests SKIPPED.',
    );
  }
}

if (!ok && totals.failed === 0) totals.failed = 1;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
