/**
 * `npm run bench:cli`: what one CLI run costs (issue 15: `analyze` on a small dump or crash log
 * at most 2x the CPU of `node -e ''`). Spawns the built CLI (`out/main/cli.js`; run
 * `npm run build` first, or point BENCH_CLI at another build; BENCH_CLI_BEFORE adds a second
 * build to the same rounds, for before/after figures) and, alternately in the
 * same rounds, `node -e ''` (the floor: Node's own start) and Breakpad's minidump_stackwalk
 * from the npm `minidump` package (a native peer, on dumps). Per child: user+sys CPU to the
 * millisecond from bash's `time`, and peak RSS from GNU time (/usr/bin/time) in a second run;
 * medians over BENCH_RUNS rounds (default 15). Then how many zod schemas each kind of run builds
 * (bench/support/count-zod.cjs). Prints; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { real } from '../test/helpers/fixtures';
import { loadAverage, measureFine, median, requireGnuTime, summary, type Cost } from './support/child-cost';

const root = join(__dirname, '..');
const cli = process.env.BENCH_CLI ?? join(root, 'out', 'main', 'cli.js');
const STACKWALK = join(root, 'node_modules', 'minidump', 'bin', 'linux-x64', 'minidump_stackwalk');
const before = process.env.BENCH_CLI_BEFORE;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

const tmp = mkdtempSync(join(tmpdir(), 'ctd-bench-cli-'));
const measure = (cmd: string, args: string[]): Cost =>
  measureFine(cmd, args, { ...process.env, CTD_DATA_DIR: join(tmp, 'data') });

/**
 * zod instances built by one run of the CLI with these arguments. Each build lists its own index:
 * an older build refuses an index a newer schema wrote (and then builds no schemas at all).
 */
function zodCount(build: string, args: string[]): number {
  const r = spawnSync(process.execPath, ['-r', join(__dirname, 'support', 'count-zod.cjs'), build, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CTD_DATA_DIR: join(tmp, build === cli ? 'data' : 'data-before') },
  });
  return Number(/zod-instances-built (\d+)/.exec(r.stderr)?.[1] ?? NaN);
}

function main(): void {
  if (!existsSync(cli)) throw new Error(`${cli} not found: run \`npm run build\` first`);
  requireGnuTime();
  const dumps = ['minidump2.dmp', 'ascii_write_av.dmp', 'null_read_av.dmp'].map((n) => real('minidumps', n));
  const logs = [
    real('crashlogs', 'skyrim-mocked', 'TestLogCrashLogger1.txt'),
    real('crashlogs', 'buffout4-fo4', 'crash-2024-04-30-11-44-59.log'),
    real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'),
  ];
  const inputs = [...dumps, ...logs].filter((p) => existsSync(p));
  if (inputs.length === 0) throw new Error(`fixtures not found at ${real()} (set CTD_FIXTURES)`);
  const hasStackwalk = existsSync(STACKWALK);

  const floor: Cost[] = [];
  const ours = new Map<string, Cost[]>(inputs.map((p) => [p, []]));
  const peer = new Map<string, Cost[]>(inputs.map((p) => [p, []]));
  const old = new Map<string, Cost[]>(inputs.map((p) => [p, []]));
  for (let r = 0; r < RUNS; r++) {
    for (const p of inputs) {
      floor.push(measure(process.execPath, ['-e', '']));
      ours.get(p)!.push(measure(process.execPath, [cli, 'analyze', p, '--json']));
      if (before) old.get(p)!.push(measure(process.execPath, [before, 'analyze', p, '--json']));
      if (hasStackwalk && p.endsWith('.dmp')) peer.get(p)!.push(measure(STACKWALK, [p]));
    }
  }
  const f = summary(floor);
  console.log(
    `CLI: ${cli}; ${RUNS} rounds, medians, CPU to 1 ms (bash's time); load average ${loadAverage()}`,
  );
  console.log(
    `node -e '': cpu ${f.cpuMs.toFixed(0)} ms, wall ${f.wallMs.toFixed(0)} ms, rss ${f.rssMiB.toFixed(1)} MiB`,
  );
  if (before) console.log(`before: ${before}`);
  console.log(
    'input\tanalyze_cpu_ms\tx_node_cpu (target <= 2)\trss_MiB\tx_node_rss\tstackwalk_cpu_ms\tstackwalk_rss_MiB\tx_stackwalk_cpu' +
      (before ? '\tbefore_cpu_ms\tbefore_x_node\tbefore_rss_MiB' : ''),
  );
  const ratios: number[] = [];
  for (const p of inputs) {
    const o = summary(ours.get(p)!);
    const sw = peer.get(p)!.length > 0 ? summary(peer.get(p)!) : null;
    const b = before ? summary(old.get(p)!) : null;
    ratios.push(o.cpuMs / f.cpuMs);
    console.log(
      [
        p.split('/').pop(),
        o.cpuMs.toFixed(0),
        `${(o.cpuMs / f.cpuMs).toFixed(2)}x`,
        o.rssMiB.toFixed(1),
        `${(o.rssMiB / f.rssMiB).toFixed(2)}x`,
        sw ? sw.cpuMs.toFixed(0) : '-',
        sw ? sw.rssMiB.toFixed(1) : '-',
        sw ? `${(o.cpuMs / Math.max(sw.cpuMs, 1)).toFixed(1)}x` : '-',
        ...(b ? [b.cpuMs.toFixed(0), `${(b.cpuMs / f.cpuMs).toFixed(2)}x`, b.rssMiB.toFixed(1)] : []),
      ].join('\t'),
    );
  }
  console.log(`median analyze/node CPU ratio: ${median(ratios).toFixed(2)}x (target <= 2x)`);
  const zod = (args: string[]) => zodCount(cli, args) + (before ? ` (before ${zodCount(before, args)})` : '');
  console.log(
    `zod instances built per run: analyze dump ${zod(['analyze', dumps[0]!, '--json'])}, ` +
      `analyze log ${zod(['analyze', logs[0]!, '--json'])}, list ${zod(['list', '--json'])}, ` +
      `--help ${zod(['--help'])}`,
  );
}

try {
  main();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
