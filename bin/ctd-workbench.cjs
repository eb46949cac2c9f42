#!/usr/bin/env node
// The packaged CLI runs the built bundle; from a source checkout it falls back to tsx.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const built = join(__dirname, '..', 'out', 'main', 'cli.js');
if (existsSync(built)) {
  require(built);
} else {
  const { spawnSync } = require('node:child_process');
  const r = spawnSync(
    process.execPath,
    [
      require.resolve('tsx/cli'),
      join(__dirname, '..', 'src', 'main', 'cli', 'main.ts'),
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 2);
}
