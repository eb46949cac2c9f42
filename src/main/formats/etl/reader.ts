import type { ByteSource } from '../common/byte-source';
import { ParseError } from '../common/parse-error';
import {
  BUFFER_HEADER_SIZE,
  BufferFlag,
  ClockType,
  EventHeaderFlag,
  HeaderType,
  LOGFILE_CIRCULAR_MODE,
  LOGFILE_COMPRESSED_MODE,
  TRACE_HEADER_FLAG,
} from './constants';
import { cachedGuidAt } from './guid';
import { filetimeOf, filetimeToIso } from './time';
import { xpressDecompress } from './xpress';

/** Anything larger is not an ETW buffer (the logger caps buffers far below this). */
export const MAX_BUFFER_SIZE = 64 * 1024 * 1024;
/** Problems beyond this are counted, not listed: a wrecked 2 GB trace must not build a 2 GB list. */
const MAX_PROBLEMS = 200;

export interface EtlProblem {
  code: string;
  message: string;
  bufferIndex?: number;
  offset?: number;
}

export class ProblemList {
  readonly items: EtlProblem[] = [];
  dropped = 0;
  private readonly seen = new Set<string>();
  add(p: EtlProblem): void {
    // Paging re-reads buffers: the same bad record must be reported once.
    const key = `${p.code}:${p.bufferIndex ?? ''}:${p.offset ?? ''}`;
    if (this.seen.has(key)) return;
    if (this.seen.size < 10_000) this.seen.add(key);
    if (this.items.length < MAX_PROBLEMS) this.items.push(p);
    else this.dropped++;
  }
  get count(): number {
    return this.items.length + this.dropped;
  }
}

/** One WMI_BUFFER_HEADER as found in the file. */
export interface EtlBuffer {
  index: number;
  fileOffset: number;
  /** Bytes this buffer occupies in the file (BufferSize; smaller than the data when compressed). */
  fileSize: number;
  /** End of valid data in the decoded buffer (header included). */
  dataEnd: number;
  processor: number;
  loggerId: number;
  flags: number;
  type: number;
  compressed: boolean;
  /** Buffer flush time in trace clock ticks. */
  timestamp: number;
  /** Set when the buffer was cut by the end of the file. */
  truncated: boolean;
}

/** TRACE_LOGFILE_HEADER: the payload of the first event of the first buffer. */
export interface LogfileHeader {
  bufferSize: number;
  version: number;
  versionText: string;
  /** OS build number of the recording machine. */
  providerVersion: number;
  numberOfProcessors: number;
  endTime: string | null;
  /** Timer resolution in 100 ns units. */
  timerResolution: number;
  maximumFileSizeMB: number;
  logFileMode: number;
  buffersWritten: number;
  startBuffers: number;
  pointerSize: number;
  eventsLost: number;
  cpuSpeedMHz: number;
  /** TIME_ZONE_INFORMATION.Bias in minutes (UTC = local + bias). */
  timeZoneBias: number;
  timeZoneName: string;
  bootTime: string | null;
  perfFreq: number;
  startTime: string | null;
  startTimeFiletime: bigint;
  /** 1 = QPC, 2 = system time, 3 = CPU cycle counter. */
  clockType: number;
  buffersLost: number;
  loggerName: string;
  logFileName: string;
  /** Timestamp (trace clock) of the header event itself: time zero of the trace. */
  headerTimestamp: number;
}

export type RecordKind = 'system' | 'compact' | 'perfinfo' | 'full' | 'instance' | 'event' | 'message';

/**
 * One event record, decoded in place. The walker reuses a single instance for every record
 * (no allocation per event on the hot path), so a consumer copies what it keeps.
 */
export class EtlRecord {
  data: Buffer = Buffer.alloc(0);
  /** `data` as 32-bit words when it is 4-byte aligned (fast path for aligned fields), else null. */
  words: Uint32Array | null = null;
  bufferIndex = 0;
  /** Record start inside `data`. */
  offset = 0;
  size = 0;
  headerType = 0;
  kind: RecordKind = 'system';
  /** 4 or 8: the pointer size of the writer (from the header type). */
  pointerSize = 8;
  timestamp = 0;
  /** -1 when the header has none (perfinfo records carry the thread in their payload). */
  pid = -1;
  tid = -1;
  cpu = 0;
  /** Provider GUID (classic events: the kernel group's or the MOF class GUID; '' when unknown). */
  provider = '';
  /** Classic kernel group byte (HookId high byte); -1 for EVENT_HEADER records. */
  group = -1;
  opcode = 0;
  version = 0;
  level = 0;
  /** EVENT_DESCRIPTOR fields (EVENT_HEADER records). */
  id = 0;
  channel = 0;
  task = 0;
  eventFlags = 0;
  eventProperty = 0;
  /** Extended data items (EVENT_HEADER records with EXTENDED_INFO), in `data`. */
  extOffset = 0;
  extEnd = 0;
  payloadOffset = 0;
  payloadEnd = 0;

  get payloadLength(): number {
    return this.payloadEnd - this.payloadOffset;
  }
  /** Keyword as hex (EVENT_HEADER records only; decoded on demand). */
  keywordHex(): string {
    if (this.kind !== 'event') return '0x0';
    return `0x${this.data.readBigUInt64LE(this.offset + 48).toString(16)}`;
  }
  activityId(): string | null {
    if (this.kind !== 'event') return null;
    return cachedGuidAt(this.data, this.offset + 64);
  }
  /** A stable position: buffer index and offset inside the decoded buffer. */
  get position(): number {
    return this.bufferIndex * 0x100000000 + this.offset;
  }
}

/** Kernel group byte -> the classic provider GUID TraceEvent and WPA show for it. */
export const KERNEL_GROUP_GUIDS: Record<number, string> = {
  0x00: '68fdd900-4a3e-11d1-84f4-0000f80464e3', // EventTrace (header)
  0x01: '3d6fa8d4-fe05-11d0-9dda-00c04fd7ba7c', // DiskIo
  0x02: '3d6fa8d3-fe05-11d0-9dda-00c04fd7ba7c', // PageFault
  0x03: '3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c', // Process
  0x04: '90cbdc39-4a3e-11d1-84f4-0000f80464e3', // FileIo
  0x05: '3d6fa8d1-fe05-11d0-9dda-00c04fd7ba7c', // Thread
  0x06: '9a280ac0-c8e0-11d1-84e2-00c04fb998a2', // TcpIp
  0x08: 'bf3a50c5-a9c9-4988-a005-2df0b7c80f80', // UdpIp
  0x09: 'ae53722e-c863-11d2-8659-00c04fa321a1', // Registry
  0x0b: '01853a65-418f-4f36-aefc-dc0f1d2fd235', // SystemConfig
  0x0f: 'ce1dbfb4-137e-4da6-87b0-3f59aa102cbc', // PerfInfo
  0x14: '2cb15d1d-5fc1-11d2-abe1-00a0c911f518', // Image
  0x18: 'def2fe46-7bd6-4b80-bd94-f57fe20d0ce3', // StackWalk
  0x1a: '45d8cccd-539f-4b72-a8b7-5c683142609a', // ALPC
};

const GROUP_GUID_TABLE: string[] = Array.from(
  { length: 256 },
  (_, g) => KERNEL_GROUP_GUIDS[g] ?? `kernel-group-0x${g.toString(16).padStart(2, '0')}`,
);

function kernelGroupGuid(group: number): string {
  return GROUP_GUID_TABLE[group]!;
}

/** Unsigned little-endian 64-bit value at `off` as a number (exact below 2^53). */
export function u64(b: Buffer, off: number): number {
  return b.readUInt32LE(off) + b.readUInt32LE(off + 4) * 0x100000000;
}

/*
 * Per header type: layout family, minimum header size and writer pointer size, as tables
 * filled once (the record loop runs millions of times; no switch over imported constants).
 */
const F_SYSTEM = 1;
const F_COMPACT = 2;
const F_PERFINFO = 3;
const F_EVENT = 4;
const F_FULL = 5;
const F_INSTANCE = 6;
const F_MESSAGE = 7;
const FAMILY = new Uint8Array(256);
const MIN_HEADER = new Uint8Array(256);
const POINTER = new Uint8Array(256);
for (const [ht, family, min, ptr] of [
  [HeaderType.System32, F_SYSTEM, 32, 4],
  [HeaderType.System64, F_SYSTEM, 32, 8],
  [HeaderType.Compact32, F_COMPACT, 24, 4],
  [HeaderType.Compact64, F_COMPACT, 24, 8],
  [HeaderType.PerfInfo32, F_PERFINFO, 16, 4],
  [HeaderType.PerfInfo64, F_PERFINFO, 16, 8],
  [HeaderType.EventHeader32, F_EVENT, 80, 4],
  [HeaderType.EventHeader64, F_EVENT, 80, 8],
  [HeaderType.FullHeader32, F_FULL, 48, 4],
  [HeaderType.FullHeader64, F_FULL, 48, 8],
  [HeaderType.Instance32, F_INSTANCE, 56, 4],
  [HeaderType.Instance64, F_INSTANCE, 56, 8],
  [HeaderType.Message, F_MESSAGE, 8, 8],
] as const) {
  FAMILY[ht] = family;
  MIN_HEADER[ht] = min;
  POINTER[ht] = ptr;
}
const HEADER_FLAG = TRACE_HEADER_FLAG;
const EXTENDED_INFO = EventHeaderFlag.ExtendedInfo;

/**
 * Decodes the record header at `off` into `rec`. Returns the record size, or a string naming
 * what is wrong (the walker then gives up on the rest of this buffer, never on the trace).
 */
export function decodeRecordAt(
  data: Buffer,
  off: number,
  end: number,
  rec: EtlRecord,
  words: Uint32Array | null = null,
): number | string {
  if (off + 8 > end) return 'record header runs past the buffer data';
  const ht = data[off + 2]!;
  if ((data[off + 3]! & HEADER_FLAG) === 0)
    return `bad record marker 0x${data.readUInt32LE(off).toString(16)}`;
  const family = FAMILY[ht]!;
  if (family === 0) return `unsupported record header type 0x${ht.toString(16)}`;
  const min = MIN_HEADER[ht]!;
  const size =
    family <= F_PERFINFO ? data[off + 4]! | (data[off + 5]! << 8) : data[off]! | (data[off + 1]! << 8);
  if (size < min) return `record size ${size} is smaller than its ${min}-byte header`;
  if (off + size > end) return `record size ${size} runs past the buffer data`;
  rec.data = data;
  rec.words = words;
  rec.offset = off;
  rec.size = size;
  rec.headerType = ht;
  rec.pointerSize = POINTER[ht]!;
  rec.extOffset = rec.extEnd = 0;
  rec.payloadEnd = off + size;
  rec.id = rec.channel = rec.task = rec.eventFlags = rec.eventProperty = rec.level = 0;
  if (family <= F_COMPACT) {
    rec.kind = family === F_COMPACT ? 'compact' : 'system';
    rec.version = data[off]! | (data[off + 1]! << 8);
    rec.opcode = data[off + 6]!;
    rec.group = data[off + 7]!;
    rec.provider = kernelGroupGuid(rec.group);
    if (words !== null && (off & 3) === 0) {
      const w = off >>> 2;
      rec.tid = words[w + 2]!;
      rec.pid = words[w + 3]!;
      rec.timestamp = words[w + 4]! + words[w + 5]! * 0x100000000;
    } else {
      rec.tid = data.readUInt32LE(off + 8);
      rec.pid = data.readUInt32LE(off + 12);
      rec.timestamp = data.readUInt32LE(off + 16) + data.readUInt32LE(off + 20) * 0x100000000;
    }
    rec.payloadOffset = off + min;
    return size;
  }
  switch (family) {
    case F_PERFINFO:
      rec.kind = 'perfinfo';
      rec.version = data[off]! | (data[off + 1]! << 8);
      rec.opcode = data[off + 6]!;
      rec.group = data[off + 7]!;
      rec.provider = kernelGroupGuid(rec.group);
      rec.tid = -1;
      rec.pid = -1;
      rec.timestamp =
        words !== null && (off & 3) === 0
          ? words[(off >>> 2) + 2]! + words[(off >>> 2) + 3]! * 0x100000000
          : data.readUInt32LE(off + 8) + data.readUInt32LE(off + 12) * 0x100000000;
      rec.payloadOffset = off + 16;
      return size;
    case F_EVENT: {
      rec.kind = 'event';
      rec.group = -1;
      rec.eventFlags = data.readUInt16LE(off + 4);
      rec.eventProperty = data.readUInt16LE(off + 6);
      rec.tid = data.readUInt32LE(off + 8);
      rec.pid = data.readUInt32LE(off + 12);
      rec.timestamp = u64(data, off + 16);
      rec.provider = cachedGuidAt(data, off + 24);
      rec.id = data.readUInt16LE(off + 40);
      rec.version = data[off + 42]!;
      rec.channel = data[off + 43]!;
      rec.level = data[off + 44]!;
      rec.opcode = data[off + 45]!;
      rec.task = data.readUInt16LE(off + 46);
      let p = off + 80;
      if (rec.eventFlags & EXTENDED_INFO) {
        rec.extOffset = p;
        // Each item: u16 item size (8-aligned, header included), u16 type, u16 linkage, u16 data size.
        for (let guard = 0; guard < 64; guard++) {
          if (p + 8 > off + size) return 'extended data item runs past the record';
          const itemSize = data.readUInt16LE(p);
          const dataSize = data.readUInt16LE(p + 6);
          if (itemSize < 8 + dataSize || p + itemSize > off + size) return 'bad extended data item size';
          const more = data.readUInt16LE(p + 4) & 1;
          p += itemSize;
          if (!more) break;
        }
        rec.extEnd = p;
      }
      rec.payloadOffset = p;
      return size;
    }
    case F_FULL:
    case F_INSTANCE: {
      const full = family === F_FULL;
      rec.kind = full ? 'full' : 'instance';
      rec.group = -1;
      rec.opcode = data[off + 4]!;
      rec.level = data[off + 5]!;
      rec.version = data.readUInt16LE(off + 6);
      rec.tid = data.readUInt32LE(off + 8);
      rec.pid = data.readUInt32LE(off + 12);
      rec.timestamp = u64(data, off + 16);
      rec.provider = full ? cachedGuidAt(data, off + 24) : '';
      rec.payloadOffset = off + min;
      return size;
    }
    default: {
      // MESSAGE_TRACE_HEADER (WPP TraceMessage): optional fields follow in a fixed order.
      rec.kind = 'message';
      rec.group = -1;
      rec.id = data.readUInt16LE(off + 4);
      const opts = data.readUInt16LE(off + 6);
      let p = off + 8;
      rec.provider = '';
      rec.pid = rec.tid = -1;
      rec.timestamp = 0;
      if (opts & 0x1) p += 4; // sequence
      if (opts & 0x2) {
        if (p + 16 > off + size) return 'message record too short';
        rec.provider = cachedGuidAt(data, p);
        p += 16;
      } else if (opts & 0x4) p += 4; // component id
      if (opts & 0x18) {
        if (p + 8 > off + size) return 'message record too short';
        rec.timestamp = u64(data, p);
        p += 8;
      }
      if (opts & 0x20) {
        if (p + 8 > off + size) return 'message record too short';
        rec.tid = data.readUInt32LE(p);
        rec.pid = data.readUInt32LE(p + 4);
        p += 8;
      }
      if (p > off + size) return 'message record too short';
      rec.payloadOffset = p;
      return size;
    }
  }
}

/** A 32-bit view of a decoded buffer when its memory is 4-byte aligned (else null: byte reads). */
export function wordsOf(data: Buffer): Uint32Array | null {
  return data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.length >>> 2) : null;
}

/** An opened trace: header, buffer table and the problems found while listing buffers. */
export interface EtlTrace {
  readonly src: ByteSource;
  header: LogfileHeader | null;
  buffers: EtlBuffer[];
  problems: ProblemList;
  /** Ticks per second of the trace clock. */
  ticksPerSecond: number;
  /** Time zero (ticks): the header event, else the first buffer's timestamp. */
  startTicks: number;
}

function readBufferHeader(src: ByteSource, off: number, index: number, nominal: number): EtlBuffer | string {
  const h = src.read(off, BUFFER_HEADER_SIZE, `buffer[${index}].header`);
  const fileSize = h.readUInt32LE(0);
  const savedOffset = h.readUInt32LE(4);
  const flags = h.readUInt16LE(0x34);
  const type = h.readUInt16LE(0x36);
  const offsetField = h.readUInt32LE(0x30);
  const compressed = (flags & BufferFlag.Compressed) !== 0;
  if (fileSize < BUFFER_HEADER_SIZE || fileSize > MAX_BUFFER_SIZE)
    return `buffer size ${fileSize} is not plausible`;
  const cap = compressed ? Math.max(nominal, MAX_BUFFER_SIZE / 4) : fileSize;
  const inRange = (v: number) => v >= BUFFER_HEADER_SIZE && v <= cap;
  let dataEnd = inRange(offsetField)
    ? offsetField
    : inRange(savedOffset)
      ? savedOffset
      : compressed
        ? 0
        : fileSize;
  if (compressed && dataEnd === 0) return `compressed buffer with no plausible data size (${offsetField})`;
  if (!compressed) dataEnd = Math.min(dataEnd, fileSize);
  const truncated = off + fileSize > src.size;
  return {
    index,
    fileOffset: off,
    fileSize,
    dataEnd,
    processor: flags & BufferFlag.ProcIndex ? h.readUInt16LE(0x28) : h[0x28]!,
    loggerId: h.readUInt16LE(0x2a),
    flags,
    type,
    compressed,
    timestamp: u64(h, 0x10),
    truncated,
  };
}

/** Reads the decoded bytes of one buffer (header + valid data), decompressing if needed. */
export function loadBuffer(trace: EtlTrace, buf: EtlBuffer): Buffer | null {
  const { src } = trace;
  try {
    if (buf.compressed) {
      const avail = Math.min(buf.fileSize, src.size - buf.fileOffset);
      const raw = src.read(buf.fileOffset, avail, `buffer[${buf.index}]`);
      const body = xpressDecompress(
        raw.subarray(BUFFER_HEADER_SIZE),
        buf.dataEnd - BUFFER_HEADER_SIZE,
        `buffer[${buf.index}]`,
      );
      const out = Buffer.allocUnsafe(BUFFER_HEADER_SIZE + body.length);
      raw.copy(out, 0, 0, BUFFER_HEADER_SIZE);
      body.copy(out, BUFFER_HEADER_SIZE);
      if (body.length < buf.dataEnd - BUFFER_HEADER_SIZE)
        trace.problems.add({
          code: 'short_compressed_buffer',
          message: `compressed buffer decoded to ${body.length} of ${buf.dataEnd - BUFFER_HEADER_SIZE} bytes`,
          bufferIndex: buf.index,
          offset: buf.fileOffset,
        });
      return out;
    }
    const len = Math.min(buf.dataEnd, src.size - buf.fileOffset);
    return src.read(buf.fileOffset, len, `buffer[${buf.index}]`);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    trace.problems.add({
      code: e.detail.code ?? 'bad_buffer',
      message: e.message,
      bufferIndex: buf.index,
      offset: buf.fileOffset,
    });
    return null;
  }
}

/** NUL-terminated UTF-16LE text at `off`, never read past `end`; `next` is just past the NUL. */
export function utf16z(b: Buffer, off: number, end: number): { text: string; next: number } {
  let p = off;
  while (p + 1 < end && (b[p] !== 0 || b[p + 1] !== 0)) p += 2;
  return { text: b.toString('utf16le', off, p), next: Math.min(end, p + 2) };
}

/** Decodes TRACE_LOGFILE_HEADER from the header event's payload. */
export function decodeLogfileHeader(rec: EtlRecord): LogfileHeader {
  const b = rec.data;
  const o = rec.payloadOffset;
  const end = rec.payloadEnd;
  const fieldPtr = b.readUInt32LE(o + 44);
  const ptr = fieldPtr === 4 || fieldPtr === 8 ? fieldPtr : rec.pointerSize;
  const tz = o + 56 + 2 * ptr;
  const after = o + ((56 + 2 * ptr + 172 + 7) & ~7);
  if (after + 32 > end)
    throw new ParseError('logfile header event is too short', {
      field: 'TRACE_LOGFILE_HEADER',
      offset: o,
      code: 'truncated',
    });
  const v = b.readUInt32LE(o + 4);
  const loggerName = utf16z(b, after + 32, end);
  const logFileName = utf16z(b, loggerName.next, end);
  const startFt = filetimeOf(b, after + 16);
  return {
    bufferSize: b.readUInt32LE(o),
    version: v,
    versionText: `${v & 0xff}.${(v >>> 8) & 0xff}.${(v >>> 16) & 0xff}.${v >>> 24}`,
    providerVersion: b.readUInt32LE(o + 8),
    numberOfProcessors: b.readUInt32LE(o + 12),
    endTime: filetimeToIso(filetimeOf(b, o + 16)),
    timerResolution: b.readUInt32LE(o + 24),
    maximumFileSizeMB: b.readUInt32LE(o + 28),
    logFileMode: b.readUInt32LE(o + 32),
    buffersWritten: b.readUInt32LE(o + 36),
    startBuffers: b.readUInt32LE(o + 40),
    pointerSize: ptr,
    eventsLost: b.readUInt32LE(o + 48),
    cpuSpeedMHz: b.readUInt32LE(o + 52),
    timeZoneBias: b.readInt32LE(tz),
    timeZoneName: utf16z(b, tz + 4, tz + 68).text,
    bootTime: filetimeToIso(filetimeOf(b, after)),
    perfFreq: u64(b, after + 8),
    startTime: filetimeToIso(startFt),
    startTimeFiletime: startFt,
    clockType: b.readUInt32LE(after + 24),
    buffersLost: b.readUInt32LE(after + 28),
    loggerName: loggerName.text,
    logFileName: logFileName.text,
    headerTimestamp: rec.timestamp,
  };
}

function ticksPerSecondOf(h: LogfileHeader | null): number {
  if (!h) return 10_000_000;
  if (h.clockType === ClockType.SystemTime) return 10_000_000;
  if (h.clockType === ClockType.CpuCycle && h.cpuSpeedMHz > 0) return h.cpuSpeedMHz * 1_000_000;
  return h.perfFreq > 0 ? h.perfFreq : 10_000_000;
}

export function isEtlHeaderRecord(rec: EtlRecord): boolean {
  return (rec.kind === 'system' || rec.kind === 'compact') && rec.group === 0 && rec.opcode === 0;
}

/**
 * Buffers the logger wrote that the file does not hold (a copy cut at a buffer boundary leaves
 * no other trace of it). A circular log that wrapped keeps only its newest buffers, so there the
 * count says nothing (one that never filled its maximum size still must hold them all); neither
 * does a header without a count.
 */
function missingBuffers(trace: EtlTrace): { written: number; present: number } | null {
  const h = trace.header;
  if (!h || h.buffersWritten === 0) return null;
  const wrapped = h.buffersWritten * h.bufferSize > h.maximumFileSizeMB * 1024 * 1024;
  if ((h.logFileMode & LOGFILE_CIRCULAR_MODE) !== 0 && wrapped) return null;
  const present = trace.buffers.length;
  return h.buffersWritten > present ? { written: h.buffersWritten, present } : null;
}

/**
 * Lists the buffers (headers only: a 2 GB trace costs one 72-byte read per buffer) and
 * decodes the logfile header. Never throws for a bad trace body; throws ParseError only when
 * the file is not an ETL at all.
 */
export function openEtl(src: ByteSource): EtlTrace {
  if (src.size < BUFFER_HEADER_SIZE + 32)
    throw new ParseError('file is too small to be an ETW trace', {
      file: src.name,
      offset: 0,
      code: 'truncated',
    });
  const problems = new ProblemList();
  const trace: EtlTrace = {
    src,
    header: null,
    buffers: [],
    problems,
    ticksPerSecond: 10_000_000,
    startTicks: 0,
  };
  const first = readBufferHeader(src, 0, 0, 0);
  if (typeof first === 'string')
    throw new ParseError(`not an ETW trace: ${first}`, {
      file: src.name,
      field: 'buffer[0]',
      offset: 0,
      code: 'bad_magic',
    });
  const firstData = loadBuffer(trace, first);
  const rec = new EtlRecord();
  if (firstData) {
    const r = decodeRecordAt(firstData, BUFFER_HEADER_SIZE, Math.min(firstData.length, first.dataEnd), rec);
    if (typeof r === 'number' && isEtlHeaderRecord(rec)) {
      try {
        trace.header = decodeLogfileHeader(rec);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        problems.add({
          code: 'bad_logfile_header',
          message: e.message,
          bufferIndex: 0,
          offset: BUFFER_HEADER_SIZE,
        });
      }
    } else {
      // Real-time-only and some relogged formats start without one; the events still read.
      problems.add({
        code: 'no_logfile_header',
        message: 'first record is not a TRACE_LOGFILE_HEADER',
        bufferIndex: 0,
      });
    }
  }
  const nominal = trace.header?.bufferSize ?? first.fileSize;
  let off = 0;
  let index = 0;
  while (off + BUFFER_HEADER_SIZE <= src.size) {
    const b = index === 0 ? first : readBufferHeader(src, off, index, nominal);
    if (typeof b === 'string') {
      problems.add({ code: 'bad_buffer_header', message: b, bufferIndex: index, offset: off });
      // Uncompressed traces use one buffer size: skip the bad one and resynchronise there.
      const compressedTrace = ((trace.header?.logFileMode ?? 0) & LOGFILE_COMPRESSED_MODE) !== 0;
      if (compressedTrace || nominal < BUFFER_HEADER_SIZE || nominal > MAX_BUFFER_SIZE) break;
      off += nominal;
      index++;
      continue;
    }
    if (b.truncated)
      problems.add({
        code: 'truncated_buffer',
        message: `buffer of ${b.fileSize} bytes is cut by the end of the file`,
        bufferIndex: index,
        offset: off,
      });
    trace.buffers.push(b);
    off += b.fileSize;
    index++;
  }
  if (off < src.size && off + BUFFER_HEADER_SIZE > src.size && src.size - off > 0)
    problems.add({
      code: 'trailing_bytes',
      message: `${src.size - off} bytes after the last buffer`,
      offset: off,
    });
  const missing = missingBuffers(trace);
  if (missing)
    problems.add({
      code: 'missing_buffers',
      message: `the trace header says ${missing.written} buffers were written; the file holds ${missing.present}: its end is missing`,
      offset: src.size,
    });
  trace.ticksPerSecond = ticksPerSecondOf(trace.header);
  trace.startTicks = trace.header?.headerTimestamp ?? trace.buffers[0]?.timestamp ?? 0;
  return trace;
}
