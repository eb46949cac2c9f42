/**
 * npm run bench:minidump [paths…]
 * Median time-to-verdict and peak RSS per dump (in-process, so process start is excluded), and the
 * same dumps through Breakpad's minidump_stackwalk from the npm `minidump` package when present
 * (its time includes process start, which is how users run it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { withFileSource } from '../src/main/formats/common/byte-source';
import { readMinidump } from '../src/main/formats/minidump/reader';
import { explainCrash } from '../src/main/analysis/minidump/explain';

const RUNS = 15;
const STACKWALK = join(__dirname, '..', 'node_modules', 'minidump', 'bin', 'linux-x64', 'minidump_stackwalk');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function verdict(path: string): string {
  return withFileSource(path, (src) => {
    const md = readMinidump(src);
    return explainCrash(md)?.reason ?? 'no exception';
  });
}

function defaultPaths(): string[] {
  const dir = process.env.CTD_FIXTURES
    ? join(process.env.CTD_FIXTURES, 'real', 'minidumps')
    : join(__dirname, '..', '..', 'shared', 'fixtures', 'real', 'minidumps');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.dmp'))
    .map((f) => join(dir, f));
}

const paths = process.argv.slice(2).length > 0 ? process.argv.slice(2) : defaultPaths();
console.log('dump\tsize\tours_median_ms\tpeak_rss_MiB\tstackwalk_median_ms\tratio');
for (const p of paths) {
  const times: number[] = [];
  let peak = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    try {
      verdict(p);
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
      spawnSync(STACKWALK, [p], { stdio: 'ignore' });
      swTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    sw = median(swTimes);
  }
  const ours = median(times);
  console.log(
    `${p.split('/').pop()}\t${statSync(p).size}\t${ours.toFixed(2)}\t${(peak / 1048576).toFixed(1)}\t${sw.toFixed(1)}\t${(sw / ours).toFixed(1)}x`,
  );
}
