#!/usr/bin/env node
// `npm start`: builds out/ when it is missing or stale, then runs the Electron app when an
// Electron binary is installed; otherwise says so in one line and starts serve mode on
// 127.0.0.1 (the same services and renderer, in a browser).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, root } from './ensure-built.mjs';

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
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
};

ensureBuilt();
const electron = electronBinary();
if (electron) {
  run(electron, [root, ...args]);
} else {
  console.log(
    'No Electron binary is installed here (see README: "The desktop app"), so CTD Workbench starts in serve mode: open the URL below in a browser.',
  );
  run(process.execPath, [join(root, 'out', 'main', 'serve.js'), ...args]);
}
