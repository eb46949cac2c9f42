import type { Checkpoint, MergedReader } from '../../formats/etl/merge';

/** Which events a page request wants: any of these types (null = all), one process (null = all). */
export interface EventFilter {
  typeIds: ReadonlySet<number> | null;
  pid: number | null;
}

const PID_NONE = 0xffffffff;
const TYPE_SCALE = 0x100000000;

/**
 * A sparse index over the time-ordered event stream: every BLOCK events a checkpoint of the
 * merge position, plus how many events of each (type, pid) pair the block holds. A page at
 * any offset, with any type/process filter, is then one checkpoint restore and a short read;
 * a 2 GB trace costs a few MB of index.
 */
export class EventIndex {
  static readonly BLOCK = 4096;
  readonly checkpoints: Checkpoint[] = [];
  /** Per block: sorted (type, pid) keys and their counts. */
  private readonly keys: Float64Array[] = [];
  private readonly counts: Uint32Array[] = [];
  /** Counts of the block being filled, keyed by a small integer per (type, pid) pair. */
  private cur = new Uint32Array(64);
  private readonly touched: number[] = [];
  private readonly pairIds = new Map<number, number>();
  private readonly pairKeys: number[] = [];
  private inBlock = 0;
  private lastKey = -1;
  private lastPair = -1;
  total = 0;

  /** Call for each visible event, before the reader advances past it. */
  add(reader: MergedReader, typeId: number, pid: number): void {
    if (this.inBlock === 0) {
      this.seal();
      this.checkpoints.push(reader.checkpoint());
    }
    // Small-integer map keys keep the per-event cost to two fast hash lookups.
    const key = typeId * TYPE_SCALE + (pid < 0 ? PID_NONE : pid >>> 0);
    let pair = key === this.lastKey ? this.lastPair : this.pairIds.get(key);
    if (pair === undefined) {
      pair = this.pairKeys.length;
      this.pairKeys.push(key);
      this.pairIds.set(key, pair);
      if (pair >= this.cur.length) {
        const grown = new Uint32Array(this.cur.length * 2);
        grown.set(this.cur);
        this.cur = grown;
      }
    }
    this.lastKey = key;
    this.lastPair = pair;
    const c = this.cur[pair]!;
    this.cur[pair] = c + 1;
    if (c === 0) this.touched.push(pair);
    this.total++;
    if (++this.inBlock === EventIndex.BLOCK) this.inBlock = 0;
  }

  /** Closes the block being filled (also call once after the last event). */
  seal(): void {
    if (this.touched.length === 0) return;
    const entries = this.touched
      .map((pair) => [this.pairKeys[pair]!, this.cur[pair]!] as const)
      .sort((a, b) => a[0] - b[0]);
    this.keys.push(Float64Array.from(entries, (e) => e[0]));
    this.counts.push(Uint32Array.from(entries, (e) => e[1]));
    for (const pair of this.touched) this.cur[pair] = 0;
    this.touched.length = 0;
  }

  get blocks(): number {
    return this.checkpoints.length;
  }

  /** Matching events per block. */
  blockMatches(filter: EventFilter): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.keys.length; i++) {
      const keys = this.keys[i]!;
      const counts = this.counts[i]!;
      let n = 0;
      for (let k = 0; k < keys.length; k++) if (matches(keys[k]!, filter)) n += counts[k]!;
      out.push(n);
    }
    return out;
  }

  get memoryBytes(): number {
    let n = 0;
    for (const k of this.keys) n += k.byteLength * 1.5;
    for (const c of this.checkpoints) n += c.byteLength;
    return n;
  }
}

function matches(key: number, f: EventFilter): boolean {
  const typeId = Math.floor(key / TYPE_SCALE);
  if (f.typeIds && !f.typeIds.has(typeId)) return false;
  if (f.pid !== null) {
    const pid = key - typeId * TYPE_SCALE;
    if (pid !== (f.pid < 0 ? PID_NONE : f.pid >>> 0)) return false;
  }
  return true;
}

export function eventMatches(typeId: number, pid: number, f: EventFilter): boolean {
  return matches(typeId * TYPE_SCALE + (pid < 0 ? PID_NONE : pid >>> 0), f);
}
