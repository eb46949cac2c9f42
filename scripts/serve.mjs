#!/usr/bin/env node
// `npm run serve -- [folder…] [--port N] [--data-dir D]`: builds the renderer if it is missing,
// then runs the main services from source (tsx) behind the loopback bridge.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  console.log('Building the renderer first (npm run build)…');
  const b = spawnSync(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const child = spawn(
  process.execPath,
  [require.resolve('tsx/cli'), join(root, 'src', 'main', 'server', 'main.ts'), ...process.argv.slice(2)],
  { cwd: process.cwd(), stdio: 'inherit' },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
