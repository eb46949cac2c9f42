/**
 * The timeline's one clock: the player's local wall clock as milliseconds "as if UTC", the way
 * incident times are stored (shared/domain/local-time.ts). Sources bring three kinds of time:
 *
 * - local wall clock already (SkyrimDiag's `<ts>`, crash-log names, log-line stamps): used as is;
 * - UTC instants (a minidump's TimeDateStamp and process/thread times, FILETIMEs of ETW and the
 *   SkyrimDiag summary): shifted by the capture machine's zone offset (`Zone`);
 * - relative times (ms since the SkyrimDiag plugin started, waits before a capture): placed
 *   against an anchor another source dates (sources/blackbox.ts, sources/wct.ts).
 */

/** 100 ns ticks from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_UNIX_TICKS = 116444736000000000n;
const MINUTE = 60_000;

/** FILETIME (100 ns ticks since 1601, UTC) to Unix ms; null for 0 and values outside 1970..9999. */
export function filetimeToUnixMs(ft: bigint): number | null {
  if (ft <= FILETIME_UNIX_TICKS || ft >= 2650467743999999999n) return null;
  return Number((ft - FILETIME_UNIX_TICKS) / 10_000n) + Number((ft - FILETIME_UNIX_TICKS) % 10_000n) / 10_000;
}

/** Local wall clock ms (as if UTC) to `YYYY-MM-DDTHH:MM:SS.mmm`. */
export function wallIso(wallMs: number): string {
  return new Date(Math.round(wallMs)).toISOString().slice(0, 23);
}

/** "UTC+02:00", "UTC−05:30". */
export function zoneLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '−' : '+';
  const a = Math.abs(offsetMinutes);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * The zone offset two clocks of one moment imply (a local capture stamp and a UTC time written
 * by the same capture a few seconds later): rounded to the quarter hour every zone uses, or
 * null when the two are too far from any quarter hour to be the same moment.
 */
export function offsetFromPair(localWallMs: number, utcMs: number, toleranceMs = 5 * MINUTE): number | null {
  const diff = localWallMs - utcMs;
  const q = Math.round(diff / (15 * MINUTE)) * 15;
  if (Math.abs(diff - q * MINUTE) > toleranceMs) return null;
  return q >= -14 * 60 && q <= 14 * 60 ? q : null;
}

/** A Windows TIME_ZONE_INFORMATION's offset at one moment: UTC = local + Bias (+ the active bias). */
export function offsetFromBias(bias: number, extra: number): number {
  return -(bias + extra);
}

export interface ZoneChoice {
  offsetMinutes: number | null;
  from: string;
}

export class TimelineClock {
  constructor(readonly zone: ZoneChoice) {}

  /** A UTC instant (Unix ms) on the local wall clock; null when no zone is known. */
  wallFromUtc(unixMs: number): number | null {
    return this.zone.offsetMinutes === null ? null : unixMs + this.zone.offsetMinutes * MINUTE;
  }
}

/** This computer's offset at a moment: the last resort, said so. */
export function hostOffsetAt(unixMs: number): number {
  return -new Date(unixMs).getTimezoneOffset();
}
