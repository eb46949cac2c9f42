/**
 * Which of many case-sensitive needles occur in a text, in one pass over it (Aho–Corasick over
 * UTF-16 code units). The rule sets hold over a hundred case-sensitive call-stack needles; an
 * `indexOf` each over a long call stack cost more than parsing the log. The redaction code's
 * ByteMatcher folds case over bytes, so it cannot answer a case-sensitive question on a JS
 * string (and analysis must not load privacy code).
 *
 * Built once per compiled rule set; `present` allocates one flag per needle and nothing per
 * character. The automaton is a full transition table over the code units the needles use
 * (every other code unit sends the scan back to the root), so a scan is one table load per
 * character whatever the needles.
 */
/** Table entries at most (16 MB); the bundled rules need about 0.5 MB. */
const MAX_TABLE = 4_000_000;

export class NeedleSet {
  /** Code unit → column (0: a unit no needle has). */
  private readonly column: Uint16Array;
  private readonly width: number;
  /** state * width + column → next state. */
  private readonly next: Int32Array;
  /** First needle ending at a state (-1 when none), and the next state along its output chain. */
  private readonly outNeedle: Int32Array;
  private readonly outLink: Int32Array;
  /** Needles with the same text as this one (-1 ends the chain): each is reported. */
  private readonly sameNeedle: Int32Array;
  readonly size: number;

  /**
   * Null when the table would be too big (a user rule file with thousands of long needles):
   * the caller then searches needle by needle, as before.
   */
  static build(needles: readonly string[]): NeedleSet | null {
    const units = new Set<number>();
    let states = 1;
    for (const n of needles) {
      states += n.length;
      for (let i = 0; i < n.length; i++) units.add(n.charCodeAt(i));
    }
    return states * (units.size + 1) > MAX_TABLE ? null : new NeedleSet(needles);
  }

  private constructor(needles: readonly string[]) {
    this.size = needles.length;
    const column = new Uint16Array(65536);
    let width = 1;
    for (const n of needles)
      for (let i = 0; i < n.length; i++) {
        const c = n.charCodeAt(i);
        if (column[c] === 0) column[c] = width++;
      }
    this.column = column;
    this.width = width;

    // The trie, with children keyed by state * width + column.
    const child = new Map<number, number>();
    const terminal: number[] = [-1];
    const sameNeedle = new Int32Array(needles.length).fill(-1);
    const lastSame = new Map<number, number>();
    needles.forEach((n, id) => {
      if (n === '') return;
      let s = 0;
      for (let i = 0; i < n.length; i++) {
        const key = s * width + column[n.charCodeAt(i)]!;
        let to = child.get(key);
        if (to === undefined) {
          to = terminal.length;
          terminal.push(-1);
          child.set(key, to);
        }
        s = to;
      }
      if (terminal[s] === -1) terminal[s] = id;
      else sameNeedle[lastSame.get(s) ?? terminal[s]!] = id;
      lastSame.set(s, id);
    });
    this.sameNeedle = sameNeedle;

    // Breadth-first: failure links, the output chain (nearest state on the failure chain that
    // ends a needle) and the full transition table (a missing child takes its failure's move).
    const states = terminal.length;
    const next = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const outNeedle = Int32Array.from(terminal);
    const outLink = new Int32Array(states).fill(-1);
    const queue: number[] = [];
    for (let col = 1; col < width; col++) {
      const to = child.get(col);
      if (to !== undefined) {
        next[col] = to;
        queue.push(to);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      outLink[s] = outNeedle[f]! >= 0 ? f : outLink[f]!;
      for (let col = 1; col < width; col++) {
        const to = child.get(s * width + col);
        if (to === undefined) next[s * width + col] = next[f * width + col]!;
        else {
          fail[to] = next[f * width + col]!;
          next[s * width + col] = to;
          queue.push(to);
        }
      }
    }
    this.next = next;
    this.outNeedle = outNeedle;
    this.outLink = outLink;
  }

  /** One flag per needle (by its index in the constructor's list): 1 when it occurs in `text`. */
  present(text: string): Uint8Array {
    const found = new Uint8Array(this.size);
    const { column, width, next, outNeedle, outLink } = this;
    let left = this.size;
    let s = 0;
    for (let i = 0; i < text.length && left > 0; i++) {
      s = next[s * width + column[text.charCodeAt(i)]!]!;
      for (let o = outNeedle[s]! >= 0 ? s : outLink[s]!; o >= 0; o = outLink[o]!) {
        for (let id = outNeedle[o]!; id >= 0; id = this.sameNeedle[id]!) {
          if (found[id] === 0) {
            found[id] = 1;
            left--;
          }
        }
      }
    }
    return found;
  }
}
