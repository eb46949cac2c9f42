import type { ByteSource } from '../../src/main/formats/common/byte-source';

/** Counts what a parser asks of its source: how many reads and how many bytes (read amplification). */
export class CountingSource implements ByteSource {
  bytes = 0;
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number {
    return this.inner.size;
  }
  get name(): string {
    return this.inner.name;
  }
  read(offset: number, length: number, field: string): Buffer {
    const b = this.inner.read(offset, length, field);
    this.bytes += b.length;
    this.reads++;
    return b;
  }
  close(): void {
    this.inner.close();
  }
}
