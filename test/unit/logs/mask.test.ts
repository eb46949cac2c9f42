import { describe, expect, it } from 'vitest';
import { LineMasker, signatureOf } from '../../../src/main/formats/textlog/mask';
import { parseLineTimestamp, wallClockIso } from '../../../src/main/formats/textlog/timestamps';
import { severityOf } from '../../../src/main/analysis/logs/severity';

// The masking rules, one row each (mask.ts documents them). Inputs are written here, in the
// shapes Papyrus, SKSE, SkyrimDiag (spdlog) and crash loggers print.
const RULES: [string, string, string][] = [
  ['Papyrus timestamp', '[01/15/2026 - 08:15:32PM] VM is frozen', '<TS> VM is frozen'],
  ['spdlog timestamp', '[2026-03-15 13:00:00.123] [info] ready', '<TS> [info] ready'],
  ['ISO timestamp with zone', '2026-03-15T13:00:00.5+09:00 started', '<TS> started'],
  ['decimal numbers', 'retry 3 of 15', 'retry <N> of <N>'],
  ['dotted numbers (versions, floats)', 'version 1.6.1170.0 took 3.25 ms', 'version <N> took <N> ms'],
  ['number before a unit', 'took 16ms', 'took <N>ms'],
  ['digits after letters stay', 'skse64 d3d11 MQ101 f4se', 'skse64 d3d11 MQ101 f4se'],
  ['0x hex', 'at 0x7FF6A1B2C3D4 and 0x1a', 'at <HEX> and <HEX>'],
  ['0x form id', 'form 0x0001A2B3', 'form <ID>'],
  ['bracketed form id', 'ref [FF000123] (0003372B)', 'ref [<ID>] (<ID>)'],
  ['zero-padded decimal form id', '[Actor < (00000014)>]', '[Actor < (<ID>)>]'],
  ['unpadded 8-digit number is a number', 'read 12345678 bytes', 'read <N> bytes'],
  ['bare hex with digits', 'SkyrimSE.exe+D6DDDA hash 7ff6a1b2c3d4e5f6', 'SkyrimSE.exe+<HEX> hash <HEX>'],
  ['hex-looking words without digits stay', 'DEADBEEF Added faced', 'DEADBEEF Added faced'],
  ['GUID', 'id {1b4e28ba-2fa1-11d2-883f-0016d3cca427}', 'id {<GUID>}'],
  ['double-quoted string', 'named "::temp12" in "Foo.psc"', 'named "<STR>" in "<STR>"'],
  ['single-quoted string, apostrophes stay', "can't open 'my file.esp'", "can't open '<STR>'"],
  ['Windows path', 'loading C:\\Games\\Skyrim\\Data\\foo.esp now', 'loading <PATH> now'],
  [
    'Windows path with spaces',
    'dir = C:\\Program Files (x86)\\Steam\\steamapps\\common\\Skyrim Special Edition\\Data\\',
    'dir = <PATH>',
  ],
  ['forward-slash drive path', 'open D:/Mods/overwrite/SKSE/x.ini', 'open <PATH>'],
  ['UNC path', 'share \\\\nas\\games\\skyrim.log', 'share <PATH>'],
  ['relative Windows path', 'compiling Data\\Scripts\\Source\\Foo.psc.', 'compiling <PATH>.'],
  ['unix path', 'loaded /home/user/.wine/drive_c/x.dll ok', 'loaded <PATH> ok'],
  ['a lone slash is not a path', 'a / b and 1/2', 'a / b and <N>/<N>'],
  ['path followed by prose', 'C:\\a\\b.txt and Data\\c\\d.txt', '<PATH> and <PATH>'],
  ['whitespace collapses, trailing goes', '\tcount:    15   \t', ' count: <N>'],
  ['non-ASCII letters are letters', 'Лидия12 오류 3', 'Лидия12 오류 <N>'],
];

describe('line signatures: masking rules', () => {
  it.each(RULES)('%s', (_name, input, expected) => {
    expect(signatureOf(input)).toBe(expected);
  });

  it('gives repeats of a Papyrus error one signature', () => {
    const a =
      '[01/15/2026 - 08:15:32PM] error: Cannot call GetValue() on a None object, aborting function call';
    const b =
      '[02/01/2026 - 11:59:59AM] error: Cannot call GetValue() on a None object, aborting function call';
    expect(signatureOf(a)).toBe(signatureOf(b));
    const f1 = '\t[alias PlayerAlias on quest MQ101 (0003372B)].MyScript.OnUpdate() - "MyScript.psc" Line 45';
    const f2 =
      '\t[alias PlayerAlias on quest MQ101 (0A0C372B)].MyScript.OnUpdate() - "MyScript.psc" Line 212';
    expect(signatureOf(f1)).toBe(signatureOf(f2));
    expect(signatureOf(f1)).toBe(
      ' [alias PlayerAlias on quest MQ101 (<ID>)].MyScript.OnUpdate() - "<STR>" Line <N>',
    );
  });

  it('never writes past its output limit, even when placeholders are longer than their input', () => {
    const m = new LineMasker(64);
    const line = Buffer.from('1 '.repeat(500));
    const n = m.mask(line, 0, line.length);
    expect(n).toBeLessThanOrEqual(64);
    expect(m.out.toString('latin1', 0, n)).toMatch(/^(<N> )+/);
  });

  it('an unterminated quote or bracket is copied, not swallowed', () => {
    expect(signatureOf('say "hello and 12')).toBe('say "hello and <N>');
    expect(signatureOf("it's 5")).toBe("it's <N>");
  });
});

describe('line timestamps', () => {
  const ts = (s: string) => {
    const b = Buffer.from(s);
    const t = parseLineTimestamp(b, 0, b.length);
    return t ? { iso: wallClockIso(t.ms), length: t.length, kind: t.kind } : null;
  };
  it('reads Papyrus 12-hour times, midnight and noon included', () => {
    expect(ts('[01/15/2026 - 08:15:32PM] x')).toEqual({
      iso: '2026-01-15T20:15:32.000',
      length: 25,
      kind: 'papyrus',
    });
    expect(ts('[01/15/2026 - 12:00:01AM] x')?.iso).toBe('2026-01-15T00:00:01.000');
    expect(ts('[01/15/2026 - 12:00:01PM] x')?.iso).toBe('2026-01-15T12:00:01.000');
  });
  it('reads spdlog / ISO times with fractions; ignores a zone (wall clock, like incident times)', () => {
    expect(ts('[2026-03-15 13:00:00.123] [info] x')).toEqual({
      iso: '2026-03-15T13:00:00.123',
      length: 25,
      kind: 'iso',
    });
    expect(ts('2026-03-15T13:00:00Z x')?.length).toBe(20);
    expect(ts('2026-03-15 13:00:00,5 +09:00 x')).toMatchObject({
      iso: '2026-03-15T13:00:00.500',
      length: 28,
    });
  });
  it('rejects look-alikes', () => {
    expect(ts('[13/15/2026 - 08:15:32PM] bad month')).toBeNull();
    expect(ts('[01/15/2026 - 13:15:32PM] bad hour')).toBeNull();
    expect(ts('[1] frame')).toBeNull();
    expect(ts('2026-03-15 no time')).toBeNull();
    expect(ts('')).toBeNull();
  });
});

describe('severity from keywords', () => {
  const sev = (line: string) => severityOf(signatureOf(line));
  it.each([
    ['[01/15/2026 - 08:15:32PM] error: Cannot call GetValue() on a None object', 'error'],
    [
      '[01/15/2026 - 08:15:32PM] warning: Assigning None to a non-object variable named "::temp12"',
      'warning',
    ],
    ['[01/15/2026 - 08:15:32PM] Cannot open store for class "foo", missing file?', 'error'],
    ['plugin foo.dll failed to load', 'error'],
    ['Return register: None', 'warning'],
    ['none of the above', 'info'],
    ['[2026-03-15 13:00:00.123] [info] load failed-checks.dll', 'info'],
    ['[2026-03-15 13:00:00.123] [warning] slow frame', 'warning'],
    ['[2026-03-15 13:00:00.123] [critical] out of memory', 'error'],
    ['opened "error.log"', 'info'],
    ['reading C:\\errors\\x.txt', 'info'],
    ['VM is frozen', 'info'],
  ])('%s → %s', (line, expected) => {
    expect(sev(line)).toBe(expected);
  });
});
