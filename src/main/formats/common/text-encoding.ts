import iconv from 'iconv-lite';

/**
 * Text encodings game and mod logs come in. Papyrus and SKSE write the ANSI code page of the
 * player's Windows (CP1251 on Russian systems, CP949 on Korean ones, CP1252 in the west),
 * SkyrimDiag writes UTF-8, and some tools (PowerShell redirection, Notepad "Unicode") UTF-16.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1251' | 'windows-1252' | 'cp949';

export interface EncodingInfo {
  encoding: TextEncoding;
  /** Bytes of byte-order mark to skip at the start of the file. */
  bom: number;
  /** Bytes per code unit: line breaks are searched unit by unit. */
  unit: 1 | 2;
  /** How it was decided, for the summary ("BOM", "valid UTF-8", "Hangul byte pairs"...). */
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

/** Looks at the first bytes of a file (64 KiB is plenty) and names its encoding. */
export function detectEncoding(head: Uint8Array, forced?: TextEncoding): EncodingInfo {
  const bomLen = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, unit: 2, reason: 'BOM' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, unit: 2, reason: 'BOM' };
  if (forced) return info(forced, forced.startsWith('utf-8') ? bomLen : 0, 'chosen by the caller');
  if (bomLen) return { encoding: 'utf-8', bom: 3, unit: 1, reason: 'BOM' };

  // UTF-16 without a BOM: ASCII text then has a zero in every other byte.
  let zeroEven = 0;
  let zeroOdd = 0;
  const pairs = Math.min(head.length >> 1, 4096);
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0 && head[2 * i + 1] !== 0) zeroEven++;
    if (head[2 * i + 1] === 0 && head[2 * i] !== 0) zeroOdd++;
  }
  if (pairs >= 4 && zeroOdd > pairs * 0.3 && zeroEven < pairs * 0.05)
    return { encoding: 'utf-16le', bom: 0, unit: 2, reason: 'zero high bytes (no BOM)' };
  if (pairs >= 4 && zeroEven > pairs * 0.3 && zeroOdd < pairs * 0.05)
    return { encoding: 'utf-16be', bom: 0, unit: 2, reason: 'zero high bytes (no BOM)' };

  const u = utf8Check(head);
  if (u.high === 0) return { encoding: 'utf-8', bom: 0, unit: 1, reason: 'ASCII' };
  if (u.invalid === 0) return { encoding: 'utf-8', bom: 0, unit: 1, reason: 'valid UTF-8' };
  return legacyCodePage(head);
}

function info(encoding: TextEncoding, bom: number, reason: string): EncodingInfo {
  return { encoding, bom, unit: encoding.startsWith('utf-16') ? 2 : 1, reason };
}

/** Counts bytes ≥ 0x80 and invalid UTF-8 sequences; a sequence cut by the end of `b` is not invalid. */
function utf8Check(b: Uint8Array): { high: number; invalid: number } {
  let high = 0;
  let invalid = 0;
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    high++;
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) {
      invalid++;
      i++;
      continue;
    }
    let ok = true;
    for (let k = 1; k <= need; k++) {
      if (i + k >= b.length) break;
      const t = b[i + k]!;
      if (t < 0x80 || t > 0xbf) {
        ok = false;
        break;
      }
    }
    if (!ok) invalid++;
    i += ok ? need + 1 : 1;
  }
  return { high, invalid };
}

/**
 * Not UTF-8: tell the code pages apart by shape. Korean CP949 text is almost all Hangul byte
 * pairs (lead 0xB0–0xC8, trail 0xA1–0xFE); Russian CP1251 words are runs of several high
 * bytes with lower-case letters at 0xE0–0xFF; western CP1252 has lone accented letters.
 */
function legacyCodePage(b: Uint8Array): EncodingInfo {
  let high = 0;
  let hangul = 0;
  let runs = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 0x80) continue;
    high++;
    if (i === 0 || b[i - 1]! < 0x80) runs++;
    const t = b[i + 1];
    if (c >= 0xb0 && c <= 0xc8 && t !== undefined && t >= 0xa1 && t <= 0xfe) {
      hangul += 2;
      i++;
      high++;
    }
  }
  if (hangul >= high * 0.6) return { encoding: 'cp949', bom: 0, unit: 1, reason: 'Hangul byte pairs' };
  if (high / Math.max(1, runs) >= 1.6)
    return { encoding: 'windows-1251', bom: 0, unit: 1, reason: 'runs of high bytes (Cyrillic words)' };
  return { encoding: 'windows-1252', bom: 0, unit: 1, reason: 'lone high bytes (accented letters)' };
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
