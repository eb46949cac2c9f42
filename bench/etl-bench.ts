/**
 * npm run bench:etl [sizeMiB=2048]
 * Throughput and memory of the ETL reader + summary (one time-ordered pass: buffer table,
 * k-way merge, catalog, page index, kernel model, summary), then a deep filtered page and a raw
 * event decode. Inputs, generated once into .tmp/ (reused while the size matches):
 *  - a SYNTHETIC kernel trace of `sizeMiB` (an 8-CPU segment of context switches, samples with
 *    stacks, ready-thread, disk/file I/O and page faults, repeated with shifted timestamps);
 *  - 256 MiB of REAL fixture buffers repeated (TraceLogging, CLR and header events).
 * Each measurement runs in a fresh child process so peak RSS is the reader's alone.
 * Targets: >= 200 MB/s, memory bounded (peak RSS far below the trace size).
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  writeSync,
} from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { EtlSession } from '../src/main/analysis/etw/session';
import { BUFFER_HEADER_SIZE } from '../src/main/formats/etl/constants';
import { decodeRecordAt, EtlRecord } from '../src/main/formats/etl/reader';
import { EtlWriter, Hook, Kernel } from '../test/helpers/etl-writer';
import { real } from '../test/helpers/fixtures';

const ROOT = join(__dirname, '..');
const TMP = join(ROOT, '.tmp');

function measure(path: string): void {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = EtlSession.open(path);
  const passMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const size = statSync(path).size;
  const typeIds = s.typeIdsFor(null, s.summary.types[Math.min(2, s.summary.types.length - 1)]?.event ?? null);
  const t1 = performance.now();
  const page = s.page({ typeIds, pid: null }, Math.floor((s.summary.types[2]?.count ?? 0) / 2), 200);
  const pageMs = performance.now() - t1;
  const t2 = performance.now();
  const detail = page.rows[0] ? s.event(page.rows[0].position) : null;
  const eventMs = performance.now() - t2;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      file: path,
      sizeMiB: Math.round(size / 1048576),
      events: s.summary.events,
      passMs: Math.round(passMs),
      MBps: Math.round(size / 1e6 / (passMs / 1000)),
      MiBps: Math.round(size / 1048576 / (passMs / 1000)),
      // CPU time of the pass: what a core that is not shared with other work would take.
      cpuMs: Math.round(cpuMs),
      MBpsPerCpu: Math.round(size / 1e6 / (cpuMs / 1000)),
      loadAvg1m: Math.round(loadavg()[0]! * 100) / 100,
      eventsPerSec: Math.round(s.summary.events / (passMs / 1000)),
      bytesPerEvent: Math.round(size / Math.max(1, s.summary.events)),
      deepPageMs: Math.round(pageMs * 10) / 10,
      rawEventMs: Math.round(eventMs * 10) / 10,
      decoded: detail?.decodedBy ?? null,
      indexMiB: Math.round((s.index.memoryBytes / 1048576) * 10) / 10,
      peakRssMiB: Math.round(rss),
      problems: s.summary.problemCount,
      focus: s.summary.focusProcess?.name ?? null,
    }),
  );
  s.close();
}

/**
 * An 8-CPU kernel workload of `ms` milliseconds: 4 processes, 40 threads. The mix follows what
 * a WPR CPU profile records: context switches and ready-thread (compact headers), 1 kHz-style
 * samples each followed by its stack walk (8 to 40 frames), disk/file I/O and hard faults.
 */
function kernelSegment(ms: number): { buffers: Buffer[]; ticks: number } {
  const buffers: Buffer[] = [];
  const w = new EtlWriter({ cpus: 8, onBuffer: (b) => buffers.push(Buffer.from(b)) });
  const procs = [1000, 2000, 3000, 4000];
  const names = ['SkyrimSE.exe', 'Discord.exe', 'chrome.exe', 'svchost.exe'];
  const images = [0x140000000, 0x7ffa10000000, 0x7ffa20000000, 0x7ffa30000000];
  const t0 = w.ts(0.001);
  procs.forEach((pid, i) => {
    w.system(
      0,
      ...Hook.ProcessDCStart,
      4,
      4,
      8,
      t0,
      Kernel.process({ pid, ppid: 4, image: names[i]!, commandLine: names[i]! }),
    );
    for (let t = 0; t < 10; t++)
      w.system(0, ...Hook.ThreadDCStart, 3, 4, 8, t0, Kernel.thread({ pid, tid: pid + 4 + t * 4 }));
    images.forEach((base, k) =>
      w.system(
        0,
        ...Hook.ImageDCStart,
        3,
        4,
        8,
        t0,
        Kernel.image({ pid, base, size: 0x1000000, path: `C:\\Games\\bin\\module${k}.dll` }),
      ),
    );
  });
  const tids = procs.flatMap((pid) => Array.from({ length: 10 }, (_, t) => ({ pid, tid: pid + 4 + t * 4 })));
  const running = Array.from({ length: 8 }, () => 0);
  let n = 0;
  for (let us = 10; us < ms * 1000; us += 25) {
    const cpu = n % 8;
    const ts = w.ts(us / 1000);
    const next = tids[(n * 7) % tids.length]!;
    const kind = n % 16;
    if (kind < 7) {
      w.compact(
        cpu,
        ...Hook.CSwitch,
        2,
        next.pid,
        next.tid,
        ts,
        Kernel.cswitch({ newTid: next.tid, oldTid: running[cpu]!, waitReason: n % 38, oldState: 5 }),
      );
      running[cpu] = next.tid;
    } else if (kind < 11) {
      const ip = images[n % 4]! + 0x1000 + (n % 4096);
      w.perfinfo(cpu, ...Hook.Sample, ts, Kernel.sample(ip, running[cpu] || next.tid));
      const depth = 8 + ((n * 13) % 33);
      const frames = [
        ip,
        ...Array.from({ length: depth - 1 }, (_, f) => images[(n + f) % 4]! + 0x100 * (f + 1) + (n % 64)),
      ];
      w.system(
        cpu,
        ...Hook.Stack,
        2,
        next.pid,
        running[cpu] || next.tid,
        ts,
        Kernel.stack(ts, next.pid, running[cpu] || next.tid, frames),
      );
    } else if (kind < 13)
      w.compact(
        cpu,
        ...Hook.ReadyThread,
        2,
        next.pid,
        next.tid,
        ts,
        Kernel.readyThread(tids[(n * 3) % tids.length]!.tid),
      );
    else if (kind === 13)
      w.system(
        cpu,
        ...Hook.DiskRead,
        3,
        next.pid,
        next.tid,
        ts,
        Kernel.diskIo({
          bytes: 65536,
          offset: n * 4096,
          fileObject: 0xffffc00000001000 + (n % 64) * 0x100,
          responseTicks: 2000,
          tid: next.tid,
        }),
      );
    else if (kind === 14)
      w.system(
        cpu,
        ...Hook.FileRead,
        2,
        next.pid,
        next.tid,
        ts,
        Kernel.fileRw({
          offset: n * 4096,
          fileObject: 0xffffc00000001000 + (n % 64) * 0x100,
          tid: next.tid,
          size: 4096,
        }),
      );
    else
      w.system(
        cpu,
        ...Hook.HardFault,
        2,
        next.pid,
        next.tid,
        ts,
        Kernel.hardFault({
          fileObject: 0xffffc00000001000,
          tid: next.tid,
          bytes: 4096,
          va: images[0]! + n * 4096,
        }),
      );
    n++;
  }
  w.finish(ms);
  return { buffers, ticks: w.ts(ms) - w.ts(0) };
}

/** Shifts every timestamp of a (copied) buffer by `delta` ticks: header, records, stack-walk payloads. */
function shifted(buf: Buffer, delta: number): Buffer {
  const b = Buffer.from(buf);
  const add64 = (off: number) => {
    const v = b.readUInt32LE(off) + b.readUInt32LE(off + 4) * 0x100000000 + delta;
    b.writeUInt32LE((v % 0x100000000) >>> 0, off);
    b.writeUInt32LE(Math.floor(v / 0x100000000) >>> 0, off + 4);
  };
  add64(0x10);
  const end = b.readUInt32LE(0x30);
  const rec = new EtlRecord();
  for (let off = BUFFER_HEADER_SIZE; off + 8 <= end;) {
    if (b.readUInt32LE(off) === 0xffffffff) break;
    const size = decodeRecordAt(b, off, end, rec);
    if (typeof size === 'string') break;
    add64(off + (rec.kind === 'perfinfo' ? 8 : 16));
    if (rec.group === 0x18) add64(rec.payloadOffset);
    off += (size + 7) & ~7;
  }
  return b;
}

function writeRepeated(
  path: string,
  targetBytes: number,
  header: Buffer,
  segment: Buffer[],
  segmentTicks: number,
): void {
  const fd = openSync(path, 'w');
  try {
    let written = writeSync(fd, header);
    for (let k = 0; written < targetBytes; k++)
      for (const b of segment) {
        if (written >= targetBytes) break;
        written += writeSync(fd, k === 0 ? b : shifted(b, k * segmentTicks));
      }
  } finally {
    closeSync(fd);
  }
}

/** The synthetic kernel trace of `mib` MiB in .tmp/ (generated once); the timeline bench reads it too. */
export function ensureKernelTrace(mib: number): string {
  const path = join(TMP, `etl-bench-kernel-v2-${mib}MiB.etl`);
  if (existsSync(path) && statSync(path).size >= mib * 1048576) return path;
  const t0 = performance.now();
  const seg = kernelSegment(400);
  const [header, ...body] = seg.buffers;
  writeRepeated(path, mib * 1048576, header!, body, seg.ticks);
  console.error(
    `generated ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s (segment ${body.length} buffers)`,
  );
  return path;
}

function ensureRealTrace(mib: number): string | null {
  const dir = real('etl');
  if (!existsSync(dir)) return null;
  const path = join(TMP, `etl-bench-real-${mib}MiB.etl`);
  if (existsSync(path) && statSync(path).size >= mib * 1048576) return path;
  // The 64 KiB, uncompressed real traces: their first buffer is the header, the rest is repeated.
  const files = readdirSync(dir)
    .filter((f) => /^(AMSITrace|gcevents)\.etl$/.test(f))
    .map((f) => readFileSync(join(dir, f)));
  const header = files[0]!.subarray(0, 65536);
  const body: Buffer[] = [];
  for (const f of files)
    for (let off = 65536; off + 65536 <= f.length; off += 65536) body.push(f.subarray(off, off + 65536));
  writeRepeated(path, mib * 1048576, header, body, 10_000_000);
  return path;
}

if (require.main !== module) {
  // Imported for its generator (bench/timeline-bench.ts): nothing to run.
} else if (process.argv[2] === '--measure') measure(process.argv[3]!);
else {
  mkdirSync(TMP, { recursive: true });
  const mib = Number(process.argv[2] ?? 2048);
  const inputs = [ensureKernelTrace(mib), ensureRealTrace(256)].filter((p): p is string => !!p);
  for (const path of inputs) {
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, '--measure', path], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.exitCode = 1;
  }
}
