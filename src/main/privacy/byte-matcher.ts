import { DfaKernel } from './dfa-kernel';

/**
 * Case-insensitive multi-pattern search over raw bytes (Aho–Corasick on folded bytes). One
 * pass finds every rule needle and every identity literal, in every encoding, so a 200 MB dump
 * or log is read once per phase instead of once per pattern.
 *
 * The automaton has no size limit: the shallow states (where a scan spends nearly all its time)
 * get a dense 256-entry row each, one table load per byte; states past DENSE_STATES (a huge
 * "always redact" list, 20,000 learned IPs) keep only their own transitions, sorted, and fall
 * back along failure links. A big pattern set is a little slower, never refused.
 */

/**
 * Hits as (pattern index, start) pairs in one growable array: `collect` fills it with no call
 * per hit, so the loops stay monomorphic and are optimized early in a process's first scan.
 */
export class HitList {
  data = new Int32Array(512);
  length = 0;

  push(pattern: number, start: number): void {
    if (this.length + 2 > this.data.length) {
      const more = new Int32Array(this.data.length * 2);
      more.set(this.data);
      this.data = more;
    }
    this.data[this.length++] = pattern;
    this.data[this.length++] = start;
  }

  /** Empties the list; past `keep` entries its array is given back too. */
  clear(keep = 1 << 16): void {
    this.length = 0;
    if (this.data.length > keep) this.data = new Int32Array(512);
  }
}

/** ASCII A–Z and Latin-1 À–Þ fold to lower case; every other byte is itself. */
export const FOLD = (() => {
  const f = new Uint8Array(256);
  for (let i = 0; i < 256; i++) f[i] = i;
  for (let i = 0x41; i <= 0x5a; i++) f[i] = i + 0x20;
  for (let i = 0xc0; i <= 0xde; i++) if (i !== 0xd7) f[i] = i + 0x20;
  return f;
})();

export interface BytePattern<T> {
  bytes: Uint8Array;
  data: T;
  /**
   * Reported only where the text `guard.at` bytes before the match starts at or after the
   * buffer's start and, with `notAfter`, does not follow a byte it marks. Checked before the
   * callback: most hits of a short trigger are dropped by it, and a call per hit cost more.
   */
  guard?: { at: number; notAfter: Uint8Array | null };
}

/** Dense rows for this many states (16 MB of table at most); deeper states are sparse. */
const DENSE_STATES = 16_384;
/** Below this many bytes a scan is one pass (the second pass's set-up would not pay). */
const TWO_STREAM_MIN = 4096;
/** From this many bytes a scan goes to the WebAssembly kernel (its chunk copy would not pay below). */
const KERNEL_MIN = 64 * 1024;
/** A state id must fit the 24 bits a table entry leaves for it. */
const MAX_STATES = 0xffffff;

export class ByteMatcher<T> {
  /** Per (state, byte), states below `dense` only: next state << 8, low bit set when that state ends a pattern. */
  private readonly table: Uint32Array;
  private readonly dense: number;
  /** Sparse states (>= dense): their transitions in CSR form, bytes sorted; and failure links. */
  private readonly sparseStart: Int32Array;
  private readonly sparseBytes: Uint8Array;
  private readonly sparseNext: Int32Array;
  private readonly fail: Int32Array;
  /** Some pattern ends at this state (itself or along its output chain). */
  private readonly ends: Uint8Array;
  /** First pattern ending at a state (or -1), then the next state on the output chain. */
  private readonly outPattern: Int32Array;
  private readonly outLink: Int32Array;
  /** Patterns with the same folded bytes as this one (each reported: two rules may share a needle). */
  private readonly samePattern: Int32Array;
  /** Each pattern's length in bytes (read per hit; cheaper than patterns[pi].bytes.length). */
  private readonly lengths: Int32Array;
  /** Each pattern's guard offset (-1: none) and byte class (see BytePattern.guard). */
  private readonly guardAt: Int32Array;
  private readonly guardSet: (Uint8Array | null)[];
  readonly patterns: readonly BytePattern<T>[];
  readonly maxLength: number;
  readonly stateCount: number;

  /** The WebAssembly loop for this table: made on the first big scan; null when it cannot run. */
  private kernel: DfaKernel | null | undefined;
  private readonly useKernel: boolean;

  /** `options.kernel: false` keeps every scan in the JavaScript loop (tests compare the two). */
  constructor(patterns: BytePattern<T>[], options: { kernel?: boolean } = {}) {
    this.useKernel = options.kernel !== false;
    this.patterns = patterns;
    this.lengths = Int32Array.from(patterns, (p) => p.bytes.length);
    this.guardAt = Int32Array.from(patterns, (p) => p.guard?.at ?? -1);
    this.guardSet = patterns.map((p) => p.guard?.notAfter ?? null);
    this.maxLength = patterns.reduce((m, p) => Math.max(m, p.bytes.length), 0);
    // The trie, with children in one map keyed by parent * 256 + byte (far lighter than a map per state).
    const child = new Map<number, number>();
    const terminal: number[] = [-1];
    const depth: number[] = [0];
    const samePattern = new Int32Array(patterns.length).fill(-1);
    const lastSame = new Map<number, number>();
    patterns.forEach((p, pi) => {
      let s = 0;
      for (const raw of p.bytes) {
        const key = s * 256 + FOLD[raw]!;
        let next = child.get(key);
        if (next === undefined) {
          next = terminal.length;
          terminal.push(-1);
          depth.push(depth[s]! + 1);
          child.set(key, next);
        }
        s = next;
      }
      if (p.bytes.length === 0) return;
      if (terminal[s] === -1) terminal[s] = pi;
      else samePattern[lastSame.get(s) ?? terminal[s]!] = pi;
      lastSame.set(s, pi);
    });
    const n = terminal.length;
    if (n > MAX_STATES) throw new Error(`byte matcher: ${n} states exceed the 24-bit state space`);

    // Breadth-first numbering: shallow states get the low ids, hence the dense rows.
    const order = new Int32Array(n);
    const idOf = new Int32Array(n);
    const kids: number[][] = Array.from({ length: n }, () => []);
    for (const [key, t] of child) kids[Math.floor(key / 256)]!.push((key % 256) * 0x1000000 + t);
    for (const k of kids) k.sort((a, b) => a - b);
    let tail = 1;
    for (let qi = 0; qi < tail; qi++) {
      const old = order[qi]!;
      idOf[old] = qi;
      for (const packed of kids[old]!) order[tail++] = packed % 0x1000000;
    }
    const dense = Math.min(n, DENSE_STATES);
    this.dense = dense;
    this.stateCount = n;

    // Sparse transitions of every state (new ids), CSR; also used while building the dense rows.
    const sparseStart = new Int32Array(n + 1);
    for (let s = 0; s < n; s++) sparseStart[s + 1] = sparseStart[s]! + kids[order[s]!]!.length;
    const sparseBytes = new Uint8Array(sparseStart[n]!);
    const sparseNext = new Int32Array(sparseStart[n]!);
    for (let s = 0; s < n; s++) {
      let at = sparseStart[s]!;
      for (const packed of kids[order[s]!]!) {
        sparseBytes[at] = Math.floor(packed / 0x1000000);
        sparseNext[at] = idOf[packed % 0x1000000]!;
        at++;
      }
    }
    const own = (s: number, b: number): number => sparseStep(sparseStart, sparseBytes, sparseNext, s, b);

    const fail = new Int32Array(n);
    const outPattern = new Int32Array(n).fill(-1);
    const outLink = new Int32Array(n).fill(-1);
    const ends = new Uint8Array(n);
    const table = new Uint32Array(dense * 256);
    // delta(s, b) for any state once its row (dense) or its failure chain is known.
    const step = (s: number, b: number): number => {
      for (;;) {
        if (s < dense) return table[s * 256 + b]! >>> 8;
        const t = own(s, b);
        if (t >= 0) return t;
        s = fail[s]!;
      }
    };
    // States in id order are breadth-first: a state's failure target is always processed before it.
    for (let s = 0; s < n; s++) {
      const f = fail[s]!;
      outPattern[s] = terminal[order[s]!]!;
      if (s > 0) outLink[s] = outPattern[f]! >= 0 ? f : outLink[f]!;
      ends[s] = outPattern[s]! >= 0 || outLink[s]! >= 0 ? 1 : 0;
      for (let k = sparseStart[s]!; k < sparseStart[s + 1]!; k++)
        fail[sparseNext[k]!] = s === 0 ? 0 : step(f, sparseBytes[k]!);
      if (s < dense) {
        // The failure state's row, then this state's own transitions over it. (copyWithin: a
        // build mostly runs cold, and a JS loop of 256 copies per state ran interpreted there:
        // an export's first three builds, text and dump matchers, 110 -> 97 ms in a new process.)
        if (s > 0) table.copyWithin(s * 256, f * 256, f * 256 + 256);
        for (let k = sparseStart[s]!; k < sparseStart[s + 1]!; k++)
          table[s * 256 + sparseBytes[k]!] = sparseNext[k]! << 8;
      }
    }
    // Flags once every state's output is known; fold once here, not per byte.
    for (let i = 0; i < table.length; i++) table[i] = table[i]! | ends[table[i]! >>> 8]!;
    const folded: number[] = [];
    for (let b = 0; b < 256; b++) if (FOLD[b] !== b) folded.push(b);
    for (let st = 0; st < dense; st++)
      for (const b of folded) table[st * 256 + b] = table[st * 256 + FOLD[b]!]!;
    this.table = table;
    this.sparseStart = sparseStart;
    this.sparseBytes = sparseBytes;
    this.sparseNext = sparseNext;
    this.fail = fail;
    this.ends = ends;
    this.outPattern = outPattern;
    this.outLink = outLink;
    this.samePattern = samePattern;
  }

  /** Whether big scans run in the WebAssembly kernel (false until the first one, or where it cannot run). */
  get kernelInUse(): boolean {
    return !!this.kernel;
  }

  /**
   * Calls `onHit(patternIndex, start)` for every occurrence in buf[from, to), `start` being the
   * offset of the match's first byte within `buf`, in order of the match's last byte (then along
   * the output chain), exactly as one left-to-right pass reports them.
   */
  scan(buf: Uint8Array, from: number, to: number, onHit: (pattern: number, start: number) => void): void {
    const list = new HitList();
    this.collect(buf, from, to, list);
    const d = list.data;
    for (let k = 0; k < list.length; k += 2) onHit(d[k]!, d[k + 1]!);
  }

  /** Appends to `out` what `scan` would report, in the same order. Calls nothing outside. */
  collect(buf: Uint8Array, from: number, to: number, out: HitList): void {
    if (this.dense !== this.stateCount) {
      this.scanHybrid(buf, from, to, out);
      return;
    }
    const table = this.table;
    // The automaton's state after a byte stands for the longest text ending there that is a
    // pattern prefix: at most maxLength bytes. A pass started from the root maxLength - 1 bytes
    // before the middle has seen all of that by the middle byte, so from there on it is in the
    // same state as a pass from the start.
    const warm = Math.max(0, this.maxLength - 1);
    if (to - from >= KERNEL_MIN && this.useKernel) {
      if (this.kernel === undefined) this.kernel = DfaKernel.create(table, warm);
      const mark = out.length;
      if (this.kernel?.scan(buf, from, to, this, out)) return;
      out.length = mark;
    }
    if (to - from < TWO_STREAM_MIN || warm * 16 > to - from) {
      this.walk(buf, from, to, from, 0, out);
      return;
    }
    // Two independent passes, first half and second half, advanced in the same loop: each byte's
    // table load waits on the previous one, so one pass leaves the core idle between loads and a
    // second chain fills that time (about 1.5x the bytes per second here). The first half's hits
    // are reported as found; the second half's are kept, then reported after it, so the order is
    // that of one pass.
    const split = from + ((to - from) >> 1);
    const later = new HitList();
    let ea = 0;
    let eb = 0;
    let j = split - warm;
    for (let i = from; i < split; i++, j++) {
      ea = table[(ea & 0xffffff00) | buf[i]!]!;
      eb = table[(eb & 0xffffff00) | buf[j]!]!;
      if ((ea | eb) & 1) {
        if (ea & 1) this.emit(buf, ea >>> 8, i, out);
        // Before `split` the second pass is warming up: those matches are the first pass's.
        if (eb & 1 && j >= split) {
          later.push(eb >>> 8, j);
        }
      }
    }
    for (; j < to; j++) {
      eb = table[(eb & 0xffffff00) | buf[j]!]!;
      if (eb & 1) {
        later.push(eb >>> 8, j);
      }
    }
    const kept = later.data;
    for (let k = 0; k < later.length; k += 2) this.emit(buf, kept[k]!, kept[k + 1]!, out);
  }

  private scanHybrid(buf: Uint8Array, from: number, to: number, out: HitList): void {
    const { table, dense, fail, ends } = this;
    let s = 0;
    for (let i = from; i < to; i++) {
      const b = FOLD[buf[i]!]!;
      for (;;) {
        if (s < dense) {
          s = table[(s << 8) | b]! >>> 8;
          break;
        }
        const t = this.ownStep(s, b);
        if (t >= 0) {
          s = t;
          break;
        }
        s = fail[s]!;
      }
      if (ends[s]) this.emit(buf, s, i, out);
    }
  }

  private ownStep(s: number, b: number): number {
    return sparseStep(this.sparseStart, this.sparseBytes, this.sparseNext, s, b);
  }

  /**
   * One pass of the dense table over buf[from, to), from entry `e` (0: the root), its hits from
   * offset `report` on into `out`: small scans, and the ends of the kernel's chunks.
   */
  walk(buf: Uint8Array, from: number, to: number, report: number, e: number, out: HitList): void {
    const table = this.table;
    for (let i = from; i < to; i++) {
      e = table[(e & 0xffffff00) | buf[i]!]!;
      if (e & 1 && i >= report) this.emit(buf, e >>> 8, i, out);
    }
  }

  /** The patterns ending at state `s` after byte `i`, past their guards, into `out`. */
  emit(buf: Uint8Array, s: number, i: number, out: HitList): void {
    let o = this.outPattern[s]! >= 0 ? s : this.outLink[s]!;
    while (o >= 0) {
      for (let pi = this.outPattern[o]!; pi >= 0; pi = this.samePattern[pi]!) {
        const start = i + 1 - this.lengths[pi]!;
        const at = this.guardAt[pi]!;
        if (at >= 0) {
          const q = start - at;
          if (q < 0) continue;
          const set = this.guardSet[pi];
          if (set && q > 0 && set[buf[q - 1]!]) continue;
        }
        out.push(pi, start);
      }
      o = this.outLink[o]!;
    }
  }
}

/** State s's own transition on byte b (binary search of its sorted bytes), or -1. */
function sparseStep(start: Int32Array, bytes: Uint8Array, next: Int32Array, s: number, b: number): number {
  let lo = start[s]!;
  let hi = start[s + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = bytes[mid]!;
    if (x === b) return next[mid]!;
    if (x < b) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
