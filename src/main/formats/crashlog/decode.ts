import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export interface DecodedLog {
  /** Never starts with U+FEFF: a byte-order mark is not part of the log. */
  text: string;
  /** "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "cp1251", "cp949", "windows-1252", "utf-8+cp1251"... */
  encoding: string;
}

/** Above this a log is read only in part (a real crash log is well under 1 MB). */
export const MAX_LOG_BYTES = 64 * 1024 * 1024;

type Legacy = 'cp1251' | 'cp949' | 'windows-1252';

/**
 * UTF-16 without a BOM shows as every other byte being NUL in ASCII-heavy text; the side
 * the NULs fall on gives the byte order.
 */
function sniffUtf16(buf: Buffer): 'utf16le' | 'utf16be' | null {
  const n = Math.min(buf.length & ~1, 4096);
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.3 && evenZero < pairs * 0.05) return 'utf16le';
  if (evenZero > pairs * 0.3 && oddZero < pairs * 0.05) return 'utf16be';
  return null;
}

function isHangul(c: number): boolean {
  return (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3131 && c <= 0x318e);
}

/**
 * Which single/double-byte Windows code page the non-UTF-8 bytes most likely are. Korean
 * paths decode to Hangul syllables under CP949; Cyrillic text in CP1251 decodes there mostly
 * to rare Hanja or fails, and Western text fails outright. Between CP1251 and CP1252, Russian
 * words are runs of high bytes while accented Latin letters sit alone between ASCII ones.
 */
export function guessLegacyCodepage(bytes: Buffer): Legacy {
  const korean = iconv.decode(bytes, 'cp949');
  let hangul = 0;
  let other = 0;
  let bad = 0;
  for (const ch of korean) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) continue;
    if (c === 0xfffd) bad++;
    else if (isHangul(c)) hangul++;
    else other++;
  }
  if (hangul > 0 && bad === 0 && hangul >= (hangul + other) * 0.7) return 'cp949';
  let high = 0;
  let inRuns = 0;
  let run = 0;
  const flush = () => {
    if (run >= 3) inRuns += run;
    run = 0;
  };
  for (const b of bytes) {
    if (b >= 0xc0) {
      high++;
      run++;
    } else if (b < 0x80) flush();
  }
  flush();
  return high > 0 && inRuns >= high * 0.5 ? 'cp1251' : 'windows-1252';
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

/**
 * Bytes to text the way a player's log is most likely encoded: BOM first, then BOM-less
 * UTF-16, then UTF-8; lines that are not valid UTF-8 (a Russian or Korean user folder in an
 * otherwise ASCII log) are decoded with the guessed legacy code page, one line at a time so
 * the UTF-8 parts of a mixed file survive.
 */
export function decodeLogDetailed(input: Buffer): DecodedLog {
  const d = decodeBytes(input);
  // A second mark after the one the BOM check consumed (a file saved with a BOM twice).
  return d.text.charCodeAt(0) === 0xfeff ? { text: d.text.slice(1), encoding: d.encoding } : d;
}

function decodeBytes(input: Buffer): DecodedLog {
  const buf = input.length > MAX_LOG_BYTES ? input.subarray(0, MAX_LOG_BYTES) : input;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return decodeUtf8(buf.subarray(3), 'utf-8-bom');
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: iconv.decode(buf.subarray(2), 'utf16le'), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: iconv.decode(buf.subarray(2), 'utf16be'), encoding: 'utf-16be' };
  const wide = sniffUtf16(buf);
  if (wide) return { text: iconv.decode(buf, wide), encoding: wide === 'utf16le' ? 'utf-16le' : 'utf-16be' };
  return decodeUtf8(buf, 'utf-8');
}

function decodeUtf8(buf: Buffer, label: string): DecodedLog {
  if (isUtf8(buf)) return { text: buf.toString('utf8'), encoding: label };
  const lines = byteLines(buf);
  const bad = lines.filter((l) => !isUtf8(l));
  const legacy = guessLegacyCodepage(Buffer.concat(bad.slice(0, 2000)));
  if (bad.length === lines.length) return { text: iconv.decode(buf, legacy), encoding: legacy };
  const parts = lines.map((l) => (isUtf8(l) ? l.toString('utf8') : iconv.decode(l, legacy)));
  return { text: parts.join(''), encoding: `${label}+${legacy}` };
}

/** Text only (the artifact viewer and older callers). */
export function decodeLog(buf: Buffer): string {
  return decodeLogDetailed(buf).text;
}
