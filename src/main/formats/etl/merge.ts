import { BUFFER_HEADER_SIZE } from './constants';
import { decodeRecordAt, EtlRecord, loadBuffer, wordsOf, type EtlBuffer, type EtlTrace } from './reader';

/**
 * Time-ordered reading. Each processor writes its own buffers, each in time order, so the
 * trace is a k-way merge of per-processor streams (what ProcessTrace does). A checkpoint is
 * the position of every stream, so paging can resume mid-trace without re-reading it.
 */
interface Stream {
  buffers: EtlBuffer[];
  pos: number;
  data: Buffer | null;
  words: Uint32Array | null;
  off: number;
  rec: EtlRecord;
  done: boolean;
}

/** Per stream: [buffer position, record offset] pairs; offset -1 = exhausted. */
export type Checkpoint = Float64Array;

// Bound once: calls through a module's export accessor cost on the per-record path.
const decodeAt = decodeRecordAt;

export class MergedReader {
  private readonly streams: Stream[];
  private heap: number[] = [];
  /** Current record timestamp per stream (the heap key), kept apart from the records for speed. */
  private keys: Float64Array = new Float64Array(0);

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
      .map((k) => ({
        buffers: byKey.get(k)!,
        pos: 0,
        data: null,
        words: null,
        off: 0,
        rec: new EtlRecord(),
        done: false,
      }));
    this.keys = new Float64Array(this.streams.length);
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
    const keys = this.keys;
    const streams = this.streams;
    while (heap.length > 0) {
      const si = heap[0]!;
      const s = streams[si]!;
      const rec = s.rec;
      const keep = visit(rec);
      s.off += (rec.size + 7) & ~7;
      // Fast path: the next record of the same buffer decodes in place.
      const data = s.data!;
      const buf = s.buffers[s.pos]!;
      const end = data.length < buf.dataEnd ? data.length : buf.dataEnd;
      if (!(
        s.off + 4 <= end &&
        (s.words !== null ? s.words[s.off >>> 2] : data.readUInt32LE(s.off)) !== 0xffffffff &&
        typeof decodeAt(data, s.off, end, rec, s.words) === 'number'
      ))
        // End of this buffer's records, or a bad one: prime reports it and moves to the next buffer.
        this.prime(s, false);
      if (s.done) {
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          this.siftDown(0);
        }
      } else {
        // rec.cpu and rec.bufferIndex stay as prime() set them for this buffer.
        const ts = rec.timestamp;
        keys[si] = ts;
        // Most records are still the earliest: skip the sift when both children are later.
        const n = heap.length;
        const l = n > 1 ? heap[1]! : -1;
        const r = n > 2 ? heap[2]! : -1;
        if (
          (l >= 0 && (keys[l]! < ts || (keys[l] === ts && l < si))) ||
          (r >= 0 && (keys[r]! < ts || (keys[r] === ts && r < si)))
        )
          this.siftDown(0);
      }
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
        s.words = s.data ? wordsOf(s.data) : null;
        fresh = false;
        if (!s.data) {
          s.pos++;
          s.off = BUFFER_HEADER_SIZE;
          continue;
        }
      }
      const end = Math.min(s.data.length, buf.dataEnd);
      if (s.off + 4 <= end && s.data.readUInt32LE(s.off) !== 0xffffffff) {
        const r = decodeRecordAt(s.data, s.off, end, s.rec, s.words);
        if (typeof r === 'number') {
          s.rec.cpu = buf.processor;
          s.rec.bufferIndex = buf.index;
          this.keys[this.streams.indexOf(s)] = s.rec.timestamp;
          return;
        }
        trace.problems.add({
          code: 'bad_record',
          message: r,
          bufferIndex: buf.index,
          offset: buf.fileOffset + s.off,
        });
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
    const ta = this.keys[a]!;
    const tb = this.keys[b]!;
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
