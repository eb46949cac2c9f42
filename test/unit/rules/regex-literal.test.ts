import { describe, expect, it } from 'vitest';
import { requiredLiteral } from '../../../src/main/analysis/rules/regex-literal';

describe('requiredLiteral', () => {
  it('finds the longest run every match must contain', () => {
    expect(requiredLiteral('Process Uptime:\\s*00:00:[0-2]\\d\\b')).toBe('Process Uptime:');
    expect(requiredLiteral('^VersionInfo:(?!\\s*Successfully)')).toBe('VersionInfo:');
    expect(requiredLiteral('Tried to (read|write) memory at 0x0{8}[0-9A-F]{4}\\b')).toBe(' memory at 0x');
    expect(requiredLiteral('^honed ?metal.*\\.es[pm]$')).toBe('honed');
    expect(requiredLiteral('a\\.b\\.c')).toBe('a.b.c');
    expect(requiredLiteral('clothes\\\\+cloaksofskyrim\\\\+[^"\\s]*\\.nif')).toBe('cloaksofskyrim\\');
  });
  it('gives nothing when no run is certain', () => {
    expect(requiredLiteral('foo|bar')).toBeNull();
    expect(requiredLiteral('^(nvwgf2umx|nvd3dumx)\\.(dll|sys)$')).toBeNull();
    expect(requiredLiteral('abc*de')).toBeNull();
    expect(requiredLiteral('\\x41bcd')).toBeNull();
    expect(requiredLiteral('(a)\\1234')).toBeNull();
    expect(requiredLiteral('x])yzw')).toBeNull();
  });
  it('never returns text a match can lack', () => {
    const cases: [string, string[]][] = [
      ['ab(c)?defg', ['abdefg', 'abcdefg']],
      ['abcd{0,2}efg', ['abcefg', 'abcddefg']],
      ['x[)]yzw', ['x)yzw']],
      ['(?!abc)defg', ['defg']],
      ['\\bfoo bar', ['foo bar']],
    ];
    for (const [src, samples] of cases) {
      const lit = requiredLiteral(src);
      for (const s of samples) {
        expect(new RegExp(src).test(s)).toBe(true);
        if (lit !== null) expect(s.includes(lit), `${src} on ${s}`).toBe(true);
      }
    }
  });
});
