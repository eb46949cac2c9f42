// `npm run bench:dedupe`: log pattern dedupe throughput and memory on a 1 GB SYNTHETIC
// Papyrus log (test/helpers/papyrus-log.ts; no real log of that size may be shipped), generated
// to a temp file and deleted afterwards. The dedupe runs in a fresh child process so its peak
// RSS is not inflated by the generator. Targets: > 100 MB/s, < 100 MB peak RSS over baseline.
// Options: --mb N (size, default 1024), --keep (leave the file), --file path (reuse a log).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dedupeFile } from '../src/main/analysis/logs/dedupe';
import { writePapyrusLog } from '../test/helpers/papyrus-log';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? '') : null;
};

async function measure(file: string): Promise<void> {
  // Settle the runtime first so the baseline is what a running app already has.
  await new Promise((r) => setTimeout(r, 200));
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const s = await dedupeFile(file);
  const ms = performance.now() - t0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const mb = s.bytes / 1024 / 1024;
  console.log(
    JSON.stringify({
      mb,
      ms,
      mbPerS: mb / (ms / 1000),
      baseRssMb: base / 1024 / 1024,
      peakRssDeltaMb: (peak - base) / 1024 / 1024,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      lines: s.lines,
      patterns: s.patternCount,
      other: s.other?.lines ?? 0,
      severity: s.severityLines,
      kept: s.keptLines.length,
      checkpoints: s.lineIndex.offsets.length,
      every: s.lineIndex.every,
    }),
  );
}

async function main(): Promise<void> {
  const measureFile = flag('measure');
  if (measureFile) return measure(measureFile);

  const sizeMb = Number(flag('mb') ?? 1024);
  let file = flag('file');
  let dir: string | null = null;
  if (!file) {
    const base = join(__dirname, '..', '.tmp');
    dir = mkdtempSync(join(existsSync(base) ? base : tmpdir(), 'dedupe-bench-'));
    file = join(dir, 'Papyrus.0.log');
    const t0 = performance.now();
    const lines = writePapyrusLog(file, sizeMb * 1024 * 1024, { seed: 42 });
    console.log(
      `generated a SYNTHETIC Papyrus log: ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB, ${lines.toLocaleString('en-US')} lines in ${((performance.now() - t0) / 1000).toFixed(1)} s (${file})`,
    );
  }
  try {
    const runs: { mbPerS: number; peakRssDeltaMb: number; [k: string]: unknown }[] = [];
    for (let i = 0; i < 3; i++) {
      const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--measure', file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) throw new Error(r.stderr || r.stdout);
      const last = r.stdout.trim().split('\n').pop() ?? '{}';
      const m = JSON.parse(last) as (typeof runs)[number];
      runs.push(m);
      console.log(
        `run ${i + 1}: ${m.mbPerS.toFixed(1)} MB/s (${(Number(m.ms) / 1000).toFixed(2)} s), peak RSS +${m.peakRssDeltaMb.toFixed(1)} MB over a ${Number(m.baseRssMb).toFixed(0)} MB baseline`,
      );
    }
    const best = [...runs].sort((a, b) => b.mbPerS - a.mbPerS)[0]!;
    const median = [...runs].sort((a, b) => a.mbPerS - b.mbPerS)[1]!;
    console.log(
      `dedupe ${Number(best.mb).toFixed(0)} MB: median ${median.mbPerS.toFixed(1)} MB/s, best ${best.mbPerS.toFixed(1)} MB/s (target > 100); peak RSS delta max ${Math.max(...runs.map((r) => r.peakRssDeltaMb)).toFixed(1)} MB (target < 100)`,
    );
    console.log(
      `  ${Number(best.lines).toLocaleString('en-US')} lines → ${String(best.patterns)} patterns (other ${String(best.other)}), severity ${JSON.stringify(best.severity)}, ${String(best.kept)} kept lines, ${String(best.checkpoints)} checkpoints every ${String(best.every)} lines`,
    );
  } finally {
    if (dir && !args.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

void main();
