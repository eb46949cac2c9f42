import { z } from 'zod';
import { ModRef, ProbableCause, Suspect } from './incident';

/** Serializable minidump analysis shared by main (crash:* channels, CLI --json) and the Crash tab. Addresses are hex strings. */
const Hex = z.string();

export const DumpFrame = z.object({
  index: z.number().int(),
  ip: Hex,
  sp: Hex,
  /** Breakpad's frame trust: cfi_scan = CFI whose return address was searched for; leaf = a return simulated from a leaf function (x64). */
  trust: z.enum(['context', 'cfi', 'cfi_scan', 'frame_pointer', 'scan', 'leaf']),
  module: z.string().nullable(),
  moduleOffset: Hex.nullable(),
  function: z.string().nullable(),
  functionOffset: Hex.nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  lineOffset: Hex.nullable(),
});
export type DumpFrame = z.infer<typeof DumpFrame>;

export const DumpCulprit = z.object({
  module: z.string(),
  score: z.number(),
  evidence: z.array(z.string()),
  /** The mod shipping it, when a mod setup was given (`analyze --setup`). */
  mod: ModRef.optional(),
});
export type DumpCulprit = z.infer<typeof DumpCulprit>;

/** The first third-party module on one thread's walked stack (hang and manual dumps). */
export const DumpThreadLead = z.object({
  threadId: z.number().int(),
  module: z.string(),
  frameIndex: z.number().int(),
  trust: z.enum(['context', 'cfi', 'cfi_scan', 'frame_pointer', 'scan', 'leaf']),
  version: z.string().nullable(),
});
export type DumpThreadLead = z.infer<typeof DumpThreadLead>;

export const DumpThread = z.object({
  index: z.number().int(),
  id: z.number().int(),
  name: z.string().nullable(),
  crashed: z.boolean(),
  stackStart: Hex,
  stackSize: z.number().int(),
  ip: Hex.nullable(),
});

export const DumpModule = z.object({
  name: z.string(),
  path: z.string(),
  base: Hex,
  size: z.number().int(),
  version: z.string().nullable(),
  pdbName: z.string().nullable(),
  debugId: z.string().nullable(),
  timestamp: z.number().int(),
  role: z.enum(['system', 'game', 'other']),
});
export type DumpModule = z.infer<typeof DumpModule>;

export const DumpProblem = z.object({
  stream: z.string(),
  offset: z.number(),
  code: z.string(),
  message: z.string(),
});

export const DumpAnalysis = z.object({
  file: z.string(),
  system: z
    .object({
      os: z.string(),
      osVersion: z.string(),
      cpu: z.string(),
      cpuInfo: z.string(),
      cpuCount: z.number(),
    })
    .nullable(),
  exception: z
    .object({
      code: Hex,
      name: z.string().nullable(),
      reason: z.string(),
      address: Hex,
      crashAddress: Hex,
      parameters: z.array(Hex),
      threadId: z.number().int(),
      threadIndex: z.number().int(),
      threadName: z.string().nullable(),
      location: z.string(),
      faultingModule: z.string().nullable(),
      faultingOffset: Hex.nullable(),
    })
    .nullable(),
  verdict: z.string(),
  signature: z.string(),
  bucketTitle: z.string(),
  culprits: z.array(DumpCulprit),
  /** The culprit model's ranking (role, version, mod from the module path, evidence for and against). */
  suspects: z.array(Suspect).default([]),
  probableCause: ProbableCause.nullable().default(null),
  /** True when the dump lacked what a confident answer needs; `missing` says what. */
  incomplete: z.boolean().default(false),
  missing: z.array(z.string()).default([]),
  /** Hang and manual dumps: the first third-party module per thread (for naming a lock's owner). */
  threadLeads: z.array(DumpThreadLead).default([]),
  registers: z.record(z.string(), Hex),
  stack: z.array(DumpFrame),
  threads: z.array(DumpThread),
  modules: z.array(DumpModule),
  unloadedModules: z.array(z.object({ name: z.string(), base: Hex, size: z.number().int() })),
  streams: z.array(
    z.object({ type: z.number().int(), name: z.string(), offset: z.number(), size: z.number() }),
  ),
  memory: z.array(z.object({ start: Hex, size: z.number() })),
  misc: z.record(z.string(), z.union([z.string(), z.number()])),
  comments: z.array(z.string()),
  annotations: z.record(z.string(), z.string()),
  problems: z.array(DumpProblem),
});
export type DumpAnalysis = z.infer<typeof DumpAnalysis>;

export const MemoryWindow = z.object({
  address: Hex,
  /** Hex-encoded bytes actually captured at `address` (may be shorter than asked). */
  bytes: z.string(),
  regionStart: Hex.nullable(),
  regionSize: z.number().nullable(),
});
export type MemoryWindow = z.infer<typeof MemoryWindow>;
