import { describe, expect, it } from 'vitest';
import { isBlank, soleChar, trimsTo } from '../../../src/main/formats/crashlog/common';

describe('trimsTo', () => {
  it('agrees with trim() for every UTF-16 code unit around a brace', () => {
    let disagreements = 0;
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const line of [`${ch}{`, `{${ch}`, `${ch}{${ch}`, ch, `{${ch}x`, `${ch}}`])
        for (const want of ['{', '}']) if (trimsTo(line, want) !== (line.trim() === want)) disagreements++;
    }
    expect(disagreements).toBe(0);
    expect(trimsTo(undefined, '{')).toBe(false);
    expect(trimsTo(' \t{\r', '{')).toBe(true);
    expect(trimsTo('{{', '{')).toBe(false);
  });

  it('soleChar and isBlank agree with trim() for every UTF-16 code unit', () => {
    let disagreements = 0;
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      for (const line of [ch, ` ${ch}`, `${ch}\t`, `${ch}${ch}`, `${ch}x`, `\r${ch}\n`, '']) {
        const t = line.trim();
        if (soleChar(line) !== (t.length === 1 ? t.charCodeAt(0) : -1)) disagreements++;
        if (isBlank(line) !== !t) disagreements++;
      }
    }
    expect(disagreements).toBe(0);
    expect(soleChar(undefined)).toBe(-1);
  });
});
