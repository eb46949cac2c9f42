import { z } from 'zod';
import { CONFIDENCE_LEVELS } from './confidence';
import { Finding } from './finding';
import { GameFamily } from './rules';

export const IncidentKind = z.enum(['crash', 'hang', 'manual', 'unknown']);
export type IncidentKind = z.infer<typeof IncidentKind>;

/** Where the incident came from (what produced its primary artifact). */
export const IncidentSource = z.enum(['skyrimdiag', 'crashlogger', 'wer', 'bundle', 'capture']);
export type IncidentSource = z.infer<typeof IncidentSource>;

export const IncidentStatus = z.enum(['new', 'seen', 'fixed', 'ignored']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const ArtifactRole = z.enum([
  'dump',
  'manifest',
  'summary',
  'report',
  'wct',
  'etl',
  'blackbox',
  'crashlog',
  'threaddump',
  'papyrus',
  'pluginscan',
  'log',
  'evidence',
  'bundle',
  'other',
]);
export type ArtifactRole = z.infer<typeof ArtifactRole>;

export const ParseStatus = z.enum(['ok', 'error', 'pending', 'skipped']);
export type ParseStatus = z.infer<typeof ParseStatus>;

/**
 * What a module or plugin is to the game, which decides how much a stack hit on it means:
 * the game exe and OS/runtime DLLs are usually where damage is noticed (victims), mod DLLs and
 * plugins are usually where it is done. Data lives in resources/modules.
 */
export const ModuleRole = z.enum([
  'game',
  'os',
  'runtime',
  'driver',
  'allocator',
  'script-extender',
  'crash-logger',
  'mod-manager',
  'overlay',
  'framework',
  'mod-dll',
  'plugin',
  'unknown',
]);
export type ModuleRole = z.infer<typeof ModuleRole>;

/** The mod a file belongs to, and how we know (mod manager files, SkyrimDiag, the file's path). */
export const ModRef = z.object({
  name: z.string(),
  version: z.string().optional(),
  nexusId: z.number().int().optional(),
  source: z.enum(['mo2', 'vortex', 'skyrimdiag', 'path', 'user']),
});
export type ModRef = z.infer<typeof ModRef>;

/** One reason for or against blaming a suspect, e.g. "first mod DLL below the game's frames". */
export const SuspectEvidence = z.object({
  direction: z.enum(['for', 'against']),
  text: z.string(),
});
export type SuspectEvidence = z.infer<typeof SuspectEvidence>;

export const Suspect = z.object({
  /** Module (dll/exe), plugin (esp/esm/esl) or mod name. */
  name: z.string(),
  score: z.number(),
  /** Human-readable evidence, e.g. "faulting module; 14 stack hits". */
  reason: z.string(),
  role: ModuleRole.optional(),
  /** File version when the input names it (module list, crash log). */
  version: z.string().optional(),
  mod: ModRef.optional(),
  /** Evidence for and against, strongest first; `reason` is its one-line digest. */
  evidence: z.array(SuspectEvidence).optional(),
});
export type Suspect = z.infer<typeof Suspect>;

export const Confidence = z.enum(CONFIDENCE_LEVELS);
export type Confidence = z.infer<typeof Confidence>;

/**
 * The answer a player reads first: "Probable cause: <subject> — <why>, <confidence>. Next: <next>".
 * `subject` is null when the evidence is too weak to name anything (confidence 'unknown'); `next`
 * then says what to capture.
 */
export const ProbableCause = z.object({
  subject: z.string().nullable(),
  subjectKind: z.enum(['module', 'plugin', 'mod', 'known-issue', 'setting', 'hardware', 'unknown']),
  mod: ModRef.optional(),
  /** File version of the subject when the input names it (module list, crash log). */
  version: z.string().optional(),
  confidence: Confidence,
  /** Short reason clause, e.g. "first mod DLL under the game's frames in the crashing stack". */
  why: z.string(),
  evidence: z.array(z.string()).default([]),
  /** The one next step, e.g. "Update or disable po3_SpellPerkItemDistributor (SPID)". */
  next: z.string(),
  /** The whole sentence as shown at the top of Overview and in the list. */
  headline: z.string(),
});
export type ProbableCause = z.infer<typeof ProbableCause>;

/** What the incident is, in one place: filled by whichever analyzer understood it best. */
export const Verdict = z.object({
  /** One line shown in the list, e.g. "EXCEPTION_ACCESS_VIOLATION reading 0x0 in Foo.dll+0x1a2b". */
  title: z.string(),
  exceptionCode: z.number().int().nullable().default(null),
  exceptionName: z.string().nullable().default(null),
  faultingModule: z.string().nullable().default(null),
  faultingOffset: z.number().nullable().default(null),
  /**
   * Stable bucket (level one of the two-level signature, docs/SIGNATURES.md): the same crash on
   * two machines gives the same signature.
   */
  signature: z.string().nullable().default(null),
  suspects: z.array(Suspect).default([]),
  /** Game and version when known, e.g. "Skyrim SE 1.5.97". */
  game: z.string().nullable().default(null),
  /** Which analyzer produced this verdict: "minidump", "crashlog:buffout4", "skyrimdiag-summary", "wct"... */
  analyzer: z.string(),
  /** Known issues the rules recognised (resources/rules, plus the user's own rule files). */
  findings: z.array(Finding).default([]),
  /** The answer for the player; null where no analyzer produced one yet. */
  probableCause: ProbableCause.nullable().default(null),
  /** True when the input was partial or damaged (missing sections, cut stack): still analysed. */
  incomplete: z.boolean().default(false),
  /** What was missing or unreadable, one line each ("module list", "stack cut after frame 4"). */
  missing: z.array(z.string()).default([]),
});
export type Verdict = z.infer<typeof Verdict>;
/** What analyzers produce: `findings` may be left out (no rule matched). */
export type VerdictInput = z.input<typeof Verdict>;

export const Artifact = z.object({
  id: z.number().int(),
  incidentId: z.string(),
  role: ArtifactRole,
  path: z.string(),
  name: z.string(),
  size: z.number(),
  mtimeMs: z.number(),
  sha256: z.string().nullable(),
  parseStatus: ParseStatus,
  parseError: z.string().nullable(),
});
export type Artifact = z.infer<typeof Artifact>;

export const IncidentSummary = z.object({
  id: z.string(),
  kind: IncidentKind,
  source: IncidentSource,
  /** ISO-8601; local capture time when the files carry no zone. */
  capturedAt: z.string(),
  title: z.string(),
  signature: z.string().nullable(),
  status: IncidentStatus,
  folder: z.string(),
  artifactCount: z.number().int(),
  /** True when at least one artifact failed to parse. */
  hasErrors: z.boolean(),
  /** The probable cause sentence (verdict.probableCause.headline), for the list's verdict column. */
  headline: z.string().nullable().optional(),
  confidence: Confidence.nullable().optional(),
  /** Which game (shared/domain/game.ts); null when nothing in the files says. */
  game: GameFamily.nullable().optional(),
  /** Level two of the signature: the probable cause's subject ("module:foo.dll"); `signature` is level one. */
  culpritKey: z.string().nullable().optional(),
  /** Its bucket was marked fixed on an earlier incident and crashed again. */
  regressed: z.boolean().optional(),
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;

export const IncidentDetail = IncidentSummary.extend({
  verdict: Verdict.nullable(),
  artifacts: z.array(Artifact),
  notes: z.string(),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;
