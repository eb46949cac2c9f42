/**
 * A free list of equal-size buffers for a producer whose consumer says when it is done with
 * each one (ZipWriter's `recycle`). Big buffers allocated and dropped at a high rate are the
 * worst case for glibc: freed blocks stay resident, so an export's peak RSS grew with the size
 * of the file rather than with what was in flight. Reusing a handful keeps it flat.
 *
 * Only buffers this pool handed out are taken back, each at most once per hand-out, so a
 * consumer that passes on something else (a joined buffer, a slice) cannot plant a buffer
 * that someone still reads.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly out = new WeakSet<Buffer>();

  constructor(
    readonly size: number,
    private readonly keep: number,
  ) {}

  /** A buffer of `n` bytes (contents undefined): a reused one when `n` is the pool's size. */
  take(n: number): Buffer {
    if (n !== this.size) return Buffer.allocUnsafeSlow(n);
    const b = this.free.pop() ?? Buffer.allocUnsafeSlow(n);
    this.out.add(b);
    return b;
  }

  /** Hands `b` back; ignored unless this pool gave it out and has not had it back since. */
  give(b: Buffer): void {
    if (!this.out.delete(b)) return;
    if (this.free.length < this.keep) this.free.push(b);
  }
}
