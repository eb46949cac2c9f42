import { z } from 'zod';
import { ArtifactRole, IncidentKind } from './incident';

/**
 * One incident's events from all its artifacts on one clock: the player's local wall clock
 * (like incident times, ISO without a zone) plus the offset from the crash or freeze. How each
 * source's own clock was converted is stated in `sources[].clock` (FILETIME, QPC ticks, ms since
 * the plugin started, log-line text).
 */
export const TimelineSource = z.enum([
  'incident',
  'dump',
  'crashlog',
  'wct',
  'manifest',
  'summary',
  'blackbox',
  'etw',
  'papyrus',
  'log',
]);
export type TimelineSource = z.infer<typeof TimelineSource>;

export const TimelineLevel = z.enum(['info', 'warning', 'error']);
export type TimelineLevel = z.infer<typeof TimelineLevel>;

/** How exact an event's time is after conversion: the source's own resolution or an estimate. */
export const TimelinePrecision = z.enum(['ms', 's', 'approx']);
export type TimelinePrecision = z.infer<typeof TimelinePrecision>;

/** Where the event is in its artifact: enough for that artifact's tab to open on it. */
export const TimelineRef = z.object({
  artifactId: z.number().int().nullable(),
  role: ArtifactRole.nullable(),
  /** 1-based line of a text artifact (logs, crash logs, JSON Lines). */
  line: z.number().int().optional(),
  /** ETW event position (the ETW tab's event id). */
  position: z.number().optional(),
  /** Thread id (dump threads, wait chains). */
  tid: z.number().int().optional(),
  /** Index in the artifact's own list (black-box ring index, resource entry). */
  index: z.number().int().optional(),
});
export type TimelineRef = z.infer<typeof TimelineRef>;

export const TimelineEvent = z.object({
  /** Local wall clock, `YYYY-MM-DDTHH:MM:SS.mmm`. */
  t: z.string(),
  /** Milliseconds from the incident time (negative: before the crash or freeze). */
  offsetMs: z.number(),
  source: TimelineSource,
  /** What happened, as a short id: exception, thread-start, log-line, wait-start, heartbeat… */
  kind: z.string(),
  level: TimelineLevel,
  text: z.string(),
  precision: TimelinePrecision,
  ref: TimelineRef,
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const TimelineSourceInfo = z.object({
  source: TimelineSource,
  artifactId: z.number().int().nullable(),
  name: z.string(),
  /** Events this source contributed (the ones closest to the incident time when capped). */
  kept: z.number().int(),
  /** Timestamped events it holds in all. */
  seen: z.number().int(),
  /** How its times were turned into local time, in words. */
  clock: z.string(),
  /** Why it contributed nothing (no timestamps, unreadable, not supported yet). */
  note: z.string().nullable(),
});
export type TimelineSourceInfo = z.infer<typeof TimelineSourceInfo>;

export const TimelineZone = z.object({
  /** Local time minus UTC in minutes; null when no UTC source needed it. */
  offsetMinutes: z.number().int().nullable(),
  /** "UTC+02:00". */
  label: z.string(),
  /** Where the offset came from, in words. */
  from: z.string(),
});
export type TimelineZone = z.infer<typeof TimelineZone>;

export const Timeline = z.object({
  incidentId: z.string(),
  kind: IncidentKind,
  /** The crash (or the freeze's start), local wall clock; offsets are from it. */
  incidentTime: z.string(),
  /** What set the incident time, in words. */
  incidentTimeFrom: z.string(),
  zone: TimelineZone,
  sources: z.array(TimelineSourceInfo),
  /** In time order. */
  events: z.array(TimelineEvent),
  /** True when sources held more events than kept (the ones closest to the incident stay). */
  truncated: z.boolean(),
});
export type Timeline = z.infer<typeof Timeline>;

export const TimelineProgress = z.object({
  incidentId: z.string(),
  /** The artifact being read. */
  name: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  done: z.boolean(),
});
export type TimelineProgress = z.infer<typeof TimelineProgress>;
