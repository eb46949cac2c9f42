import type { ByteSource } from '../common/byte-source';
import { ParseError } from '../common/parse-error';
import { readContext, type CpuContext } from './context';
import * as st from './streams';

/** Stream type ids from minidumpapiset.h / Breakpad's minidump_format.h. */
export const STREAM_NAMES: Readonly<Record<number, string>> = {
  0: 'MD_UNUSED_STREAM',
  3: 'MD_THREAD_LIST_STREAM',
  4: 'MD_MODULE_LIST_STREAM',
  5: 'MD_MEMORY_LIST_STREAM',
  6: 'MD_EXCEPTION_STREAM',
  7: 'MD_SYSTEM_INFO_STREAM',
  8: 'MD_THREAD_EX_LIST_STREAM',
  9: 'MD_MEMORY_64_LIST_STREAM',
  10: 'MD_COMMENT_STREAM_A',
  11: 'MD_COMMENT_STREAM_W',
  12: 'MD_HANDLE_DATA_STREAM',
  13: 'MD_FUNCTION_TABLE_STREAM',
  14: 'MD_UNLOADED_MODULE_LIST_STREAM',
  15: 'MD_MISC_INFO_STREAM',
  16: 'MD_MEMORY_INFO_LIST_STREAM',
  17: 'MD_THREAD_INFO_LIST_STREAM',
  18: 'MD_HANDLE_OPERATION_LIST_STREAM',
  19: 'MD_TOKEN_STREAM',
  20: 'MD_JAVASCRIPT_DATA_STREAM',
  21: 'MD_SYSTEM_MEMORY_INFO_STREAM',
  22: 'MD_PROCESS_VM_COUNTERS_STREAM',
  24: 'MD_THREAD_NAME_LIST_STREAM',
  0x47670001: 'MD_BREAKPAD_INFO_STREAM',
  0x47670002: 'MD_ASSERTION_INFO_STREAM',
  0x43500001: 'MD_CRASHPAD_INFO_STREAM',
};

export interface StreamEntry {
  type: number;
  name: string;
  offset: number;
  size: number;
}
export interface MinidumpProblem {
  stream: string;
  offset: number;
  code: string;
  message: string;
}
export interface MdException {
  threadId: number;
  code: number;
  flags: number;
  address: bigint;
  parameters: bigint[];
  contextRva: number;
  contextSize: number;
  context?: CpuContext;
}
export interface MdThread {
  id: number;
  index: number;
  teb: bigint;
  stackStart: bigint;
  stackRva: number;
  stackSize: number;
  contextRva: number;
  contextSize: number;
  name?: string;
  context?: CpuContext;
}
export interface MdModule {
  base: bigint;
  size: number;
  name: string;
  timestamp: number;
  checksum: number;
  version?: st.MdVersion;
  codeView?: st.MdCodeView;
}
export interface MdSystemInfo {
  arch: number;
  cpu: string;
  cpuCount: number;
  platformId: number;
  os: string;
  osVersion: string;
  csdVersion: string;
  cpuVendor?: string;
  cpuInfo?: string;
  /** Version plus service pack / CSD text, as Breakpad prints it. */
  osVersionFull?: string;
}
export interface Minidump {
  version: number;
  streamCount: number;
  timestamp: number;
  flags: bigint;
  streams: StreamEntry[];
  exception?: MdException;
  threads: MdThread[];
  modules: MdModule[];
  system?: MdSystemInfo;
  unloadedModules: st.MdUnloadedModule[];
  /** MemoryList and Memory64List ranges together, sorted by address. */
  memory: st.MdMemoryRange[];
  misc?: st.MdMiscInfo;
  threadInfo: st.MdThreadInfo[];
  handles: st.MdHandle[];
  memoryInfo: st.MdMemoryInfo[];
  comments: string[];
  breakpad?: st.MdBreakpadInfo;
  crashpad?: st.MdCrashpadInfo;
  problems: MinidumpProblem[];
}

const MDMP = 0x504d444d;
/** Directories far beyond any real dump are corruption; a cap keeps a fuzzed count from spinning. */
const MAX_STREAMS = 4096;
const MAX_RECORDS = 1_000_000;

function readString(src: ByteSource, rva: number, field: string): string {
  const len = src.read(rva, 4, field).readUInt32LE(0);
  if (len > 64 * 1024)
    throw new ParseError(`string length ${len} too large`, {
      file: src.name,
      field,
      offset: rva,
      code: 'too_large',
    });
  return src.read(rva + 4, len, field).toString('utf16le');
}

function count(src: ByteSource, s: StreamEntry, recordSize: number, headerSize = 4): number {
  const n = src.read(s.offset, 4, s.name).readUInt32LE(0);
  if (n > MAX_RECORDS || headerSize + n * recordSize > s.size) {
    throw new ParseError(`record count ${n} does not fit the stream (${s.size} bytes)`, {
      file: src.name,
      field: s.name,
      offset: s.offset,
      code: 'bad_count',
    });
  }
  return n;
}

/** Header and directory errors are fatal; a broken stream becomes a problem and the rest still parses. */
export function readMinidump(src: ByteSource): Minidump {
  const h = src.read(0, 32, 'header');
  if (h.readUInt32LE(0) !== MDMP) {
    throw new ParseError('not a minidump (missing MDMP signature)', {
      file: src.name,
      field: 'header',
      offset: 0,
      code: 'bad_magic',
    });
  }
  const streamCount = h.readUInt32LE(8);
  const dirRva = h.readUInt32LE(12);
  if (streamCount > MAX_STREAMS) {
    throw new ParseError(`stream count ${streamCount} too large`, {
      file: src.name,
      field: 'directory',
      offset: 8,
      code: 'bad_count',
    });
  }
  const dir = src.read(dirRva, streamCount * 12, 'directory');
  const md: Minidump = {
    version: h.readUInt16LE(4),
    streamCount,
    timestamp: h.readUInt32LE(20),
    flags: h.readBigUInt64LE(24),
    streams: [],
    threads: [],
    modules: [],
    unloadedModules: [],
    memory: [],
    threadInfo: [],
    handles: [],
    memoryInfo: [],
    comments: [],
    problems: [],
  };
  const record = (e: unknown, stream: string, fallback: number): void => {
    if (!(e instanceof ParseError)) throw e;
    md.problems.push({
      stream,
      offset: e.detail.offset ?? fallback,
      code: e.detail.code ?? 'parse_error',
      message: e.message,
    });
  };
  for (let i = 0; i < streamCount; i++) {
    const type = dir.readUInt32LE(i * 12);
    md.streams.push({
      type,
      name: STREAM_NAMES[type] ?? `UNKNOWN_STREAM_0x${type.toString(16)}`,
      size: dir.readUInt32LE(i * 12 + 4),
      offset: dir.readUInt32LE(i * 12 + 8),
    });
  }
  const names = new Map<number, string>();
  for (const s of md.streams) {
    try {
      if (s.offset + s.size > src.size) {
        throw new ParseError(
          `stream range ${s.offset}+${s.size} is past the end of the file (${src.size} bytes)`,
          {
            file: src.name,
            field: s.name,
            offset: s.offset,
            code: 'out_of_bounds',
          },
        );
      }
      switch (s.type) {
        case 3: {
          const n = count(src, s, 48);
          const b = src.read(s.offset + 4, n * 48, s.name);
          for (let i = 0; i < n; i++) {
            const o = i * 48;
            md.threads.push({
              id: b.readUInt32LE(o),
              index: i,
              teb: b.readBigUInt64LE(o + 16),
              stackStart: b.readBigUInt64LE(o + 24),
              stackSize: b.readUInt32LE(o + 32),
              stackRva: b.readUInt32LE(o + 36),
              contextSize: b.readUInt32LE(o + 40),
              contextRva: b.readUInt32LE(o + 44),
            });
          }
          break;
        }
        case 4: {
          const n = count(src, s, 108);
          const b = src.read(s.offset + 4, n * 108, s.name);
          for (let i = 0; i < n; i++) {
            const o = i * 108;
            md.modules.push({
              base: b.readBigUInt64LE(o),
              size: b.readUInt32LE(o + 8),
              checksum: b.readUInt32LE(o + 12),
              timestamp: b.readUInt32LE(o + 16),
              name: readString(src, b.readUInt32LE(o + 20), `${s.name}.name`),
            });
            const m = md.modules[md.modules.length - 1];
            if (!m) continue;
            const v = st.readFixedFileInfo(b, o + 24);
            if (v) m.version = v;
            try {
              const cv = st.readCodeView(
                src,
                b.readUInt32LE(o + 76),
                b.readUInt32LE(o + 80),
                `${s.name}[${i}].cv`,
              );
              if (cv) m.codeView = cv;
            } catch (e) {
              record(e, `${s.name}[${i}].cv`, s.offset);
            }
          }
          break;
        }
        case 6: {
          const b = src.read(s.offset, 168, s.name);
          // Thread id + alignment, then MINIDUMP_EXCEPTION (params capped at the fixed array of 15).
          const nparams = Math.min(b.readUInt32LE(32), 15);
          const parameters: bigint[] = [];
          for (let i = 0; i < nparams; i++) parameters.push(b.readBigUInt64LE(40 + i * 8));
          md.exception = {
            threadId: b.readUInt32LE(0),
            code: b.readUInt32LE(8),
            flags: b.readUInt32LE(12),
            address: b.readBigUInt64LE(24),
            parameters,
            contextSize: b.readUInt32LE(160),
            contextRva: b.readUInt32LE(164),
          };
          break;
        }
        case 7: {
          const b = src.read(s.offset, 32, s.name);
          const arch = b.readUInt16LE(0);
          const platformId = b.readUInt32LE(20);
          md.system = {
            arch,
            cpu: arch === 0 ? 'x86' : arch === 9 ? 'amd64' : arch === 12 ? 'arm64' : `arch-${arch}`,
            cpuCount: b.readUInt8(6),
            platformId,
            os: platformId === 2 ? 'Windows NT' : platformId === 1 ? 'Windows 9x' : `platform-${platformId}`,
            osVersion: `${b.readUInt32LE(8)}.${b.readUInt32LE(12)}.${b.readUInt32LE(16)}`,
            csdVersion: readString(src, b.readUInt32LE(24), `${s.name}.csd`),
          };
          const level = b.readUInt16LE(2);
          const rev = b.readUInt16LE(4);
          let vendor = '';
          if (arch === 0 && s.size >= 44) {
            vendor = src
              .read(s.offset + 32, 12, s.name)
              .toString('latin1')
              .replace(/\0+$/, '');
            if (vendor) md.system.cpuVendor = vendor;
          }
          // Breakpad's wording, so the output can be compared with minidump_stackwalk.
          md.system.cpuInfo = `${vendor ? vendor + ' ' : ''}family ${level} model ${rev >> 8} stepping ${rev & 0xff}`;
          md.system.osVersionFull = md.system.csdVersion
            ? `${md.system.osVersion} ${md.system.csdVersion}`
            : md.system.osVersion;
          break;
        }
        case 24: {
          const n = count(src, s, 12);
          const b = src.read(s.offset + 4, n * 12, s.name);
          for (let i = 0; i < n; i++) {
            const rva = Number(b.readBigUInt64LE(i * 12 + 4));
            names.set(b.readUInt32LE(i * 12), readString(src, rva, `${s.name}.name`));
          }
          break;
        }
        case 14:
          md.unloadedModules = st.readUnloadedModules(src, s);
          break;
        case 5:
          md.memory.push(...st.readMemoryList(src, s));
          break;
        case 9:
          md.memory.push(...st.readMemory64List(src, s));
          break;
        case 15:
          md.misc = st.readMiscInfo(src, s);
          break;
        case 17:
          md.threadInfo = st.readThreadInfoList(src, s);
          break;
        case 12:
          md.handles = st.readHandleData(src, s);
          break;
        case 16:
          md.memoryInfo = st.readMemoryInfoList(src, s);
          break;
        case 10:
        case 11:
          md.comments.push(st.readComment(src, s, s.type === 11));
          break;
        case 0x47670001:
          md.breakpad = st.readBreakpadInfo(src, s);
          break;
        case 0x43500001:
          md.crashpad = st.readCrashpadInfo(src, s);
          break;
        default:
          break;
      }
    } catch (e) {
      record(e, s.name, s.offset);
    }
  }
  md.memory.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const arch = md.system?.arch;
  for (const t of md.threads) {
    if (t.contextSize === 0) continue;
    try {
      t.context = readContext(src, t.contextRva, t.contextSize, arch, `thread[${t.index}].context`);
    } catch (e) {
      record(e, `MD_THREAD_LIST_STREAM[${t.index}].context`, t.contextRva);
    }
  }
  if (md.exception && md.exception.contextSize > 0) {
    try {
      md.exception.context = readContext(
        src,
        md.exception.contextRva,
        md.exception.contextSize,
        arch,
        'exception.context',
      );
    } catch (e) {
      record(e, 'MD_EXCEPTION_STREAM.context', md.exception.contextRva);
    }
  }
  for (const t of md.threads) {
    const n = names.get(t.id);
    if (n !== undefined) t.name = n;
  }
  return md;
}

/** Bytes of any stream (e.g. an unknown or user stream), bounded so a UI can page through it. */
export function readStreamPayload(src: ByteSource, s: StreamEntry, offset = 0, length = 4096): Buffer {
  const start = Math.max(0, Math.min(offset, s.size));
  const len = Math.max(0, Math.min(length, s.size - start, 1024 * 1024));
  return src.read(s.offset + start, len, s.name);
}
