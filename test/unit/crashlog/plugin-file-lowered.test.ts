import { describe, expect, it } from 'vitest';
import { isPluginFileLowered } from '../../../src/main/analysis/crashlog/suspects';

describe('isPluginFileLowered', () => {
  it('agrees with /\\.es[pml]$/i on the name for every UTF-16 code unit in each of the last four places', () => {
    const re = /\.es[pml]$/i;
    const bases = ['a.esp', 'a.ESM', 'a.EsL', 'ab.dll', '.esp', 'esp'];
    let mismatches = 0;
    for (const base of bases)
      for (let back = 1; back <= Math.min(4, base.length); back++)
        for (let cu = 0; cu < 0x10000; cu++) {
          const at = base.length - back;
          const name = base.slice(0, at) + String.fromCharCode(cu) + base.slice(at + 1);
          if (isPluginFileLowered(name.toLowerCase()) !== re.test(name)) mismatches++;
        }
    expect(mismatches).toBe(0);
  });

  it('needs four characters', () => {
    expect(isPluginFileLowered('esp')).toBe(false);
    expect(isPluginFileLowered('.esp')).toBe(true);
    expect(isPluginFileLowered('')).toBe(false);
  });
});
