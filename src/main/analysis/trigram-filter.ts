/**
 * A quick "cannot contain" test for many needles against one text: the text's character
 * trigrams go into a hashed bit set (collisions only let a needle through to the real search),
 * and a needle with a trigram the text lacks is not in it. Hashing folds ASCII case, and the
 * two characters that lower-case to ASCII letters (U+212A Kelvin sign to "k", U+0130 to "i"),
 * so one index answers case-sensitive needles and lower-cased ASCII ones alike.
 *
 * The culprit model looks for each of a Nolvus log's ~3,000 names in every finding's text, and
 * the rule engine for ~130 needles in the call-stack text of every log; this turns most of those
 * searches into a few bit tests after one pass over the text.
 */

const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c === 0x212a ? 107 : c === 0x130 ? 105 : c);

export class TrigramFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** A set of 2^`log2Bits` bits: 16 for a few kilobytes of text, 18 for a whole log section. */
  constructor(log2Bits = 16) {
    this.bits = new Uint32Array(1 << (log2Bits - 5));
    this.mask = (1 << log2Bits) - 1;
  }

  /** Replaces the indexed text. */
  index(text: string): this {
    const { bits, mask } = this;
    bits.fill(0);
    if (text.length < 3) return this;
    let a = fold(text.charCodeAt(0));
    let b = fold(text.charCodeAt(1));
    for (let i = 2; i < text.length; i++) {
      const c = fold(text.charCodeAt(i));
      const h = (a * 961 + b * 31 + c) & mask;
      bits[h >>> 5]! |= 1 << (h & 31);
      a = b;
      b = c;
    }
    return this;
  }

  private has(s: string, i: number): boolean {
    const h =
      (fold(s.charCodeAt(i)) * 961 + fold(s.charCodeAt(i + 1)) * 31 + fold(s.charCodeAt(i + 2))) & this.mask;
    return (this.bits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  /**
   * False only when the text certainly lacks `needle` (3 characters or more), as written or,
   * for an ASCII needle, in any ASCII case.
   */
  mayContain(needle: string): boolean {
    const n = needle.length;
    if (n < 3) return true;
    for (let i = 0; i + 3 <= n; i++) if (!this.has(needle, i)) return false;
    return true;
  }

  /**
   * For an indexed lower-case text: false only when `name.toLowerCase()` is certainly not in
   * it, with no lower-cased copy and one pass that stops at the first trigram the text lacks.
   * Lower-casing maps each character on its own (a final sigma only picks its own form), and
   * an ASCII character to one ASCII character, so three ASCII characters side by side in the
   * name are side by side, lower-cased, in its lower-cased copy; trigrams holding any other
   * character (whose lower case may differ, even in length) are not tested.
   */
  mayContainLowered(name: string): boolean {
    const n = name.length;
    if (n < 3) return true;
    let b = name.charCodeAt(0);
    let c = name.charCodeAt(1);
    for (let i = 2; i < n; i++) {
      const a = b;
      b = c;
      c = name.charCodeAt(i);
      if (a > 0x7f || b > 0x7f || c > 0x7f) continue;
      if (!this.has(name, i - 2)) return false;
    }
    return true;
  }
}
