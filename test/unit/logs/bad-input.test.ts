import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { dedupeSource } from '../../../src/main/analysis/logs/dedupe';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { detectEncoding } from '../../../src/main/formats/common/text-encoding';
import { LineScanner, type LineInfo } from '../../../src/main/formats/textlog/line-scanner';
import { readRawWindow } from '../../../src/main/formats/textlog/raw-window';
import { sourceEncoding } from '../../../src/main/formats/textlog/read-lines';
import { papyrusText } from '../../helpers/papyrus-log';

// Inputs here are SYNTHETIC: encodings, endings and sizes no real fixture has.
const run = (b: Buffer) => dedupeSource(new BufferSource(b));
const sample = papyrusText(400, { seed: 5 });

function scanAll(buf: Buffer, chunk: number, maxLineBytes = 64, unit: 1 | 2 = 1) {
  const out: { text: string; info: LineInfo }[] = [];
  const sc = new LineScanner(
    (b, s, e, info) => {
      out.push({ text: b.toString(unit === 2 ? 'utf16le' : 'latin1', s, e), info: { ...info } });
    },
    { maxLineBytes, unit, startOffset: 0 },
  );
  for (let p = 0; p < buf.length; p += chunk) sc.push(buf.subarray(p, Math.min(buf.length, p + chunk)), p);
  sc.end();
  return out;
}

describe('line scanner', () => {
  const text = 'a\r\nbb\ncc\r\rdd\r\n\r\neeeeeeeeeeee\nlast';
  const expected = ['a', 'bb', 'cc', '', 'dd', '', 'eeeeeeeeeeee', 'last'];

  it('splits LF, CRLF and lone CR the same at every chunk size (CR LF split across chunks)', () => {
    for (let chunk = 1; chunk <= text.length + 1; chunk++) {
      const lines = scanAll(Buffer.from(text), chunk);
      expect(
        lines.map((l) => l.text),
        `chunk ${chunk}`,
      ).toEqual(expected);
      expect(lines.map((l) => l.info.line)).toEqual(expected.map((_, i) => i + 1));
      // Offsets point at each line's first byte.
      for (const l of lines) expect(text.slice(l.info.offset, l.info.offset + l.info.length)).toBe(l.text);
    }
  });

  it('UTF-16 units: the same lines at every even chunk size', () => {
    const buf = Buffer.from(text, 'utf16le');
    for (let chunk = 2; chunk <= buf.length; chunk += 2)
      expect(
        scanAll(buf, chunk, 64, 2).map((l) => l.text),
        `chunk ${chunk}`,
      ).toEqual(expected);
  });

  it('keeps only maxLineBytes of a long line, with its full length, across chunks', () => {
    const long = 'x'.repeat(1000);
    const lines = scanAll(Buffer.from(`a\n${long}\nb`), 7, 64);
    expect(lines[1]!.text).toBe('x'.repeat(64));
    expect(lines[1]!.info).toMatchObject({ length: 1000, truncated: true, offset: 2 });
    expect(lines[2]!.text).toBe('b');
  });

  it('a file ending with a terminator has no extra empty line; an empty file has none', () => {
    expect(scanAll(Buffer.from('a\nb\n'), 3)).toHaveLength(2);
    expect(scanAll(Buffer.from('a\r\nb\r'), 3)).toHaveLength(2);
    expect(scanAll(Buffer.alloc(0), 3)).toHaveLength(0);
  });
});

describe('encodings', () => {
  it('UTF-16LE (with and without BOM) and UTF-16BE give the UTF-8 patterns', async () => {
    const ref = await run(Buffer.from(sample, 'utf8'));
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]);
    const leNoBom = Buffer.from(sample, 'utf16le');
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(sample, 'utf16le').swap16()]);
    for (const [buf, enc] of [
      [le, 'utf-16le'],
      [leNoBom, 'utf-16le'],
      [be, 'utf-16be'],
    ] as const) {
      const s = await run(buf);
      expect(s.encoding).toBe(enc);
      expect(s.lines).toBe(ref.lines);
      expect(s.patterns.map((p) => [p.signature, p.count, p.example])).toEqual(
        ref.patterns.map((p) => [p.signature, p.count, p.example]),
      );
      expect(s.keptLines.map((k) => k.text)).toEqual(ref.keptLines.map((k) => k.text));
    }
  });

  it('a UTF-16 file cut to an odd length is read up to its last whole unit', async () => {
    const buf = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('error: one\r\nerror: two', 'utf16le'),
    ]);
    const s = await run(buf.subarray(0, buf.length - 1));
    expect(s.lines).toBe(2);
    expect(s.problems.join(' ')).toMatch(/odd number of bytes/);
  });

  const russian = [
    '[01/15/2026 - 08:15:30PM] error: Не удалось загрузить файл "Навыки.esp"',
    '[01/15/2026 - 08:15:31PM] error: Не удалось загрузить файл "Оружие.esp"',
    '[01/15/2026 - 08:15:32PM] Загрузка завершена за 12 секунд',
  ].join('\r\n');
  const korean = [
    '[2026-03-15 13:00:00.001] [error] 파일을 찾을 수 없습니다: C:\\게임\\스카이림\\Data\\a.esp',
    '[2026-03-15 13:00:01.002] [error] 파일을 찾을 수 없습니다: C:\\게임\\스카이림\\Data\\b.esp',
    '[2026-03-15 13:00:02.003] [info] 덤프 분석 완료 3 개',
  ].join('\r\n');

  it('CP1251 (Russian Windows) is recognised and decoded', async () => {
    const buf = iconv.encode(russian, 'windows-1251');
    expect(detectEncoding(buf).encoding).toBe('windows-1251');
    const s = await run(buf);
    expect(s.encoding).toBe('windows-1251');
    const err = s.patterns.find((p) => p.count === 2)!;
    expect(err.signature).toBe('<TS> error: Не удалось загрузить файл "<STR>"');
    expect(err.example).toBe(russian.split('\r\n')[0]);
    expect(s.keptLines[1]!.text).toContain('Оружие.esp');
  });

  it('CP949 (Korean Windows) is recognised and decoded', async () => {
    const buf = iconv.encode(korean, 'cp949');
    expect(detectEncoding(buf).encoding).toBe('cp949');
    const s = await run(buf);
    const err = s.patterns.find((p) => p.count === 2)!;
    expect(err.signature).toBe('<TS> [error] 파일을 찾을 수 없습니다: <PATH>');
    expect(err.severity).toBe('error');
    expect(err.example).toBe(korean.split('\r\n')[0]);
  });

  it('CP1252 accents and UTF-8 with BOM', async () => {
    expect(detectEncoding(iconv.encode('Café Müller naïve\n', 'windows-1252')).encoding).toBe('windows-1252');
    const s = await run(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('error: a 1\nerror: a 2\n')]),
    );
    expect(s.encoding).toBe('utf-8');
    expect(s.patterns[0]).toMatchObject({ signature: 'error: a <N>', count: 2, example: 'error: a 1' });
  });
});

describe('bad and extreme input', () => {
  it('a 10 MB single line is counted, truncated for its signature, and costs one line', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
    big.write('error: ', 0);
    const buf = Buffer.concat([Buffer.from('first line 1\r\n'), big, Buffer.from('\r\nfirst line 2\r\n')]);
    const s = await run(buf);
    expect(s.lines).toBe(3);
    expect(s.longLines).toBe(1);
    expect(s.longestLine).toBe(big.length);
    expect(s.problems.join(' ')).toMatch(/1 line\(s\) longer than 4096 bytes/);
    expect(s.patterns.find((p) => p.signature === 'first line <N>')?.count).toBe(2);
    const long = s.patterns.find((p) => p.signature.startsWith('error:'))!;
    expect(long.severity).toBe('error');
    expect(long.example.length).toBeLessThanOrEqual(401);
    expect(s.keptLines[0]!.text.length).toBeLessThanOrEqual(2001);
  });

  it('a log cut mid-line and mid-character still yields its last line', async () => {
    const full = Buffer.from('ok 1\nerror: Ошибка 2\n', 'utf8');
    const s = await run(full.subarray(0, full.length - 3));
    expect(s.lines).toBe(2);
    expect(s.keptLines[0]!.text.startsWith('error: Ош')).toBe(true);
  });

  it('empty and whitespace-only files', async () => {
    expect(await run(Buffer.alloc(0))).toMatchObject({ lines: 0, patterns: [], keptLines: [], other: null });
    const ws = await run(Buffer.from('  \r\n\t\n\n'));
    expect(ws).toMatchObject({ lines: 3, blankLines: 3, patterns: [] });
  });

  it('binary noise never throws and stays within the caps', async () => {
    let x = 12345;
    const noise = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < noise.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      noise[i] = x >>> 24;
    }
    const s = await run(noise);
    expect(s.patterns.length).toBeLessThanOrEqual(s.patternCap);
    expect(s.keptLines.length).toBeLessThanOrEqual(200);
    expect(s.patterns.reduce((n, p) => n + p.count, 0) + (s.other?.lines ?? 0) + s.blankLines).toBe(s.lines);
  });
});

describe('raw windows', () => {
  it('seek by checkpoint in a UTF-16 log and decode', async () => {
    const lines = sample.split('\r\n').slice(0, -1);
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]);
    const s = await dedupeSource(new BufferSource(buf), { maxCheckpoints: 8 });
    expect(s.lineIndex.every).toBeGreaterThan(1);
    const src = new BufferSource(buf);
    for (const from of [1, s.lineIndex.every + 3, 333]) {
      const w = await readRawWindow(src, sourceEncoding(src), s.lineIndex, from, 25);
      expect(w.text.split('\n')).toEqual(lines.slice(from - 1, from + 24));
    }
  });

  it('cut long lines and stop at the byte budget', async () => {
    const buf = Buffer.from(`short\n${'y'.repeat(50_000)}\n${'z'.repeat(100)}\nend\n`);
    const src = new BufferSource(buf);
    const enc = sourceEncoding(src);
    const w = await readRawWindow(src, enc, null, 1, 10, { maxLineChars: 1000 });
    expect(w.longLines).toBe(1);
    expect(w.text.split('\n')[1]).toBe(`${'y'.repeat(1000)} … [line cut: 50,000 bytes]`);
    expect(w).toMatchObject({ toLine: 4, eof: true });
    const budget = await readRawWindow(src, enc, null, 1, 10, { maxLineChars: 1000, maxBytes: 500 });
    expect(budget).toMatchObject({ toLine: 2, eof: false });
  });
});
