#!/usr/bin/env node
// `npm start`: the Electron app when an Electron binary is installed; otherwise one line saying
// so and serve mode on 127.0.0.1 (the same services and renderer, in a browser).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dir = join(root, 'node_modules', 'electron');
    const rel = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const bin = join(dir, 'dist', rel);
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const args = process.argv.slice(2);
const run = (cmd, argv) => {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
};

if (electronBinary()) {
  run(process.execPath, [
    require.resolve('electron-vite/bin/electron-vite.js'),
    'dev',
    ...(args.length ? ['--', ...args] : []),
  ]);
} else {
  console.log(
    'No Electron binary is installed here, so CTD Workbench starts in serve mode (open the URL below in a browser).',
  );
  run(process.execPath, [join(root, 'scripts', 'serve.mjs'), ...args]);
}
