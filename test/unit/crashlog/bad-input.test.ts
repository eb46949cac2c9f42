import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { decodeText, guessLegacyCodePage } from '../../../src/main/formats/common/text-encoding';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { ParsedCrashLog } from '../../../src/shared/domain/crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Damaged and unusual input. The starting points are real logs; the damage (cuts, other
 * encodings, injected non-ASCII paths, huge lines) is synthetic, because no real log of that
 * kind is in the fixtures.
 */

const buffout = () =>
  readFileSync(real('crashlogs', 'buffout4-fo4', 'crash-2023-12-21-07-54-46.log'), 'utf8');
const nsf = () => readFileSync(real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'), 'utf8');

/** The fields a re-encoded or re-wrapped copy must reproduce exactly. */
function essentials(p: ParsedCrashLog) {
  return {
    logger: p.logger,
    loggerVersion: p.loggerVersion,
    gameVersion: p.gameVersion,
    exception: p.exception,
    frames: p.callStack.map((f) => `${f.module}+${f.offset}`),
    registers: p.registers.length,
    stack: p.stack.length,
    modules: p.modules.length,
    plugins: p.gamePlugins.map((g) => `${g.index} ${g.name}`),
    objects: p.relevantObjects.length,
  };
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('bad and unusual crash logs', () => {
  it('truncated Buffout 4 log: keeps what was read, reports the missing sections', () => {
    const text = buffout();
    const cut = text.slice(0, text.indexOf('MODULES:') + 200);
    const p = parseCrashLog(Buffer.from(cut), 'cut.log');
    expect(p.exception?.module).toBe('SUP_F4SE.dll');
    expect(p.callStack.length).toBe(13);
    expect(p.stack.length).toBe(342);
    expect(p.modules.length).toBeGreaterThan(0);
    expect(p.problems.map((x) => x.message)).toContain('no PLUGINS section (truncated log?)');
    expect(ParsedCrashLog.safeParse(p).success).toBe(true);
  });

  it('truncated in the middle of the call stack and in the middle of a line', () => {
    const text = buffout();
    const at = text.indexOf('[ 5]') + 7;
    const p = parseCrashLog(Buffer.from(text.slice(0, at)), 'cut.log');
    expect(p.callStack.length).toBe(6);
    expect(p.problems.map((x) => x.code)).toContain('missing_section');
  });

  it('truncated NSF log: the open block is reported as not closed', () => {
    const text = nsf();
    const p = parseCrashLog(Buffer.from(text.slice(0, text.indexOf('Modules') + 500)), 'cut.txt');
    expect(p.modules.length).toBeGreaterThan(0);
    expect(p.problems).toContainEqual(expect.objectContaining({ code: 'truncated' }));
    expect(p.problems).toContainEqual(expect.objectContaining({ code: 'missing_section' }));
  });

  for (const [enc, bom] of [
    ['utf16le', true],
    ['utf16le', false],
    ['utf16be', true],
    ['utf16be', false],
  ] as const) {
    it(`${enc} ${bom ? 'with' : 'without'} BOM decodes to the same parse`, () => {
      for (const text of [buffout(), nsf()]) {
        const body = iconv.encode(text, enc);
        const prefix = bom
          ? enc === 'utf16le'
            ? Buffer.from([0xff, 0xfe])
            : Buffer.from([0xfe, 0xff])
          : Buffer.alloc(0);
        const p = parseCrashLog(Buffer.concat([prefix, body]), 'wide.log');
        expect(p.encoding).toBe(enc === 'utf16le' ? 'utf-16le' : 'utf-16be');
        expect(essentials(p)).toEqual(essentials(parseCrashLog(text)));
      }
    });
  }

  it('UTF-8 with BOM', () => {
    const p = parseCrashLog(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(buffout())]));
    // Encodings are named as everywhere else (formats/common/text-encoding.ts); the mark is dropped.
    expect(p.encoding).toBe('utf-8');
    expect(p.loggerHeader).toBe(parseCrashLog(buffout()).loggerHeader);
    expect(p.logger).toBe('buffout4');
  });

  it('a Cyrillic user folder written in CP1251 inside an otherwise UTF-8 log', () => {
    const path = 'C:\\Users\\Пользователь\\Documents\\My Games\\Fallout4\\F4SE\\Plugins\\test.json';
    const text = buffout().replace(
      '\t[RSP+0  ]',
      `\t[RSP+0  ] 0x2141DA144D0      (char*) "${path}"\n\t[RSP+0  ]`,
    );
    const bytes = Buffer.concat(
      text
        .split(path)
        .flatMap((part, i) =>
          i === 0 ? [Buffer.from(part)] : [iconv.encode(path, 'cp1251'), Buffer.from(part)],
        ),
    );
    const p = parseCrashLog(bytes, 'ru.log');
    expect(p.encoding).toBe('utf-8+windows-1251');
    expect(p.relevantObjects.some((o) => o.name === path)).toBe(true);
    expect(p.logger).toBe('buffout4');
  });

  it('a Korean user folder written in CP949 (the file saved in the legacy code page)', () => {
    const path = 'C:\\Users\\사용자\\Documents\\My Games\\Skyrim Special Edition\\SKSE\\test.json';
    const text = nsf().replace('  [SP+0]', `  [SP+0]    0x279720698        (char*) "${path}"\n  [SP+0]`);
    const p = parseCrashLog(iconv.encode(text, 'cp949'), 'ko.txt');
    // Only the line with the path has non-ASCII bytes; the rest is the same in UTF-8 and CP949.
    expect(p.encoding).toBe('utf-8+cp949');
    expect(p.stack[0]?.annotation).toBe(`(char*) "${path}"`);
    expect(p.relevantObjects).toEqual(parseCrashLog(nsf()).relevantObjects);
  });

  it('code page guesses: Korean, Russian and Western European text', () => {
    expect(guessLegacyCodePage(iconv.encode('C:\\Users\\사용자\\문서', 'cp949'))).toBe('cp949');
    expect(guessLegacyCodePage(iconv.encode('C:\\Users\\Пользователь\\Документы', 'cp1251'))).toBe(
      'windows-1251',
    );
    expect(guessLegacyCodePage(iconv.encode('C:\\Users\\Jérôme\\Documents\\Müller', 'win1252'))).toBe(
      'windows-1252',
    );
    expect(decodeText(iconv.encode('Ünhandled Jérôme', 'win1252')).text).toBe('Ünhandled Jérôme');
  });

  it('mixed CRLF / LF / CR line endings give the same parse', () => {
    for (const text of [buffout(), nsf()]) {
      const lines = text.split(/\r\n|\n/);
      const mixed = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : i % 3 === 1 ? '\n' : '\r')).join('');
      expect(essentials(parseCrashLog(Buffer.from(mixed)))).toEqual(essentials(parseCrashLog(text)));
    }
  });

  it('a 10 MB single line is kept, parsed at its start, and reported', () => {
    const text = buffout();
    const huge = `\t[RSP+9999] 0x1 (char*) "${'A'.repeat(10 * 1024 * 1024)}"\n`;
    const at = text.indexOf('MODULES:');
    const p = parseCrashLog(Buffer.from(text.slice(0, at) + huge + text.slice(at)), 'huge.log');
    expect(p.problems).toContainEqual(expect.objectContaining({ code: 'long_line' }));
    expect(p.stack.length).toBe(343);
    expect(p.stack.at(-1)?.annotation?.length).toBeLessThanOrEqual(16 * 1024);
    expect(p.gamePlugins.length).toBe(469);
    // And a file that is nothing but one 10 MB line is not mistaken for a crash log.
    expect(() => parseCrashLog(Buffer.alloc(10 * 1024 * 1024, 0x41), 'a.log')).toThrow(ParseError);
  });

  it('unknown logger versions are read with the family grammar', () => {
    const future = parseCrashLog(
      buffout().replace('Buffout 4 v1.28.6', 'Buffout 4 v9.99.0 Jan  1 2030 00:00:00'),
    );
    expect(future).toMatchObject({ logger: 'buffout4', loggerVersion: '9.99.0' });
    expect(future.callStack.length).toBe(13);
    const renamed = parseCrashLog(buffout().replace('Buffout 4 v1.28.6', 'SomeNewLogger v0.1'));
    expect(renamed.logger).toBe('unknown');
    expect(renamed.problems.map((x) => x.code)).toContain('unknown_logger');
    expect(renamed.callStack.length).toBe(13);
    expect(renamed.gamePlugins.length).toBe(469);
    const nsf16 = parseCrashLog(nsf().replace('FrameworkVersion: 15', 'FrameworkVersion: 16'));
    expect(nsf16).toMatchObject({ logger: 'netscriptframework', loggerVersion: '16' });
  });

  it('not a crash log, empty, or binary: ParseError naming the file and the reason', () => {
    for (const [name, bytes] of [
      ['notes.txt', Buffer.from('just some notes\nnothing to see\n')],
      ['empty.log', Buffer.alloc(0)],
      ['binary.log', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256))],
    ] as const) {
      try {
        parseCrashLog(bytes, name);
        expect.unreachable(`${name} parsed`);
      } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        expect((e as ParseError).detail).toMatchObject({ file: name, code: 'not_a_crash_log' });
      }
    }
  });
});
