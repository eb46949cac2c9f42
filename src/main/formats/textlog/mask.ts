import { parseLineTimestamp, type LineTimestamp } from './timestamps';

const DIGIT = 1;
const HEXL = 2;
const ALPHA = 4;
const WORD = 8;
const SPACE = 16;
const PATHSTOP = 32;
const PATHPRE = 64;
/** [0-9A-Fa-f]: lets the word scan learn "all hex" from one AND of the class bits. */
const HX = 128;

const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let f = 0;
  if (c >= 0x30 && c <= 0x39) f |= DIGIT | WORD;
  if ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)) f |= HEXL | HX;
  if (c >= 0x30 && c <= 0x39) f |= HX;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c >= 0x80) f |= ALPHA | WORD;
  if (c === 0x5f) f |= WORD;
  if (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x0a) f |= SPACE;
  if ('"\'<>|,;*?='.includes(String.fromCharCode(c))) f |= PATHSTOP;
  if (' \t([=:"\',{'.includes(String.fromCharCode(c))) f |= PATHPRE;
  CLASS[c] = f;
}

const BS = 0x5c;
const SL = 0x2f;

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (ch) => ch.charCodeAt(0));
const P_TS = bytes('<TS>');
const P_PATH = bytes('<PATH>');
const P_STR = bytes('<STR>');
const P_GUID = bytes('<GUID>');
const P_HEX = bytes('<HEX>');
const P_ID = bytes('<ID>');
const P_N = bytes('<N>');

/**
 * Line signatures: the parts of a log line that change between repeats are replaced by a
 * placeholder, so `[01/15/2026 - 08:15:32PM] error: Cannot call GetValue() on a None object`
 * and the same line a second later share one pattern. Rules, in the order they are tried at
 * each token:
 *
 *   <TS>    a timestamp at the start of the line (timestamps.ts: Papyrus, spdlog, ISO)
 *   <PATH>  Windows drive (`C:\…`, `C:/…`), UNC (`\\host\…`), relative (`Data\Scripts\x.pex`)
 *           and unix (`/usr/…`, two slashes at least) paths; a path runs on across a space
 *           when another separator follows soon (`C:\Program Files (x86)\Steam\…`)
 *   <STR>   text in double quotes, and in single quotes that open after a non-word character
 *           (so the apostrophe of "can't" is not a quote)
 *   <GUID>  8-4-4-4-12 hex digits
 *   <HEX>   `0x` + hex digits; bare hex words with a digit of 8+ characters (6+ with a letter)
 *   <ID>    exactly 8 hex digits, bare or `0x`-prefixed: Skyrim form ids (`[FF000123]`,
 *           `(0003372B)`, `0x0001A2B3`); an all-decimal 8-digit word only when zero-padded
 *   <N>     decimal numbers, with dotted groups (`1.6.1170.0`, `3.25`); leading digits of a word
 *           (`16ms`); digits after a letter stay (`skse64`, `d3d11`, `MQ101`)
 *
 * Runs of spaces and tabs become one space and trailing ones go, so column padding does not
 * split patterns. Works on bytes of any ASCII-compatible encoding (UTF-8, CP1251, CP949...):
 * bytes ≥ 0x80 count as letters. Only the first `maxOut` bytes of output are produced.
 */
export class LineMasker {
  /** Output of the last `mask` call: `out[0, length)`. */
  readonly out: Buffer;
  /** Timestamp found at the start of the last masked line (one object, reused). */
  ts: LineTimestamp | null = null;
  private readonly tsBox: LineTimestamp = { ms: 0, length: 0, kind: 'iso' };

  constructor(
    readonly maxOut = 1024,
    /** Bytes of a line looked at; the rest is ignored. */
    readonly maxIn = 4096,
  ) {
    // Room for a whole line past maxOut: the word copy then needs no bounds check.
    this.out = Buffer.alloc(maxOut + maxIn + 16);
  }

  /** Masks `b[start, end)`; returns the signature length in `out`. This is the hot loop of the dedupe. */
  mask(b: Uint8Array, start: number, endIn: number): number {
    const out = this.out;
    const cap = this.maxOut;
    const end = Math.min(endIn, start + this.maxIn);
    let o = 0;
    let i = start;
    const ts = parseLineTimestamp(b, start, end, this.tsBox);
    this.ts = ts;
    if (ts) {
      o = put(out, o, P_TS);
      i += ts.length;
    }
    let space = false;
    while (i < end && o < cap) {
      const c = b[i]!;
      const cl = CLASS[c]!;
      if (cl & SPACE) {
        space = true;
        i++;
        continue;
      }
      if (space) {
        out[o++] = 0x20;
        space = false;
      }
      if (cl & WORD) {
        // Drive path: a single letter, a colon, a separator.
        // (Words are scanned whole, so the byte before a word is rarely a word byte; checked only here.)
        if (
          cl & ALPHA &&
          b[i + 1] === 0x3a &&
          i + 2 < end &&
          (b[i + 2] === BS || b[i + 2] === SL) &&
          !wordBefore(b, i, start)
        ) {
          o = put(out, o, P_PATH);
          i = pathEnd(b, i, end);
          continue;
        }
        // Scan the word, copying it as we go: most words are kept verbatim.
        const o0 = o;
        let j = i;
        let any = 0;
        let all = 0xff;
        while (j < end) {
          const x = b[j]!;
          const f = CLASS[x]!;
          if (!(f & WORD)) break;
          any |= f;
          all &= f;
          out[o++] = x;
          j++;
        }
        const allDigit = (all & DIGIT) !== 0;
        const allHex = (all & HX) !== 0;
        const hasDigit = (any & DIGIT) !== 0;
        const hasHexLetter = (any & HEXL) !== 0;
        if (b[j] === BS && j + 1 < end && !wordBefore(b, i, start)) {
          o = put(out, o0, P_PATH);
          i = pathEnd(b, i, end);
          continue;
        }
        if (!(cl & DIGIT) && !(allHex && hasDigit)) {
          i = j;
          continue;
        }
        const len = j - i;
        if (c === 0x30 && len > 2 && (b[i + 1]! | 0x20) === 0x78 && hexRun(b, i + 2, j)) {
          o = put(out, o0, len - 2 === 8 ? P_ID : P_HEX);
          i = j;
          continue;
        }
        if (allDigit) {
          let dotted = false;
          while (b[j] === 0x2e && j + 1 < end && CLASS[b[j + 1]!]! & DIGIT) {
            dotted = true;
            j += 2;
            while (j < end && CLASS[b[j]!]! & DIGIT) j++;
          }
          if (!dotted && len === 8 && b[j] === 0x2d && isGuid(b, i, end)) {
            o = put(out, o0, P_GUID);
            i += 36;
            continue;
          }
          o = put(out, o0, !dotted && len === 8 && c === 0x30 ? P_ID : P_N);
          i = j;
          continue;
        }
        if (allHex && hasDigit) {
          if (len === 8 && b[j] === 0x2d && isGuid(b, i, end)) {
            o = put(out, o0, P_GUID);
            i += 36;
            continue;
          }
          if (len >= 8 || (len >= 6 && hasHexLetter)) {
            o = put(out, o0, len === 8 ? P_ID : P_HEX);
            i = j;
            continue;
          }
        }
        if (cl & DIGIT) {
          // `16ms`: mask the leading number, keep the rest of the word.
          let k = i;
          while (k < j && CLASS[b[k]!]! & DIGIT) k++;
          o = put(out, o0, P_N);
          for (; k < j; k++) out[o++] = b[k]!;
        }
        i = j;
        continue;
      }
      if (c === 0x22) {
        const close = find(b, 0x22, i + 1, end);
        if (close >= 0) {
          o = quoted(out, o, 0x22);
          i = close + 1;
          continue;
        }
      } else if (c === 0x27 && !wordBefore(b, i, start)) {
        const close = closingApostrophe(b, i + 1, end);
        if (close >= 0) {
          o = quoted(out, o, 0x27);
          i = close + 1;
          continue;
        }
      } else if (c === BS && b[i + 1] === BS && i + 2 < end && CLASS[b[i + 2]!]! & WORD) {
        o = put(out, o, P_PATH);
        i = pathEnd(b, i, end);
        continue;
      } else if (
        c === SL &&
        (i === start || CLASS[b[i - 1]!]! & PATHPRE) &&
        i + 1 < end &&
        CLASS[b[i + 1]!]! & WORD &&
        slashAhead(b, i + 1, end)
      ) {
        o = put(out, o, P_PATH);
        i = pathEnd(b, i, end);
        continue;
      }
      out[o++] = c;
      i++;
    }
    return o > cap ? cap : o;
  }
}

function wordBefore(b: Uint8Array, i: number, start: number): boolean {
  return i > start && (CLASS[b[i - 1]!]! & WORD) !== 0;
}

function put(out: Uint8Array, o: number, p: Uint8Array): number {
  for (let k = 0; k < p.length; k++) out[o + k] = p[k]!;
  return o + p.length;
}

function quoted(out: Uint8Array, o: number, q: number): number {
  out[o++] = q;
  o = put(out, o, P_STR);
  out[o++] = q;
  return o;
}

function find(b: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (b[i] === byte) return i;
  return -1;
}

/** A closing single quote is one not followed by a word character (`'it''s'` stays sane). */
function closingApostrophe(b: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (b[i] !== 0x27) continue;
    if (i + 1 >= end || !(CLASS[b[i + 1]!]! & WORD)) return i;
  }
  return -1;
}

function hexRun(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!(CLASS[b[i]!]! & (DIGIT | HEXL))) return false;
  return to > from;
}

function isGuid(b: Uint8Array, i: number, end: number): boolean {
  if (end - i < 36) return false;
  const groups = [8, 4, 4, 4, 12];
  let p = i;
  for (let g = 0; g < groups.length; g++) {
    if (!hexRun(b, p, p + groups[g]!)) return false;
    p += groups[g]!;
    if (g < 4) {
      if (b[p] !== 0x2d) return false;
      p++;
    }
  }
  return p >= end || !(CLASS[b[p]!]! & WORD);
}

/** A unix path needs a second slash before the token ends (`/usr/lib`, not `/s` or `/ 2`). */
function slashAhead(b: Uint8Array, from: number, end: number): boolean {
  for (let i = from; i < end && i - from < 256; i++) {
    const c = b[i]!;
    if (c === SL) return true;
    if (CLASS[c]! & (SPACE | PATHSTOP)) return false;
  }
  return false;
}

/** Where a path starting at i ends (see the rules above). */
function pathEnd(b: Uint8Array, i: number, end: number): number {
  let j = i;
  let opens = 0;
  let closes = 0;
  while (j < end) {
    const c = b[j]!;
    const cl = CLASS[c]!;
    if (cl & SPACE) {
      // Go on across spaces only when another separator follows soon, nothing ends the path, and
      // the next word looks like a folder name (`Program Files`, `Special Edition`), not prose.
      let k = j + 1;
      let more = false;
      const n = b[k];
      const folderLike =
        n !== undefined && ((n >= 0x41 && n <= 0x5a) || (n >= 0x30 && n <= 0x39) || n === 0x28 || n >= 0x80);
      while (folderLike && k < end && k - j < 64) {
        const ck = b[k]!;
        if (ck === BS || ck === SL) {
          more = true;
          break;
        }
        if (CLASS[ck]! & PATHSTOP || ck === 0x3a) break;
        k++;
      }
      if (!more) break;
      j = k;
      continue;
    }
    if (cl & PATHSTOP) break;
    if (c === 0x28) opens++;
    else if (c === 0x29) closes++;
    j++;
  }
  // Sentence punctuation and an unbalanced closing bracket belong to the text around the path.
  while (j > i + 1) {
    const t = b[j - 1]!;
    if (t === 0x2e || t === 0x3a) j--;
    else if (t === 0x29 && closes > opens) {
      closes--;
      j--;
    } else if (t === 0x5d) j--;
    else break;
  }
  return j;
}

/** Signature of one line of text (UTF-8): convenience for tests and small inputs. */
export function signatureOf(line: string, maxOut = 1024): string {
  const buf = Buffer.from(line, 'utf8');
  const m = new LineMasker(maxOut);
  const n = m.mask(buf, 0, buf.length);
  return m.out.toString('utf8', 0, n);
}
