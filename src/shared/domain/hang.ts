import { z } from 'zod';

export { WCT_OBJECT_STATUS_NAMES, WCT_OBJECT_TYPE_NAMES, WCT_THREAD_TYPE } from './wct-codes';

export const WctNode = z.object({
  objectType: z.number().int(),
  objectStatus: z.number().int(),
  /** Named objects only (often empty). */
  objectName: z.string().optional(),
  thread: z
    .object({
      processId: z.number(),
      threadId: z.number(),
      /** Milliseconds (SkyrimDiag treats WCT's waitTime that way; so do we). */
      waitTime: z.number(),
      contextSwitches: z.number(),
    })
    .optional(),
});
export type WctNode = z.infer<typeof WctNode>;

export const WctThread = z.object({
  tid: z.number(),
  isCycle: z.boolean(),
  nodes: z.array(WctNode),
  /** Win32 error of GetThreadWaitChain; nodes are then empty. */
  error: z.number().optional(),
});
export type WctThread = z.infer<typeof WctThread>;

export const WctPass = z.object({
  passIndex: z.number(),
  usable: z.boolean(),
  threadCount: z.number(),
  cycleThreadIds: z.array(z.number()),
  hasLoadingSignal: z.boolean(),
  longestWaitTid: z.number().nullable(),
  longestWaitMs: z.number().nullable(),
});
export type WctPass = z.infer<typeof WctPass>;

/** The `capture` block the helper (and our orchestrator) adds. */
export const WctCaptureInfo = z.object({
  kind: z.string().nullable(),
  secondsSinceHeartbeat: z.number().nullable(),
  thresholdSec: z.number().nullable(),
  isLoading: z.boolean().nullable(),
  stateFlags: z.number().nullable(),
  dumpTransport: z.string().nullable(),
});
export type WctCaptureInfo = z.infer<typeof WctCaptureInfo>;

/** A WCT JSON file (SkyrimDiag's or ours), normalised and tolerant of missing fields. */
export const WctDocument = z.object({
  producer: z.enum(['skyrimdiag', 'ctd-workbench']),
  pid: z.number().nullable(),
  threads: z.array(WctThread),
  passes: z.array(WctPass),
  capturePasses: z.number().nullable(),
  cycleConsensus: z.boolean().nullable(),
  repeatedCycleTids: z.array(z.number()),
  captureFailed: z.boolean(),
  /** `error` of a capture_failed file, or our collector's failure reason (e.g. ERROR_NOT_SUPPORTED). */
  error: z.string().nullable(),
  capture: WctCaptureInfo.nullable(),
  /** Main thread id when the producer knew it (ours records it). */
  mainThreadId: z.number().nullable(),
  problems: z.array(z.string()),
});
export type WctDocument = z.infer<typeof WctDocument>;

export const ChainStep = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('object'),
    objectType: z.number(),
    typeName: z.string(),
    status: z.number(),
    statusName: z.string(),
    name: z.string(),
  }),
  z.object({
    kind: z.literal('thread'),
    tid: z.number(),
    pid: z.number().nullable(),
    waitMs: z.number().nullable(),
    status: z.number(),
    statusName: z.string(),
    /** False when the thread is not one of the listed threads (other process, or missing). */
    known: z.boolean(),
    /** Another process's thread (e.g. a SendMessage to a window owned elsewhere). */
    foreignProcess: z.boolean(),
  }),
]);
export type ChainStep = z.infer<typeof ChainStep>;

export const HangThread = z.object({
  tid: z.number(),
  isMain: z.boolean(),
  /** Part of a deadlock cycle (found in the wait graph or flagged by WCT). */
  inCycle: z.boolean(),
  blocked: z.boolean(),
  waitMs: z.number().nullable(),
  contextSwitches: z.number().nullable(),
  /** Everything after the thread itself: object, owner thread, object, ... */
  chain: z.array(ChainStep),
  error: z.number().nullable(),
});
export type HangThread = z.infer<typeof HangThread>;

export const DeadlockCycle = z.object({
  /** Thread ids in wait order; the last waits on something owned by the first. */
  tids: z.array(z.number()),
  /** Object type names along the cycle, same order (what tids[i] waits on). */
  objects: z.array(z.string()),
  /** True when WCT flagged a cycle whose members could not all be resolved from the listed threads. */
  incomplete: z.boolean(),
});
export type DeadlockCycle = z.infer<typeof DeadlockCycle>;

export const MainThreadSource = z.enum(['given', 'capture', 'longest-wait', 'first-thread', 'none']);

export const HangAnalysis = z.object({
  pid: z.number().nullable(),
  producer: z.string(),
  captureKind: z.string().nullable(),
  captureFailed: z.boolean(),
  mainThreadId: z.number().nullable(),
  mainThreadSource: MainThreadSource,
  /** Main thread first, then cycle members, then blocked threads by wait time, then the rest. */
  threads: z.array(HangThread),
  cycles: z.array(DeadlockCycle),
  verdict: z.string(),
  signature: z.string(),
  blockedCount: z.number(),
  longestWaitMs: z.number().nullable(),
  problems: z.array(z.string()),
});
export type HangAnalysis = z.infer<typeof HangAnalysis>;
