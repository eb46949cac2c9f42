import { describe, expect, it } from 'vitest';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { analyzeMinidump } from '../../../src/main/analysis/minidump/analyze-dump';
import { DumpMemory } from '../../../src/main/analysis/minidump/stackwalk';
import type { DumpAnalysis } from '../../../src/shared/domain/minidump';
import { buildDump, words } from './synthetic-dump';

/**
 * Memory ranges that overlap or nest. A real x86 dump with a 256-byte block inside the crashing
 * thread's stack (exec_av_on_stack.dmp) is in the Breakpad agreement test; these synthetic dumps
 * (no real dump we hold has them) add x64, Memory64List, a stack held only in the memory lists,
 * and ranges that overlap without nesting.
 */
const fill = (n: number, byte: number): Buffer => Buffer.alloc(n, byte);

describe('DumpMemory over overlapping and nested ranges (MemoryList + Memory64List)', () => {
  // Outer 4 KiB range (bytes 0xaa) with a 256-byte block nested in it (0xbb) and a range that
  // overlaps its end (0xcc); the last two come from the Memory64List.
  const dump = buildDump({
    arch: 'amd64',
    module: { base: 0x140000000n, size: 0x10000, name: 'Game.exe' },
    regs: { rip: 0x140001000n, rsp: 0x10000n },
    stackStart: 0x10000n,
    memoryList: [{ start: 0x1000n, bytes: fill(0x1000, 0xaa) }],
    memory64List: [
      { start: 0x1800n, bytes: fill(0x100, 0xbb) },
      { start: 0x1f00n, bytes: fill(0x200, 0xcc) },
    ],
  });
  const src = new BufferSource(dump, 'overlap.dmp');
  const md = readMinidump(src);
  const mem = new DumpMemory(src, md.memory);

  it('reads the three ranges from both lists', () => {
    expect(md.problems).toEqual([]);
    expect(md.memory.map((r) => [r.start, r.size])).toEqual([
      [0x1000n, 0x1000],
      [0x1800n, 0x100],
      [0x1f00n, 0x200],
    ]);
  });

  it('serves a read above a nested block from the outer range', () => {
    // The old binary search stopped at the nested block and failed every read above it.
    expect(mem.read(0x1a00n, 16)).toEqual(fill(16, 0xaa));
    expect(mem.read(0x17f0n, 0x40)).toEqual(fill(0x40, 0xaa));
  });

  it('prefers the range that starts lowest where several hold the bytes', () => {
    expect(mem.read(0x1850n, 8)).toEqual(fill(8, 0xaa));
  });

  it('serves a read across the outer range end from the overlapping range', () => {
    expect(mem.read(0x1ff8n, 16)).toEqual(fill(16, 0xcc));
    expect(mem.read(0x2000n, 0x100)).toEqual(fill(0x100, 0xcc));
  });

  it('refuses reads that no single range holds', () => {
    expect(mem.read(0x20f0n, 0x20)).toBeUndefined();
    expect(mem.read(0xff8n, 16)).toBeUndefined();
    expect(mem.read(0x3000n, 4)).toBeUndefined();
  });
});

function analyze(dump: Buffer): DumpAnalysis {
  const src = new BufferSource(dump, 'synthetic.dmp');
  return analyzeMinidump(src, readMinidump(src));
}

describe('stack walks through stacks with nested blocks', () => {
  const base = 0x140000000n;
  const ret = (off: number): bigint => base + BigInt(off);
  const frames = (a: DumpAnalysis): string[] =>
    a.stack.map((f) => `${f.trust} ${f.module}+${f.moduleOffset}`);

  it('x64: stack only in the Memory64List, with a MemoryList block nested in it', () => {
    // Return addresses above rsp and above the nested block; the thread has no stack descriptor.
    const stackStart = 0x7ff000n;
    const stack = Buffer.alloc(0x2000);
    words(8, [ret(0x2222)]).copy(stack, 0x300);
    words(8, [ret(0x3333)]).copy(stack, 0x400);
    const a = analyze(
      buildDump({
        arch: 'amd64',
        module: { base, size: 0x10000, name: 'Game.exe' },
        regs: { rip: ret(0x1111), rsp: stackStart + 0x100n, rbp: 0n },
        stackStart,
        memoryList: [{ start: stackStart + 0x180n, bytes: Buffer.alloc(0x100) }],
        memory64List: [{ start: stackStart, bytes: stack }],
      }),
    );
    expect(a.problems).toEqual([]);
    expect(frames(a)).toEqual(['context Game.exe+0x1111', 'scan Game.exe+0x2222', 'scan Game.exe+0x3333']);
    expect(a.stack[2]?.sp).toBe(`0x${(stackStart + 0x408n).toString(16)}`);
  });

  it('x86: ebp chain across a 256-byte block nested in a MemoryList stack, ending at the thread start', () => {
    const r32 = (off: number): bigint => 0x400000n + BigInt(off);
    const stackStart = 0x3000n;
    const stack = Buffer.alloc(0x1000);
    const at = (addr: bigint, values: bigint[]): void =>
      void words(4, values).copy(stack, Number(addr - stackStart));
    const ebp1 = stackStart + 0x120n;
    const ebp2 = stackStart + 0x800n;
    const ebp3 = stackStart + 0x900n;
    // Saved ebp / return address pairs; the outermost frame saved a null pair (thread start). A
    // stale return address higher up must not become a trailing frame.
    at(ebp1, [ebp2, r32(0x2222)]);
    at(ebp2, [ebp3, r32(0x3333)]);
    at(ebp3, [0n, 0n]);
    at(ebp2 + 0x10n, [r32(0x4444)]);
    const a = analyze(
      buildDump({
        arch: 'x86',
        module: { base: 0x400000n, size: 0x10000, name: 'Game.exe' },
        regs: { eip: r32(0x1111), esp: stackStart + 0x100n, ebp: ebp1 },
        stackStart,
        memoryList: [
          { start: stackStart + 0x200n, bytes: Buffer.alloc(0x100, 0x11) },
          { start: stackStart, bytes: stack },
        ],
      }),
    );
    expect(a.problems).toEqual([]);
    expect(frames(a)).toEqual([
      'context Game.exe+0x1111',
      'frame_pointer Game.exe+0x2222',
      'frame_pointer Game.exe+0x3333',
    ]);
  });
});
