import { isUtf8 } from 'node:buffer';
import { createRequire } from 'node:module';
import { stripBom } from '../../../shared/text';

type IconvLite = typeof import('iconv-lite');
let iconvLib: IconvLite | undefined;

/**
 * iconv-lite, loaded on the first legacy code page: most logs are UTF-8, and loading it cost
 * every `analyze` more CPU than decoding a log does (issue 15).
 */
const iconv = {
  decode(buf: Buffer, encoding: LegacyCodePage): string {
    iconvLib ??= createRequire(__filename)('iconv-lite') as IconvLite;
    return iconvLib.decode(buf, encoding);
  },
};

/**
 * The one text decoder: every reader of a text artifact (crash logs, game and mod logs, the
 * artifact viewer, the scan's head sniffing, redaction) asks this module what a file's bytes
 * are. Game and mod logs come in the ANSI code page of the player's Windows (CP1251 on Russian
 * systems, CP949 on Korean ones, CP1252 in the west), SkyrimDiag writes UTF-8, and some tools
 * (PowerShell redirection, Notepad "Unicode") UTF-16, with or without a byte-order mark.
 *
 * Detection, in order:
 *  1. A byte-order mark (UTF-8, UTF-16LE, UTF-16BE).
 *  2. UTF-16 without a BOM: ASCII-heavy text then has a zero in every other byte. Over the first
 *     4,096 byte pairs (at least 4), more than 30% of pairs with a zero high byte and under 5%
 *     with a zero low byte. (Three sniffers used 30%/5% over 2 KiB, 30%/5% over 8 KiB and 40%/5%
 *     over 4 KiB; every test and real fixture reads the same with this one.)
 *  3. Valid UTF-8 (a sequence cut by the end of a head sample is not invalid).
 *  4. Otherwise a legacy code page, guessed from the bytes that are not ASCII (guessLegacyCodePage).
 * A whole buffer (decodeText) that is UTF-8 except for some lines, as when a Russian or Korean
 * user folder lands in an otherwise ASCII crash log, keeps its UTF-8 lines and decodes the
 * others in the code page guessed from them; its label is then e.g. "utf-8+windows-1251".
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'windows-1252' | 'cp949';
export type LegacyCodePage = 'windows-1251' | 'windows-1252' | 'cp949';

export interface EncodingInfo {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip at the start of the file. */
  bom: number;
  /** Bytes per code unit: line breaks are searched unit by unit. */
  unit: 1 | 2;
  /** How it was decided, for the summary ("BOM", "valid UTF-8", "Hangul"...). */
  reason: string;
}

export const ENCODINGS: readonly TextEncoding[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1251',
  'windows-1252',
  'cp949',
];

/** Byte pairs the BOM-less UTF-16 sniff looks at. */
const SNIFF_PAIRS = 4096;

function bomOf(b: Uint8Array): EncodingInfo | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
    return { encoding: 'utf-8', bom: 3, unit: 1, reason: 'BOM' };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, unit: 2, reason: 'BOM' };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bom: 2, unit: 2, reason: 'BOM' };
  return null;
}

/** UTF-16 without a BOM: which side of the byte pairs holds the zeros of ASCII text. */
function sniffUtf16(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  let zeroEven = 0;
  let zeroOdd = 0;
  const pairs = Math.min(b.length >> 1, SNIFF_PAIRS);
  if (pairs < 4) return null;
  for (let i = 0; i < pairs; i++) {
    if (b[2 * i] === 0 && b[2 * i + 1] !== 0) zeroEven++;
    if (b[2 * i + 1] === 0 && b[2 * i] !== 0) zeroOdd++;
  }
  if (zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return null;
}

/** Valid UTF-8, allowing one multi-byte sequence cut by the end of a sample. */
function isUtf8Sample(b: Uint8Array): boolean {
  let end = b.length;
  // Step back over continuation bytes to the last lead byte; drop it if its sequence is cut.
  let k = end - 1;
  while (k >= 0 && k > end - 4 && (b[k]! & 0xc0) === 0x80) k--;
  if (k >= 0 && b[k]! >= 0xc0) {
    const need = b[k]! >= 0xf0 ? 4 : b[k]! >= 0xe0 ? 3 : 2;
    if (end - k < need) end = k;
  }
  return isUtf8(b.subarray(0, end));
}

function isHangul(c: number): boolean {
  return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3131 && c <= 0x318e);
}

/**
 * Which Windows code page the non-UTF-8 bytes most likely are.
 *  - CP949 when the bytes decode under it without a single error and at least 70% of what is
 *    not ASCII comes out as Hangul: Korean text does, Cyrillic and Latin-1 text almost never.
 *  - CP1251 when words written entirely in high bytes (at least two of them) outnumber words
 *    mixing ASCII letters and high bytes: Russian words are all Cyrillic, while accented Latin
 *    letters sit inside mostly-ASCII words ("Jérôme", "Größe"). A single high byte alone is
 *    not a word either way ("à", "°").
 *  - CP1252 otherwise.
 * Two guessers disagreed before (one by Hangul byte pairs and the share of high bytes per run,
 * one by CP949 decoding and runs of three); this one keeps both sets of tests and gets right a
 * short Cyrillic name ("Ия") and a German word with two adjacent umlauts ("Größe") that one of
 * them missed each.
 */
export function guessLegacyCodePage(bytes: Uint8Array): LegacyCodePage {
  let hangul = 0;
  let other = 0;
  let bad = 0;
  for (const ch of iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'cp949')) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) continue;
    if (c === 0xfffd) bad++;
    else if (isHangul(c)) hangul++;
    else other++;
  }
  if (hangul > 0 && bad === 0 && hangul >= (hangul + other) * 0.7) return 'cp949';
  let allHigh = 0;
  let mixed = 0;
  let high = 0;
  let ascii = 0;
  const endWord = () => {
    if (high > 0 && ascii > 0) mixed++;
    else if (high >= 2) allHigh++;
    high = 0;
    ascii = 0;
  };
  for (const c of bytes) {
    if (c >= 0x80) high++;
    else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ascii++;
    else endWord();
  }
  endWord();
  return allHigh > mixed ? 'windows-1251' : 'windows-1252';
}

const LEGACY_REASON: Record<LegacyCodePage, string> = {
  cp949: 'Hangul in CP949',
  'windows-1251': 'words of high bytes (Cyrillic)',
  'windows-1252': 'accented letters in Latin words',
};

/** Looks at the first bytes of a file (64 KiB is plenty) and names its encoding. */
export function detectEncoding(head: Uint8Array, forced?: TextEncoding): EncodingInfo {
  const bom = bomOf(head);
  if (bom && bom.encoding !== 'utf-8') return bom;
  if (forced) return info(forced, forced === 'utf-8' ? (bom?.bom ?? 0) : 0, 'chosen by the caller');
  if (bom) return bom;
  const wide = sniffUtf16(head);
  if (wide) return { encoding: wide, bom: 0, unit: 2, reason: 'zero high bytes (no BOM)' };
  if (!head.some((c) => c >= 0x80)) return { encoding: 'utf-8', bom: 0, unit: 1, reason: 'ASCII' };
  if (isUtf8Sample(head)) return { encoding: 'utf-8', bom: 0, unit: 1, reason: 'valid UTF-8' };
  const legacy = guessLegacyCodePage(head);
  return { encoding: legacy, bom: 0, unit: 1, reason: LEGACY_REASON[legacy] };
}

function info(encoding: TextEncoding, bom: number, reason: string): EncodingInfo {
  return { encoding, bom, unit: encoding.startsWith('utf-16') ? 2 : 1, reason };
}

/** Decodes a byte range of a file in `enc` (a truncated multi-byte tail becomes U+FFFD). */
export function decodeBytes(buf: Uint8Array, start: number, end: number, enc: TextEncoding): string {
  const b = Buffer.from(buf.buffer, buf.byteOffset + start, Math.max(0, end - start));
  switch (enc) {
    case 'utf-8':
      return b.toString('utf8');
    case 'utf-16le':
      return b.toString('utf16le');
    case 'utf-16be': {
      const copy = Buffer.from(b.subarray(0, b.length & ~1));
      return copy.swap16().toString('utf16le');
    }
    default:
      return iconv.decode(b, enc);
  }
}

export interface DecodedText {
  /** Never starts with U+FEFF: a byte-order mark is not part of the text. */
  text: string;
  /** A TextEncoding, or "utf-8+<code page>" for UTF-8 with some lines in a legacy code page. */
  encoding: string;
}

/** Splits a byte buffer into line-sized pieces (LF kept with the line) without copying. */
function byteLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) {
      if (start < buf.length) out.push(buf.subarray(start));
      return out;
    }
    out.push(buf.subarray(start, nl + 1));
    start = nl + 1;
  }
}

/** A whole buffer to text (see the top of this file); callers cap how many bytes they pass. */
export function decodeText(input: Buffer): DecodedText {
  const d = decodeWhole(input);
  // A second mark after the one the BOM check consumed (a file saved with a BOM twice).
  return { text: stripBom(d.text), encoding: d.encoding };
}

function decodeWhole(buf: Buffer): DecodedText {
  const bom = bomOf(buf);
  if (bom?.encoding === 'utf-8') return decodeUtf8Lines(buf.subarray(3));
  const wide = bom?.encoding ?? sniffUtf16(buf);
  if (wide === 'utf-16le' || wide === 'utf-16be')
    return { text: decodeBytes(buf, bom?.bom ?? 0, buf.length, wide), encoding: wide };
  return decodeUtf8Lines(buf);
}

function decodeUtf8Lines(buf: Buffer): DecodedText {
  if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: 'utf-8' };
  const lines = byteLines(buf);
  const bad = lines.filter((l) => !isUtf8(l));
  const legacy = guessLegacyCodePage(Buffer.concat(bad.slice(0, 2000)));
  if (bad.length === lines.length) return { text: iconv.decode(buf, legacy), encoding: legacy };
  const parts = lines.map((l) => (isUtf8(l) ? l.toString('utf8') : iconv.decode(l, legacy)));
  return { text: parts.join(''), encoding: `utf-8+${legacy}` };
}
