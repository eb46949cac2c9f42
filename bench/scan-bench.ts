/**
 * `npm run bench:scan`: what `ctd-workbench scan` costs as the number of incidents grows
 * (issue 15: peak RSS flat in the number of incidents, <= 300 MiB at 20,000; no-change rescan
 * within 3x of stat-ing the tree; cold scan within 3x of reading every file).
 *
 * For each size (BENCH_SCAN_SIZES, default 1000,5000,20000,100000; 100,000 takes a long while
 * on 2 cores: BENCH_SCAN_SIZES=1000,5000,20000 for a quicker run) it lays out a SYNTHETIC folder
 * (bench/index-bench.ts: real fixture dumps and crash logs hard-linked under SkyrimDiag, WER and
 * crash-logger names, plus generated manifests, summaries and WCT files) and runs, each a child
 * process under GNU time: the built CLI's cold `scan` into a fresh data dir, the same `scan` again
 * with nothing changed, and the baselines in the same round: `node -e ''` (Node's own RSS),
 * `find -printf '%s %T@'` (stats every file), `find -exec cat` (reads every file) and a Node
 * process that stats every file (NODE_STAT_WALK, start-up included). The rescan is printed
 * against both stat walks: `find` is the issue's baseline; the Node walk shows what is left once
 * Node's own start (which no Node CLI can avoid, ~0.1 s here) is paid by both sides.
 * BENCH_CLI_BEFORE=<other out/main/cli.js> adds that build's cold scan and rescan to each round.
 * Prints each size's row as soon as it is measured, then the peak-RSS curve (cold and rescan,
 * MiB per size and the growth per 10,000 incidents between sizes) so flatness is visible.
 * Asserts nothing. The CLI prints every incident after a scan (to /dev/null here).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFolder } from './index-bench';
import { fixturesAvailable } from '../test/helpers/fixtures';
import { loadAverage, measure, requireGnuTime, type Cost } from './support/child-cost';

const cli = process.env.BENCH_CLI ?? join(__dirname, '..', 'out', 'main', 'cli.js');
const before = process.env.BENCH_CLI_BEFORE;
const SIZES = (process.env.BENCH_SCAN_SIZES ?? '1000,5000,20000,100000').split(',').map(Number);

/**
 * A `node` process that stats every file under argv[1] (size and mtime, like the find baseline),
 * directories first-to-last in readdir order. Plain CommonJS so it runs without tsx.
 */
const NODE_STAT_WALK =
  "const fs=require('fs'),sep=require('path').sep;let t=0;" +
  '(function walk(d){for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=d+sep+e.name;' +
  'if(e.isDirectory())walk(f);else if(e.isFile()){const s=fs.statSync(f);t+=s.size+s.mtimeMs;}}})(process.argv[1]);' +
  'if(Number.isNaN(t))process.exitCode=1;';

interface Row {
  n: number;
  files: number;
  node: Cost;
  stat: Cost;
  nodeStat: Cost;
  read: Cost;
  cold: Cost;
  warm: Cost;
  oldCold?: Cost;
  oldWarm?: Cost;
}

function scanTwice(build: string, folder: string, dataDir: string): { cold: Cost; warm: Cost } {
  mkdirSync(dataDir, { recursive: true });
  const args = [build, 'scan', folder, '--data-dir', dataDir];
  return { cold: measure(process.execPath, args), warm: measure(process.execPath, args) };
}

const mib = (c: Cost) => c.rssMiB.toFixed(0);
const sec = (c: Cost) => (c.wallMs / 1000).toFixed(2);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

const HEADER =
  'incidents\tfiles\tcold_rss_MiB (target <= 300)\tnode_rss_MiB\tcold_s\tread_all_s\tx_read (target <= 3)\trescan_s\tstat_all_s\tx_stat (target <= 3)\tnode_stat_s\tx_node_stat\trescan_rss_MiB (target <= 300)' +
  (before ? '\tbefore_cold_rss_MiB\tbefore_rescan_rss_MiB\tbefore_cold_s\tbefore_rescan_s' : '');

function rowText(r: Row): string {
  return [
    r.n,
    r.files,
    mib(r.cold),
    mib(r.node),
    sec(r.cold),
    sec(r.read),
    x(r.cold.wallMs, r.read.wallMs),
    sec(r.warm),
    sec(r.stat),
    x(r.warm.wallMs, r.stat.wallMs),
    sec(r.nodeStat),
    x(r.warm.wallMs, r.nodeStat.wallMs),
    mib(r.warm),
    ...(r.oldCold && r.oldWarm ? [mib(r.oldCold), mib(r.oldWarm), sec(r.oldCold), sec(r.oldWarm)] : []),
  ].join('\t');
}

/** "1000: 180 | 5000: 190 (+2.5/10k) | ...": peak RSS per size and its growth between sizes. */
function curve(rows: Row[], pick: (r: Row) => Cost | undefined): string {
  return rows
    .map((r, i) => {
      const c = pick(r);
      if (!c) return `${r.n}: -`;
      const prev = i > 0 ? pick(rows[i - 1]!) : undefined;
      const slope = prev
        ? ` (${((c.rssMiB - prev.rssMiB) / ((r.n - rows[i - 1]!.n) / 10_000)).toFixed(1)} MiB/10k)`
        : '';
      return `${r.n}: ${mib(c)}${slope}`;
    })
    .join(' | ');
}

function main(): void {
  requireGnuTime();
  if (!fixturesAvailable()) throw new Error('fixtures are needed (set CTD_FIXTURES)');
  console.log(`CLI: ${cli}${before ? `; before: ${before}` : ''}; load average ${loadAverage()}`);
  console.log('[synthetic folder layout around real fixture files; one run per size]');
  console.log(HEADER);
  const tmp = mkdtempSync(join(tmpdir(), 'ctd-bench-scan-'));
  const rows: Row[] = [];
  try {
    for (const n of SIZES) {
      const folder = join(tmp, `games-${n}`);
      const files = buildFolder(folder, n);
      const node = measure(process.execPath, ['-e', '']);
      const stat = measure('find', [folder, '-type', 'f', '-printf', '%s %T@\\n']);
      const read = measure('find', [folder, '-type', 'f', '-exec', 'cat', '{}', '+']);
      const nodeStat = measure(process.execPath, ['-e', NODE_STAT_WALK, folder]);
      const ours = scanTwice(cli, folder, join(tmp, `data-${n}`));
      const old = before ? scanTwice(before, folder, join(tmp, `data-before-${n}`)) : null;
      const row: Row = {
        n,
        files,
        node,
        stat,
        nodeStat,
        read,
        ...ours,
        oldCold: old?.cold,
        oldWarm: old?.warm,
      };
      rows.push(row);
      console.log(rowText(row));
      rmSync(folder, { recursive: true, force: true });
      rmSync(join(tmp, `data-${n}`), { recursive: true, force: true });
      rmSync(join(tmp, `data-before-${n}`), { recursive: true, force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`peak RSS curve, cold scan (MiB):   ${curve(rows, (r) => r.cold)}`);
  console.log(`peak RSS curve, rescan (MiB):      ${curve(rows, (r) => r.warm)}`);
  if (before) {
    console.log(`before, cold scan (MiB):           ${curve(rows, (r) => r.oldCold)}`);
    console.log(`before, rescan (MiB):              ${curve(rows, (r) => r.oldWarm)}`);
  }
  console.log(`load average at the end ${loadAverage()}`);
  console.log(
    'rescan and cold times are whole CLI runs (Node start, opening and checking the index, printing every incident); ' +
      'the find and node stat-walk baselines are whole processes too (x_stat is against find, x_node_stat against the node walk).',
  );
}

main();
