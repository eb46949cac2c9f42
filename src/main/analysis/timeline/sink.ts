import type {
  TimelineLevel,
  TimelinePrecision,
  TimelineRef,
  TimelineSource,
} from '../../../shared/domain/timeline';

/** An event before it is placed relative to the incident: its time on the local wall clock (ms as if UTC). */
export interface DraftEvent {
  wallMs: number;
  source: TimelineSource;
  kind: string;
  level: TimelineLevel;
  text: string;
  precision: TimelinePrecision;
  ref: TimelineRef;
}

/**
 * Keeps the `cap` items closest in time to `center` (the crash or freeze), whatever the input
 * size: a max-heap on the distance, so a 1 GB log or a 2 GiB trace costs `cap` items of memory.
 * Callers ask `wants(ms)` before building an item, so most lines of a big log cost no allocation.
 */
export class Nearest<T> {
  private readonly dist: number[] = [];
  private readonly items: T[] = [];
  seen = 0;

  constructor(
    readonly cap: number,
    private readonly center: number,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Whether an item at `ms` would be kept now. */
  wants(ms: number): boolean {
    return this.items.length < this.cap || Math.abs(ms - this.center) < this.dist[0]!;
  }

  /** Counts the item and keeps it if it is among the nearest so far. */
  add(ms: number, item: T): void {
    this.seen++;
    const d = Math.abs(ms - this.center);
    if (this.items.length < this.cap) {
      this.dist.push(d);
      this.items.push(item);
      this.up(this.items.length - 1);
    } else if (d < this.dist[0]!) {
      this.dist[0] = d;
      this.items[0] = item;
      this.down(0);
    }
  }

  /** Counts an item that `wants` turned away. */
  skip(): void {
    this.seen++;
  }

  values(): T[] {
    return [...this.items];
  }

  private swap(a: number, b: number): void {
    const d = this.dist[a]!;
    this.dist[a] = this.dist[b]!;
    this.dist[b] = d;
    const it = this.items[a]!;
    this.items[a] = this.items[b]!;
    this.items[b] = it;
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.dist[p]! >= this.dist[i]!) return;
      this.swap(p, i);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.items.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.dist[l]! > this.dist[m]!) m = l;
      if (r < n && this.dist[r]! > this.dist[m]!) m = r;
      if (m === i) return;
      this.swap(m, i);
      i = m;
    }
  }
}
