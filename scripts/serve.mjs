#!/usr/bin/env node
// `npm run serve -- [folder…] [--port N] [--data-dir D] [--no-watch]`: builds out/ when it is
// missing or stale, then runs the built main services (out/main/serve.js) behind the loopback
// bridge. The URL is printed as soon as the server listens; folders are scanned afterwards.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, root } from './ensure-built.mjs';

ensureBuilt();
const child = spawn(process.execPath, [join(root, 'out', 'main', 'serve.js'), ...process.argv.slice(2)], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
