import { z } from 'zod';

/**
 * SkyrimDiag (Tullius CTD Logger) files as parsed by src/main/formats/skyrimdiag: the black
 * box, the plugin scan, the clean-exit / post-exit evidence and the analyzer's summary.
 * 64-bit values (black-box payloads, FILETIMEs, addresses) are decimal strings: they exceed
 * what a JSON number holds exactly.
 */

export const SdProblem = z.object({
  /** 1-based line (JSONL) or null for whole-file problems. */
  line: z.number().int().nullable(),
  code: z.string(),
  message: z.string(),
});
export type SdProblem = z.infer<typeof SdProblem>;

/** One black-box event (`<stem>_SkyrimDiagBlackbox.jsonl`, one per line, oldest first). */
export const BlackboxEvent = z.object({
  /** Absolute ring write index (keeps growing past the ring size). */
  index: z.number().int(),
  /** Milliseconds since the plugin's session started (anchor on the dump's time for wall clock). */
  tMs: z.number(),
  tid: z.number().int(),
  type: z.number().int(),
  /** "SessionStart", "MenuOpen", "ModuleLoad", "FirstChanceException", "Crash", … */
  typeName: z.string(),
  a: z.string(),
  b: z.string(),
  c: z.string(),
  d: z.string(),
  /** Readable payload ("Loading Menu", "tid=4242 active=57", "code=0xC0000005"), when any. */
  detail: z.string().nullable(),
});
export type BlackboxEvent = z.infer<typeof BlackboxEvent>;

export const Blackbox = z.object({
  events: z.array(BlackboxEvent),
  /** Thread id of the SessionStart event: the game's main thread. */
  mainThreadId: z.number().int().nullable(),
  /** Lines that were not events (damaged or cut), with why. */
  problems: z.array(SdProblem),
  /** True when lines were dropped or the file was cut mid-line. */
  incomplete: z.boolean(),
});
export type Blackbox = z.infer<typeof Blackbox>;

export const ScannedPlugin = z.object({
  filename: z.string(),
  headerVersion: z.number().nullable(),
  isEsl: z.boolean(),
  isActive: z.boolean(),
  masters: z.array(z.string()),
});
export type ScannedPlugin = z.infer<typeof ScannedPlugin>;

/** `<stem>_PluginScan.json`: the active load order the helper read next to a crash. */
export const PluginScan = z.object({
  gameExeVersion: z.string().nullable(),
  /** "standard" | "mo2_profile" | "fallback" | "error" as written. */
  pluginsSource: z.string().nullable(),
  mo2Detected: z.boolean(),
  error: z.string().nullable(),
  plugins: z.array(ScannedPlugin),
  /** Masters an active plugin needs that are not in the active load order. */
  missingMasters: z.array(z.object({ plugin: z.string(), master: z.string() })),
  /** Plugins with the 1.71 header (needs game 1.6.1130+ or Backported ESL Support). */
  header171: z.array(z.string()),
  problems: z.array(SdProblem),
});
export type PluginScan = z.infer<typeof PluginScan>;

/** `SkyrimDiag_CleanExitEvidence_*.json` / `SkyrimDiag_PostExitCrashEvidence_*.json`. */
export const ExitEvidence = z.object({
  kind: z.enum(['clean-exit', 'post-exit']),
  schema: z.string().nullable(),
  /** Clean exit: pending_delete | discarded | delete_failed | preserved | not_captured. */
  dumpState: z.string().nullable(),
  reason: z.string().nullable(),
  capturedAt: z.string().nullable(),
  exceptionCode: z.number().int().nullable(),
  exceptionAddress: z.string().nullable(),
  faultingTid: z.number().int().nullable(),
  crashSeq: z.string().nullable(),
  inMenu: z.boolean().nullable(),
  dumpFilename: z.string().nullable(),
  /** Post-exit: the process exit code. */
  exitCode: z.number().nullable(),
  note: z.string().nullable(),
});
export type ExitEvidence = z.infer<typeof ExitEvidence>;

/** One of SkyrimDiag's own culprit candidates (summary `actionable_candidates` / `suspects`). */
export const SdCandidate = z.object({
  /** A module or plugin file name when the candidate has one, else the display name. */
  name: z.string(),
  modName: z.string().nullable(),
  /** cross_validated | related | reference_clue | conflicting | suspect. */
  status: z.string(),
  /** As written (localized: High/Medium/Low/Unknown or Korean). */
  confidence: z.string().nullable(),
  families: z.array(z.string()),
  text: z.string().nullable(),
});
export type SdCandidate = z.infer<typeof SdCandidate>;

/** The parts of `<stem>_SkyrimDiagSummary.json` the workbench uses (every key optional). */
export const SdSummary = z.object({
  sentence: z.string().nullable(),
  bucket: z.string().nullable(),
  gameVersion: z.string().nullable(),
  kind: z.enum(['crash', 'hang', 'manual', 'snapshot', 'clean-exit']).nullable(),
  exception: z
    .object({
      code: z.number().nullable(),
      module: z.string().nullable(),
      offset: z.number().nullable(),
      modName: z.string().nullable(),
    })
    .nullable(),
  candidates: z.array(SdCandidate),
  /** Module file → MO2 mod name, from every place the summary names one. */
  modNames: z.record(z.string(), z.string()),
  /** Crash Logger object references (ESP, FormID) SkyrimDiag paired with the dump. */
  objectRefs: z.array(
    z.object({ plugin: z.string(), formId: z.string().nullable(), type: z.string().nullable() }),
  ),
  freeze: z
    .object({
      state: z.string(),
      confidence: z.string().nullable(),
      /** thread_module_consensus.module_filename: the module most blocked threads sit in. */
      consensusModule: z.string().nullable(),
      lockCycleProven: z.boolean(),
      related: z.array(z.string()),
    })
    .nullable(),
  recommendations: z.array(z.string()),
  problems: z.array(SdProblem),
});
export type SdSummary = z.infer<typeof SdSummary>;
