import { z } from 'zod';
import { IncidentKind } from './incident';
import { GameFamily } from './rules';

export const TrendGranularity = z.enum(['day', 'week']);
export type TrendGranularity = z.infer<typeof TrendGranularity>;

/** Incidents per period (a day, or an ISO week starting Monday), zero-filled. */
export const TrendPoint = z.object({
  /** First day of the period, `YYYY-MM-DD` (local wall clock, like incident times). */
  period: z.string(),
  crash: z.number().int(),
  hang: z.number().int(),
  manual: z.number().int(),
  unknown: z.number().int(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/** One bucket (incident signature) over time. */
export const BucketTrend = z.object({
  signature: z.string(),
  /** Title of its newest incident. */
  title: z.string(),
  kind: IncidentKind,
  /** All time. */
  total: z.number().int(),
  /** Within the selected range. */
  inRange: z.number().int(),
  /** In the 7 days up to now. */
  lastWeek: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  /** First seen in the last 7 days. */
  isNew: z.boolean(),
  /** Count per period of the range (same periods as `series`). */
  spark: z.array(z.number().int()),
  /** When the bucket was marked fixed (the fixed incident's capture time); null when never. */
  fixedAt: z.string().nullable().optional(),
  /** Marked fixed, and crashed again after that. */
  regressed: z.boolean().optional(),
});
export type BucketTrend = z.infer<typeof BucketTrend>;

/** How often a module took part in the range's crash and hang incidents. */
export const ModuleParticipation = z.object({
  module: z.string(),
  /** Incidents where it was the faulting module. */
  faulting: z.number().int(),
  /** Incidents where it was only on the stack or a suspect. */
  other: z.number().int(),
  /** faulting + other, as a share of the range's crash + hang incidents (0..1). */
  share: z.number(),
  /** OS/runtime, the game itself, or something the player installed (resources/modules). */
  role: z.enum(['system', 'game', 'other']),
});
export type ModuleParticipation = z.infer<typeof ModuleParticipation>;

export const HealthFactor = z.object({
  id: z.enum(['crashes', 'hangs', 'recency', 'repeats', 'trend']),
  label: z.string(),
  /** What was measured, in words ("3 crashes in 7 days (0.43 a day)"). */
  value: z.string(),
  /** Points taken off the score, 0..max. */
  penalty: z.number(),
  max: z.number(),
  /** How the penalty is computed, as shown in the UI. */
  rule: z.string(),
});
export type HealthFactor = z.infer<typeof HealthFactor>;

export const InstallHealth = z.object({
  /** 100 minus the factors' penalties, 0..100. */
  score: z.number().int(),
  grade: z.enum(['good', 'fair', 'poor', 'bad']),
  direction: z.enum(['rising', 'steady', 'falling']),
  factors: z.array(HealthFactor),
  formula: z.string(),
});
export type InstallHealth = z.infer<typeof InstallHealth>;

export const Trends = z.object({
  /** The reference time (wall clock) the range and "this week" are measured from. */
  now: z.string(),
  from: z.string(),
  /** Range length in days; 0 = all time. */
  days: z.number().int(),
  granularity: TrendGranularity,
  /** The game the trends are narrowed to; null = every game. */
  game: GameFamily.nullable().optional(),
  totals: z.object({
    incidents: z.number().int(),
    crash: z.number().int(),
    hang: z.number().int(),
    manual: z.number().int(),
    unknown: z.number().int(),
    buckets: z.number().int(),
    newBuckets: z.number().int(),
    /** Imported bundles in the range (someone else's incidents): never counted above. */
    imported: z.number().int().optional(),
  }),
  /** The range's own crashes and hangs by game (whatever `game` narrows the rest to). */
  games: z
    .object({ skyrim: z.number().int(), fallout4: z.number().int(), unknown: z.number().int() })
    .optional(),
  series: z.array(TrendPoint),
  buckets: z.array(BucketTrend),
  modules: z.array(ModuleParticipation),
  health: InstallHealth,
});
export type Trends = z.infer<typeof Trends>;
