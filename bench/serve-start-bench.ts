/**
 * `npm run bench:serve`: how fast serve mode is usable (issue 11: URL within 3 s on a folder of
 * 10,000 incidents). Spawns the built `out/main/serve.js` (run `npm run build` first) and times
 * the printed "Open http://…" line, side by side with `node -e ''` (the floor) and with the same
 * server run from source through tsx (how serve mode ran before). The folder is the SYNTHETIC
 * 10,000-incident folder of bench:index (real fixture files under generated names).
 *  - cold: empty data dir, the folder on the command line (scanned in the background)
 *  - warm: the same data dir after the scan (10,000 incidents indexed), folder remembered
 * Prints numbers; asserts nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFolder } from './index-bench';

const root = join(__dirname, '..');
const built = join(root, 'out', 'main', 'serve.js');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const source = join(root, 'src', 'main', 'server', 'main.ts');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

interface Start {
  ms: number;
  rssMiB: number;
}

/** Starts serve, resolves when it prints its URL (then kills it). */
function timeToUrl(entry: string[], args: string[]): Promise<Start> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...entry, ...args, '--port', '0', '--no-watch'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CTD_RENDERER_DIR: join(root, 'out', 'renderer') },
      // Its own process group: tsx runs the server in a child process that must die too.
      detached: true,
    });
    const killAll = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let out = '';
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/Open http:\/\/127\.0\.0\.1:\d+\//.test(out)) {
        const ms = performance.now() - t0;
        // Every process of the group (tsx's wrapper and the server it runs).
        const rss = spawnSync('ps', ['-o', 'rss=', '-g', String(child.pid)], { encoding: 'utf8' });
        killAll();
        const kib = rss.stdout.split('\n').reduce((a, l) => a + (Number(l.trim()) || 0), 0);
        resolve({ ms, rssMiB: kib / 1024 });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!/Open http/.test(out)) reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
}

function nodeFloor(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', '']);
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function series(label: string, entry: string[], args: () => string[], floor: number[]) {
  const runs: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(nodeFloor());
    runs.push(await timeToUrl(entry, args()));
  }
  const ms = median(runs.map((r) => r.ms));
  const rss = median(runs.map((r) => r.rssMiB));
  console.log(
    `${label}: URL after ${ms.toFixed(0)} ms (median of ${RUNS}; ${(ms / median(floor)).toFixed(1)}x node -e ''), RSS ${rss.toFixed(0)} MiB`,
  );
  return ms;
}

async function main(): Promise<void> {
  if (!existsSync(built)) throw new Error('run `npm run build` first (bench:serve times out/main/serve.js)');
  const tmp = mkdtempSync(join(tmpdir(), 'ctd-serve-bench-'));
  try {
    const folder = join(tmp, 'games');
    const files = buildFolder(folder);
    const floor: number[] = [];
    let k = 0;
    const fresh = () => ['--data-dir', join(tmp, `fresh-${k++}`), folder];
    const cold = await series('cold, built JS (folder on the command line)', [built], fresh, floor);
    const coldTsx = await series('cold, source through tsx (before)', [tsx, source], fresh, floor);
    // Index the folder once with the CLI, then start on that data dir.
    const warmDir = join(tmp, 'warm');
    mkdirSync(warmDir, { recursive: true });
    const scan = spawnSync(
      process.execPath,
      [join(root, 'out', 'main', 'cli.js'), 'scan', folder, '--db', join(warmDir, 'index.sqlite')],
      {
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    if (scan.status !== 0 && scan.status !== 1) throw new Error(`scan failed: ${scan.stderr}${scan.stdout}`);
    const n = Number(/^(\d+) incidents in/m.exec(scan.stdout)?.[1] ?? NaN);
    console.log(`SYNTHETIC folder: ${files} files, ${n} incidents`);
    const warm = await series(
      `warm, built JS (${n} incidents indexed)`,
      [built],
      () => ['--data-dir', warmDir, folder],
      floor,
    );
    console.log(`node -e '': median ${median(floor).toFixed(0)} ms`);
    console.log(
      `target: URL within 3000 ms on ${n} incidents — cold ${cold.toFixed(0)} ms, warm ${warm.toFixed(0)} ms; built vs tsx ${(coldTsx / cold).toFixed(1)}x faster`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
