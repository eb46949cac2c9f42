import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { AMD64_GPR } from '../../../src/main/formats/minidump/context';

/**
 * Writes a synthetic amd64 full-memory minidump as a SPARSE file: only the header, streams, the
 * thread context and a few stack words are real bytes; the Memory64List data is a hole. Used for
 * the multi-GB bounded-memory test and the throughput bench (no real dump of that size exists in
 * the fixtures, and none could be shipped).
 */
export interface SyntheticDump {
  path: string;
  size: number;
  ranges: number;
  moduleBase: bigint;
  rip: bigint;
  stackStart: bigint;
}

export function writeSparseDump(path: string, totalBytes: number, rangeSize = 64 * 1024): SyntheticDump {
  const n = Math.floor((totalBytes - 1024 * 1024 * 2) / rangeSize);
  const descStart = 4096 + 16;
  const baseRva = Math.ceil((descStart + n * 16) / 4096) * 4096;
  const size = baseRva + n * rangeSize;
  const head = Buffer.alloc(baseRva);
  const moduleBase = 0x140000000n;
  const rip = moduleBase + 0x1234n;
  const regionAddr = (i: number): bigint => 0x10000000n + BigInt(i) * BigInt(rangeSize * 2);
  const stackStart = regionAddr(n - 1);
  const rsp = stackStart + 0x100n;
  // Header + directory: SystemInfo, ThreadList, Exception, ModuleList, Memory64List.
  head.write('MDMP', 0, 'latin1');
  head.writeUInt32LE(0xa793, 4);
  head.writeUInt32LE(5, 8);
  head.writeUInt32LE(32, 12);
  const dir: [number, number, number][] = [
    [7, 56, 128],
    [3, 52, 256],
    [6, 168, 1600],
    [4, 112, 1800],
    [9, 16 + n * 16, 4096],
  ];
  dir.forEach(([t, s, r], i) => {
    head.writeUInt32LE(t, 32 + i * 12);
    head.writeUInt32LE(s, 36 + i * 12);
    head.writeUInt32LE(r, 40 + i * 12);
  });
  head.writeUInt16LE(9, 128);
  head.writeUInt16LE(6, 130);
  head.writeUInt8(8, 134);
  head.writeUInt32LE(10, 136);
  head.writeUInt32LE(19045, 144);
  head.writeUInt32LE(2, 148);
  head.writeUInt32LE(200, 152);
  head.writeUInt32LE(1, 256);
  head.writeUInt32LE(0x1234, 260);
  head.writeBigUInt64LE(stackStart, 260 + 24);
  head.writeUInt32LE(rangeSize, 260 + 32);
  head.writeUInt32LE(0, 260 + 36);
  head.writeUInt32LE(1232, 260 + 40);
  head.writeUInt32LE(320, 260 + 44);
  head.writeBigUInt64LE(rsp, 320 + 152);
  head.writeBigUInt64LE(rsp + 0x40n, 320 + 160);
  head.writeBigUInt64LE(rip, 320 + 248);
  head.writeUInt32LE(0x1234, 1600);
  head.writeUInt32LE(0xc0000005, 1608);
  head.writeBigUInt64LE(rip, 1624);
  head.writeUInt32LE(2, 1632);
  head.writeBigUInt64LE(0n, 1640);
  head.writeBigUInt64LE(0x10n, 1648);
  head.writeUInt32LE(1232, 1760);
  head.writeUInt32LE(320, 1764);
  head.writeUInt32LE(1, 1800);
  head.writeBigUInt64LE(moduleBase, 1804);
  head.writeUInt32LE(0x100000, 1812);
  head.writeUInt32LE(2000, 1824);
  const name = Buffer.from('Synthetic.exe', 'utf16le');
  head.writeUInt32LE(name.length, 2000);
  name.copy(head, 2004);
  head.writeBigUInt64LE(BigInt(n), 4096);
  head.writeBigUInt64LE(BigInt(baseRva), 4104);
  for (let i = 0; i < n; i++) {
    head.writeBigUInt64LE(regionAddr(i), descStart + i * 16);
    head.writeBigUInt64LE(BigInt(rangeSize), descStart + i * 16 + 8);
  }
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
    writeSync(fd, head, 0, head.length, 0);
    const stack = Buffer.alloc(64);
    stack.writeBigUInt64LE(0x7ffn, 0);
    stack.writeBigUInt64LE(moduleBase + 0x5678n, 8);
    stack.writeBigUInt64LE(moduleBase + 0x9abcn, 24);
    writeSync(fd, stack, 0, stack.length, baseRva + (n - 1) * rangeSize + 0x100);
  } finally {
    closeSync(fd);
  }
  return { path, size, ranges: n, moduleBase, rip, stackStart };
}

/** A memory block for `buildDump`: where it lives in the process and its bytes. */
export interface SyntheticBlock {
  start: bigint;
  bytes: Buffer;
}

export interface SyntheticSpec {
  arch: 'x86' | 'amd64';
  module: { base: bigint; size: number; name: string };
  /** More modules after `module`, each with a CodeView (RSDS) record naming `<name>.pdb`. */
  moreModules?: { base: bigint; size: number; name: string }[];
  /** Filler bytes between the module names and the CodeView records (as in big real dumps). */
  gap?: number;
  /** Registers of the crashing thread by name (eip/esp/ebp or rip/rsp/rbp, ...). */
  regs: Record<string, bigint>;
  /** The thread's own stack descriptor; leave it out to keep the stack only in the memory lists. */
  stack?: SyntheticBlock;
  /** Where the thread's stack starts when it has no descriptor of its own. */
  stackStart?: bigint;
  memoryList?: SyntheticBlock[];
  memory64List?: SyntheticBlock[];
}

/**
 * Builds a small Windows minidump in memory (synthetic: used where no real dump has the layout a
 * test needs, e.g. a stack held only in a Memory64List with blocks nested in it). One thread that
 * crashed with an access violation at its instruction pointer, one module, the given memory.
 */
export function buildDump(spec: SyntheticSpec): Buffer {
  const x86 = spec.arch === 'x86';
  const parts: Buffer[] = [];
  let at = 0;
  const place = (b: Buffer): number => {
    const rva = at;
    parts.push(b);
    at += b.length;
    return rva;
  };
  const streams: [number, number, number][] = [];
  const header = Buffer.alloc(32);
  const dirCount = 6 + (spec.memory64List ? 1 : 0);
  place(header);
  const dir = Buffer.alloc(dirCount * 12);
  place(dir);
  // System info: arch, Windows NT 10.0.19045.
  const sys = Buffer.alloc(56);
  sys.writeUInt16LE(x86 ? 0 : 9, 0);
  sys.writeUInt8(1, 6);
  sys.writeUInt32LE(10, 8);
  sys.writeUInt32LE(19045, 16);
  sys.writeUInt32LE(2, 20);
  const sysRva = place(sys);
  sys.writeUInt32LE(place(Buffer.alloc(4)), 24);
  streams.push([7, 56, sysRva]);
  // Context.
  const ctx = Buffer.alloc(x86 ? 716 : 1232);
  const x86Off: Record<string, number> = {
    edi: 156,
    esi: 160,
    ebx: 164,
    edx: 168,
    ecx: 172,
    eax: 176,
    ebp: 180,
    eip: 184,
    esp: 196,
  };
  ctx.writeUInt32LE(x86 ? 0x1003f : 0x10003f, x86 ? 0 : 48);
  for (const [name, v] of Object.entries(spec.regs)) {
    if (x86) ctx.writeUInt32LE(Number(v), x86Off[name] ?? 176);
    else ctx.writeBigUInt64LE(v, 120 + 8 * Math.max(0, AMD64_GPR.indexOf(name)));
  }
  const ctxRva = place(ctx);
  const ip = spec.regs[x86 ? 'eip' : 'rip'] ?? 0n;
  // Thread list.
  const threads = Buffer.alloc(4 + 48);
  threads.writeUInt32LE(1, 0);
  threads.writeUInt32LE(0x1234, 4);
  threads.writeUInt32LE(ctx.length, 4 + 40);
  threads.writeUInt32LE(ctxRva, 4 + 44);
  const threadRva = place(threads);
  if (spec.stack) {
    threads.writeBigUInt64LE(spec.stack.start, 4 + 24);
    threads.writeUInt32LE(spec.stack.bytes.length, 4 + 32);
    threads.writeUInt32LE(place(spec.stack.bytes), 4 + 36);
  } else threads.writeBigUInt64LE(spec.stackStart ?? 0n, 4 + 24);
  streams.push([3, threads.length, threadRva]);
  // Exception: read AV at the instruction pointer.
  const ex = Buffer.alloc(168);
  ex.writeUInt32LE(0x1234, 0);
  ex.writeUInt32LE(0xc0000005, 8);
  ex.writeBigUInt64LE(ip, 24);
  ex.writeUInt32LE(2, 32);
  ex.writeBigUInt64LE(ip, 48);
  ex.writeUInt32LE(ctx.length, 160);
  ex.writeUInt32LE(ctxRva, 164);
  streams.push([6, 168, place(ex)]);
  // Module list: records, then all names, then (after an optional gap) all CodeView records.
  const modules = [spec.module, ...(spec.moreModules ?? [])];
  const mods = Buffer.alloc(4 + 108 * modules.length);
  mods.writeUInt32LE(modules.length, 0);
  const modRva = place(mods);
  modules.forEach((m, i) => {
    mods.writeBigUInt64LE(m.base, 4 + i * 108);
    mods.writeUInt32LE(m.size, 4 + i * 108 + 8);
    const name = Buffer.from(m.name, 'utf16le');
    const nameBuf = Buffer.alloc(4 + name.length);
    nameBuf.writeUInt32LE(name.length, 0);
    name.copy(nameBuf, 4);
    mods.writeUInt32LE(place(nameBuf), 4 + i * 108 + 20);
  });
  if (spec.gap) place(Buffer.alloc(spec.gap, 0x5a));
  modules.forEach((m, i) => {
    if (i === 0) return;
    const pdb = Buffer.from(`${m.name.replace(/\.[^.]*$/, '')}.pdb\0`, 'latin1');
    const cv = Buffer.alloc(24 + pdb.length);
    cv.write('RSDS', 0, 'latin1');
    cv.writeUInt32LE(i, 4);
    cv.writeUInt32LE(1, 20);
    pdb.copy(cv, 24);
    mods.writeUInt32LE(cv.length, 4 + i * 108 + 76);
    mods.writeUInt32LE(place(cv), 4 + i * 108 + 80);
  });
  streams.push([4, mods.length, modRva]);
  // MemoryList.
  const ml = spec.memoryList ?? [];
  const mlBuf = Buffer.alloc(4 + ml.length * 16);
  mlBuf.writeUInt32LE(ml.length, 0);
  const mlRva = place(mlBuf);
  ml.forEach((b, i) => {
    mlBuf.writeBigUInt64LE(b.start, 4 + i * 16);
    mlBuf.writeUInt32LE(b.bytes.length, 4 + i * 16 + 8);
    mlBuf.writeUInt32LE(place(b.bytes), 4 + i * 16 + 12);
  });
  streams.push([5, mlBuf.length, mlRva]);
  // Memory64List: descriptors, then every block's bytes back to back from BaseRva.
  if (spec.memory64List) {
    const m64 = spec.memory64List;
    const d = Buffer.alloc(16 + m64.length * 16);
    d.writeBigUInt64LE(BigInt(m64.length), 0);
    m64.forEach((b, i) => {
      d.writeBigUInt64LE(b.start, 16 + i * 16);
      d.writeBigUInt64LE(BigInt(b.bytes.length), 16 + i * 16 + 8);
    });
    const dRva = place(d);
    d.writeBigUInt64LE(BigInt(at), 8);
    for (const b of m64) place(b.bytes);
    streams.push([9, d.length, dRva]);
  }
  // An empty misc stream keeps the directory count fixed.
  streams.push([0, 0, 0]);
  header.write('MDMP', 0, 'latin1');
  header.writeUInt32LE(0xa793, 4);
  header.writeUInt32LE(dirCount, 8);
  header.writeUInt32LE(32, 12);
  streams.slice(0, dirCount).forEach(([t, s, r], i) => {
    dir.writeUInt32LE(t, i * 12);
    dir.writeUInt32LE(s, i * 12 + 4);
    dir.writeUInt32LE(r, i * 12 + 8);
  });
  return Buffer.concat(parts);
}

/** Little-endian words (4 or 8 bytes each) as a buffer. */
export function words(size: 4 | 8, values: bigint[]): Buffer {
  const b = Buffer.alloc(values.length * size);
  values.forEach((v, i) => (size === 4 ? b.writeUInt32LE(Number(v), i * 4) : b.writeBigUInt64LE(v, i * 8)));
  return b;
}
