import type { ByteSource } from '../common/byte-source';
import { ParseError, type ParseErrorCode } from '../common/parse-error';
import type { CpuContext } from './context';

/** Parsers for the streams beyond threads/modules/exception/system; each throws ParseError only. */

export interface StreamLoc {
  type: number;
  name: string;
  offset: number;
  size: number;
}
export interface MdCodeView {
  format: 'RSDS' | 'NB10' | 'unknown';
  pdbName: string;
  /** Breakpad debug identifier: GUID (or signature) + age, upper-case hex. */
  debugId: string;
  guid?: string;
  age: number;
}
export interface MdVersion {
  file: string;
  product: string;
}
export interface MdUnloadedModule {
  base: bigint;
  size: number;
  name: string;
  timestamp: number;
  checksum: number;
}
export interface MdMemoryRange {
  start: bigint;
  size: number;
  /** File offset of the bytes. */
  rva: number;
  /** The size the dump declares, when the end of a truncated file cut the range to `size`. */
  declaredSize?: number;
}
export interface MdMiscInfo {
  sizeOfInfo: number;
  flags: number;
  processId?: number;
  processCreateTime?: number;
  processUserTime?: number;
  processKernelTime?: number;
  processorMaxMhz?: number;
  processIntegrityLevel?: number;
  timeZoneId?: number;
  buildString?: string;
  dbgBuildString?: string;
  processCookie?: number;
}
export interface MdThreadInfo {
  threadId: number;
  dumpFlags: number;
  exitStatus: number;
  createTime: bigint;
  startAddress: bigint;
  affinity: bigint;
}
export interface MdHandle {
  handle: bigint;
  typeName: string;
  objectName: string;
  attributes: number;
  grantedAccess: number;
  handleCount: number;
}
export interface MdMemoryInfo {
  base: bigint;
  allocationBase: bigint;
  allocationProtect: number;
  regionSize: bigint;
  state: number;
  protect: number;
  type: number;
}
export interface MdBreakpadInfo {
  validity: number;
  dumpThreadId: number;
  requestingThreadId: number;
}
export interface MdCrashpadInfo {
  version: number;
  reportId: string;
  clientId: string;
  annotations: Record<string, string>;
  moduleAnnotations: { moduleIndex: number; simple: Record<string, string>; list: string[] }[];
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
  version?: MdVersion;
  codeView?: MdCodeView;
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

const MAX_ENTRIES = 1_000_000;
const MAX_STRING = 64 * 1024;

function err(src: ByteSource, field: string, offset: number, code: ParseErrorCode, msg: string): ParseError {
  return new ParseError(msg, { file: src.name, field, offset, code });
}

export function guidString(b: Buffer, o: number): string {
  const h = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
  let s = h(b.readUInt32LE(o), 8) + h(b.readUInt16LE(o + 4), 4) + h(b.readUInt16LE(o + 6), 4);
  for (let i = 8; i < 16; i++) s += h(b.readUInt8(o + i), 2);
  return s;
}

function cString(b: Buffer, from: number): string {
  const end = b.indexOf(0, from);
  return b.toString('utf8', from, end < 0 ? b.length : end);
}

export function readCodeView(
  src: ByteSource,
  size: number,
  rva: number,
  field: string,
): MdCodeView | undefined {
  if (size === 0 || rva === 0) return undefined;
  if (size < 4 || size > MAX_STRING)
    throw err(src, field, rva, 'bad_size', `CodeView record of ${size} bytes`);
  const b = src.read(rva, size, field);
  const sig = b.toString('latin1', 0, 4);
  if (sig === 'RSDS') {
    if (size < 24) throw err(src, field, rva, 'truncated', 'RSDS record too small');
    const guid = guidString(b, 4);
    const age = b.readUInt32LE(20);
    return {
      format: 'RSDS',
      guid,
      age,
      pdbName: cString(b, 24),
      debugId: guid + age.toString(16).toUpperCase(),
    };
  }
  if (sig === 'NB10') {
    if (size < 16) throw err(src, field, rva, 'truncated', 'NB10 record too small');
    const signature = b.readUInt32LE(8);
    const age = b.readUInt32LE(12);
    return {
      format: 'NB10',
      age,
      pdbName: cString(b, 16),
      debugId: signature.toString(16).toUpperCase().padStart(8, '0') + age.toString(16).toUpperCase(),
    };
  }
  return { format: 'unknown', age: 0, pdbName: '', debugId: '' };
}

function version(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

/** VS_FIXEDFILEINFO inside MINIDUMP_MODULE; absent when the signature is not 0xFEEF04BD. */
export function readFixedFileInfo(b: Buffer, o: number): MdVersion | undefined {
  if (b.readUInt32LE(o) !== 0xfeef04bd) return undefined;
  return {
    file: version(b.readUInt32LE(o + 8), b.readUInt32LE(o + 12)),
    product: version(b.readUInt32LE(o + 16), b.readUInt32LE(o + 20)),
  };
}

export function readUtf16String(src: ByteSource, rva: number, field: string): string {
  const len = src.read(rva, 4, field).readUInt32LE(0);
  if (len > MAX_STRING) throw err(src, field, rva, 'too_large', `string length ${len} too large`);
  return src.read(rva + 4, len, field).toString('utf16le');
}

function readUtf8String(src: ByteSource, rva: number, field: string): string {
  const len = src.read(rva, 4, field).readUInt32LE(0);
  if (len > MAX_STRING) throw err(src, field, rva, 'too_large', `string length ${len} too large`);
  return src.read(rva + 4, len, field).toString('utf8');
}

/** Header {SizeOfHeader, SizeOfEntry, NumberOfEntries} shared by several list streams. */
function sizedList(
  src: ByteSource,
  s: StreamLoc,
  minEntry: number,
  count64 = false,
): { header: number; entry: number; n: number } {
  const h = src.read(s.offset, count64 ? 16 : 12, s.name);
  const header = h.readUInt32LE(0);
  const entry = h.readUInt32LE(4);
  const n64 = count64 ? h.readBigUInt64LE(8) : BigInt(h.readUInt32LE(8));
  if (header < (count64 ? 16 : 12) || header > s.size || entry < minEntry || entry > 4096)
    throw err(src, s.name, s.offset, 'bad_header', `header size ${header} / entry size ${entry} invalid`);
  if (n64 > BigInt(MAX_ENTRIES) || header + Number(n64) * entry > s.size)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_count',
      `record count ${n64} does not fit the stream (${s.size} bytes)`,
    );
  return { header, entry, n: Number(n64) };
}

export function readUnloadedModules(src: ByteSource, s: StreamLoc): MdUnloadedModule[] {
  const { header, entry, n } = sizedList(src, s, 24);
  const b = src.read(s.offset + header, n * entry, s.name);
  const out: MdUnloadedModule[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entry;
    out.push({
      base: b.readBigUInt64LE(o),
      size: b.readUInt32LE(o + 8),
      checksum: b.readUInt32LE(o + 12),
      timestamp: b.readUInt32LE(o + 16),
      name: readUtf16String(src, b.readUInt32LE(o + 20), `${s.name}[${i}].name`),
    });
  }
  return out;
}

/**
 * A range whose bytes run past the end of a truncated file keeps the part that is there; ranges
 * wholly past it are dropped. `cut` hears once how many were cut or dropped.
 */
function keepInFile(
  src: ByteSource,
  s: StreamLoc,
  ranges: MdMemoryRange[],
  cut?: (e: ParseError) => void,
): MdMemoryRange[] {
  const out: MdMemoryRange[] = [];
  let lost = 0;
  for (const r of ranges) {
    const avail = Math.min(r.size, src.size - r.rva);
    if (avail < r.size) lost++;
    if (avail > 0) out.push(avail < r.size ? { ...r, size: avail, declaredSize: r.size } : r);
  }
  if (lost > 0)
    cut?.(
      err(
        src,
        s.name,
        s.offset,
        'truncated',
        `${lost} of ${ranges.length} memory ranges are cut by the end of the file`,
      ),
    );
  return out;
}

export function readMemoryList(
  src: ByteSource,
  s: StreamLoc,
  cut?: (e: ParseError) => void,
): MdMemoryRange[] {
  const n = src.read(s.offset, 4, s.name).readUInt32LE(0);
  if (n > MAX_ENTRIES || 4 + n * 16 > s.size)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_count',
      `record count ${n} does not fit the stream (${s.size} bytes)`,
    );
  const b = src.read(s.offset + 4, n * 16, s.name);
  const out: MdMemoryRange[] = [];
  for (let i = 0; i < n; i++)
    out.push({
      start: b.readBigUInt64LE(i * 16),
      size: b.readUInt32LE(i * 16 + 8),
      rva: b.readUInt32LE(i * 16 + 12),
    });
  return keepInFile(src, s, out, cut);
}

/** Memory64List ranges are contiguous from BaseRva; sizes are 64-bit so a sparse multi-GB dump stays addressable. */
export function readMemory64List(
  src: ByteSource,
  s: StreamLoc,
  cut?: (e: ParseError) => void,
): MdMemoryRange[] {
  const h = src.read(s.offset, 16, s.name);
  const n64 = h.readBigUInt64LE(0);
  if (n64 > BigInt(MAX_ENTRIES) || 16 + Number(n64) * 16 > s.size)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_count',
      `record count ${n64} does not fit the stream (${s.size} bytes)`,
    );
  const n = Number(n64);
  let rva = Number(h.readBigUInt64LE(8));
  const b = src.read(s.offset + 16, n * 16, s.name);
  const out: MdMemoryRange[] = [];
  for (let i = 0; i < n; i++) {
    const size = Number(b.readBigUInt64LE(i * 16 + 8));
    if (!Number.isSafeInteger(rva + size))
      throw err(
        src,
        `${s.name}[${i}]`,
        s.offset + 16 + i * 16,
        'out_of_bounds',
        `memory range ${rva}+${size} is not addressable`,
      );
    out.push({ start: b.readBigUInt64LE(i * 16), size, rva });
    rva += size;
  }
  return keepInFile(src, s, out, cut);
}

export function readMiscInfo(src: ByteSource, s: StreamLoc): MdMiscInfo {
  const size = Math.min(s.size, 1364);
  if (size < 24) throw err(src, s.name, s.offset, 'truncated', `MiscInfo of ${s.size} bytes`);
  const b = src.read(s.offset, size, s.name);
  const flags = b.readUInt32LE(4);
  const m: MdMiscInfo = { sizeOfInfo: b.readUInt32LE(0), flags };
  if (flags & 0x1) m.processId = b.readUInt32LE(8);
  if (flags & 0x2) {
    m.processCreateTime = b.readUInt32LE(12);
    m.processUserTime = b.readUInt32LE(16);
    m.processKernelTime = b.readUInt32LE(20);
  }
  if (size >= 44 && flags & 0x4) m.processorMaxMhz = b.readUInt32LE(24);
  if (size >= 232) {
    if (flags & 0x10) m.processIntegrityLevel = b.readUInt32LE(44);
    if (flags & 0x20) m.timeZoneId = b.readUInt32LE(56);
  }
  if (size >= 832 && flags & 0x100) {
    m.buildString = cutUtf16(b, 232, 520);
    m.dbgBuildString = cutUtf16(b, 752, 80);
  }
  if (size >= 1364 && flags & 0x400) m.processCookie = b.readUInt32LE(1360);
  return m;
}

function cutUtf16(b: Buffer, o: number, len: number): string {
  const s = b.toString('utf16le', o, o + len);
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

export function readThreadInfoList(src: ByteSource, s: StreamLoc): MdThreadInfo[] {
  const { header, entry, n } = sizedList(src, s, 64);
  const b = src.read(s.offset + header, n * entry, s.name);
  const out: MdThreadInfo[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entry;
    out.push({
      threadId: b.readUInt32LE(o),
      dumpFlags: b.readUInt32LE(o + 4),
      exitStatus: b.readUInt32LE(o + 12),
      createTime: b.readBigUInt64LE(o + 16),
      startAddress: b.readBigUInt64LE(o + 48),
      affinity: b.readBigUInt64LE(o + 56),
    });
  }
  return out;
}

export function readHandleData(src: ByteSource, s: StreamLoc): MdHandle[] {
  const h = src.read(s.offset, 16, s.name);
  const header = h.readUInt32LE(0);
  const entry = h.readUInt32LE(4);
  const n = h.readUInt32LE(8);
  if (header < 16 || header > s.size || entry < 32 || entry > 4096)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_header',
      `header size ${header} / descriptor size ${entry} invalid`,
    );
  if (n > MAX_ENTRIES || header + n * entry > s.size)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_count',
      `record count ${n} does not fit the stream (${s.size} bytes)`,
    );
  const b = src.read(s.offset + header, n * entry, s.name);
  const out: MdHandle[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entry;
    const typeRva = b.readUInt32LE(o + 8);
    const nameRva = b.readUInt32LE(o + 12);
    out.push({
      handle: b.readBigUInt64LE(o),
      typeName: typeRva ? readUtf16String(src, typeRva, `${s.name}[${i}].type`) : '',
      objectName: nameRva ? readUtf16String(src, nameRva, `${s.name}[${i}].name`) : '',
      attributes: b.readUInt32LE(o + 16),
      grantedAccess: b.readUInt32LE(o + 20),
      handleCount: b.readUInt32LE(o + 24),
    });
  }
  return out;
}

export function readMemoryInfoList(src: ByteSource, s: StreamLoc): MdMemoryInfo[] {
  const { header, entry, n } = sizedList(src, s, 48, true);
  const b = src.read(s.offset + header, n * entry, s.name);
  const out: MdMemoryInfo[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * entry;
    out.push({
      base: b.readBigUInt64LE(o),
      allocationBase: b.readBigUInt64LE(o + 8),
      allocationProtect: b.readUInt32LE(o + 16),
      regionSize: b.readBigUInt64LE(o + 24),
      state: b.readUInt32LE(o + 32),
      protect: b.readUInt32LE(o + 36),
      type: b.readUInt32LE(o + 40),
    });
  }
  return out;
}

export function readComment(src: ByteSource, s: StreamLoc, wide: boolean): string {
  const b = src.read(s.offset, Math.min(s.size, MAX_STRING), s.name);
  const text = wide ? b.toString('utf16le') : b.toString('latin1');
  const z = text.indexOf('\0');
  return z < 0 ? text : text.slice(0, z);
}

export function readBreakpadInfo(src: ByteSource, s: StreamLoc): MdBreakpadInfo {
  const b = src.read(s.offset, 12, s.name);
  return {
    validity: b.readUInt32LE(0),
    dumpThreadId: b.readUInt32LE(4),
    requestingThreadId: b.readUInt32LE(8),
  };
}

function readDictionary(src: ByteSource, size: number, rva: number, field: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (size === 0 || rva === 0) return out;
  const n = src.read(rva, 4, field).readUInt32LE(0);
  if (n > 10_000 || 4 + n * 8 > size)
    throw err(src, field, rva, 'bad_count', `dictionary count ${n} too large`);
  const b = src.read(rva + 4, n * 8, field);
  for (let i = 0; i < n; i++) {
    const k = readUtf8String(src, b.readUInt32LE(i * 8), `${field}[${i}].key`);
    out[k] = readUtf8String(src, b.readUInt32LE(i * 8 + 4), `${field}[${i}].value`);
  }
  return out;
}

function readStringList(src: ByteSource, size: number, rva: number, field: string): string[] {
  if (size === 0 || rva === 0) return [];
  const n = src.read(rva, 4, field).readUInt32LE(0);
  if (n > 10_000 || 4 + n * 4 > size) throw err(src, field, rva, 'bad_count', `list count ${n} too large`);
  const b = src.read(rva + 4, n * 4, field);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(readUtf8String(src, b.readUInt32LE(i * 4), `${field}[${i}]`));
  return out;
}

export function readCrashpadInfo(src: ByteSource, s: StreamLoc): MdCrashpadInfo {
  const b = src.read(s.offset, Math.min(s.size, 52), s.name);
  if (b.length < 52) throw err(src, s.name, s.offset, 'truncated', `Crashpad info of ${s.size} bytes`);
  const info: MdCrashpadInfo = {
    version: b.readUInt32LE(0),
    reportId: guidString(b, 4),
    clientId: guidString(b, 20),
    annotations: readDictionary(src, b.readUInt32LE(36), b.readUInt32LE(40), `${s.name}.simple_annotations`),
    moduleAnnotations: [],
  };
  const listSize = b.readUInt32LE(44);
  const listRva = b.readUInt32LE(48);
  if (listSize > 0 && listRva > 0) {
    const n = src.read(listRva, 4, `${s.name}.module_list`).readUInt32LE(0);
    if (n > 10_000 || 4 + n * 12 > listSize)
      throw err(src, `${s.name}.module_list`, listRva, 'bad_count', `module count ${n} too large`);
    const lb = src.read(listRva + 4, n * 12, `${s.name}.module_list`);
    for (let i = 0; i < n; i++) {
      const msize = lb.readUInt32LE(i * 12 + 4);
      const mrva = lb.readUInt32LE(i * 12 + 8);
      if (msize < 20) continue;
      const mb = src.read(mrva, 20, `${s.name}.module_list[${i}]`);
      info.moduleAnnotations.push({
        moduleIndex: lb.readUInt32LE(i * 12),
        list: readStringList(src, mb.readUInt32LE(4), mb.readUInt32LE(8), `${s.name}.module_list[${i}].list`),
        simple: readDictionary(
          src,
          mb.readUInt32LE(12),
          mb.readUInt32LE(16),
          `${s.name}.module_list[${i}].simple`,
        ),
      });
    }
  }
  return info;
}

/** Record count of a list stream with a 4-byte count header, checked against the stream size. */
function recordCount(src: ByteSource, s: StreamLoc, recordSize: number): number {
  const n = src.read(s.offset, 4, s.name).readUInt32LE(0);
  if (n > MAX_ENTRIES || 4 + n * recordSize > s.size)
    throw err(
      src,
      s.name,
      s.offset,
      'bad_count',
      `record count ${n} does not fit the stream (${s.size} bytes)`,
    );
  return n;
}

export function readThreadList(src: ByteSource, s: StreamLoc, out: MdThread[] = []): MdThread[] {
  const n = recordCount(src, s, 48);
  const b = src.read(s.offset + 4, n * 48, s.name);
  for (let i = 0; i < n; i++) {
    const o = i * 48;
    out.push({
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
  return out;
}

/**
 * A module whose CodeView record is unreadable is kept; `problem` hears about the record. Modules
 * go into `out` as they are read, so an unreadable name keeps the ones before it.
 */
export function readModuleList(
  src: ByteSource,
  s: StreamLoc,
  problem: (e: unknown, field: string) => void,
  out: MdModule[] = [],
): MdModule[] {
  const n = recordCount(src, s, 108);
  const b = src.read(s.offset + 4, n * 108, s.name);
  for (let i = 0; i < n; i++) {
    const o = i * 108;
    const m: MdModule = {
      base: b.readBigUInt64LE(o),
      size: b.readUInt32LE(o + 8),
      checksum: b.readUInt32LE(o + 12),
      timestamp: b.readUInt32LE(o + 16),
      name: readUtf16String(src, b.readUInt32LE(o + 20), `${s.name}.name`),
    };
    out.push(m);
    const v = readFixedFileInfo(b, o + 24);
    if (v) m.version = v;
    try {
      const cv = readCodeView(src, b.readUInt32LE(o + 76), b.readUInt32LE(o + 80), `${s.name}[${i}].cv`);
      if (cv) m.codeView = cv;
    } catch (e) {
      problem(e, `${s.name}[${i}].cv`);
    }
  }
  return out;
}

export function readException(src: ByteSource, s: StreamLoc): MdException {
  const b = src.read(s.offset, 168, s.name);
  // Thread id + alignment, then MINIDUMP_EXCEPTION (params capped at the fixed array of 15).
  const nparams = Math.min(b.readUInt32LE(32), 15);
  const parameters: bigint[] = [];
  for (let i = 0; i < nparams; i++) parameters.push(b.readBigUInt64LE(40 + i * 8));
  return {
    threadId: b.readUInt32LE(0),
    code: b.readUInt32LE(8),
    flags: b.readUInt32LE(12),
    address: b.readBigUInt64LE(24),
    parameters,
    contextSize: b.readUInt32LE(160),
    contextRva: b.readUInt32LE(164),
  };
}

export function readSystemInfo(src: ByteSource, s: StreamLoc): MdSystemInfo {
  const b = src.read(s.offset, 32, s.name);
  const arch = b.readUInt16LE(0);
  const platformId = b.readUInt32LE(20);
  const sys: MdSystemInfo = {
    arch,
    cpu: arch === 0 ? 'x86' : arch === 9 ? 'amd64' : arch === 12 ? 'arm64' : `arch-${arch}`,
    cpuCount: b.readUInt8(6),
    platformId,
    os: platformId === 2 ? 'Windows NT' : platformId === 1 ? 'Windows 9x' : `platform-${platformId}`,
    osVersion: `${b.readUInt32LE(8)}.${b.readUInt32LE(12)}.${b.readUInt32LE(16)}`,
    csdVersion: readUtf16String(src, b.readUInt32LE(24), `${s.name}.csd`),
  };
  const level = b.readUInt16LE(2);
  const rev = b.readUInt16LE(4);
  let vendor = '';
  if (arch === 0 && s.size >= 44) {
    vendor = src
      .read(s.offset + 32, 12, s.name)
      .toString('latin1')
      .replace(/\0+$/, '');
    if (vendor) sys.cpuVendor = vendor;
  }
  // Breakpad's wording, so the output can be compared with minidump_stackwalk.
  sys.cpuInfo = `${vendor ? vendor + ' ' : ''}family ${level} model ${rev >> 8} stepping ${rev & 0xff}`;
  sys.osVersionFull = sys.csdVersion ? `${sys.osVersion} ${sys.csdVersion}` : sys.osVersion;
  return sys;
}

/** ThreadNames stream: thread id -> name, into `out` as read (a bad name keeps the earlier ones). */
export function readThreadNames(
  src: ByteSource,
  s: StreamLoc,
  out = new Map<number, string>(),
): Map<number, string> {
  const n = recordCount(src, s, 12);
  const b = src.read(s.offset + 4, n * 12, s.name);
  for (let i = 0; i < n; i++) {
    const rva = Number(b.readBigUInt64LE(i * 12 + 4));
    out.set(b.readUInt32LE(i * 12), readUtf16String(src, rva, `${s.name}.name`));
  }
  return out;
}
