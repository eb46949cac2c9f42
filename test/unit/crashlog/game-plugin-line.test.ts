import { describe, expect, it } from 'vitest';
import { MAX_PARSED_LINE, parseGamePluginLine } from '../../../src/main/formats/crashlog/common';
import { rng } from '../../helpers/log-mutations';

/** The parser as it was before it read lines in place (trim and slice copies), as the reference. */
function trimmedCopies(line: string, order: number) {
  const t = (line.length > MAX_PARSED_LINE ? line.slice(0, MAX_PARSED_LINE) : line).trim();
  if (!t) return null;
  const close = t.charCodeAt(0) === 91 ? t.indexOf(']') : -1;
  if (close > 0 && close <= 12) {
    const name = t.slice(close + 1).trim();
    if (!name) return null;
    const up = (c: number) => c >= 65 && c <= 90;
    const hex = (from: number, to: number) => /^[0-9A-F]*$/.test(t.slice(from, to));
    if (close === 3 && hex(1, 3)) return { order, index: t.slice(1, 3), name, light: false };
    const sep = t.charCodeAt(3);
    if (
      close === 7 &&
      up(t.charCodeAt(1)) &&
      up(t.charCodeAt(2)) &&
      (sep === 58 || sep === 32) &&
      hex(4, 7)
    ) {
      const set = t.slice(1, 3);
      return { order, index: `${set}:${t.slice(4, 7)}`, name, light: set === 'FE' };
    }
    const raw = t.slice(1, close).trim().toUpperCase();
    if (/^[0-9A-F]{1,2}$/.test(raw)) return { order, index: raw.padStart(2, '0'), name, light: false };
    const sub = /^([A-Z]{2})[: ]\s*([0-9A-F]{1,3})$/.exec(raw);
    if (sub)
      return { order, index: `${sub[1]}:${(sub[2] ?? '').padStart(3, '0')}`, name, light: sub[1] === 'FE' };
    return null;
  }
  if (/\.(esp|esm|esl)\s*$/i.test(t)) return { order, index: null, name: t, light: /\.esl\s*$/i.test(t) };
  return null;
}

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

  it('reads every line as the trimmed copies did (random lines of brackets, hex, blanks and names)', () => {
    const rnd = rng(9);
    const parts = [
      '[',
      ']',
      'FE',
      'fe',
      ':',
      ' ',
      '\t',
      '\u00a0',
      '\u3000',
      '0',
      'A',
      'g',
      '1B',
      'x.esp',
      'Y.ESL',
      '.esm',
      'n a',
    ];
    const pick = (xs: readonly string[], n: number) =>
      Array.from({ length: n }, () => xs[Math.floor(rnd() * xs.length)]).join('');
    const blanks = [' ', '\t', '\u00a0', '\u3000', ''];
    const inner = ['F', 'E', '0', 'A', '1', 'B', 'f', 'e', ':', ' ', 'G', ']'];
    for (let i = 0; i < 40_000; i++) {
      // Half random parts; half the shape of an entry ("  [FE:01B]  name  ") with random pieces.
      const line =
        i % 2 === 0
          ? pick(parts, 1 + Math.floor(rnd() * 9))
          : `${pick(blanks, Math.floor(rnd() * 3))}[${pick(inner, Math.floor(rnd() * 9))}]${pick(blanks, Math.floor(rnd() * 3))}${pick(parts, Math.floor(rnd() * 3))}${pick(blanks, Math.floor(rnd() * 3))}`;
      expect(parseGamePluginLine(line, i), JSON.stringify(line)).toEqual(trimmedCopies(line, i));
    }
    const long = `  [0A] ${'x'.repeat(MAX_PARSED_LINE)}.esp  `;
    expect(parseGamePluginLine(long, 1)).toEqual(trimmedCopies(long, 1));
  });
});
