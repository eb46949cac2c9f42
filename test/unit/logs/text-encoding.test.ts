import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeText,
  detectEncoding,
  guessLegacyCodePage,
  type TextEncoding,
} from '../../../src/main/formats/common/text-encoding';
import { detectTextEncoding } from '../../../src/main/privacy/text-file';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * One text decoder (formats/common/text-encoding.ts) serves the streaming log reader (head
 * detection), whole-buffer decoding (crash logs, the artifact viewer, the scan's head sniff) and
 * the redactor. These cases pin the thresholds it documents.
 */
function textFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return textFiles(p);
    return /\.(log|txt|md|json|ini)$/i.test(n) ? [p] : [];
  });
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('real text fixtures', () => {
  it('every real log, crash log and note: head detection and whole decoding agree, and match the bytes', () => {
    const files = [...textFiles(real('crashlogs')), ...textFiles(real('papyrus'))];
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const bytes = readFileSync(f);
      const head = detectEncoding(bytes.subarray(0, 64 * 1024));
      const whole = decodeText(bytes);
      expect(whole.encoding, f).toBe(head.encoding);
      // All real fixtures are UTF-8 (some with non-ASCII symbols): nothing may be re-decoded.
      expect(whole.encoding, f).toBe('utf-8');
      expect(whole.text, f).toBe(bytes.toString('utf8').replace(/^\uFEFF/, ''));
      expect(detectTextEncoding(bytes.subarray(0, 4096)).encoding, f).toBe('utf8');
    }
  });
});

// SYNTHETIC: no real fixture is in a legacy code page or UTF-16, so these are written here.
const LEGACY: [string, TextEncoding][] = [
  ['error: Не удалось загрузить файл "Навыки.esp"', 'windows-1251'],
  ['C:\\Users\\Пользователь\\Documents\\My Games\\Skyrim Special Edition', 'windows-1251'],
  ['C:\\Users\\Ия\\x', 'windows-1251'],
  ['Ёж и Щука', 'windows-1251'],
  ['C:\\Users\\Користувач\\Документи', 'windows-1251'],
  ['파일을 찾을 수 없습니다: C:\\게임\\스카이림\\Data\\a.esp', 'cp949'],
  ['C:\\Users\\홍길동\\Documents\\My Games', 'cp949'],
  ['김철수', 'cp949'],
  ['Café Müller naïve', 'windows-1252'],
  ['Die Datei "Schwert.esp" wurde nicht gefunden (Größe: 12 KB)', 'windows-1252'],
  ['Le fichier "Épée.esp" est introuvable à la ligne 3', 'windows-1252'],
  ['C:\\Users\\Jérôme\\Documents\\Müller', 'windows-1252'],
  ['Ærøskøbing, Straße, naïveté', 'windows-1252'],
];

describe('legacy code pages', () => {
  for (const [text, enc] of LEGACY)
    it(`${enc}: ${text}`, () => {
      const bytes = iconv.encode(text, enc);
      expect(guessLegacyCodePage(bytes)).toBe(enc);
      expect(detectEncoding(bytes).encoding).toBe(enc);
      expect(decodeText(bytes)).toEqual({ text, encoding: enc });
    });

  it('a UTF-8 file with one line in a legacy code page keeps its UTF-8 lines', () => {
    const bytes = Buffer.concat([
      Buffer.from('ok ✓\n'),
      iconv.encode('путь C:\\Users\\Пользователь\n', 'windows-1251'),
      Buffer.from('done\n'),
    ]);
    expect(decodeText(bytes)).toEqual({
      text: 'ok ✓\nпуть C:\\Users\\Пользователь\ndone\n',
      encoding: 'utf-8+windows-1251',
    });
  });
});

describe('UTF-8 and UTF-16', () => {
  const sample = 'error: one\r\nwarning: two\r\nPlugins\\SKSE\\ünïcode.dll\r\n';
  const le = Buffer.from(sample, 'utf16le');
  const be = Buffer.from(le).swap16();
  const cases: [string, Buffer, TextEncoding, number][] = [
    ['UTF-8', Buffer.from(sample), 'utf-8', 0],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]), 'utf-8', 3],
    ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), le]), 'utf-16le', 2],
    ['UTF-16LE without BOM', le, 'utf-16le', 0],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), be]), 'utf-16be', 2],
    ['UTF-16BE without BOM', be, 'utf-16be', 0],
  ];
  for (const [label, bytes, enc, bom] of cases)
    it(label, () => {
      expect(detectEncoding(bytes)).toMatchObject({ encoding: enc, bom });
      expect(decodeText(bytes)).toEqual({ text: sample, encoding: enc });
    });

  it('a UTF-8 sequence cut by the end of a head sample is still UTF-8; a bad byte is not', () => {
    const full = Buffer.from('Plugins\\ünïcode — ok');
    const cut = full.subarray(0, full.indexOf(Buffer.from('—')) + 1);
    expect(detectEncoding(cut).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x61, 0xff, 0x62, 0x63])).encoding).not.toBe('utf-8');
  });

  it('the redactor transcodes UTF-16LE only and keeps a UTF-8 mark in place', () => {
    expect(detectTextEncoding(cases[2]![1])).toEqual({ encoding: 'utf16le', bom: 2 });
    expect(detectTextEncoding(le)).toEqual({ encoding: 'utf16le', bom: 0 });
    expect(detectTextEncoding(cases[1]![1])).toEqual({ encoding: 'utf8', bom: 0 });
  });
});
