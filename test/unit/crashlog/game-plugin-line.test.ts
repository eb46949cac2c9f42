import { describe, expect, it } from 'vitest';
import { parseGamePluginLine } from '../../../src/main/formats/crashlog/common';

// The by-character fast path for "[0A]", "[FE:01B]" and "[FE 01B]" must read exactly what the general path
// (trim, upper-case, regex) reads; the near misses here take the general path.
describe('parseGamePluginLine', () => {
  it.each([
    ['  [0A] Skyrim.esm', '0A', false],
    ['[0a] Skyrim.esm', '0A', false],
    ['[ 0A] Skyrim.esm', '0A', false],
    ['[5] Skyrim.esm', '05', false],
    ['[FE:01B] x.esl', 'FE:01B', true],
    ['[FE:01B ] x.esl', 'FE:01B', true],
    ['[fe:01b] x.esl', 'FE:01B', true],
    ['[FE 847] x.esp', 'FE:847', true],
    ['[FE 84] x.esp', 'FE:084', true],
    ['[FE:  0] x.esl', 'FE:000', true],
    ['[FD:001] x.esl', 'FD:001', false],
  ])('%s', (line, index, light) => {
    expect(parseGamePluginLine(line, 3)).toEqual({
      order: 3,
      index,
      name: line.slice(line.indexOf(']') + 2),
      light,
    });
  });
  it('refuses what is not an index', () => {
    expect(parseGamePluginLine('[FE:0G1] x.esl', 0)).toBeNull();
    expect(parseGamePluginLine('[0A]', 0)).toBeNull();
    expect(parseGamePluginLine('[FE\t847] x.esp', 0)).toBeNull();
  });
});
