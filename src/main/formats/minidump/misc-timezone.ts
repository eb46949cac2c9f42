import type { ByteSource } from '../common/byte-source';
import { readStreamPayload, type Minidump } from './reader';

/**
 * The capture machine's time zone from MINIDUMP_MISC_INFO_3+ (MiscInfoStream, flag
 * MINIDUMP_MISC3_TIMEZONE 0x20): TimeZoneId says which bias was in force when the dump was
 * written (1 standard, 2 daylight, 0 neither), TIME_ZONE_INFORMATION gives the biases
 * (UTC = local + Bias + StandardBias|DaylightBias, in minutes).
 */
export interface DumpTimeZone {
  /** 0 unknown/no daylight saving, 1 standard, 2 daylight. */
  id: number;
  bias: number;
  standardBias: number;
  daylightBias: number;
  standardName: string;
  daylightName: string;
}

const MISC_INFO_STREAM = 15;
const MISC3_TIMEZONE = 0x20;
/** TIME_ZONE_INFORMATION starts at 60 and ends at 232 (the size of MINIDUMP_MISC_INFO_3). */
const TZ_END = 232;

function utf16z(b: Buffer, off: number, bytes: number): string {
  const s = b.toString('utf16le', off, off + bytes);
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** Null when the dump has no MISC_INFO_3 time zone (older writers, Breakpad dumps). */
export function readDumpTimeZone(src: ByteSource, md: Minidump): DumpTimeZone | null {
  const s = md.streams.find((x) => x.type === MISC_INFO_STREAM);
  if (!s || s.size < TZ_END) return null;
  const b = readStreamPayload(src, s, 0, TZ_END);
  if (b.length < TZ_END || b.readUInt32LE(0) < TZ_END) return null;
  if ((b.readUInt32LE(4) & MISC3_TIMEZONE) === 0) return null;
  const id = b.readUInt32LE(56);
  if (id > 2) return null;
  const tz: DumpTimeZone = {
    id,
    bias: b.readInt32LE(60),
    standardName: utf16z(b, 64, 64),
    standardBias: b.readInt32LE(144),
    daylightName: utf16z(b, 148, 64),
    daylightBias: b.readInt32LE(228),
  };
  // Real zones are within ±14 h; anything else is damage.
  const total = tz.bias + (id === 2 ? tz.daylightBias : tz.standardBias);
  return Math.abs(total) <= 14 * 60 ? tz : null;
}
