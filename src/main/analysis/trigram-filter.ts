/**
 * A quick "cannot contain" test for many short needles against one text: the text's character
 * trigrams go into a 64 Kbit set (hashed, so collisions only let a needle through to the real
 * `includes`), and a needle whose first, middle or last trigram is absent is not in the text.
 * The culprit model looks for each of a Nolvus log's ~3,000 module and plugin names in every
 * finding's text; this turns most of those substring searches into three bit tests.
 */
const BITS = 1 << 16;

/** ASCII upper case folded to lower case; every other code unit as it is. */
const fold = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

const hash3 = (s: string, i: number) =>
  (fold(s.charCodeAt(i)) * 961 + fold(s.charCodeAt(i + 1)) * 31 + fold(s.charCodeAt(i + 2))) & (BITS - 1);

export class TrigramFilter {
  private readonly bits = new Uint32Array(BITS >>> 5);

  /** Replaces the indexed text. */
  index(text: string): this {
    this.bits.fill(0);
    for (let i = 0; i + 3 <= text.length; i++) {
      const h = hash3(text, i);
      this.bits[h >>> 5]! |= 1 << (h & 31);
    }
    return this;
  }

  private has(s: string, i: number): boolean {
    const h = hash3(s, i);
    return (this.bits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }

  /** False only when `needle` (3 characters or more) is certainly not in the text. */
  mayContain(needle: string): boolean {
    const n = needle.length;
    if (n < 3) return true;
    return this.has(needle, 0) && this.has(needle, n - 3) && this.has(needle, (n - 3) >>> 1);
  }

  /**
   * For an indexed lower-case text: false only when `name.toLowerCase()` is certainly not in
   * it. The hash folds ASCII case, so an ASCII name needs no lower-cased copy; any other name
   * (whose lower case may differ, even in length) is let through.
   */
  mayContainLowered(name: string): boolean {
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) > 0x7f) return true;
    return this.mayContain(name);
  }
}
