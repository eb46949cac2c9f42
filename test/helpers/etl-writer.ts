import { guidBytes } from '../../src/main/formats/etl/guid';

/**
 * SYNTHETIC ETL writer for tests and benchmarks. No real fixture has kernel events (process,
 * thread, CSwitch, samples, disk/file I/O), so this writes them in the documented classic
 * kernel layouts (WMI_BUFFER_HEADER, SYSTEM_TRACE_HEADER, PERFINFO_TRACE_HEADER, the MOF
 * classes Process_V4, Thread_V3, CSwitch, ReadyThread, Image_Load, SampledProfile,
 * StackWalk_Event, DiskIo_TypeGroup1, FileIo_*, PageFault_HardFault), with per-processor
 * buffers flushed as they fill, like the real logger. Traces written here are not real data.
 */
export interface WriterOptions {
  bufferSize?: number;
  cpus?: number;
  perfFreq?: number;
  /** FILETIME of the session start. */
  startFiletime?: bigint;
  /** QPC value of the header event. */
  startQpc?: number;
  loggerName?: string;
  onBuffer?: (buf: Buffer) => void;
}

const FLAG_PROC_INDEX = 0x20;

/** cpu, group, opcode, version, pid, tid, timestamp, payload of a classic kernel record. */
type ClassicRecord = [
  cpu: number,
  group: number,
  opcode: number,
  version: number,
  pid: number,
  tid: number,
  ts: number,
  payload: Buffer,
];

export class EtlWriter {
  readonly bufferSize: number;
  readonly cpus: number;
  readonly perfFreq: number;
  readonly startQpc: number;
  private readonly out: Buffer[] = [];
  private readonly cur: Buffer[];
  private readonly used: number[];
  private seq = 0;
  bytesWritten = 0;

  constructor(private readonly opts: WriterOptions = {}) {
    this.bufferSize = opts.bufferSize ?? 64 * 1024;
    this.cpus = opts.cpus ?? 4;
    this.perfFreq = opts.perfFreq ?? 10_000_000;
    this.startQpc = opts.startQpc ?? 1_000_000_000;
    this.cur = Array.from({ length: this.cpus }, () => Buffer.alloc(0));
    this.used = Array.from({ length: this.cpus }, () => 0);
    this.writeHeaderBuffer();
  }

  /** Milliseconds after the header event, as a QPC timestamp. */
  ts(ms: number): number {
    return Math.round(this.startQpc + (ms * this.perfFreq) / 1000);
  }

  private emit(buf: Buffer): void {
    this.bytesWritten += buf.length;
    if (this.opts.onBuffer) this.opts.onBuffer(buf);
    else this.out.push(buf);
  }

  private bufferHeader(b: Buffer, cpu: number, used: number, type: number, ts: number): void {
    b.writeUInt32LE(this.bufferSize, 0);
    b.writeUInt32LE(used, 4);
    b.writeUInt32LE(used, 8);
    b.writeUInt32LE(0, 12);
    writeU64(b, 0x10, ts);
    writeU64(b, 0x18, this.seq++);
    b.writeUInt16LE(cpu, 0x28);
    b.writeUInt16LE(0x21, 0x2a);
    b.writeUInt32LE(3, 0x2c);
    b.writeUInt32LE(used, 0x30);
    b.writeUInt16LE(FLAG_PROC_INDEX, 0x34);
    b.writeUInt16LE(type, 0x36);
  }

  private writeHeaderBuffer(): void {
    const b = Buffer.alloc(this.bufferSize, 0xff);
    const name = Buffer.from(`${this.opts.loggerName ?? 'Synthetic Kernel Logger'}\0`, 'utf16le');
    const file = Buffer.from('C:\\synthetic\\kernel.etl\0', 'utf16le');
    const payload = Buffer.alloc(280 + name.length + file.length);
    payload.writeUInt32LE(this.bufferSize, 0);
    payload.writeUInt32LE(0x0501000a, 4);
    payload.writeUInt32LE(19045, 8);
    payload.writeUInt32LE(this.cpus, 12);
    payload.writeUInt32LE(156250, 24);
    payload.writeUInt32LE(1, 40); // StartBuffers
    payload.writeUInt32LE(8, 44); // PointerSize
    payload.writeUInt32LE(3000, 52);
    payload.writeInt32LE(0, 72); // TimeZone.Bias
    const start = this.opts.startFiletime ?? 133_000_000_000_000_000n;
    payload.writeBigUInt64LE(start - 36_000_000_000n, 248); // BootTime
    writeU64(payload, 256, this.perfFreq);
    payload.writeBigUInt64LE(start, 264);
    payload.writeUInt32LE(1, 272); // ReservedFlags: QPC clock
    name.copy(payload, 280);
    file.copy(payload, 280 + name.length);
    let off = 0x48;
    off = putSystem(b, off, false, [0, 0, 0, 2, 4, 8, this.startQpc, payload]);
    this.bufferHeader(b, 0, off, 4, this.startQpc);
    this.emit(b);
  }

  private room(cpu: number, size: number, ts: number): [Buffer, number] {
    const aligned = (size + 7) & ~7;
    if (aligned > this.bufferSize - 0x48) throw new Error(`record of ${size} bytes does not fit a buffer`);
    let b = this.cur[cpu]!;
    if (b.length === 0 || this.used[cpu]! + aligned > this.bufferSize) {
      if (b.length) this.flush(cpu, ts);
      b = this.cur[cpu] = Buffer.alloc(this.bufferSize, 0xff);
      this.used[cpu] = 0x48;
    }
    const off = this.used[cpu]!;
    this.used[cpu] = off + aligned;
    return [b, off];
  }

  private flush(cpu: number, ts: number): void {
    const b = this.cur[cpu]!;
    if (!b.length) return;
    this.bufferHeader(b, cpu, this.used[cpu]!, 0, ts);
    this.emit(b);
    this.cur[cpu] = Buffer.alloc(0);
  }

  /** A SYSTEM_TRACE_HEADER (64-bit) kernel record. */
  system(...a: ClassicRecord): void {
    this.classic(false, ...a);
  }

  /** A compact SYSTEM_TRACE_HEADER (24 bytes, no CPU times): how the kernel logs CSwitch and ReadyThread. */
  compact(...a: ClassicRecord): void {
    this.classic(true, ...a);
  }

  private classic(
    compact: boolean,
    ...[cpu, group, opcode, version, pid, tid, ts, payload]: ClassicRecord
  ): void {
    const [b, off] = this.room(cpu, (compact ? 24 : 32) + payload.length, ts);
    putSystem(b, off, compact, [cpu, group, opcode, version, pid, tid, ts, payload]);
  }

  /** A PERFINFO_TRACE_HEADER (64-bit) record (samples, ISRs: no pid/tid in the header). */
  perfinfo(cpu: number, group: number, opcode: number, ts: number, payload: Buffer): void {
    const [b, off] = this.room(cpu, 16 + payload.length, ts);
    b.writeUInt16LE(2, off);
    b[off + 2] = 0x11;
    b[off + 3] = 0xc0;
    b.writeUInt16LE(16 + payload.length, off + 4);
    b[off + 6] = opcode;
    b[off + 7] = group;
    writeU64(b, off + 8, ts);
    payload.copy(b, off + 16);
  }

  /** An EVENT_HEADER (64-bit) record with optional extended items. */
  event(
    cpu: number,
    e: {
      provider: string;
      id: number;
      version?: number;
      opcode?: number;
      level?: number;
      task?: number;
      pid: number;
      tid: number;
      ts: number;
    },
    payload: Buffer,
    ext: { type: number; data: Buffer }[] = [],
  ): void {
    const extBytes = ext.reduce((s, x) => s + ((8 + x.data.length + 7) & ~7), 0);
    const size = 80 + extBytes + payload.length;
    const [b, off] = this.room(cpu, size, e.ts);
    b.writeUInt16LE(size, off);
    b[off + 2] = 0x13;
    b[off + 3] = 0xc0;
    b.writeUInt16LE((ext.length ? 1 : 0) | 0x40, off + 4);
    b.writeUInt16LE(0, off + 6);
    b.writeUInt32LE(e.tid, off + 8);
    b.writeUInt32LE(e.pid, off + 12);
    writeU64(b, off + 16, e.ts);
    guidBytes(e.provider).copy(b, off + 24);
    b.writeUInt16LE(e.id, off + 40);
    b[off + 42] = e.version ?? 0;
    b[off + 43] = 0;
    b[off + 44] = e.level ?? 4;
    b[off + 45] = e.opcode ?? 0;
    b.writeUInt16LE(e.task ?? 0, off + 46);
    b.fill(0, off + 48, off + 80);
    let p = off + 80;
    ext.forEach((x, i) => {
      const item = (8 + x.data.length + 7) & ~7;
      b.writeUInt16LE(item, p);
      b.writeUInt16LE(x.type, p + 2);
      b.writeUInt16LE(i < ext.length - 1 ? 1 : 0, p + 4);
      b.writeUInt16LE(x.data.length, p + 6);
      x.data.copy(b, p + 8);
      b.fill(0, p + 8 + x.data.length, p + item);
      p += item;
    });
    payload.copy(b, p);
  }

  /** Flushes every processor's buffer; returns the whole file when no onBuffer sink was given. */
  finish(endMs = 0): Buffer {
    for (let c = 0; c < this.cpus; c++) this.flush(c, this.ts(endMs));
    return Buffer.concat(this.out);
  }
}

function writeU64(b: Buffer, off: number, v: number): void {
  b.writeUInt32LE((v % 0x100000000) >>> 0, off);
  b.writeUInt32LE(Math.floor(v / 0x100000000) >>> 0, off + 4);
}

function putSystem(
  b: Buffer,
  off: number,
  compact: boolean,
  [, group, opcode, version, pid, tid, ts, payload]: ClassicRecord,
): number {
  const header = compact ? 24 : 32;
  const size = header + payload.length;
  b.writeUInt16LE(version, off);
  b[off + 2] = compact ? 0x04 : 0x02;
  b[off + 3] = 0xc0;
  b.writeUInt16LE(size, off + 4);
  b[off + 6] = opcode;
  b[off + 7] = group;
  b.writeUInt32LE(tid, off + 8);
  b.writeUInt32LE(pid, off + 12);
  writeU64(b, off + 16, ts);
  if (!compact) b.fill(0, off + 24, off + 32);
  payload.copy(b, off + header);
  return off + ((size + 7) & ~7);
}

/** Payload builders for the classic kernel MOF classes (64-bit layouts). */
const w16 = (s: string) => Buffer.from(`${s}\0`, 'utf16le');
const u32 = (...v: number[]) => {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32LE(x >>> 0, i * 4));
  return b;
};
const u64 = (...v: number[]) => {
  const b = Buffer.alloc(8 * v.length);
  v.forEach((x, i) => writeU64(b, i * 8, x));
  return b;
};

export const Kernel = {
  process(p: { pid: number; ppid: number; image: string; commandLine: string; exit?: number }): Buffer {
    return Buffer.concat([
      u64(0xffff800000000000 + p.pid * 0x1000),
      u32(p.pid, p.ppid, 1, p.exit ?? 0),
      u64(0x1aa000),
      u32(0), // Flags
      u32(0), // UserSID: none
      Buffer.from(`${p.image}\0`, 'latin1'),
      w16(p.commandLine),
      w16(''),
      w16(''),
    ]);
  },
  thread(t: { pid: number; tid: number; startAddr?: number }): Buffer {
    return Buffer.concat([
      u32(t.pid, t.tid),
      u64(
        0xfffff00000100000,
        0xfffff000000f0000,
        0x7ff00000,
        0x7fe00000,
        0xff,
        t.startAddr ?? 0x7ff612340000,
        0x7ff7fff00000,
      ),
      u32(0),
      Buffer.from([8, 5, 2, 0]),
    ]);
  },
  threadName(pid: number, tid: number, name: string): Buffer {
    return Buffer.concat([u32(pid, tid), w16(name)]);
  },
  cswitch(c: {
    newTid: number;
    oldTid: number;
    waitReason: number;
    oldState: number;
    waitMode?: number;
  }): Buffer {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(c.newTid, 0);
    b.writeUInt32LE(c.oldTid, 4);
    b.writeInt8(9, 8);
    b.writeInt8(8, 9);
    b.writeInt8(c.waitReason, 12);
    b.writeInt8(c.waitMode ?? 1, 13);
    b.writeInt8(c.oldState, 14);
    return b;
  },
  readyThread(tid: number): Buffer {
    return Buffer.concat([u32(tid), Buffer.from([1, 0, 0, 0])]);
  },
  image(i: { pid: number; base: number; size: number; path: string }): Buffer {
    return Buffer.concat([
      u64(i.base, i.size),
      u32(i.pid, 0, 0x5f000000, 0),
      u64(i.base),
      u32(0, 0, 0, 0),
      w16(i.path),
    ]);
  },
  sample(ip: number, tid: number): Buffer {
    return Buffer.concat([u64(ip), u32(tid), Buffer.from([1, 0, 0, 0])]);
  },
  stack(ts: number, pid: number, tid: number, frames: number[]): Buffer {
    return Buffer.concat([u64(ts), u32(pid, tid), u64(...frames)]);
  },
  diskIo(d: {
    bytes: number;
    offset: number;
    fileObject: number;
    responseTicks: number;
    tid: number;
  }): Buffer {
    return Buffer.concat([
      u32(0, 0x43, d.bytes, 0),
      u64(d.offset, d.fileObject, 0xffffa00000001000, d.responseTicks),
      u32(d.tid),
    ]);
  },
  fileRw(f: { offset: number; fileObject: number; fileKey?: number; tid: number; size: number }): Buffer {
    return Buffer.concat([
      u64(f.offset, 0xffffa00000002000, f.fileObject, f.fileKey ?? f.fileObject),
      u32(f.tid, f.size, 0),
    ]);
  },
  fileCreate(f: { fileObject: number; tid: number; path: string }): Buffer {
    return Buffer.concat([
      u64(0xffffa00000003000, f.fileObject),
      u32(f.tid, 0x1000020, 0x80, 7),
      w16(f.path),
    ]);
  },
  fileName(fileObject: number, path: string): Buffer {
    return Buffer.concat([u64(fileObject), w16(path)]);
  },
  hardFault(h: { fileObject: number; tid: number; bytes: number; va: number }): Buffer {
    return Buffer.concat([u64(1234, 0x10000, h.va, h.fileObject), u32(h.tid, h.bytes)]);
  },
};

/** Kernel groups and opcodes (HookId bytes) used by the builders above. */
export const Hook = {
  ProcessStart: [0x03, 1],
  ProcessEnd: [0x03, 2],
  ProcessDCStart: [0x03, 3],
  ThreadStart: [0x05, 1],
  ThreadDCStart: [0x05, 3],
  ThreadSetName: [0x05, 72],
  CSwitch: [0x05, 36],
  ReadyThread: [0x05, 50],
  ImageLoad: [0x14, 10],
  ImageDCStart: [0x14, 3],
  Sample: [0x0f, 46],
  Stack: [0x18, 32],
  DiskRead: [0x01, 10],
  DiskWrite: [0x01, 11],
  FileCreate: [0x04, 64],
  FileRead: [0x04, 67],
  FileWrite: [0x04, 68],
  FileRundown: [0x04, 36],
  HardFault: [0x02, 32],
} as const;
