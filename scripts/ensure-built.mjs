// Builds out/ (main, preload, renderer) with electron-vite when it is missing or older than the
// sources, so `npm start` / `npm run serve` work on a fresh clone and after a pull. electron-vite
// is run through its package's declared `bin` (its `exports` hide the file from require.resolve).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** What the app and serve mode load; all must exist and be newer than every input. */
const OUTPUTS = [
  'out/main/index.js',
  'out/main/serve.js',
  'out/main/cli.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
];
const INPUTS = ['src', 'resources', 'electron.vite.config.ts', 'package.json', 'tsconfig.base.json'];

function newestMtime(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why a build is needed, or null when out/ is complete and current. */
export function buildReason() {
  const missing = OUTPUTS.filter((o) => !existsSync(join(root, o)));
  if (missing.length)
    return `${missing.length === OUTPUTS.length ? 'out/ is missing' : `${missing[0]} is missing`}`;
  const oldestOut = Math.min(...OUTPUTS.map((o) => statSync(join(root, o)).mtimeMs));
  const newestIn = Math.max(...INPUTS.map((i) => newestMtime(join(root, i))));
  return newestIn > oldestOut ? 'the sources changed since the last build' : null;
}

export function electronViteBin() {
  const pkgPath = require.resolve('electron-vite/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  return join(dirname(pkgPath), bin);
}

/** Builds when needed; exits the process with the build's status if it fails. */
export function ensureBuilt() {
  const reason = buildReason();
  if (!reason) return;
  console.log(`Building CTD Workbench first (${reason}); this takes about half a minute…`);
  const r = spawnSync(process.execPath, [electronViteBin(), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('The build failed (see above); `npm run build` shows the same output.');
    process.exit(r.status ?? 1);
  }
}
