/** FILETIME (100 ns ticks since 1601-01-01 UTC) helpers; exact to the tick via bigint. */
const EPOCH_DIFF_TICKS = 116444736000000000n;

export function filetimeOf(b: Buffer, off: number): bigint {
  return b.readBigUInt64LE(off);
}

/** ISO-8601 UTC with all seven fractional digits, or null for 0 / out-of-range values. */
export function filetimeToIso(ft: bigint): string | null {
  if (ft <= 0n || ft >= 0x7fffffffffffffffn) return null;
  const unixTicks = ft - EPOCH_DIFF_TICKS;
  const ms = unixTicks / 10000n;
  const rem = Number(((unixTicks % 10000000n) + 10000000n) % 10000000n);
  const d = new Date(Number(ms));
  if (!Number.isFinite(d.getTime()) || d.getUTCFullYear() > 9999 || d.getUTCFullYear() < 1601) return null;
  return `${d.toISOString().slice(0, 19)}.${String(rem).padStart(7, '0')}Z`;
}

/** A SYSTEMTIME (8 x u16: year, month, dow, day, hour, min, sec, ms) as ISO text (no zone: it is whatever the writer used). */
export function systemtimeToIso(b: Buffer, off: number): string {
  const v = (i: number) => b.readUInt16LE(off + i * 2);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(v(0), 4)}-${p(v(1))}-${p(v(3))}T${p(v(4))}:${p(v(5))}:${p(v(6))}.${p(v(7), 3)}`;
}
