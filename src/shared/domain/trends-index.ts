import type { GameFamily } from './game';
import type { IncidentKind } from './incident';

/**
 * What the incident index answers for trends: grouped counts over `captured_ms` (local wall
 * clock as if UTC, see local-time.ts). The store implements it with SQL
 * (src/main/store/trends-queries.ts); analysis/trends turns the numbers into periods, buckets
 * and a health score. Types only: the renderer never sees these.
 *
 * Every count is of the player's own incidents: imported bundles (someone else's crashes) are
 * left out everywhere except `gameSplit`, which says how many there were. `game` (in a range,
 * or `scope`) narrows a count to one game.
 */
export interface TrendsScope {
  /** One game's incidents only; every game when null or left out. */
  game?: GameFamily | null;
}

export interface MsRange extends TrendsScope {
  /** Inclusive. */
  from: number;
  /** Exclusive. */
  to: number;
}

/** Periods are `step` ms long and counted from `first` (period 0). */
export interface PeriodRange extends MsRange {
  first: number;
  step: number;
}

export interface SignatureStats {
  signature: string;
  /** All time. */
  total: number;
  firstMs: number;
  lastMs: number;
  /** Within [from, to). */
  inRange: number;
  /** Within [weekAgo, now]. */
  lastWeek: number;
}

export interface HealthCounts {
  crashes7: number;
  hangs7: number;
  /** Crashes + hangs in days 8..14 before now. */
  previous7: number;
  recent30: number;
  /** Of recent30, those whose signature occurs 2+ times in the 30 days. */
  repeating30: number;
  /** Newest crash or hang at or before now; null when there is none. */
  lastMs: number | null;
}

export interface TrendsIndex {
  /** Oldest capture time in the index, or null when it is empty. */
  firstCapturedMs(scope?: TrendsScope): number | null;
  /** Incidents per period and kind within the range. */
  countsByPeriod(r: PeriodRange): { period: number; kind: IncidentKind; n: number }[];
  /** Every signature with its all-time, in-range and last-week counts. */
  signatureStats(r: MsRange & { weekAgo: number; now: number }): SignatureStats[];
  /** Title and kind of the newest incident with this signature. */
  newestOfSignature(signature: string, scope?: TrendsScope): { title: string; kind: IncidentKind } | null;
  /** Per-period counts of the given signatures within the range. */
  signatureCountsByPeriod(
    r: PeriodRange,
    signatures: readonly string[],
  ): { signature: string; period: number; n: number }[];
  /** Crash and hang participation per module within the range: most often faulting first. */
  moduleParticipation(r: MsRange, limit: number): { module: string; faulting: number; total: number }[];
  /** Crash and hang counts in fixed windows before `nowMs` (7, 14 and 30 days). */
  healthCounts(nowMs: number, scope?: TrendsScope): HealthCounts;
  /** Crashes and hangs in the range by game, imported bundles apart (every game, whatever `game`). */
  gameSplit(r: MsRange): { game: GameFamily | null; imported: boolean; n: number }[];
  /**
   * Per signature, the capture time of the latest incident marked fixed (status `fixed`, or a
   * cause confirmed with a working fix): a bucket seen after it has regressed.
   */
  bucketFixPoints?(): Map<string, number>;
}
