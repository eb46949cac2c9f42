import type { GameFamily } from '../../../shared/domain/game';
import type { SignatureStats, TrendsIndex } from '../../../shared/domain/trends-index';
import type {
  BucketTrend,
  ModuleParticipation,
  TrendGranularity,
  TrendPoint,
  Trends,
} from '../../../shared/domain/trends';
import { wallClockIso } from '../../formats/textlog/timestamps';
import { moduleRole } from '../minidump/module-roles';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../../shared/domain/local-time';
import { installHealth } from './health';

/**
 * Trends from the incident index: per-period counts, buckets (signatures) with first/last
 * seen and a sparkline, module participation, install health. All times are the index's
 * `captured_ms` (local wall clock stored as if it were UTC), so days are the player's days.
 * The counting is the index's (TrendsIndex, answered by store/trends-queries.ts); this file
 * picks the range and periods and shapes the answer.
 *
 * Counted are the player's own incidents: imported bundles (someone else's crashes) are left
 * out by the index and only said apart in `totals.imported`. `game` narrows everything to one
 * game; `games` splits the range's crashes and hangs by game.
 */
export interface TrendsOptions {
  /** Range in days up to now; 0 = everything indexed. */
  days?: number;
  granularity?: TrendGranularity;
  /** Reference time, wall clock (`YYYY-MM-DDTHH:MM:SS[.mmm]`); defaults to the clock now. */
  now?: string;
  topBuckets?: number;
  topModules?: number;
  /** Only this game's incidents; every game when left out. */
  game?: GameFamily;
}

/**
 * Module names as files ("EngineFixes.dll", "Skyrim.esm"). Parser leftovers such as
 * `void* -> SkyrimSE.exe` (a crash log's typed stack slot read as a module) are not modules;
 * the parser is being fixed, this keeps indexes written before that out of the chart.
 */
export function isModuleName(name: string): boolean {
  return !/->|[*<>|"?\t]/.test(name) && /^[^\s].*\.[a-z0-9]{2,4}$/i.test(name);
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Monday. */
const MONDAY_SHIFT = 3 * DAY;
/** More periods than this and a daily chart becomes weekly; weekly ones keep the latest. */
const MAX_DAILY = 120;
const MAX_PERIODS = 520;
/** New buckets listed beyond the top N. */
const MAX_EXTRA_NEW = 10;

const dayIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function periodStart(ms: number, g: TrendGranularity): number {
  if (g === 'day') return Math.floor(ms / DAY) * DAY;
  return Math.floor((ms + MONDAY_SHIFT) / WEEK) * WEEK - MONDAY_SHIFT;
}

export function computeTrends(index: TrendsIndex, opts: TrendsOptions = {}): Trends {
  const nowMs = opts.now ? sortKeyOfLocalIso(opts.now) : sortKeyOfLocalIso(localIsoFromMs(Date.now()));
  const days = Math.max(0, Math.floor(opts.days ?? 30));
  const game = opts.game ?? null;
  const scope = { game };
  const to = Math.floor(nowMs / DAY) * DAY + DAY;
  let from: number;
  if (days > 0) from = to - days * DAY;
  else {
    const firstMs = index.firstCapturedMs(scope);
    from = firstMs === null ? to - 30 * DAY : Math.floor(firstMs / DAY) * DAY;
  }
  let granularity: TrendGranularity = opts.granularity ?? ((to - from) / DAY > MAX_DAILY ? 'week' : 'day');
  if (granularity === 'day' && (to - from) / DAY > MAX_PERIODS) granularity = 'week';
  const step = granularity === 'day' ? DAY : WEEK;
  let first = periodStart(from, granularity);
  if ((to - first) / step > MAX_PERIODS) first = periodStart(to - MAX_PERIODS * step, granularity);
  from = Math.max(from, first);
  const periods = Math.max(1, Math.ceil((to - first) / step));
  const range = { first, step, from, to, game };

  // Per-period counts by kind: one range scan of the captured_ms index.
  const series: TrendPoint[] = Array.from({ length: periods }, (_, i) => ({
    period: dayIso(first + i * step),
    crash: 0,
    hang: 0,
    manual: 0,
    unknown: 0,
  }));
  const totals = {
    incidents: 0,
    crash: 0,
    hang: 0,
    manual: 0,
    unknown: 0,
    buckets: 0,
    newBuckets: 0,
    imported: 0,
  };
  for (const r of index.countsByPeriod(range)) {
    const pt = series[r.period];
    if (!pt || !(r.kind in totals)) continue;
    pt[r.kind] += r.n;
    totals[r.kind] += r.n;
    totals.incidents += r.n;
  }

  // The range's own crashes and hangs by game, and the imported bundles left out.
  const games = { skyrim: 0, fallout4: 0, unknown: 0 };
  for (const r of index.gameSplit({ from, to })) {
    if (r.imported) {
      if (game === null || r.game === game) totals.imported += r.n;
    } else games[r.game ?? 'unknown'] += r.n;
  }

  // Buckets: one pass over the signature index for all-time first/last, range and week counts.
  const weekAgo = nowMs - WEEK;
  const topBuckets = Math.min(opts.topBuckets ?? 20, 200);
  const bucketRows = index.signatureStats({ from, to, weekAgo, now: nowMs, game });
  const byCount = (a: SignatureStats, b: SignatureStats) => b.inRange - a.inRange || b.lastMs - a.lastMs;
  const active = bucketRows.filter((r) => r.inRange > 0).sort(byCount);
  totals.buckets = active.length;
  const isNewRow = (r: SignatureStats) => r.firstMs >= weekAgo && r.firstMs <= nowMs;
  // New buckets make the list even when still rare: a new crash is what a tester looks for.
  const top = [
    ...active.slice(0, topBuckets),
    ...active.slice(topBuckets).filter(isNewRow).slice(0, MAX_EXTRA_NEW),
  ];
  totals.newBuckets = bucketRows.filter(isNewRow).length;
  const sparks = new Map<string, number[]>();
  for (const r of index.signatureCountsByPeriod(
    range,
    top.map((b) => b.signature),
  )) {
    const arr = sparks.get(r.signature) ?? new Array<number>(periods).fill(0);
    if (r.period >= 0 && r.period < periods) arr[r.period] = r.n;
    sparks.set(r.signature, arr);
  }
  const fixes = index.bucketFixPoints?.() ?? new Map<string, number>();
  const buckets: BucketTrend[] = top.map((r) => {
    const newest = index.newestOfSignature(r.signature, scope);
    const fixMs = fixes.get(r.signature);
    return {
      signature: r.signature,
      title: newest?.title ?? r.signature,
      kind: newest?.kind ?? 'unknown',
      total: r.total,
      inRange: r.inRange,
      lastWeek: r.lastWeek,
      firstSeen: wallClockIso(r.firstMs),
      lastSeen: wallClockIso(r.lastMs),
      isNew: isNewRow(r),
      spark: sparks.get(r.signature) ?? new Array<number>(periods).fill(0),
      fixedAt: fixMs === undefined ? null : wallClockIso(fixMs),
      regressed: fixMs !== undefined && r.lastMs > fixMs,
    };
  });

  // Modules in the range's crashes and hangs: faulting vs only on the stack / a suspect.
  const counted = totals.crash + totals.hang;
  const topModules = Math.min(opts.topModules ?? 15, 100);
  const modules: ModuleParticipation[] = index
    .moduleParticipation({ from, to, game }, topModules + 20)
    .filter((r) => isModuleName(r.module))
    .slice(0, topModules)
    .map((r) => ({
      module: r.module,
      faulting: r.faulting,
      other: r.total - r.faulting,
      share: counted > 0 ? r.total / counted : 0,
      role: moduleRole(r.module),
    }));

  // The health inputs: fixed windows before `now`, whatever range the charts show.
  const h = index.healthCounts(nowMs, scope);
  return {
    now: wallClockIso(nowMs),
    from: wallClockIso(from),
    days,
    granularity,
    game,
    totals,
    games,
    series,
    buckets,
    modules,
    health: installHealth({
      crashes7: h.crashes7,
      hangs7: h.hangs7,
      previous7: h.previous7,
      daysSinceLast: h.lastMs === null ? null : (nowMs - h.lastMs) / DAY,
      recent30: h.recent30,
      repeating30: h.repeating30,
    }),
  };
}
