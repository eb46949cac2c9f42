import type { TimelineLevel, TimelinePrecision } from '../../../../shared/domain/timeline';
import type { DraftEvent } from '../sink';
import type { TimelineArtifact } from './small';

/**
 * SkyrimDiag's black box (`<stem>_SkyrimDiagBlackbox.jsonl`, skyrimdiag-artifacts.md §9.2) on the
 * timeline. Its times are milliseconds since the plugin's session started (QPC based, no wall
 * time in the file), so the ring is placed against an anchor another artifact dates:
 *
 * 1. ThreadCreate events (`a` = the new thread's id) against the same threads' creation
 *    FILETIMEs in the dump's thread-info list: the median difference, to the millisecond;
 * 2. the Crash event against SkyrimDiag's capture time (the helper stamps `<ts>` when the plugin
 *    signals the crash);
 * 3. SessionStart against the dump's process creation time (seconds, plus the plugin's load time);
 * 4. the last event against the capture time (an upper bound only).
 *
 * The file is parsed by the black-box parser (formats/skyrimdiag), handed in by the caller.
 */

/** The fields of a black-box event the timeline reads (formats/skyrimdiag's BlackboxEvent). */
export interface BlackboxEventLike {
  index: number;
  tMs: number;
  tid: number;
  type: number;
  typeName: string;
  /** Unsigned 64-bit payload as decimal text (it can exceed 2^53). */
  a: string;
  b?: string;
  detail: string | null;
}

export type BlackboxParser = (bytes: Buffer, name: string) => { events: readonly BlackboxEventLike[] };

export interface BlackboxAnchor {
  /** wall ms = tMs + offsetMs */
  offsetMs: number;
  precision: TimelinePrecision;
  from: string;
}

export interface AnchorInputs {
  /** Thread id → creation time on the local wall clock (from the dump's thread-info list). */
  threadStarts: ReadonlyMap<number, number>;
  /** SkyrimDiag's capture time of a crash (local wall ms). */
  crashCaptureWall: number | null;
  /** The game's process creation time (local wall ms, to the second). */
  processStartWall: number | null;
  /** When the capture was taken (local wall ms). */
  captureWall: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export function anchorBlackbox(
  events: readonly BlackboxEventLike[],
  inp: AnchorInputs,
): BlackboxAnchor | null {
  const diffs: number[] = [];
  for (const e of events) {
    if (e.type !== 70) continue;
    const wall = inp.threadStarts.get(Number(e.a));
    if (wall !== undefined) diffs.push(wall - e.tMs);
  }
  if (diffs.length) {
    const off = median(diffs);
    const spread = Math.max(...diffs) - Math.min(...diffs);
    return {
      offsetMs: off,
      precision: spread <= 50 ? 'ms' : 'approx',
      from: `${diffs.length} thread start${diffs.length === 1 ? '' : 's'} matched with the dump's thread creation times (spread ${Math.round(spread)} ms)`,
    };
  }
  const crash = events.find((e) => e.type === 100);
  if (crash && inp.crashCaptureWall !== null)
    return {
      offsetMs: inp.crashCaptureWall - crash.tMs,
      precision: 'ms',
      from: "its Crash event at SkyrimDiag's capture time",
    };
  const start = events.find((e) => e.type === 1);
  if (start && inp.processStartWall !== null)
    return {
      offsetMs: inp.processStartWall - start.tMs,
      precision: 'approx',
      from: "its SessionStart at the dump's process start time (to the second; the plugin loads a little later)",
    };
  const last = events[events.length - 1];
  if (last && inp.captureWall !== null)
    return {
      offsetMs: inp.captureWall - last.tMs,
      precision: 'approx',
      from: 'its last event at the capture time (an upper bound: the ring may have gone quiet earlier)',
    };
  return null;
}

const hex = (v: string | undefined) => {
  try {
    return BigInt(v ?? '0').toString(16);
  } catch {
    return '?';
  }
};

const TYPE_TEXT: Record<number, (e: BlackboxEventLike) => [string, string, TimelineLevel]> = {
  1: (e) => ['session-start', `SkyrimDiag session started (pid ${e.a}) on thread ${e.tid}`, 'info'],
  2: (e) => ['heartbeat', `heartbeat${e.detail ? ` ${e.detail}` : ''}`, 'info'],
  10: (e) => ['menu-open', `menu opened: ${e.detail ?? '?'}`, 'info'],
  11: (e) => ['menu-close', `menu closed: ${e.detail ?? '?'}`, 'info'],
  20: () => ['load-start', 'loading screen started', 'info'],
  21: () => ['load-end', 'loading screen ended', 'info'],
  30: (e) => ['cell-change', `cell changed${e.detail ? `: ${e.detail}` : ''}`, 'info'],
  40: (e) => ['note', e.detail ?? 'note', 'info'],
  50: (e) => ['hitch', `hitch${e.detail ? `: ${e.detail}` : ''}`, 'warning'],
  60: (e) => ['module-load', `loaded ${e.detail ?? 'a module'}`, 'info'],
  61: (e) => ['module-unload', `unloaded ${e.detail ?? 'a module'}`, 'info'],
  70: (e) => ['thread-start', `thread ${e.a} started${e.detail ? ` (${e.detail})` : ''}`, 'info'],
  71: (e) => ['thread-end', `thread ${e.a} ended${e.detail ? ` (${e.detail})` : ''}`, 'info'],
  80: (e) => ['first-chance', `first-chance exception${e.detail ? ` ${e.detail}` : ''}`, 'warning'],
  100: (e) => [
    'crash',
    `crash: exception 0x${hex(e.a).toUpperCase()} at 0x${hex(e.b)} on thread ${e.tid}`,
    'error',
  ],
  200: () => ['hang-mark', 'hang marked', 'warning'],
};

export function blackboxDrafts(
  art: TimelineArtifact,
  events: readonly BlackboxEventLike[],
  anchor: BlackboxAnchor,
): DraftEvent[] {
  return events.map((e, i) => {
    const t = TYPE_TEXT[e.type];
    const [kind, text, level] = t
      ? t(e)
      : ['event', `${e.typeName}${e.detail ? `: ${e.detail}` : ''}`, 'info' as const];
    return {
      wallMs: e.tMs + anchor.offsetMs,
      source: 'blackbox',
      kind,
      level,
      text,
      precision: anchor.precision,
      ref: { artifactId: art.id, role: art.role, line: i + 1, index: e.index, tid: e.tid },
    };
  });
}
