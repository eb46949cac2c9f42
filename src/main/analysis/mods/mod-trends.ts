import type { ModTrend, ModTrendRow, ModTrends, ModVersionTrend } from '../../../shared/domain/setup';
import { wallClockIso } from '../../formats/textlog/timestamps';

export interface ModVersionSeen {
  mod: string;
  version: string;
  firstMs: number;
}

export interface ModTrendOptions {
  nowMs: number;
  fromMs: number;
  days: number;
  /** Period length for the sparkline (a day or a week). */
  stepMs: number;
  top?: number;
}

const DAY = 86_400_000;
const RISE_FACTOR = 1.5;
const MIN_CRASHES_AFTER = 2;
const MAX_IDS = 50;

/**
 * Crashes per mod over time, from the mods each incident implicates (its faulting file or a
 * suspect shipped by the mod). Versions come from the setups recorded at each crash and seen
 * in use; a mod's crash rate per version is its crashes while that version was installed
 * divided by the days it was. "Rose after an update": the newest version's rate is at least
 * 1.5 times the previous one's, with two or more crashes on the newest.
 *
 * `rows`: every implicated (incident, mod) pair up to now, newest first; `versions`: when each version was first seen. */
export function computeModTrends(
  rows: readonly ModTrendRow[],
  versions: readonly ModVersionSeen[],
  o: ModTrendOptions,
): ModTrends {
  const periods = Math.max(1, Math.ceil((o.nowMs - o.fromMs) / o.stepMs));
  const byMod = new Map<string, ModTrendRow[]>();
  for (const r of rows) {
    const k = r.mod.toLowerCase();
    const list = byMod.get(k) ?? [];
    list.push(r);
    byMod.set(k, list);
  }
  const seen = new Map<string, ModVersionSeen[]>();
  for (const v of versions) {
    const k = v.mod.toLowerCase();
    seen.set(k, [...(seen.get(k) ?? []), v]);
  }
  const mods: ModTrend[] = [];
  for (const [k, list] of byMod) {
    const inRange = list.filter((r) => r.capturedMs >= o.fromMs && r.capturedMs < o.nowMs);
    if (inRange.length === 0) continue;
    const spark = new Array<number>(periods).fill(0);
    for (const r of inRange) {
      const p = Math.floor((r.capturedMs - o.fromMs) / o.stepMs);
      if (p >= 0 && p < periods) spark[p]!++;
    }
    const vt = versionTrends(list, seen.get(k) ?? [], o.nowMs);
    const last = vt.at(-1);
    const prev = vt.at(-2);
    const rose =
      last && prev && last.crashes >= MIN_CRASHES_AFTER && last.perDay > prev.perDay * RISE_FACTOR
        ? { from: prev.version, to: last.version, before: prev.perDay, after: last.perDay }
        : null;
    mods.push({
      mod: list[0]!.mod,
      nexusId: list.find((r) => r.nexusId !== null)?.nexusId ?? null,
      latestVersion: list.find((r) => r.version)?.version ?? last?.version ?? null,
      incidents: new Set(inRange.map((r) => r.incidentId)).size,
      faulting: new Set(inRange.filter((r) => r.faulting).map((r) => r.incidentId)).size,
      spark,
      versions: vt,
      rose,
      recent: [
        ...new Map(
          inRange.map((r) => [r.incidentId, { id: r.incidentId, capturedAt: r.capturedAt, title: r.title }]),
        ).values(),
      ].slice(0, MAX_IDS),
    });
  }
  mods.sort((a, b) => b.incidents - a.incidents || b.faulting - a.faulting || a.mod.localeCompare(b.mod));
  const top = mods.slice(0, o.top ?? 30);
  const rising = mods
    .filter((m) => m.rose)
    .sort((a, b) => ratio(b) - ratio(a))
    .map((m) => m.mod);
  return {
    now: wallClockIso(o.nowMs).slice(0, 19),
    from: wallClockIso(o.fromMs).slice(0, 19),
    days: o.days,
    periods: Array.from({ length: periods }, (_, i) => wallClockIso(o.fromMs + i * o.stepMs).slice(0, 10)),
    // Rising mods stay listed even when they are not among the most frequent.
    mods: [...top, ...mods.filter((m) => m.rose && !top.includes(m))],
    rising,
  };
}

function ratio(m: ModTrend): number {
  return m.rose ? m.rose.after / Math.max(m.rose.before, 1 / 365) : 0;
}

/** Per version, oldest first: crashes while it was the installed one, per day in use. */
function versionTrends(
  rows: readonly ModTrendRow[],
  seen: readonly ModVersionSeen[],
  nowMs: number,
): ModVersionTrend[] {
  const first = new Map<string, number>();
  for (const v of seen) first.set(v.version, Math.min(first.get(v.version) ?? Infinity, v.firstMs));
  for (const r of rows)
    if (r.version) first.set(r.version, Math.min(first.get(r.version) ?? Infinity, r.capturedMs));
  const order = [...first.entries()].sort((a, b) => a[1] - b[1]);
  return order.map(([version, start], i) => {
    const end = order[i + 1]?.[1] ?? nowMs;
    const crashes = new Set(rows.filter((r) => r.version === version).map((r) => r.incidentId)).size;
    const days = Math.max(1, (end - start) / DAY);
    return {
      version,
      firstSeen: wallClockIso(start).slice(0, 19),
      crashes,
      days: Math.round(days * 10) / 10,
      perDay: Math.round((crashes / days) * 1000) / 1000,
    };
  });
}
