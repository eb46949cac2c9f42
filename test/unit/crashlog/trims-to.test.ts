import { describe, expect, it } from 'vitest';
import { trimsTo } from '../../../src/main/formats/crashlog/common';

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
});
