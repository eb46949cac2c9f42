import { BufferSource, type ByteSource } from './byte-source';

/**
 * Small reads through aligned blocks kept in a little LRU. Parsers that jump around a file (a
 * minidump's module names, CodeView records, thread contexts and stack words sit in different
 * places) would otherwise make a one-window read-ahead fetch the same region again and again:
 * with blocks, each region is fetched once while it stays among the recently used. Large reads
 * go straight to the underlying source.
 */
export class BlockCache implements ByteSource {
  readonly size: number;
  readonly name: string;
  private readonly blocks = new Map<number, Buffer>();

  constructor(
    private readonly inner: ByteSource,
    private readonly blockSize = 64 * 1024,
    private readonly maxBlocks = 32,
  ) {
    this.size = inner.size;
    this.name = inner.name;
  }

  read(offset: number, length: number, field: string): Buffer {
    // Anything odd (out of range, huge, negative) gets the underlying source's own error.
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.size
    )
      return this.inner.read(offset, length, field);
    const first = Math.floor(offset / this.blockSize);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / this.blockSize);
    if (length > this.blockSize / 4) {
      // Large reads are not cached, but are served from blocks already here.
      if (last - first > 64) return this.inner.read(offset, length, field);
      for (let i = first; i <= last; i++)
        if (!this.blocks.has(i)) return this.inner.read(offset, length, field);
      const parts: Buffer[] = [];
      for (let i = first; i <= last; i++) parts.push(this.block(i, field));
      const at = offset - first * this.blockSize;
      return Buffer.concat(parts).subarray(at, at + length);
    }
    if (first === last) {
      const b = this.block(first, field);
      const at = offset - first * this.blockSize;
      return b.subarray(at, at + length);
    }
    // Straddles two blocks (length is at most a quarter block).
    const a = this.block(first, field);
    const b = this.block(last, field);
    const at = offset - first * this.blockSize;
    return Buffer.concat([a.subarray(at), b.subarray(0, length - (a.length - at))]);
  }

  private block(index: number, field: string): Buffer {
    const hit = this.blocks.get(index);
    if (hit) {
      // Most recently used last.
      this.blocks.delete(index);
      this.blocks.set(index, hit);
      return hit;
    }
    const start = index * this.blockSize;
    const b = this.inner.read(start, Math.min(this.blockSize, this.size - start), field);
    if (this.blocks.size >= this.maxBlocks) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    this.blocks.set(index, b);
    return b;
  }

  close(): void {
    this.blocks.clear();
    this.inner.close();
  }
}

/** `src` behind a block cache, unless it is in memory already or cached. */
export function cached(src: ByteSource): ByteSource {
  return src instanceof BufferSource || src instanceof BlockCache ? src : new BlockCache(src);
}
