/**
 * npm run bench:timeline [logMiB=1024] [etlMiB=2048]
 * Throughput and memory of the timeline's streamed sources, each beside a baseline read of the
 * same file in the same run (the machine is shared: compare the ratio, not the MB/s):
 *  - a SYNTHETIC Papyrus-style log of `logMiB` (timestamped lines, 1 in 20 an error), generated
 *    once into .tmp/; baseline: the bare line scan every log reader uses (formats/textlog);
 *  - the SYNTHETIC kernel trace bench:etl generates (8-CPU context switches, samples with
 *    stacks, I/O), `etlMiB`; baseline: the ETW tab's own summary pass (EtlSession).
 * Each measurement runs in a fresh child process so its peak RSS is its own. Target: memory
 * bounded (peak RSS far below the file size), the timeline pass no slower than its baseline.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, join } from 'node:path';
import { EtlSession } from '../src/main/analysis/etw/session';
import { buildTimeline } from '../src/main/analysis/timeline/build';
import { FileSource } from '../src/main/formats/common/byte-source';
import { scanLines, sourceEncoding } from '../src/main/formats/textlog/read-lines';
import { ensureKernelTrace } from './etl-bench';

const ROOT = join(__dirname, '..');
const TMP = join(ROOT, '.tmp');

const MESSAGES = [
  'VM is freezing...',
  'Harvesting object in cell',
  'warning: Property Foo on script Bar attached to (FF001234) cannot be initialized because the script no longer contains that property',
  'Cannot call GetName() on a None object, aborting function call',
  'stack:\n\t[ (FF0012AB)].SmartHarvestScript.OnUpdate() - "SmartHarvest.psc" Line 42',
  'Dumping stacks',
];

/** `[MM/DD/YYYY - hh:mm:ssAM] …` lines, one per ~10 ms of game time, ending 2026-03-15 13:00:00. */
function ensureLog(mib: number): { path: string; endIso: string } {
  const path = join(TMP, `timeline-bench-papyrus-${mib}MiB.log`);
  const endIso = '2026-03-15T13:00:00.000';
  if (existsSync(path) && statSync(path).size >= mib * 1048576) return { path, endIso };
  const t0 = performance.now();
  const fd = openSync(path, 'w');
  const target = mib * 1048576;
  const lineCount = Math.ceil(target / 100);
  const end = Date.parse(`${endIso}Z`);
  const p = (n: number) => String(n).padStart(2, '0');
  let written = 0;
  let chunk: string[] = [];
  for (let i = 0; written < target; i++) {
    const d = new Date(end - (lineCount - i) * 10);
    const h = d.getUTCHours();
    const stamp = `[${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${d.getUTCFullYear()} - ${p(h % 12 || 12)}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${h < 12 ? 'AM' : 'PM'}]`;
    const msg = i % 20 === 0 ? `error: ${MESSAGES[3]}` : MESSAGES[i % MESSAGES.length]!;
    chunk.push(`${stamp} ${msg} #${i}\r\n`);
    if (chunk.length >= 50_000) {
      const b = Buffer.from(chunk.join(''), 'latin1');
      written += writeSync(fd, b);
      chunk = [];
    }
  }
  if (chunk.length) writeSync(fd, Buffer.from(chunk.join(''), 'latin1'));
  closeSync(fd);
  console.error(`generated ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { path, endIso };
}

async function measure(kind: string, path: string, capturedAt: string): Promise<void> {
  const size = statSync(path).size;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let events = 0;
  let seen = 0;
  if (kind === 'timeline-log' || kind === 'timeline-etl') {
    const role = kind === 'timeline-log' ? 'papyrus' : 'etl';
    const tl = await buildTimeline({
      incidentId: 'bench',
      kind: 'crash',
      source: 'crashlogger',
      capturedAt,
      title: 'bench',
      artifacts: [{ id: 1, role, path, name: basename(path), size, nameTime: null }],
    });
    events = tl.events.length;
    seen = tl.sources.reduce((s, x) => s + x.seen, 0);
  } else if (kind === 'baseline-log') {
    const src = new FileSource(path);
    await scanLines(src, { encoding: sourceEncoding(src), maxLineBytes: 4096 }, () => {
      seen++;
    });
    src.close();
  } else {
    const s = await EtlSession.openAsync(path);
    seen = s.summary.events;
    s.close();
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  console.log(
    JSON.stringify({
      kind,
      sizeMiB: Math.round(size / 1048576),
      ms: Math.round(ms),
      MBps: Math.round(size / 1e6 / (ms / 1000)),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      seen,
      events,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      loadAvg1m: Math.round(loadavg()[0]! * 100) / 100,
    }),
  );
}

function child(kind: string, path: string, capturedAt: string): Record<string, number> | null {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, '--measure', kind, path, capturedAt],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1024 * 1024,
    },
  );
  process.stdout.write(r.stdout);
  return r.status === 0 ? (JSON.parse(r.stdout) as Record<string, number>) : null;
}

if (process.argv[2] === '--measure') {
  void measure(process.argv[3]!, process.argv[4]!, process.argv[5]!);
} else {
  mkdirSync(TMP, { recursive: true });
  const logMiB = Number(process.argv[2] ?? 1024);
  const etlMiB = Number(process.argv[3] ?? 2048);
  const log = ensureLog(logMiB);
  const etl = ensureKernelTrace(etlMiB);
  const a = child('baseline-log', log.path, log.endIso);
  const b = child('timeline-log', log.path, log.endIso);
  // The synthetic trace starts at its writer's default StartTime; the incident sits at its end.
  const c = child('baseline-etl', etl, '2022-06-14T09:00:00.000');
  const d = child('timeline-etl', etl, '2022-06-14T09:00:00.000');
  const ratio = (x: Record<string, number> | null, y: Record<string, number> | null) =>
    x && y ? Math.round((y.ms! / x.ms!) * 100) / 100 : null;
  console.log(
    JSON.stringify({
      logTimelineVsLineScan: ratio(a, b),
      etlTimelineVsEtwSummary: ratio(c, d),
      note: 'time ratios (timeline / baseline) measured in this run; the machine may be shared',
    }),
  );
}
