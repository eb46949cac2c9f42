import { u64, utf16z, type EtlRecord } from '../../formats/etl/reader';
import { KernelGroup, WAIT_REASONS } from '../../formats/etl/schemas/kernel';
import { fileNameOf } from '../../../shared/text';

/**
 * What the kernel events say the machine was doing: processes, threads, loaded images, CPU
 * (from context switches), samples, stacks and I/O. Fed one record at a time in time order;
 * each payload is read in place with the documented classic MOF offsets (no allocation for
 * the hot events: CSwitch, samples, stacks, I/O).
 */

export interface ProcessState {
  pid: number;
  parentPid: number | null;
  name: string;
  commandLine: string | null;
  startTicks: number | null;
  endTicks: number | null;
  exitCode: number | null;
  threads: number;
  images: ImageRange[];
  events: number;
  cpuTicks: number;
  samples: number;
  /** Ticks of the first thread start seen for this process (the main thread is usually first). */
  firstThread: number | null;
}

export interface ImageRange {
  base: number;
  end: number;
  name: string;
  path: string;
  /** Cached isSystemImage answer. */
  system?: boolean;
}

export interface ThreadState {
  tid: number;
  pid: number;
  name: string | null;
  events: number;
  cpuTicks: number;
  waitTicks: number;
  readyTicks: number;
  readyCount: number;
  samples: number;
  /** When it was switched out (-1 while running or never seen). */
  outAt: number;
  /** Wait reason at that switch-out (-1 = preempted / ready, not a wait). */
  outReason: number;
  /** When a ReadyThread made it runnable after the switch-out (-1 = not yet). */
  readyAt: number;
  waitByReason: Float64Array;
  /** Per timeline bucket CPU ticks. */
  cpuSeries: Float64Array | null;
  startTicks: number | null;
  /** CPU samples by the image they landed in. */
  moduleHits?: Map<ImageRange, number>;
}

export interface StackUse {
  /** Module -> stacks it appeared in (each module counted once per stack). */
  modules: Map<string, number>;
  /** Module -> stacks where it is the innermost non-OS frame (who made the call that waits/runs). */
  callers: Map<string, number>;
  stacks: number;
}

/** Operating-system code: a frame here says how a thread waits, not why. */
export function isSystemImage(img: ImageRange): boolean {
  return img.system ?? (img.system = systemPath(img));
}

function systemPath(img: ImageRange): boolean {
  return (
    img.base >= 0x8000000000000000 ||
    /\\windows\\(system32|syswow64|winsxs)\\/i.test(img.path) ||
    /^\\SystemRoot\\/i.test(img.path)
  );
}

export interface KernelOptions {
  ticksPerSecond: number;
  startTicks: number;
  endTicks: number;
  buckets: number;
}

const STATE_WAITING = 5;
/** Samples outside every known image. */
const UNKNOWN_IMAGE: ImageRange = { base: 0, end: 0, name: 'Unknown', path: '', system: false };
const WAIT_REASON_COUNT = WAIT_REASONS.length;
// Local copies: the record loop must not go through module export accessors.
const G_THREAD = KernelGroup.Thread;
const G_PROCESS = KernelGroup.Process;
const G_IMAGE = KernelGroup.Image;
const G_PERFINFO = KernelGroup.PerfInfo;
const G_STACKWALK = KernelGroup.StackWalk;
const G_DISKIO = KernelGroup.DiskIo;
const G_FILEIO = KernelGroup.FileIo;
const G_PAGEFAULT = KernelGroup.PageFault;

function ptrAt(rec: EtlRecord, off: number): number {
  const w = rec.words;
  if (w !== null && (off & 3) === 0) {
    const i = off >>> 2;
    return rec.pointerSize === 8 ? w[i]! + w[i + 1]! * 0x100000000 : w[i]!;
  }
  return rec.pointerSize === 8 ? u64(rec.data, off) : rec.data.readUInt32LE(off);
}

/** u32 at `off`, through the aligned word view when there is one. */
function u32At(rec: EtlRecord, off: number): number {
  const w = rec.words;
  return w !== null && (off & 3) === 0 ? w[off >>> 2]! : rec.data.readUInt32LE(off);
}

function i8At(b: Buffer, off: number): number {
  return (b[off]! << 24) >> 24;
}

export class KernelModel {
  readonly processes = new Map<number, ProcessState>();
  readonly threads = new Map<number, ThreadState>();
  /** Kernel-mode images (ntoskrnl, drivers) from pid 0/4 rundowns apply to every process. */
  private readonly kernelImages: ImageRange[] = [];
  private readonly sorted = new WeakSet<ImageRange[]>();
  private readonly running: Int32Array;
  private readonly since: Float64Array;
  readonly fileNames = new Map<number, string>();
  /** I/O per file, keyed by FileKey (FileObject when the key is 0). */
  readonly fileBytes = new Map<number, { bytes: number; ops: number; fileObject: number }>();
  readonly modulePaths = new Map<string, string>();
  /** Stacks seen per thread, split by what they were taken for. */
  readonly cpuStacks = new Map<number, StackUse>();
  readonly waitStacks = new Map<number, StackUse>();
  hasKernel = false;
  cswitches = 0;
  totalSamples = 0;
  io = {
    diskReads: 0,
    diskWrites: 0,
    diskReadBytes: 0,
    diskWriteBytes: 0,
    diskTicks: 0,
    fileCreates: 0,
    fileReads: 0,
    fileWrites: 0,
    fileReadBytes: 0,
    fileWriteBytes: 0,
    hardFaults: 0,
    hardFaultBytes: 0,
  };
  readonly ioSeries: Float64Array;
  private lastSampleTs = -1;
  private lastSampleTid = -1;
  private lastSwitchTs = -1;
  private lastSwitchTid = -1;
  private lastPid = -2;
  private lastProc: ProcessState | null = null;
  private lastTid = -2;
  private lastThread: ThreadState | null = null;
  private lastImage: ImageRange | null = null;
  private lastImageList: ImageRange[] | null = null;
  private readonly bucketTicks: number;
  private readonly perTick: number;
  private readonly start: number;
  private readonly bucketCount: number;
  private readonly seenScratch: ImageRange[] = [];

  constructor(private readonly o: KernelOptions) {
    this.running = new Int32Array(1024).fill(-1);
    this.since = new Float64Array(1024);
    this.ioSeries = new Float64Array(o.buckets);
    this.bucketTicks = Math.max(1, (o.endTicks - o.startTicks) / o.buckets);
    this.perTick = 1 / this.bucketTicks;
    this.start = o.startTicks;
    this.bucketCount = o.buckets;
  }

  bucketOf(ts: number): number {
    const i = Math.floor((ts - this.start) * this.perTick);
    return i < 0 ? 0 : i >= this.bucketCount ? this.bucketCount - 1 : i;
  }

  proc(pid: number): ProcessState {
    let p = this.processes.get(pid);
    if (!p) {
      p = {
        pid,
        parentPid: null,
        name: pid === 0 ? 'Idle' : pid === 4 ? 'System' : `Process(${pid})`,
        commandLine: null,
        startTicks: null,
        endTicks: null,
        exitCode: null,
        threads: 0,
        images: [],
        events: 0,
        cpuTicks: 0,
        samples: 0,
        firstThread: null,
      };
      this.processes.set(pid, p);
    }
    return p;
  }

  thread(tid: number, pid = -1): ThreadState {
    let t = this.threads.get(tid);
    if (!t) {
      t = {
        tid,
        pid,
        name: null,
        events: 0,
        cpuTicks: 0,
        waitTicks: 0,
        readyTicks: 0,
        readyCount: 0,
        samples: 0,
        outAt: -1,
        outReason: -1,
        readyAt: -1,
        waitByReason: new Float64Array(WAIT_REASON_COUNT + 1),
        cpuSeries: null,
        startTicks: null,
      };
      this.threads.set(tid, t);
    } else if (pid >= 0 && t.pid < 0) t.pid = pid;
    return t;
  }

  /** Every record: per-process/thread event counts; kernel records are decoded. */
  add(rec: EtlRecord): void {
    this.countOwner(rec);
    if (rec.group >= 0) this.kernelRecord(rec);
  }

  /** Events per process and thread (the last ones are kept: records come in runs per thread). */
  private countOwner(rec: EtlRecord): void {
    const pid = rec.pid;
    if (pid >= 0 && pid !== 0xffffffff) {
      if (pid !== this.lastPid || !this.lastProc) {
        this.lastProc = this.proc(pid);
        this.lastPid = pid;
      }
      this.lastProc.events++;
    }
    const tid = rec.tid;
    if (tid > 0 && tid !== 0xffffffff) {
      if (tid !== this.lastTid || !this.lastThread) {
        this.lastThread = this.thread(tid, pid);
        this.lastTid = tid;
      }
      this.lastThread.events++;
    }
  }

  /** Dispatches a classic kernel record to its group's decoder by group and opcode. */
  private kernelRecord(rec: EtlRecord): void {
    const end = rec.payloadEnd;
    const p = rec.payloadOffset;
    const b = rec.data;
    switch (rec.group) {
      case G_THREAD:
        return this.threadGroup(rec, b, p, end);
      case G_PROCESS:
        if ((rec.opcode >= 1 && rec.opcode <= 4) || rec.opcode === 39) this.processEvent(rec, b, p, end);
        return;
      case G_IMAGE:
        if (rec.opcode === 10 || rec.opcode === 3 || rec.opcode === 4 || rec.opcode === 2)
          this.imageEvent(rec, b, p, end);
        return;
      case G_PERFINFO:
        if (rec.opcode === 46 && end - p >= rec.pointerSize + 4)
          this.sample(rec, ptrAt(rec, p), u32At(rec, p + rec.pointerSize));
        return;
      case G_STACKWALK:
        if (rec.opcode === 32 && end - p >= 16) this.stack(rec, b, p, end);
        return;
      case G_DISKIO:
        if ((rec.opcode === 10 || rec.opcode === 11) && end - p >= 24 + 3 * rec.pointerSize)
          this.disk(rec, b, p);
        return;
      case G_FILEIO:
        this.fileEvent(rec, b, p, end);
        return;
      case G_PAGEFAULT:
        if (rec.opcode === 32 && end - p >= 24 + 2 * rec.pointerSize) this.hardFault(rec, b, p);
        return;
    }
  }

  /** Thread group: context switches, ready events, thread start/end/rundown and thread names. */
  private threadGroup(rec: EtlRecord, b: Buffer, p: number, end: number): void {
    if (rec.opcode === 36 && end - p >= 24) return this.cswitch(rec, b, p);
    if (rec.opcode === 50 && end - p >= 4) return this.ready(rec, u32At(rec, p));
    if (rec.opcode >= 1 && rec.opcode <= 4 && end - p >= 8) return this.threadEvent(rec, b, p);
    if (rec.opcode === 72 && end - p >= 8) {
      this.hasKernel = true;
      const t = this.thread(b.readUInt32LE(p + 4), b.readUInt32LE(p));
      t.name = utf16z(b, p + 8, end).text || t.name;
    }
  }

  private hardFault(rec: EtlRecord, b: Buffer, p: number): void {
    this.hasKernel = true;
    this.io.hardFaults++;
    const bytes = b.readUInt32LE(p + 16 + 2 * rec.pointerSize + 4);
    this.io.hardFaultBytes += bytes;
    this.ioSeries[this.bucketOf(rec.timestamp)]! += bytes;
  }

  private addCpu(t: ThreadState, from: number, to: number): void {
    if (to <= from) return;
    t.cpuTicks += to - from;
    if (t.pid >= 0) this.proc(t.pid).cpuTicks += to - from;
    const series = (t.cpuSeries ??= new Float64Array(this.o.buckets));
    let a = from;
    while (a < to) {
      const i = this.bucketOf(a);
      const bucketEnd = i === this.o.buckets - 1 ? to : this.o.startTicks + (i + 1) * this.bucketTicks;
      const e = Math.min(to, Math.max(bucketEnd, a + 1));
      series[i]! += e - a;
      a = e;
    }
  }

  private cswitch(rec: EtlRecord, b: Buffer, p: number): void {
    this.hasKernel = true;
    this.cswitches++;
    const ts = rec.timestamp;
    const cpu = rec.cpu & 1023;
    const newTid = u32At(rec, p);
    const oldTid = u32At(rec, p + 4);
    const reason = i8At(b, p + 12);
    const state = i8At(b, p + 14);
    // The outgoing thread ran from its switch-in on this CPU (or the trace start) until now.
    if (oldTid !== 0) {
      const old = this.thread(oldTid);
      const was = this.running[cpu];
      // First switch seen on this CPU: the thread had been running since the trace started.
      const from = was === oldTid ? this.since[cpu]! : was === -1 && old.outAt < 0 ? this.o.startTicks : ts;
      this.addCpu(old, from, ts);
      old.outAt = ts;
      old.outReason = state === STATE_WAITING && reason >= 0 && reason < WAIT_REASON_COUNT ? reason : -1;
      old.readyAt = -1;
    }
    if (newTid !== 0) {
      const nt = this.thread(newTid);
      this.endWait(nt, ts);
      this.lastSwitchTs = ts;
      this.lastSwitchTid = newTid;
    }
    this.running[cpu] = newTid;
    this.since[cpu] = ts;
  }

  /** Closes a thread's off-CPU interval at `ts`: waiting until readied, then ready until run. */
  private endWait(t: ThreadState, ts: number): void {
    if (t.outAt < 0) return;
    const readyFrom = t.readyAt >= t.outAt ? t.readyAt : ts;
    if (t.outReason >= 0) {
      const waited = readyFrom - t.outAt;
      t.waitTicks += waited;
      t.waitByReason[t.outReason]! += waited;
      t.readyTicks += ts - readyFrom;
    } else t.readyTicks += ts - t.outAt;
    t.outAt = -1;
    t.readyAt = -1;
  }

  private ready(rec: EtlRecord, tid: number): void {
    this.hasKernel = true;
    const t = this.thread(tid);
    t.readyCount++;
    if (t.outAt >= 0 && t.readyAt < 0) t.readyAt = rec.timestamp;
  }

  private threadEvent(rec: EtlRecord, b: Buffer, p: number): void {
    this.hasKernel = true;
    const pid = b.readUInt32LE(p);
    const tid = b.readUInt32LE(p + 4);
    const t = this.thread(tid, pid);
    t.pid = pid;
    const proc = this.proc(pid);
    if (rec.opcode === 1 || rec.opcode === 3) {
      proc.threads++;
      if (t.startTicks === null) t.startTicks = rec.timestamp;
      if (proc.firstThread === null) proc.firstThread = tid;
    }
  }

  private processEvent(rec: EtlRecord, b: Buffer, p: number, end: number): void {
    const ps = rec.pointerSize;
    if (end - p < ps + 16) return;
    this.hasKernel = true;
    const pid = b.readUInt32LE(p + ps);
    const ppid = b.readUInt32LE(p + ps + 4);
    const exit = b.readInt32LE(p + ps + 12);
    let q = p + ps + 16 + ps;
    if (rec.version >= 4) q += 4;
    // UserSID: 4 zero bytes, or a TOKEN_USER (two pointers) followed by the SID.
    if (q + 4 > end) return;
    if (b.readUInt32LE(q) === 0) q += 4;
    else {
      if (q + 2 * ps + 8 > end) return;
      q += 2 * ps + 8 + 4 * b[q + 2 * ps + 1]!;
    }
    if (q > end) return;
    const z = b.indexOf(0, q);
    const nameEnd = z < 0 || z >= end ? end : z;
    const image = b.toString('latin1', q, nameEnd);
    const cmd = utf16z(b, Math.min(end, nameEnd + 1), end).text;
    const proc = this.proc(pid);
    proc.parentPid = ppid;
    if (image) proc.name = image;
    if (cmd) proc.commandLine = cmd;
    if (rec.opcode === 1) proc.startTicks = rec.timestamp;
    if (rec.opcode === 2) {
      proc.endTicks = rec.timestamp;
      proc.exitCode = exit;
    }
  }

  private imageEvent(rec: EtlRecord, b: Buffer, p: number, end: number): void {
    const ps = rec.pointerSize;
    const fixed = 2 * ps + 16 + ps + 16;
    if (end - p < fixed) return;
    this.hasKernel = true;
    const base = ptrAt(rec, p);
    const size = ptrAt(rec, p + ps);
    const pid = b.readUInt32LE(p + 2 * ps);
    const path = utf16z(b, p + fixed, end).text;
    if (rec.opcode === 2) return;
    const img: ImageRange = { base, end: base + size, name: fileNameOf(path), path };
    const list = pid === 0 || base >= 0x8000000000000000 ? this.kernelImages : this.proc(pid).images;
    list.push(img);
    this.sorted.delete(list);
  }

  /** Image containing `ip` in `pid` (kernel images for kernel addresses). */
  moduleOf(pid: number, ip: number): ImageRange | null {
    const list = ip >= 0x8000000000000000 ? this.kernelImages : this.proc(pid).images;
    if (list.length === 0) return null;
    const last = this.lastImage;
    if (last && this.lastImageList === list && ip >= last.base && ip < last.end) return last;
    if (!this.sorted.has(list)) {
      list.sort((a, b) => a.base - b.base);
      this.sorted.add(list);
    }
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid]!;
      if (ip < m.base) hi = mid - 1;
      else if (ip >= m.end) lo = mid + 1;
      else {
        this.lastImage = m;
        this.lastImageList = list;
        if (!this.modulePaths.has(m.name)) this.modulePaths.set(m.name, m.path);
        return m;
      }
    }
    return null;
  }

  private sample(rec: EtlRecord, ip: number, tid: number): void {
    this.hasKernel = true;
    this.totalSamples++;
    const t = this.thread(tid);
    t.samples++;
    this.lastSampleTs = rec.timestamp;
    this.lastSampleTid = tid;
    if (t.pid < 0) return;
    const proc = t.pid === this.lastPid && this.lastProc ? this.lastProc : this.proc(t.pid);
    proc.samples++;
    // Counted per thread and image object (identity keys); names are summed once at the end.
    const m = this.moduleOf(t.pid, ip) ?? UNKNOWN_IMAGE;
    const hits = (t.moduleHits ??= new Map());
    hits.set(m, (hits.get(m) ?? 0) + 1);
  }

  /** Samples per module name over the given threads (all threads when omitted). */
  moduleSamplesOf(filter?: (t: ThreadState) => boolean): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.threads.values()) {
      if (!t.moduleHits || (filter && !filter(t))) continue;
      for (const [img, n] of t.moduleHits) out.set(img.name, (out.get(img.name) ?? 0) + n);
    }
    return out;
  }

  private stack(rec: EtlRecord, b: Buffer, p: number, end: number): void {
    this.hasKernel = true;
    const eventTs = u32At(rec, p) + u32At(rec, p + 4) * 0x100000000;
    const pid = u32At(rec, p + 8);
    const tid = u32At(rec, p + 12);
    // A stack belongs to the event with the same timestamp on the same thread.
    const kind =
      this.lastSampleTid === tid && this.lastSampleTs === eventTs
        ? this.cpuStacks
        : this.lastSwitchTid === tid && this.lastSwitchTs === eventTs
          ? this.waitStacks
          : null;
    if (!kind) return;
    let use = kind.get(tid);
    if (!use) kind.set(tid, (use = { modules: new Map(), callers: new Map(), stacks: 0 }));
    use.stacks++;
    const seen = this.seenScratch;
    seen.length = 0;
    const ps = rec.pointerSize;
    let caller = false;
    for (let q = p + 16, frames = 0; q + ps <= end && frames < 256; q += ps, frames++) {
      const m = this.moduleOf(pid, ptrAt(rec, q));
      if (!m || seen.includes(m)) continue;
      seen.push(m);
      if (!caller && !isSystemImage(m)) {
        caller = true;
        use.callers.set(m.name, (use.callers.get(m.name) ?? 0) + 1);
        // CPU stacks only need who called; wait stacks list every module they pass through.
        if (kind === this.cpuStacks) break;
      }
      if (kind === this.waitStacks) use.modules.set(m.name, (use.modules.get(m.name) ?? 0) + 1);
    }
  }

  private disk(rec: EtlRecord, b: Buffer, p: number): void {
    this.hasKernel = true;
    const ps = rec.pointerSize;
    const bytes = b.readUInt32LE(p + 8);
    const response = u64(b, p + 24 + 2 * ps);
    if (rec.opcode === 10) {
      this.io.diskReads++;
      this.io.diskReadBytes += bytes;
    } else {
      this.io.diskWrites++;
      this.io.diskWriteBytes += bytes;
    }
    this.io.diskTicks += response;
    this.ioSeries[this.bucketOf(rec.timestamp)]! += bytes;
  }

  private fileEvent(rec: EtlRecord, b: Buffer, p: number, end: number): void {
    const ps = rec.pointerSize;
    const op = rec.opcode;
    if (op === 0 || op === 32 || op === 35 || op === 36) {
      if (end - p < ps) return;
      this.hasKernel = true;
      const fo = ptrAt(rec, p);
      const name = utf16z(b, p + ps, end).text;
      if (name && this.fileNames.size < 200_000) this.fileNames.set(fo, name);
      return;
    }
    if (op === 64) {
      if (end - p < 2 * ps + 16) return;
      this.hasKernel = true;
      this.io.fileCreates++;
      const fo = ptrAt(rec, p + ps);
      const name = utf16z(b, p + 2 * ps + 16, end).text;
      if (name && this.fileNames.size < 200_000) this.fileNames.set(fo, name);
      return;
    }
    if ((op === 67 || op === 68) && end - p >= 8 + 3 * ps + 8) {
      this.hasKernel = true;
      const fo = ptrAt(rec, p + 8 + ps);
      // Since Windows 8 the FileIo Name/Rundown events carry the FileKey: key totals by it.
      const key = ptrAt(rec, p + 8 + 2 * ps) || fo;
      const size = b.readUInt32LE(p + 8 + 3 * ps + 4);
      if (op === 67) {
        this.io.fileReads++;
        this.io.fileReadBytes += size;
      } else {
        this.io.fileWrites++;
        this.io.fileWriteBytes += size;
      }
      let f = this.fileBytes.get(key);
      if (!f) {
        if (this.fileBytes.size >= 200_000) return;
        this.fileBytes.set(key, (f = { bytes: 0, ops: 0, fileObject: fo }));
      }
      f.bytes += size;
      f.ops++;
    }
  }

  /** Closes open intervals at the end of the trace (a hung thread waits until the very end). */
  finish(endTicks: number): void {
    for (let cpu = 0; cpu < this.running.length; cpu++) {
      const tid = this.running[cpu]!;
      if (tid > 0) {
        this.addCpu(this.thread(tid), this.since[cpu]!, endTicks);
        this.running[cpu] = -1;
      }
    }
    for (const t of this.threads.values()) if (t.outAt >= 0) this.endWait(t, endTicks);
  }
}
