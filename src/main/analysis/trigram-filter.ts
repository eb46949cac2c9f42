/**
 * A quick "cannot contain" test for many short needles against one text: the text's character
 * trigrams go into a 64 Kbit set (hashed, so collisions only let a needle through to the real
 * `includes`), and a needle whose first, middle or last trigram is absent is not in the text.
 * The culprit model looks for each of a Nolvus log's ~3,000 module and plugin names in every
 * finding's text; this turns most of those substring searches into three bit tests.
 */
const BITS = 1 << 16;

const hash3 = (s: string, i: number) =>
  (s.charCodeAt(i) * 961 + s.charCodeAt(i + 1) * 31 + s.charCodeAt(i + 2)) & (BITS - 1);

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
}
