import { BUFFER_HEADER_SIZE } from './constants';
import { decodeRecordAt, EtlRecord, loadBuffer, type EtlBuffer, type EtlTrace } from './reader';

/**
 * Time-ordered reading. Each processor writes its own buffers, each in time order, so the
 * trace is a k-way merge of per-processor streams (what ProcessTrace does). A checkpoint is
 * the position of every stream, so paging can resume mid-trace without re-reading it.
 */
interface Stream {
  buffers: EtlBuffer[];
  pos: number;
  data: Buffer | null;
  off: number;
  rec: EtlRecord;
  done: boolean;
}

/** Per stream: [buffer position, record offset] pairs; offset -1 = exhausted. */
export type Checkpoint = Float64Array;

export class MergedReader {
  private readonly streams: Stream[];
  private heap: number[] = [];

  constructor(private readonly trace: EtlTrace) {
    const byKey = new Map<number, EtlBuffer[]>();
    for (const b of trace.buffers) {
      const key = b.loggerId * 65536 + b.processor;
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(b);
    }
    this.streams = [...byKey.keys()]
      .sort((a, b) => a - b)
      .map((k) => ({ buffers: byKey.get(k)!, pos: 0, data: null, off: 0, rec: new EtlRecord(), done: false }));
  }

  get streamCount(): number {
    return this.streams.length;
  }

  /** Positions every stream at its first record. */
  reset(): void {
    for (const s of this.streams) {
      s.pos = 0;
      s.data = null;
      s.off = BUFFER_HEADER_SIZE;
      s.done = false;
      this.prime(s, true);
    }
    this.rebuildHeap();
  }

  checkpoint(): Checkpoint {
    const cp = new Float64Array(this.streams.length * 2);
    this.streams.forEach((s, i) => {
      cp[i * 2] = s.pos;
      cp[i * 2 + 1] = s.done ? -1 : s.off;
    });
    return cp;
  }

  restore(cp: Checkpoint): void {
    this.streams.forEach((s, i) => {
      s.pos = cp[i * 2]!;
      const off = cp[i * 2 + 1]!;
      s.data = null;
      s.done = off < 0;
      s.off = off < 0 ? BUFFER_HEADER_SIZE : off;
      if (!s.done) this.prime(s, true);
    });
    this.rebuildHeap();
  }

  /**
   * Emits records in time order until `visit` returns false or the trace ends.
   * Returns false when stopped early (the reader then sits on the record after the last one).
   */
  run(visit: (rec: EtlRecord) => boolean | void): boolean {
    const heap = this.heap;
    while (heap.length > 0) {
      const si = heap[0]!;
      const s = this.streams[si]!;
      const keep = visit(s.rec);
      s.off += (s.rec.size + 7) & ~7;
      this.prime(s, false);
      if (s.done) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
      } else this.siftDown(0);
      if (keep === false) return false;
    }
    return true;
  }

  /** Moves `s` to a decodable record at or after its position (next buffers as needed). */
  private prime(s: Stream, fresh: boolean): void {
    const trace = this.trace;
    for (;;) {
      if (s.pos >= s.buffers.length) {
        s.done = true;
        return;
      }
      const buf = s.buffers[s.pos]!;
      if (!s.data || fresh) {
        s.data = loadBuffer(trace, buf);
        fresh = false;
        if (!s.data) {
          s.pos++;
          s.off = BUFFER_HEADER_SIZE;
          continue;
        }
      }
      const end = Math.min(s.data.length, buf.dataEnd);
      if (s.off + 4 <= end && s.data.readUInt32LE(s.off) !== 0xffffffff) {
        const r = decodeRecordAt(s.data, s.off, end, s.rec);
        if (typeof r === 'number') {
          s.rec.cpu = buf.processor;
          s.rec.bufferIndex = buf.index;
          return;
        }
        trace.problems.add({ code: 'bad_record', message: r, bufferIndex: buf.index, offset: buf.fileOffset + s.off });
      }
      s.pos++;
      s.off = BUFFER_HEADER_SIZE;
      s.data = null;
    }
  }

  private rebuildHeap(): void {
    this.heap = [];
    this.streams.forEach((s, i) => {
      if (!s.done) this.heap.push(i);
    });
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private less(a: number, b: number): boolean {
    const ta = this.streams[a]!.rec.timestamp;
    const tb = this.streams[b]!.rec.timestamp;
    return ta < tb || (ta === tb && a < b);
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(heap[l]!, heap[m]!)) m = l;
      if (r < n && this.less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      const t = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = t;
      i = m;
    }
  }
}
