/**
 * Timestamps at the start of a log line, parsed straight from the bytes (this runs on every
 * line of a 1 GB log). Times are wall-clock without a zone, returned like incident times
 * (src/shared/domain/local-time.ts): milliseconds as if the wall clock were UTC.
 *
 *   Papyrus     `[01/15/2026 - 08:15:32PM]`            (MM/DD/YYYY, 12-hour clock)
 *   spdlog/ISO  `[2026-03-15 13:00:00.123]`, `2026-03-15T13:00:00Z`, `2026-03-15 13:00:00,5 +09:00`
 *
 * A zone suffix is skipped, not applied: the other times we compare against have none.
 */
export interface LineTimestamp {
  ms: number;
  /** Bytes of the line the timestamp (and its brackets) covers, from `start`. */
  length: number;
  kind: 'papyrus' | 'iso';
}

const d = (c: number | undefined): number => (c !== undefined && c >= 0x30 && c <= 0x39 ? c - 0x30 : -1);

function num(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const x = d(b[i + k]);
    if (x < 0) return -1;
    v = v * 10 + x;
  }
  return v;
}

function valid(y: number, mo: number, da: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1970 && y <= 2999 && mo >= 1 && mo <= 12 && da >= 1 && da <= 31 && h <= 23 && mi <= 59 && s <= 60
  );
}

/**
 * The timestamp at the start of `b[start, end)`, or null. Pass `into` to have it filled and
 * returned instead of a new object (the dedupe reuses one for every line).
 */
export function parseLineTimestamp(
  b: Uint8Array,
  start: number,
  end: number,
  into?: LineTimestamp,
): LineTimestamp | null {
  const c0 = b[start];
  if (c0 === 0x5b /* [ */) {
    if (end - start >= 25 && b[start + 3] === 0x2f && b[start + 6] === 0x2f && b[start + 11] === 0x20) {
      const p = papyrus(b, start + 1);
      if (p !== null && b[start + 24] === 0x5d /* ] */) return result(into, p, 25, 'papyrus');
    }
    const iso = isoAt(b, start + 1, end);
    if (iso && b[start + 1 + iso.length] === 0x5d) return result(into, iso.ms, iso.length + 2, 'iso');
    return null;
  }
  if (d(c0) >= 0) {
    const iso = isoAt(b, start, end);
    if (iso) return result(into, iso.ms, iso.length, 'iso');
  }
  return null;
}

function result(
  into: LineTimestamp | undefined,
  ms: number,
  length: number,
  kind: LineTimestamp['kind'],
): LineTimestamp {
  if (!into) return { ms, length, kind };
  into.ms = ms;
  into.length = length;
  into.kind = kind;
  return into;
}

// Lines of one log mostly share a day: Date.UTC runs once per day seen, not once per line.
let dayKey = -1;
let dayStart = 0;
function wallMs(y: number, mo: number, da: number, h: number, mi: number, s: number, ms = 0): number {
  const k = (y * 16 + mo) * 32 + da;
  if (k !== dayKey) {
    dayKey = k;
    dayStart = Date.UTC(y, mo - 1, da);
  }
  return dayStart + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** `MM/DD/YYYY - HH:MM:SSAM` at i (23 bytes). */
function papyrus(b: Uint8Array, i: number): number | null {
  const mo = num(b, i, 2);
  const da = num(b, i + 3, 2);
  const y = num(b, i + 6, 4);
  if (b[i + 10] !== 0x20 || b[i + 11] !== 0x2d || b[i + 12] !== 0x20) return null;
  let h = num(b, i + 13, 2);
  const mi = num(b, i + 16, 2);
  const s = num(b, i + 19, 2);
  if (b[i + 15] !== 0x3a || b[i + 18] !== 0x3a) return null;
  const ap = b[i + 21]! | 0x20;
  if ((ap !== 0x61 && ap !== 0x70) || (b[i + 22]! | 0x20) !== 0x6d) return null;
  if (h < 1 || h > 12) return null;
  if (ap === 0x70 && h !== 12) h += 12;
  else if (ap === 0x61 && h === 12) h = 0;
  if (!valid(y, mo, da, h, mi, s)) return null;
  return wallMs(y, mo, da, h, mi, s);
}

/** `YYYY-MM-DD[ T]HH:MM:SS[.fff|,fff][Z|±HH:MM]` at i. */
function isoAt(b: Uint8Array, i: number, end: number): { ms: number; length: number } | null {
  if (end - i < 19) return null;
  if (b[i + 4] !== 0x2d || b[i + 7] !== 0x2d || b[i + 13] !== 0x3a || b[i + 16] !== 0x3a) return null;
  const sep = b[i + 10];
  if (sep !== 0x20 && sep !== 0x54) return null;
  const y = num(b, i, 4);
  const mo = num(b, i + 5, 2);
  const da = num(b, i + 8, 2);
  const h = num(b, i + 11, 2);
  const mi = num(b, i + 14, 2);
  const s = num(b, i + 17, 2);
  if (!valid(y, mo, da, h, mi, s)) return null;
  let j = i + 19;
  let ms = 0;
  if ((b[j] === 0x2e || b[j] === 0x2c) && d(b[j + 1]) >= 0) {
    j++;
    let scale = 100;
    while (j < end && d(b[j]) >= 0) {
      ms += d(b[j]) * scale;
      scale /= 10;
      j++;
    }
    ms = Math.floor(ms);
  }
  if (b[j] === 0x5a) j++;
  else {
    // `+09:00`, also after one space (`13:00:00,5 +09:00`).
    const z = b[j] === 0x20 ? j + 1 : j;
    if (
      (b[z] === 0x2b || b[z] === 0x2d) &&
      num(b, z + 1, 2) >= 0 &&
      b[z + 3] === 0x3a &&
      num(b, z + 4, 2) >= 0
    )
      j = z + 6;
  }
  return { ms: wallMs(y, mo, da, h, mi, s, ms), length: j - i };
}

/** Milliseconds (wall clock as UTC) → `YYYY-MM-DDTHH:MM:SS.mmm`, the incident time format. */
export function wallClockIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}
