import { describe, expect, it } from 'vitest';
import { TrigramFilter } from '../../../src/main/analysis/trigram-filter';
import { rng } from '../../helpers/log-mutations';

describe('TrigramFilter.mayContainLowered', () => {
  it('never rules out a name whose lower-cased copy the lower-cased text holds', () => {
    const rnd = rng(3);
    // Characters whose lower case differs in length (İ), maps onto ASCII (K, Kelvin sign) or
    // depends on the context (Σ), next to plain ASCII.
    const parts = 'a|B|c|.esp|İ|i̇|\u212A|k|Σ|ΑΣ|σ|é|É| |-|dll'.split('|');
    const word = (n: number) =>
      Array.from({ length: n }, () => parts[Math.floor(rnd() * parts.length)]).join('');
    let ruledOut = 0;
    for (let round = 0; round < 3000; round++) {
      const name = word(2 + Math.floor(rnd() * 5));
      const text = `${word(Math.floor(rnd() * 4))}${rnd() < 0.5 ? name : word(3)}${word(Math.floor(rnd() * 4))}`;
      const lower = text.toLowerCase();
      const filter = new TrigramFilter().index(lower);
      const may = filter.mayContainLowered(name);
      if (lower.includes(name.toLowerCase())) expect(may, JSON.stringify({ name, text })).toBe(true);
      else if (!may) ruledOut++;
    }
    // It still filters: most absent names are ruled out.
    expect(ruledOut).toBeGreaterThan(500);
  });

  it('rules out an ASCII name the text lacks, whatever else the name holds', () => {
    const filter = new TrigramFilter().index('plugin skyui_se.esp in the load order');
    expect(filter.mayContainLowered('SkyUI_SE.esp')).toBe(true);
    expect(filter.mayContainLowered('Missing Mod.esp')).toBe(false);
    expect(filter.mayContainLowered('Ünique Mod.esp')).toBe(false);
    expect(filter.mayContainLowered('İ')).toBe(true);
  });
});
