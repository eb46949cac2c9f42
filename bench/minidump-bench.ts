/**
 * npm run bench:minidump [paths…]
 * Median time-to-verdict and peak RSS per dump (in-process, so process start is excluded), and the
 * same dumps through Breakpad's minidump_stackwalk from the npm `minidump` package when present
 * (its time includes process start, which is how users run it).
 * Time to verdict is the whole pipeline: reader, explanation, stack walk, stack scan, culprits,
 * bucket. `--symbols dir` is passed to both sides. Then a synthetic 1 GiB full-memory dump
 * (sparse file in a temp dir, removed after) gives the throughput figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeDumpFile } from '../src/main/analysis/minidump/analyze-dump';
import { writeSparseDump } from '../test/unit/minidump/synthetic-dump';
import { real } from '../test/helpers/fixtures';

const RUNS = 15;
const STACKWALK = join(__dirname, '..', 'node_modules', 'minidump', 'bin', 'linux-x64', 'minidump_stackwalk');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function verdict(path: string, symbols: string[]): string {
  return analyzeDumpFile(path, { symbols }).verdict;
}

function defaultPaths(): string[] {
  const dir = real('minidumps');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dmp'))
    .map((f) => join(dir, f));
}

const argv = process.argv.slice(2);
const symIdx = argv.indexOf('--symbols');
const symbols = symIdx >= 0 && argv[symIdx + 1] ? [argv[symIdx + 1] ?? ''] : [];
if (symIdx >= 0) argv.splice(symIdx, 2);
const paths = argv.length > 0 ? argv : defaultPaths();
console.log('dump\tsize\tours_median_ms\tpeak_rss_MiB\tstackwalk_median_ms\tratio');
for (const p of paths) {
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    try {
      verdict(p, symbols);
    } catch {
      // Broken dumps still count: the time to a structured error is the time to verdict.
    }
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  let sw = NaN;
  if (existsSync(STACKWALK)) {
    const swTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      spawnSync(STACKWALK, [p, ...symbols], { stdio: 'ignore' });
      swTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    sw = median(swTimes);
  }
  const ours = median(times);
  console.log(
    `${p.split('/').pop()}\t${statSync(p).size}\t${ours.toFixed(2)}\t${(peak / 1048576).toFixed(1)}\t${sw.toFixed(1)}\t${(sw / ours).toFixed(1)}x`,
  );
}

if (process.env.BENCH_SKIP_SYNTHETIC !== '1') {
  const dir = mkdtempSync(join(tmpdir(), 'ctd-bench-'));
  try {
    const d = writeSparseDump(join(dir, 'full-1gib.dmp'), 1024 ** 3);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      verdict(d.path, []);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const ms = median(times);
    console.log(
      `synthetic 1 GiB full-memory dump (${d.ranges} Memory64List ranges): time_to_verdict_ms=${ms.toFixed(1)} ` +
        `throughput_GiB_per_s=${(d.size / 1024 ** 3 / (ms / 1000)).toFixed(1)} peak_rss_MiB=${(process.memoryUsage().rss / 1048576).toFixed(1)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
