import type Database from 'better-sqlite3';
import type { GameFamily } from '../../../shared/domain/game';
import type { IncidentKind } from '../../../shared/domain/incident';
import type {
  BucketTrend,
  ModuleParticipation,
  TrendGranularity,
  TrendPoint,
  Trends,
} from '../../../shared/domain/trends';
import { wallClockIso } from '../../formats/textlog/timestamps';
import { moduleRole } from '../minidump/module-roles';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../sources/local-time';
import { installHealth } from './health';

/**
 * Trends from the incident index: per-period counts, buckets (signatures) with first/last
 * seen and a sparkline, module participation, install health. All times are the index's
 * `captured_ms` (local wall clock stored as if it were UTC), so days are the player's days.
 * Every query is one pass over a covering index (migrations.ts, steps 4 and 6).
 *
 * Counted are the player's own incidents: imported bundles (someone else's crashes, source
 * 'bundle') are left out everywhere and only counted in `totals.imported`. `game` narrows
 * everything to one game; `games` splits the range's crashes and hangs by game.
 */
export interface TrendsOptions {
  /** Range in days up to now; 0 = everything indexed. */
  days?: number;
  granularity?: TrendGranularity;
  /** Reference time, wall clock (`YYYY-MM-DDTHH:MM:SS[.mmm]`); defaults to the clock now. */
  now?: string;
  topBuckets?: number;
  topModules?: number;
  /** Only this game's incidents; all games when left out. */
  game?: GameFamily;
}

/** SQL condition of the incidents trends count (see the header comment); binds @game. */
const OWN = "source <> 'bundle' AND (@game IS NULL OR game = @game)";

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
const COUNTED: IncidentKind[] = ['crash', 'hang'];
/** New buckets listed beyond the top N. */
const MAX_EXTRA_NEW = 10;

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const dayIso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function periodStart(ms: number, g: TrendGranularity): number {
  if (g === 'day') return Math.floor(ms / DAY) * DAY;
  return Math.floor((ms + MONDAY_SHIFT) / WEEK) * WEEK - MONDAY_SHIFT;
}

export function computeTrends(db: Database.Database, opts: TrendsOptions = {}): Trends {
  const nowMs = opts.now ? sortKeyOfLocalIso(opts.now) : sortKeyOfLocalIso(localIsoFromMs(Date.now()));
  const days = Math.max(0, Math.floor(opts.days ?? 30));
  const game = opts.game ?? null;
  const to = Math.floor(nowMs / DAY) * DAY + DAY;
  let from: number;
  if (days > 0) from = to - days * DAY;
  else {
    const first = db.prepare(`SELECT min(captured_ms) AS m FROM incidents WHERE ${OWN}`).get({ game }) as Row;
    from = first.m === null ? to - 30 * DAY : Math.floor(num(first.m) / DAY) * DAY;
  }
  let granularity: TrendGranularity = opts.granularity ?? ((to - from) / DAY > MAX_DAILY ? 'week' : 'day');
  if (granularity === 'day' && (to - from) / DAY > MAX_PERIODS) granularity = 'week';
  const step = granularity === 'day' ? DAY : WEEK;
  let first = periodStart(from, granularity);
  if ((to - first) / step > MAX_PERIODS) first = periodStart(to - MAX_PERIODS * step, granularity);
  from = Math.max(from, first);
  const periods = Math.max(1, Math.ceil((to - first) / step));

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
  const perPeriod = db
    .prepare(
      `SELECT CAST((captured_ms - @first) / @step AS INTEGER) AS p, kind, count(*) AS n FROM incidents
       WHERE captured_ms >= @from AND captured_ms < @to AND ${OWN} GROUP BY p, kind`,
    )
    .all({ first, step, from, to, game }) as Row[];
  for (const r of perPeriod) {
    const pt = series[num(r.p)];
    const kind = r.kind as IncidentKind;
    if (!pt || !(kind in totals)) continue;
    pt[kind] += num(r.n);
    totals[kind] += num(r.n);
    totals.incidents += num(r.n);
  }

  // The range's own crashes and hangs by game, and the imported bundles left out.
  const split = db
    .prepare(
      `SELECT coalesce(game, '') AS game, source = 'bundle' AS imported, count(*) AS n FROM incidents
       WHERE captured_ms >= @from AND captured_ms < @to AND kind IN ('crash', 'hang')
       GROUP BY 1, 2`,
    )
    .all({ from, to }) as Row[];
  const games = { skyrim: 0, fallout4: 0, unknown: 0 };
  for (const r of split) {
    if (num(r.imported)) {
      if (game === null || r.game === game) totals.imported += num(r.n);
    } else if (r.game === 'skyrim' || r.game === 'fallout4') games[r.game] += num(r.n);
    else games.unknown += num(r.n);
  }

  // Buckets: one pass over the signature index for all-time first/last, range and week counts.
  const weekAgo = nowMs - WEEK;
  const topBuckets = Math.min(opts.topBuckets ?? 20, 200);
  const bucketRows = db
    .prepare(
      `SELECT signature, count(*) AS total, min(captured_ms) AS firstMs, max(captured_ms) AS lastMs,
              sum(captured_ms >= @from AND captured_ms < @to) AS inRange,
              sum(captured_ms >= @weekAgo AND captured_ms <= @now) AS lastWeek
       FROM incidents WHERE signature IS NOT NULL AND ${OWN} GROUP BY signature`,
    )
    .all({ from, to, weekAgo, now: nowMs, game }) as Row[];
  const byCount = (a: Row, b: Row) => num(b.inRange) - num(a.inRange) || num(b.lastMs) - num(a.lastMs);
  const active = bucketRows.filter((r) => num(r.inRange) > 0).sort(byCount);
  totals.buckets = active.length;
  const isNewRow = (r: Row) => num(r.firstMs) >= weekAgo && num(r.firstMs) <= nowMs;
  // New buckets make the list even when still rare: a new crash is what a tester looks for.
  const top = [
    ...active.slice(0, topBuckets),
    ...active.slice(topBuckets).filter(isNewRow).slice(0, MAX_EXTRA_NEW),
  ];
  totals.newBuckets = bucketRows.filter(isNewRow).length;
  const latest = db.prepare(
    `SELECT title, kind FROM incidents WHERE signature = @sig AND ${OWN} ORDER BY captured_ms DESC, id LIMIT 1`,
  );
  const sparkRows =
    top.length === 0
      ? []
      : (db
          .prepare(
            `SELECT signature, CAST((captured_ms - @first) / @step AS INTEGER) AS p, count(*) AS n FROM incidents
             WHERE signature IN (SELECT value FROM json_each(@sigs)) AND captured_ms >= @from AND captured_ms < @to
               AND ${OWN}
             GROUP BY signature, p`,
          )
          .all({ first, step, from, to, game, sigs: JSON.stringify(top.map((r) => r.signature)) }) as Row[]);
  const sparks = new Map<string, number[]>();
  for (const r of sparkRows) {
    const sig = r.signature as string;
    const arr = sparks.get(sig) ?? new Array<number>(periods).fill(0);
    const p = num(r.p);
    if (p >= 0 && p < periods) arr[p] = num(r.n);
    sparks.set(sig, arr);
  }
  const buckets: BucketTrend[] = top.map((r) => {
    const sig = r.signature as string;
    const l = latest.get({ sig, game }) as Row | undefined;
    const firstMs = num(r.firstMs);
    return {
      signature: sig,
      title: (l?.title as string | undefined) ?? sig,
      kind: ((l?.kind as IncidentKind | undefined) ?? 'unknown') as IncidentKind,
      total: num(r.total),
      inRange: num(r.inRange),
      lastWeek: num(r.lastWeek),
      firstSeen: wallClockIso(firstMs),
      lastSeen: wallClockIso(num(r.lastMs)),
      isNew: isNewRow(r),
      spark: sparks.get(sig) ?? new Array<number>(periods).fill(0),
    };
  });

  // Modules in the range's crashes and hangs: faulting vs only on the stack / a suspect.
  const counted = totals.crash + totals.hang;
  // The module index is already in module order: one pass, no sort, whatever the range.
  const topModules = Math.min(opts.topModules ?? 15, 100);
  const moduleRows = db
    .prepare(
      `SELECT module, sum(faulting) AS faulting, count(*) AS total
       FROM module_participation INDEXED BY module_participation_module
       WHERE captured_ms >= @from AND captured_ms < @to AND kind IN ('crash', 'hang') AND ${OWN}
       GROUP BY module ORDER BY faulting DESC, total DESC, module LIMIT @limit`,
    )
    .all({ from, to, game, limit: topModules + 20 }) as Row[];
  const named = moduleRows.filter((r) => isModuleName(r.module as string)).slice(0, topModules);
  const modules: ModuleParticipation[] = named.map((r) => ({
    module: r.module as string,
    faulting: num(r.faulting),
    other: num(r.total) - num(r.faulting),
    share: counted > 0 ? num(r.total) / counted : 0,
    role: moduleRole(r.module as string),
  }));

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
    health: healthOf(db, nowMs, game),
  };
}

/** The health inputs: fixed windows before `now`, whatever range the charts show. */
function healthOf(db: Database.Database, nowMs: number, game: GameFamily | null) {
  const kinds = JSON.stringify(COUNTED);
  const w = db
    .prepare(
      `SELECT sum(kind = 'crash' AND captured_ms > @d7) AS crashes7,
              sum(kind = 'hang' AND captured_ms > @d7) AS hangs7,
              sum(captured_ms > @d14 AND captured_ms <= @d7) AS previous7,
              count(*) AS recent30
       FROM incidents WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms > @d30 AND captured_ms <= @now
         AND ${OWN}`,
    )
    .get({ d7: nowMs - WEEK, d14: nowMs - 2 * WEEK, d30: nowMs - 30 * DAY, now: nowMs, kinds, game }) as Row;
  const rep = db
    .prepare(
      `SELECT coalesce(sum(n), 0) AS repeating FROM (
         SELECT count(*) AS n FROM incidents
         WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms > @d30 AND captured_ms <= @now
           AND signature IS NOT NULL AND ${OWN}
         GROUP BY signature HAVING count(*) >= 2)`,
    )
    .get({ d30: nowMs - 30 * DAY, now: nowMs, kinds, game }) as Row;
  const last = db
    .prepare(
      `SELECT max(captured_ms) AS m FROM incidents
       WHERE kind IN (SELECT value FROM json_each(@kinds)) AND captured_ms <= @now AND ${OWN}`,
    )
    .get({ now: nowMs, kinds, game }) as Row;
  return installHealth({
    crashes7: num(w.crashes7),
    hangs7: num(w.hangs7),
    previous7: num(w.previous7),
    daysSinceLast: last.m === null ? null : (nowMs - num(last.m)) / DAY,
    recent30: num(w.recent30),
    repeating30: num(rep.repeating),
  });
}
