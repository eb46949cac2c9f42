import { z } from 'zod';
import { Finding } from './finding';
import { ProbableCause, Suspect } from './incident';
import { GameFamily, RuleSetInfo } from './rules';
import { ModRef } from './incident';

/**
 * One crash log (Crash Logger SSE/AE, Buffout 4, NetScriptFramework, Trainwreck) as parsed
 * by src/main/formats/crashlog. Shared by the `crashlog:*` channels, `analyze --json` and the
 * Crash log tab. Addresses and offsets are kept as the logger wrote them (hex strings).
 */
export const CrashLogger = z.enum(['crashlogger', 'buffout4', 'netscriptframework', 'trainwreck', 'unknown']);
export type CrashLogger = z.infer<typeof CrashLogger>;

export const LOGGER_LABEL: Record<CrashLogger, string> = {
  crashlogger: 'Crash Logger',
  buffout4: 'Buffout 4',
  netscriptframework: 'NetScriptFramework',
  trainwreck: 'Trainwreck',
  unknown: 'unknown logger',
};

export const CrashLogException = z.object({
  /** The exception line as written (tabs and the "|" separator kept). */
  raw: z.string(),
  name: z.string().nullable(),
  code: z.number().int().nullable(),
  address: z.string().nullable(),
  module: z.string().nullable(),
  /** Hex offset into `module`, without 0x, as written ("010565D"). */
  offset: z.string().nullable(),
  /** Disassembly Buffout 4 ≥ 1.31 / Crash Logger print after the address. */
  instruction: z.string().nullable(),
  /** Function name the logger resolved, when it printed one. */
  symbol: z.string().nullable(),
  thread: z.number().int().nullable(),
  /** Lines right after it: "Exception Flags: …", "Access Violation: Tried to read memory at …". */
  details: z.array(z.string()),
});
export type CrashLogException = z.infer<typeof CrashLogException>;

export const CrashLogFrame = z.object({
  index: z.number().int(),
  address: z.string().nullable(),
  module: z.string().nullable(),
  offset: z.string().nullable(),
  /** Function name (NSF's "BSShader::unk_12FDCC0+40", Crash Logger's PDB name). */
  symbol: z.string().nullable(),
  /** Address Library id + offset ("673619+0x2AE"). */
  addressId: z.string().nullable(),
  instruction: z.string().nullable(),
  /**
   * Crash Logger 1.20+ tags each frame: [P] from the unwinder ('probable'), [S] an executable
   * address found by scanning the stack ('scan', may be stale). Null when the logger prints no tag.
   */
  source: z.enum(['probable', 'scan']).nullable().default(null),
  text: z.string(),
});
export type CrashLogFrame = z.infer<typeof CrashLogFrame>;

/** A register or stack slot: value, the logger's annotation, and the nested lines under it. */
export const CrashLogSlot = z.object({
  name: z.string(),
  value: z.string().nullable(),
  annotation: z.string().nullable(),
  details: z.array(z.string()),
});
export type CrashLogSlot = z.infer<typeof CrashLogSlot>;

export const CrashLogModule = z.object({
  name: z.string(),
  base: z.string().nullable(),
  version: z.string().nullable(),
});
export type CrashLogModule = z.infer<typeof CrashLogModule>;

export const XsePlugin = z.object({
  name: z.string(),
  version: z.string().nullable(),
  kind: z.enum(['skse', 'f4se', 'nsf']),
});
export type XsePlugin = z.infer<typeof XsePlugin>;

export const GamePlugin = z.object({
  /** Position in the printed load order, from 0. */
  order: z.number().int(),
  /** "0A", or "FE:01B" for a light (ESL-flagged) plugin; null when the logger printed none. */
  index: z.string().nullable(),
  name: z.string(),
  light: z.boolean(),
});
export type GamePlugin = z.infer<typeof GamePlugin>;

/** A game object the logger found near the crash (a register, a stack slot or NSF's list). */
export const RelevantObject = z.object({
  /** Where it was printed: "RDX", "RSP+3A0", "RSI > ParentCell", "[238]". */
  where: z.string(),
  type: z.string().nullable(),
  name: z.string().nullable(),
  editorId: z.string().nullable(),
  formId: z.string().nullable(),
  /** The plugin that last changed it (first in NSF's "a <- b" chain, last in "Modified by"). */
  file: z.string().nullable(),
  /** Every plugin named for it (override chain). */
  files: z.array(z.string()),
  text: z.string(),
});
export type RelevantObject = z.infer<typeof RelevantObject>;

export const CrashLogSection = z.object({
  name: z.string(),
  /** 1-based line of the header in the decoded text. */
  line: z.number().int(),
  lines: z.array(z.string()),
  truncated: z.boolean(),
});

export const CrashLogProblem = z.object({
  code: z.string(),
  message: z.string(),
  line: z.number().int().nullable(),
});
export type CrashLogProblem = z.infer<typeof CrashLogProblem>;

/** Crash Logger 1.20+ "ACCESS VIOLATION ANALYSIS:" (the faulting instruction and its operands). */
export const AccessViolationAnalysis = z.object({
  /** "Instruction", "Memory Operand", "Base Register", "Computed Address", … as written. */
  fields: z.record(z.string(), z.string()),
  /** Free lines (the null-function-pointer explanation of 1.23+). */
  notes: z.array(z.string()),
});
export type AccessViolationAnalysis = z.infer<typeof AccessViolationAnalysis>;

/** Crash Logger 1.18+ "C++ EXCEPTION:" block. */
export const CppExceptionInfo = z.object({
  type: z.string().nullable(),
  info: z.string().nullable(),
  throwLocation: z.string().nullable(),
  /** The module that threw (the culprit of a C++ exception, not KERNELBASE). */
  module: z.string().nullable(),
});
export type CppExceptionInfo = z.infer<typeof CppExceptionInfo>;

export const ParsedCrashLog = z.object({
  logger: CrashLogger,
  loggerVersion: z.string().nullable(),
  /** The logger's header line as written ("Buffout 4 v1.31.1 Feb 28 2023 00:32:02"). */
  loggerHeader: z.string().nullable(),
  game: z.string().nullable(),
  gameFamily: GameFamily.nullable(),
  gameVersion: z.string().nullable(),
  exception: CrashLogException.nullable(),
  /** NSF's "Key: value" header lines, the crash time. */
  header: z.record(z.string(), z.string()),
  /** Buffout 4 / Crash Logger settings echoed at the top ("[Patches]" → "MemoryManager" → "true"). */
  settings: z.record(z.string(), z.record(z.string(), z.string())),
  system: z.record(z.string(), z.string()),
  callStack: z.array(CrashLogFrame),
  registers: z.array(CrashLogSlot),
  stack: z.array(CrashLogSlot),
  modules: z.array(CrashLogModule),
  xsePlugins: z.array(XsePlugin),
  gamePlugins: z.array(GamePlugin),
  /** The logger's own count line ("Light: 100 Regular: 79 Total: 179"), when printed. */
  pluginCounts: z.object({ light: z.number(), regular: z.number(), total: z.number() }).nullable(),
  /** Whether the log had a (possibly empty) game plugin section at all. */
  pluginsListed: z.boolean(),
  relevantObjects: z.array(RelevantObject),
  /** "Access Violation: Tried to read memory at 0x…": the access kind and the target address. */
  access: z
    .object({ kind: z.enum(['read', 'write', 'execute']), address: z.string().nullable() })
    .nullable()
    .default(null),
  accessViolation: AccessViolationAnalysis.nullable().default(null),
  cppException: CppExceptionInfo.nullable().default(null),
  /** Crash Logger 1.16+ "PROCESS INFO:" (holds user paths: redact before sharing). */
  processInfo: z.record(z.string(), z.string()).default({}),
  /** Crash Logger 1.20+ "THREAD CONTEXT (HEURISTIC):" (thread priority, likely role). */
  threadContext: z.record(z.string(), z.string()).default({}),
  /**
   * Sections a complete log of this logger has but this one lacks (a partial paste, a log cut
   * by the crash), one human label each ("module list (MODULES)"). Findings that depend on a
   * missing section are not reported.
   */
  missing: z.array(z.string()).default([]),
  /** Every section header found, in order, for navigation in the raw view. */
  outline: z.array(z.object({ name: z.string(), line: z.number().int() })),
  /** Sections this parser does not know, kept as written. */
  unknownSections: z.array(CrashLogSection),
  encoding: z.string(),
  lineCount: z.number().int(),
  problems: z.array(CrashLogProblem),
});
export type ParsedCrashLog = z.infer<typeof ParsedCrashLog>;

/** Module or plugin the log points at, with how often (CLASSIC's "plugin suspects" count lines). */
export const CrashLogSuspect = z.object({
  name: z.string(),
  kind: z.enum(['module', 'plugin']),
  hits: z.number().int(),
  reason: z.string(),
  /** The mod shipping it, when a mod setup was given (`analyze --setup`). */
  mod: ModRef.optional(),
});
export type CrashLogSuspect = z.infer<typeof CrashLogSuspect>;

/** Form ids named in the call-stack area (not FF… runtime ids), with their plugin. */
export const FormIdSuspect = z.object({
  formId: z.string(),
  plugin: z.string().nullable(),
  hits: z.number().int(),
});
export type FormIdSuspect = z.infer<typeof FormIdSuspect>;

export const CrashLogAnalysis = z.object({
  file: z.string(),
  parsed: ParsedCrashLog,
  verdict: z.object({
    title: z.string(),
    exceptionName: z.string().nullable(),
    exceptionCode: z.number().int().nullable(),
    faultingModule: z.string().nullable(),
    faultingOffset: z.string().nullable(),
    logger: z.string(),
    loggerVersion: z.string().nullable(),
    game: z.string().nullable(),
    gameVersion: z.string().nullable(),
    signature: z.string().nullable(),
  }),
  /** CLASSIC-style mention counts (the Crash log tab's list and the CLASSIC agreement). */
  suspects: z.array(CrashLogSuspect),
  formIds: z.array(FormIdSuspect),
  findings: z.array(Finding),
  /** The culprit model's ranking (roles, evidence for and against), best first. */
  culprits: z.array(Suspect).default([]),
  probableCause: ProbableCause.nullable().default(null),
  /** Partial or damaged log: analysed anyway; `missing` says what it lacked. */
  incomplete: z.boolean().default(false),
  missing: z.array(z.string()).default([]),
});
export type CrashLogAnalysis = z.infer<typeof CrashLogAnalysis>;

export const CrashLogRules = z.object({
  sets: z.array(RuleSetInfo),
  userFolder: z.string(),
  userRulesEnabled: z.boolean(),
});
export type CrashLogRules = z.infer<typeof CrashLogRules>;
