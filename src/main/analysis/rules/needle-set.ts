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

    // The trie straight in the transition table (0: no child yet; the root is never a child).
    // Built on first use by an `analyze` run, so no map per state and no lookup per entry.
    let bound = 1;
    for (const n of needles) bound += n.length;
    const next = new Int32Array(bound * width);
    const terminal = new Int32Array(bound).fill(-1);
    const sameNeedle = new Int32Array(needles.length).fill(-1);
    const lastSame = new Map<number, number>();
    let states = 1;
    needles.forEach((n, id) => {
      if (n === '') return;
      let s = 0;
      for (let i = 0; i < n.length; i++) {
        const at = s * width + column[n.charCodeAt(i)]!;
        if (next[at] === 0) next[at] = states++;
        s = next[at]!;
      }
      if (terminal[s] === -1) terminal[s] = id;
      else sameNeedle[lastSame.get(s) ?? terminal[s]!] = id;
      lastSame.set(s, id);
    });
    this.sameNeedle = sameNeedle;

    // Breadth-first: failure links, the output chain (nearest state on the failure chain that
    // ends a needle) and the full transition table (a missing child takes its failure's move).
    const fail = new Int32Array(states);
    const outNeedle = terminal.subarray(0, states);
    const outLink = new Int32Array(states).fill(-1);
    const queue = new Int32Array(states);
    let tail = 0;
    for (let col = 1; col < width; col++) if (next[col] !== 0) queue[tail++] = next[col]!;
    for (let q = 0; q < tail; q++) {
      const s = queue[q]!;
      const f = fail[s]!;
      outLink[s] = outNeedle[f]! >= 0 ? f : outLink[f]!;
      for (let col = 1; col < width; col++) {
        const to = next[s * width + col]!;
        if (to === 0) next[s * width + col] = next[f * width + col]!;
        else {
          fail[to] = next[f * width + col]!;
          queue[tail++] = to;
        }
      }
    }
    this.next = next.subarray(0, states * width);
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
