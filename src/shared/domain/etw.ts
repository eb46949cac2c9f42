import { z } from 'zod';

/** A decoded ETW field value: JSON-safe (64-bit integers beyond 2^53 travel as decimal text). */
export type EtwValue = string | number | boolean | null | EtwValue[] | { [name: string]: EtwValue };
export const EtwValue: z.ZodType<EtwValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(EtwValue), z.record(z.string(), EtwValue)]),
);

export const EtwField = z.object({
  name: z.string(),
  /** Wire type as the schema states it (TDH in-type name, e.g. "UINT32", "UNICODESTRING"). */
  type: z.string(),
  value: EtwValue,
});
export type EtwField = z.infer<typeof EtwField>;

/** How the payload of an event was understood. */
export const EtwDecodedBy = z.enum(['tracelogging', 'manifest', 'builtin', 'kernel', 'header', 'raw']);
export type EtwDecodedBy = z.infer<typeof EtwDecodedBy>;

export const EtwExtendedItem = z.object({
  type: z.number().int(),
  name: z.string(),
  size: z.number().int(),
  /** Decoded meaning where known (stack addresses, SID text, activity id, provider name...). */
  value: EtwValue,
});
export type EtwExtendedItem = z.infer<typeof EtwExtendedItem>;

/** One row of the event table. */
export const EtwEventRow = z.object({
  /** Position in the trace (stable across requests): buffer index * 2^32 + offset in buffer. */
  position: z.number(),
  /** Milliseconds since the trace's header event (PerfView's "TimeStampRelativeMSec"). */
  timeMs: z.number(),
  provider: z.string(),
  event: z.string(),
  typeId: z.number().int(),
  pid: z.number().int(),
  tid: z.number().int(),
  cpu: z.number().int(),
  payloadLength: z.number().int(),
});
export type EtwEventRow = z.infer<typeof EtwEventRow>;

export const EtwEventDetail = EtwEventRow.extend({
  providerGuid: z.string(),
  headerKind: z.string(),
  id: z.number().int(),
  version: z.number().int(),
  opcode: z.number().int(),
  level: z.number().int(),
  task: z.number().int(),
  channel: z.number().int(),
  keyword: z.string(),
  activityId: z.string().nullable(),
  decodedBy: EtwDecodedBy,
  fields: z.array(EtwField),
  extended: z.array(EtwExtendedItem),
  /** Bytes of the whole record (header, extended data and payload) as hex. */
  recordHex: z.string(),
  /** Where the payload starts inside recordHex (bytes). */
  payloadStart: z.number().int(),
  /** Decoding notes: payload longer than the schema, unknown schema, ... */
  notes: z.array(z.string()),
});
export type EtwEventDetail = z.infer<typeof EtwEventDetail>;

export const EtwEventType = z.object({
  typeId: z.number().int(),
  provider: z.string(),
  providerGuid: z.string(),
  event: z.string(),
  count: z.number().int(),
  payloadBytes: z.number(),
});
export type EtwEventType = z.infer<typeof EtwEventType>;

export const EtwThreadStat = z.object({
  tid: z.number().int(),
  pid: z.number().int(),
  name: z.string().nullable(),
  /** CPU time from context switches (ms); null without CSwitch events. */
  cpuMs: z.number().nullable(),
  /** Time spent switched out, waiting (ms). */
  waitMs: z.number().nullable(),
  samples: z.number().int(),
  readyCount: z.number().int(),
  /** Most frequent wait reasons while switched out, e.g. "WrUserRequest 3,210 ms". */
  topWaitReasons: z.array(z.object({ reason: z.string(), ms: z.number() })),
  events: z.number().int(),
});
export type EtwThreadStat = z.infer<typeof EtwThreadStat>;

export const EtwProcessStat = z.object({
  pid: z.number().int(),
  parentPid: z.number().int().nullable(),
  name: z.string(),
  commandLine: z.string().nullable(),
  startMs: z.number().nullable(),
  endMs: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  threads: z.number().int(),
  images: z.number().int(),
  events: z.number().int(),
  cpuMs: z.number().nullable(),
  samples: z.number().int(),
});
export type EtwProcessStat = z.infer<typeof EtwProcessStat>;

export const EtwModuleStat = z.object({
  name: z.string(),
  path: z.string(),
  samples: z.number().int(),
  percent: z.number(),
});
export type EtwModuleStat = z.infer<typeof EtwModuleStat>;

export const EtwIoTotals = z.object({
  diskReads: z.number().int(),
  diskWrites: z.number().int(),
  diskReadBytes: z.number(),
  diskWriteBytes: z.number(),
  /** Sum of disk I/O response times (ms). */
  diskTimeMs: z.number(),
  fileCreates: z.number().int(),
  fileReads: z.number().int(),
  fileWrites: z.number().int(),
  fileReadBytes: z.number(),
  fileWriteBytes: z.number(),
  hardFaults: z.number().int(),
  hardFaultBytes: z.number(),
  topFiles: z.array(z.object({ path: z.string(), bytes: z.number(), ops: z.number().int() })),
});
export type EtwIoTotals = z.infer<typeof EtwIoTotals>;

/** Timeline of the capture window, bucketed (the chart's data). */
export const EtwTimeline = z.object({
  bucketMs: z.number(),
  /** Thread ids of the series, in legend order (top threads of the focus process). */
  threads: z.array(z.object({ tid: z.number().int(), label: z.string() })),
  buckets: z.array(
    z.object({
      t: z.number(),
      events: z.number().int(),
      /** CPU ms per series thread, same order as `threads`. */
      cpu: z.array(z.number()),
      ioBytes: z.number(),
    }),
  ),
});
export type EtwTimeline = z.infer<typeof EtwTimeline>;

export const EtwMainThreadReport = z.object({
  tid: z.number().int(),
  how: z.string(),
  windowStartMs: z.number(),
  windowEndMs: z.number(),
  runningMs: z.number(),
  waitingMs: z.number(),
  readyMs: z.number(),
  topWaitReasons: z.array(z.object({ reason: z.string(), ms: z.number() })),
  /** Modules the thread's CPU samples landed in. */
  topModules: z.array(z.object({ name: z.string(), samples: z.number().int() })),
  /** Modules on the stacks where the thread was blocked (context-switch stacks), by stack count. */
  waitModules: z.array(z.object({ name: z.string(), samples: z.number().int() })),
  /** One sentence: what the main thread was doing. */
  sentence: z.string(),
});
export type EtwMainThreadReport = z.infer<typeof EtwMainThreadReport>;

export const EtwProblem = z.object({
  code: z.string(),
  message: z.string(),
  bufferIndex: z.number().int().optional(),
  offset: z.number().optional(),
});

export const EtwSummary = z.object({
  file: z.string(),
  size: z.number(),
  header: z
    .object({
      loggerName: z.string(),
      logFileName: z.string(),
      osBuild: z.number().int(),
      osVersion: z.string(),
      pointerSize: z.number().int(),
      processors: z.number().int(),
      cpuSpeedMHz: z.number().int(),
      bufferSize: z.number().int(),
      timerResolution: z.number().int(),
      perfFreq: z.number(),
      clockType: z.number().int(),
      startTime: z.string().nullable(),
      endTime: z.string().nullable(),
      bootTime: z.string().nullable(),
      eventsLost: z.number().int(),
      buffersLost: z.number().int(),
      logFileMode: z.number().int(),
      timeZoneBias: z.number().int(),
    })
    .nullable(),
  buffers: z.number().int(),
  compressedBuffers: z.number().int(),
  badBuffers: z.number().int(),
  events: z.number().int(),
  durationMs: z.number(),
  firstEventMs: z.number(),
  lastEventMs: z.number(),
  providers: z.array(
    z.object({ guid: z.string(), name: z.string(), events: z.number().int(), types: z.number().int() }),
  ),
  types: z.array(EtwEventType),
  hasKernel: z.boolean(),
  focusProcess: z.object({ pid: z.number().int(), name: z.string(), why: z.string() }).nullable(),
  processes: z.array(EtwProcessStat),
  topThreadsByCpu: z.array(EtwThreadStat),
  topThreadsByWait: z.array(EtwThreadStat),
  topModules: z.array(EtwModuleStat),
  totalSamples: z.number().int(),
  io: EtwIoTotals,
  mainThread: EtwMainThreadReport.nullable(),
  timeline: EtwTimeline,
  problems: z.array(EtwProblem),
  problemCount: z.number().int(),
  /** True when part of the trace could not be read (a cut file, missing or bad buffers). */
  incomplete: z.boolean().default(false),
  /** What is missing or unreadable, one line each (the first problems). */
  missing: z.array(z.string()).default([]),
  /** Plain-language facts for the Overview ("ETW: 1.2 s of kernel trace, SkyrimSE.exe main thread waiting 93% ..."). */
  facts: z.array(z.string()),
});
export type EtwSummary = z.infer<typeof EtwSummary>;
