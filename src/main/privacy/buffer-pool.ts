/**
 * A free list of equal-size buffers for a producer whose consumer says when it is done with
 * the bytes it was handed (ZipWriter's `recycle`). Big buffers allocated and dropped at a high
 * rate are the worst case here: glibc keeps freed blocks resident, so an export's peak RSS grew
 * with the size of the file rather than with what was in flight, and every fresh buffer is
 * page-faulted in again (about a quarter of a text redaction pass's time on this VM).
 *
 * Counting is by backing store: `take` gives one reference to a buffer; `lend` adds one for each
 * view of it handed to a consumer; `give` returns one (for the buffer itself or any view of it).
 * At zero the buffer is free again. Views the pool never lent, and buffers it did not hand out,
 * are ignored, so a consumer that passes on something else (a joined buffer, a copy) cannot
 * plant a buffer that someone still reads; a view that never comes back only costs its buffer
 * its reuse.
 */
export interface Recycler {
  /** One more reference to the pool buffer `view` lies in (a view handed to a consumer). */
  lend(view: Uint8Array): void;
  /** One reference back. */
  give(view: Uint8Array): void;
}

export class BufferPool implements Recycler {
  private readonly free: Buffer[] = [];
  private readonly refs = new Map<ArrayBufferLike, { buf: Buffer; n: number; lent: WeakSet<Uint8Array> }>();

  /** shared: buffers backed by SharedArrayBuffers, which worker threads read without a copy. */
  constructor(
    readonly size: number,
    private readonly keep: number,
    private readonly shared = false,
  ) {}

  private alloc(n: number): Buffer {
    return this.shared ? Buffer.from(new SharedArrayBuffer(n)) : Buffer.allocUnsafeSlow(n);
  }

  /** A buffer of `n` bytes (contents undefined): a reused one when `n` is the pool's size. */
  take(n: number): Buffer {
    if (n !== this.size) return this.alloc(n);
    const buf = this.free.pop() ?? this.alloc(n);
    const lent = new WeakSet<Uint8Array>();
    lent.add(buf);
    this.refs.set(buf.buffer, { buf, n: 1, lent });
    return buf;
  }

  lend(view: Uint8Array): void {
    const r = this.refs.get(view.buffer);
    // A view object is lent once: the same object twice would need two gives to match.
    if (!r || r.lent.has(view)) return;
    r.lent.add(view);
    r.n++;
  }

  give(view: Uint8Array): void {
    const r = this.refs.get(view.buffer);
    if (!r || !r.lent.has(view)) return;
    r.lent.delete(view);
    if (--r.n > 0) return;
    this.refs.delete(view.buffer);
    if (this.free.length < this.keep) this.free.push(r.buf);
  }

  /** Buffers in use (references not yet given back), for tests. */
  get inUse(): number {
    return this.refs.size;
  }
}
