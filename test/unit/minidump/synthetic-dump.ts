import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

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
