import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareNames } from '../../../src/main/analysis/cause/name-order';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { mulberry32 } from '../../helpers/prng';

/**
 * compareNames must order names exactly as the English collator does (it replaced
 * `localeCompare` in the suspect ranking); the ASCII fast path is checked against the collator
 * itself, character by character, on random strings and on every real log's names.
 */
const collator = new Intl.Collator('en-US');
const sign = (n: number) => Math.sign(n);

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

function agrees(a: string, b: string): boolean {
  return sign(compareNames(a, b)) === sign(collator.compare(a, b));
}

describe('compareNames', () => {
  it('orders every pair of printable ASCII characters and two-character strings as the collator', () => {
    for (const a of PRINTABLE) for (const b of PRINTABLE) expect(agrees(a, b), `${a} ${b}`).toBe(true);
    const rnd = mulberry32(15);
    const pick = () => PRINTABLE[Math.floor(rnd() * PRINTABLE.length)]!;
    for (let i = 0; i < 50_000; i++) {
      const a = pick() + pick();
      const b = pick() + pick();
      expect(agrees(a, b), `${a} ${b}`).toBe(true);
    }
  });

  it('orders random name-like strings as the collator (case, prefixes, punctuation, digits)', () => {
    const rnd = mulberry32(7);
    // Few distinct letters so that long common prefixes and case-only differences are frequent.
    const alphabet = [..."aAbBeE -_.019'()[~"];
    const word = () => {
      let s = '';
      const n = Math.floor(rnd() * 9);
      for (let i = 0; i < n; i++)
        s +=
          rnd() < 0.3
            ? PRINTABLE[Math.floor(rnd() * PRINTABLE.length)]
            : alphabet[Math.floor(rnd() * alphabet.length)];
      return s;
    };
    for (let i = 0; i < 200_000; i++) {
      const a = word();
      // Often a near copy of `a`: the same letters in another case, or one more character.
      const r = rnd();
      const b =
        r < 0.3
          ? [...a].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('')
          : r < 0.5
            ? a + word()
            : word();
      expect(agrees(a, b), JSON.stringify([a, b])).toBe(true);
    }
  });

  it('falls back to the collator for other characters', () => {
    const pairs: [string, string][] = [
      ['Élan.esp', 'Elan.esp'],
      ['a\tb.dll', 'a b.dll'],
      ['İ.esp', 'i.esp'],
      ['ß.esp', 'ss.esp'],
      ['Zeta.esp', 'Ωmega.esp'],
    ];
    for (const [a, b] of pairs) {
      expect(sign(compareNames(a, b))).toBe(sign(collator.compare(a, b)));
      expect(sign(compareNames(b, a))).toBe(sign(collator.compare(b, a)));
    }
  });

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  describe.skipIf(!fixturesAvailable())('on every real log', () => {
    it("sorts each log's module, DLL and plugin names as the collator does", () => {
      const root = real('crashlogs');
      const names = new Set<string>();
      for (const dir of readdirSync(root))
        for (const f of readdirSync(join(root, dir))) {
          if (f.endsWith('.md')) continue;
          const p = parseCrashLog(readFileSync(join(root, dir, f)), f);
          for (const m of p.modules) names.add(m.name);
          for (const x of p.xsePlugins) names.add(x.name);
          for (const g of p.gamePlugins) names.add(g.name);
        }
      const all = [...names];
      expect(all.length).toBeGreaterThan(1000);
      expect([...all].sort(compareNames)).toEqual([...all].sort((a, b) => collator.compare(a, b)));
      const rnd = mulberry32(3);
      for (let i = 0; i < 100_000; i++) {
        const a = all[Math.floor(rnd() * all.length)]!;
        const b = all[Math.floor(rnd() * all.length)]!;
        expect(agrees(a, b), JSON.stringify([a, b])).toBe(true);
      }
    });
  });
});
