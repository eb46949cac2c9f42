import { z } from 'zod';
import { channel } from './define';
import { TrendGranularity, Trends } from '../domain/trends';
import { GameFamily } from '../domain/rules';

/** Wall-clock time without a zone, like every incident time (`2026-03-18T20:00:00`). */
const WallClock = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?$/);

export const TrendsQuery = z.object({
  /** Range in days up to now; 0 = all time. */
  days: z.number().int().min(0).max(3660).default(30),
  granularity: TrendGranularity.optional(),
  /** Reference "now" (tests, reproducible reports); the clock by default. */
  now: WallClock.optional(),
  topBuckets: z.number().int().min(1).max(200).default(20),
  topModules: z.number().int().min(1).max(100).default(15),
  /** Only this game's incidents (every game when left out). */
  game: GameFamily.optional(),
});
export type TrendsQuery = z.infer<typeof TrendsQuery>;

export const trendsChannels = {
  'trends:get': channel(
    TrendsQuery,
    Trends,
    'Crashes/hangs per day or week, top buckets with sparklines and "new" flags, module participation, install health with its factors; the player\'s own incidents (imported bundles only counted in totals.imported), optionally one game, with a per-game split.',
  ),
} as const;
