/**
 * npm run bench:minidump [--symbols dir] [--runs N] [paths…]
 *
 * Like for like against Breakpad's minidump_stackwalk (the linux-x64 build the npm `minidump`
 * package ships), per dump, measured side by side in the same run:
 *
 * - whole process: our CLI (`ctd-workbench analyze <dmp> --json`, bundled from the current source
 *   with esbuild into .tmp/, run by node) against `minidump_stackwalk -m <dmp>`, both spawned:
 *   wall time from spawn to exit and the child's CPU time (user + system, from bash's `times`;
 *   the steadier figure on a shared machine, and the one the ratio uses), medians of N;
 * - in process: our analysis (reader, explanation, stack walk, stack scan, culprits, bucket) warm
 *   in this process (wall, and CPU from process.cpuUsage), against Breakpad's own processing,
 *   isolated as its time minus its start-up time (starting, reading a 32-byte header-only file
 *   and exiting; at least 0.5 ms, `times` counting in 1 ms steps). The ratio is of CPU time.
 *
 * Not identical work: Breakpad walks every thread, we walk the crashing one (the rest on demand).
 * `--symbols dir` is passed to both. Also per dump: bytes read / file size (read amplification,
 * through a counting source) and peak RSS. Then a synthetic 1 GiB full-memory dump (sparse file
 * in a temp dir, removed after) gives the throughput figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { FileSource } from '../src/main/formats/common/byte-source';
import { analyzeDumpFile, analyzeDumpSource } from '../src/main/analysis/minidump/analyze-dump';
import { writeSparseDump } from '../test/unit/minidump/synthetic-dump';
import { CountingSource } from '../test/helpers/counting-source';
import { real } from '../test/helpers/fixtures';

const ROOT = join(__dirname, '..');
const STACKWALK = join(ROOT, 'node_modules', 'minidump', 'bin', 'linux-x64', 'minidump_stackwalk');
const EXTRA = join(ROOT, 'test', 'fixtures-extra', 'minidumps');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

interface Timing {
  /** Spawn to exit, ms. */
  wall: number;
  /** The child's user + system CPU time, ms (steadier than wall time on a shared machine). */
  cpu: number;
}

/** Runs `cmd` under bash and reads the children's CPU times from `times` (its second line). */
function timeSpawn(cmd: string, args: string[], runs: number): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; times', '_', cmd, ...args], {
      encoding: 'utf8',
    });
    wall.push(ms(t0));
    const child = r.stdout.split('\n')[1] ?? '';
    const secs = [...child.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
    cpu.push(((secs[0] ?? NaN) + (secs[1] ?? NaN)) * 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function dumpsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dmp') && !f.startsWith('invalid-'))
    .map((f) => join(dir, f));
}

/** The product CLI bundled from the current source (what `npm run build` ships as out/main/cli.js). */
function bundleCli(): string {
  const dir = join(ROOT, '.tmp', 'bench-cli');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'cli.cjs');
  buildSync({
    entryPoints: [join(ROOT, 'src', 'main', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: out,
    external: ['better-sqlite3', 'electron'],
    logLevel: 'error',
  });
  return out;
}

const argv = process.argv.slice(2);
const take = (flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const symbolsDir = take('--symbols');
const RUNS = Number(take('--runs') ?? 9);
const symbols = symbolsDir ? [symbolsDir] : [];
const paths = argv.length > 0 ? argv : [...dumpsIn(real('minidumps')), ...dumpsIn(EXTRA)];

const haveBreakpad = existsSync(STACKWALK);
const cli = bundleCli();
const scratch = mkdtempSync(join(tmpdir(), 'ctd-bench-'));
const empty = join(scratch, 'header-only.dmp');
writeFileSync(empty, Buffer.concat([Buffer.from('MDMP', 'latin1'), Buffer.alloc(28)]));
const none: Timing = { wall: NaN, cpu: NaN };
const bpStart = haveBreakpad ? timeSpawn(STACKWALK, ['-m', empty], RUNS) : none;
const ourStart = timeSpawn(process.execPath, [cli, '--help'], RUNS);
const f1 = (t: Timing): string => `${t.wall.toFixed(1)}/${t.cpu.toFixed(1)}`;

console.log(`runs per figure: ${RUNS} (medians); machine shared: compare ratios, not absolute times`);
console.log(
  'figures are wall/cpu ms (cpu = user + system: of the child for processes, of this process in process); ratios are of cpu time',
);
console.log(
  `start-up: ours (node + bundled CLI, --help) ${f1(ourStart)}; Breakpad (header-only dump) ${f1(bpStart)}`,
);
console.log(
  [
    'dump',
    'size',
    'reads_x',
    'ours_process',
    'bp_process',
    'process_ratio_bp/ours',
    'ours_inproc',
    'bp_processing',
    'inproc_ratio_bp/ours',
    'peak_rss_MiB',
  ].join('\t'),
);
const rows: { process: number; inproc: number }[] = [];
for (const p of paths) {
  const size = statSync(p).size;
  // Read amplification: bytes asked of the file per byte of file.
  const counted = new CountingSource(new FileSource(p));
  try {
    analyzeDumpSource(counted, { symbols });
  } catch {
    // A dump rejected at the header still counts what it read.
  } finally {
    counted.close();
  }
  const inWall: number[] = [];
  const inCpu: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS * 2; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    try {
      analyzeDumpFile(p, { symbols });
    } catch {
      // The time to a structured error is the time to verdict.
    }
    const c = process.cpuUsage(c0);
    inWall.push(ms(t0));
    inCpu.push((c.user + c.system) / 1000);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const oursIn: Timing = { wall: median(inWall), cpu: median(inCpu) };
  const oursProc = timeSpawn(
    process.execPath,
    [cli, 'analyze', p, '--json', ...(symbolsDir ? ['--symbols', symbolsDir] : [])],
    RUNS,
  );
  const bpProc = haveBreakpad ? timeSpawn(STACKWALK, ['-m', p, ...symbols], RUNS) : none;
  // Breakpad's own processing: its CPU time beyond what starting and exiting costs it.
  const bpIn: Timing = {
    wall: Math.max(0.5, bpProc.wall - bpStart.wall),
    cpu: Math.max(0.5, bpProc.cpu - bpStart.cpu),
  };
  rows.push({ process: bpProc.cpu / oursProc.cpu, inproc: bpIn.cpu / oursIn.cpu });
  console.log(
    [
      p.split('/').pop(),
      size,
      (counted.bytes / size).toFixed(2),
      f1(oursProc),
      f1(bpProc),
      `${(bpProc.cpu / oursProc.cpu).toFixed(2)}x`,
      f1(oursIn),
      f1(bpIn),
      `${(bpIn.cpu / oursIn.cpu).toFixed(2)}x`,
      (peak / 1048576).toFixed(1),
    ].join('\t'),
  );
}
if (rows.length > 0 && haveBreakpad)
  console.log(
    `median ratios over ${rows.length} dumps (>1 = we are faster): whole process ${median(rows.map((r) => r.process)).toFixed(2)}x, ` +
      `in process ${median(rows.map((r) => r.inproc)).toFixed(2)}x`,
  );

try {
  if (process.env.BENCH_SKIP_SYNTHETIC !== '1') {
    const d = writeSparseDump(join(scratch, 'full-1gib.dmp'), 1024 ** 3);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      analyzeDumpFile(d.path);
      times.push(ms(t0));
    }
    const t = median(times);
    console.log(
      `synthetic 1 GiB full-memory dump (${d.ranges} Memory64List ranges): time_to_verdict_ms=${t.toFixed(1)} ` +
        `throughput_GiB_per_s=${(d.size / 1024 ** 3 / (t / 1000)).toFixed(1)} peak_rss_MiB=${(process.memoryUsage().rss / 1048576).toFixed(1)}`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
