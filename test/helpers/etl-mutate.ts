/**
 * Mutations for fuzzing the ETL reader over REAL fixture traces (and the synthetic kernel
 * trace): bit flips, flips inside buffer and record headers, truncation at and around buffer
 * boundaries, extreme sizes written over size fields, the compressed flag switched on, and
 * buffers duplicated. Shared by bench/etl-fuzz.ts and the seeded unit test.
 */

/** Deterministic, so a failing case can be reproduced from its index. */
export { mulberry32 } from './prng';

/** File offsets of every buffer (walking BufferSize; stops at the first implausible one). */
export function bufferStarts(b: Buffer): number[] {
  const out: number[] = [];
  let off = 0;
  while (off + 0x48 <= b.length && out.length < 100_000) {
    out.push(off);
    const size = b.readUInt32LE(off);
    if (size < 0x48) break;
    off += size;
  }
  return out;
}

const EXTREMES = [0, 1, 0x47, 0x48, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

export function mutateEtl(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  const starts = bufferStarts(src);
  const start = starts[pick(starts.length)] ?? 0;
  const b = Buffer.from(src);
  switch (pick(8)) {
    case 0:
      for (let i = 0; i < 1 + pick(16); i++) {
        const o = pick(b.length);
        b[o] = (b[o] ?? 0) ^ (1 << pick(8));
      }
      return b;
    case 1: {
      // Flips inside a buffer header or the first records after it.
      for (let i = 0; i < 1 + pick(4); i++) {
        const o = Math.min(b.length - 1, start + pick(0x48 + 256));
        b[o] = (b[o] ?? 0) ^ (1 << pick(8));
      }
      return b;
    }
    case 2: {
      // Truncation at a buffer boundary, or a few bytes either side of it.
      const cut = starts[pick(starts.length)] ?? 0;
      const delta = [0, 0, 1, -1, 8, -8, 0x48, 0x50, 100][pick(9)] ?? 0;
      return b.subarray(0, Math.max(0, Math.min(b.length, cut + delta)));
    }
    case 3: {
      // Extreme values over buffer size fields (BufferSize, SavedOffset, CurrentOffset, Offset).
      const field = [0, 4, 8, 0x30][pick(4)] ?? 0;
      if (start + field + 4 <= b.length) b.writeUInt32LE(EXTREMES[pick(EXTREMES.length)]!, start + field);
      return b;
    }
    case 4: {
      // Extreme 16-bit sizes over a record size (records start 8-aligned after the header).
      const o = (start + 0x48 + pick(512)) & ~7;
      const at = o + (pick(2) === 0 ? 0 : 4);
      if (at + 2 <= b.length) b.writeUInt16LE([0, 1, 8, 0xffff, 0x7fff, 0x50][pick(6)]!, at);
      return b;
    }
    case 5: {
      // Claim the buffer is compressed (garbage for the decompressor), or clear the flag.
      if (start + 0x36 <= b.length) b.writeUInt16LE(b.readUInt16LE(start + 0x34) ^ 0x40, start + 0x34);
      return b;
    }
    case 6: {
      // A buffer repeated (out-of-order timestamps, duplicate events).
      const other = starts[pick(starts.length)] ?? 0;
      const size = src.length >= other + 4 ? src.readUInt32LE(other) : 0;
      if (size >= 0x48 && other + size <= src.length)
        return Buffer.concat([b, src.subarray(other, other + size)]);
      return b;
    }
    default:
      return b.subarray(0, pick(b.length));
  }
}
