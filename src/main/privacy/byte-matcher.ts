/**
 * Case-insensitive multi-pattern search over raw bytes (Aho–Corasick on folded bytes). One
 * pass finds every rule needle and every identity literal, in every encoding, so a 200 MB dump
 * or log is read once per phase instead of once per pattern.
 */

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
}

export class ByteMatcher<T> {
  /** Per (state, byte): next state << 8, low bit set when that state ends a pattern. */
  private readonly table: Uint32Array;
  /** First pattern ending at a state (or -1), then the next state on the output chain. */
  private readonly outPattern: Int32Array;
  private readonly outLink: Int32Array;
  readonly patterns: readonly BytePattern<T>[];
  readonly maxLength: number;

  constructor(patterns: BytePattern<T>[]) {
    this.patterns = patterns;
    this.maxLength = patterns.reduce((m, p) => Math.max(m, p.bytes.length), 0);
    const gotoMaps: Map<number, number>[] = [new Map()];
    const terminal: number[] = [-1];
    patterns.forEach((p, pi) => {
      let s = 0;
      for (const raw of p.bytes) {
        const b = FOLD[raw]!;
        let next = gotoMaps[s]!.get(b);
        if (next === undefined) {
          next = gotoMaps.length;
          gotoMaps.push(new Map());
          terminal.push(-1);
          gotoMaps[s]!.set(b, next);
        }
        s = next;
      }
      // Identical folded patterns: the first wins (its data describes the others too).
      if (p.bytes.length > 0 && terminal[s] === -1) terminal[s] = pi;
    });
    const n = gotoMaps.length;
    // The scan table packs a state into 24 bits; far more states than any rule set needs.
    if (n > 65535) throw new Error(`too many patterns for the byte matcher (${n} states)`);
    const delta = new Uint16Array(n * 256);
    const fail = new Int32Array(n);
    const outPattern = new Int32Array(n).fill(-1);
    const outLink = new Int32Array(n).fill(-1);
    const queue: number[] = [];
    for (let b = 0; b < 256; b++) {
      const t = gotoMaps[0]!.get(b);
      if (t !== undefined) {
        delta[b] = t;
        fail[t] = 0;
        queue.push(t);
      } else delta[b] = 0;
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      outPattern[s] = terminal[s]!;
      // The output chain skips states that end no pattern.
      outLink[s] = outPattern[f]! >= 0 ? f : outLink[f]!;
      for (let b = 0; b < 256; b++) {
        const t = gotoMaps[s]!.get(b);
        if (t !== undefined) {
          fail[t] = delta[f * 256 + b]!;
          delta[s * 256 + b] = t;
          queue.push(t);
        } else delta[s * 256 + b] = delta[f * 256 + b]!;
      }
    }
    // Fold once here, not per byte: the table is indexed by the raw byte.
    for (let st = 0; st < n; st++)
      for (let b = 0; b < 256; b++) if (FOLD[b] !== b) delta[st * 256 + b] = delta[st * 256 + FOLD[b]!]!;
    // Next state and "something ends here" in one word: one load per byte instead of two.
    const table = new Uint32Array(n * 256);
    for (let i = 0; i < n * 256; i++) {
      const t = delta[i]!;
      table[i] = (t << 8) | (outPattern[t]! >= 0 || outLink[t]! >= 0 ? 1 : 0);
    }
    this.table = table;
    this.outPattern = outPattern;
    this.outLink = outLink;
  }

  /**
   * Calls `onHit(patternIndex, start)` for every occurrence in buf[from, to), `start` being the
   * offset of the match's first byte within `buf`.
   */
  scan(buf: Uint8Array, from: number, to: number, onHit: (pattern: number, start: number) => void): void {
    const table = this.table;
    let e = 0;
    for (let i = from; i < to; i++) {
      e = table[(e & 0xffffff00) | buf[i]!]!;
      if (e & 1) this.emit(e >>> 8, i, onHit);
    }
  }

  private emit(s: number, i: number, onHit: (pattern: number, start: number) => void): void {
    let o = this.outPattern[s]! >= 0 ? s : this.outLink[s]!;
    while (o >= 0) {
      const pi = this.outPattern[o]!;
      onHit(pi, i + 1 - this.patterns[pi]!.bytes.length);
      o = this.outLink[o]!;
    }
  }
}
