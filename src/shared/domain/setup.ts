import { z } from 'zod';

/**
 * The player's mod setup as the mod manager's own files describe it (read-only): Mod Organizer
 * 2 instances and profiles, Vortex deployments. Used to name the mod behind a DLL or plugin,
 * to record what was installed at each crash, and to build bisect profiles.
 */
export const ModManager = z.enum(['mo2', 'vortex']);
export type ModManager = z.infer<typeof ModManager>;

/** Something unreadable in the setup, on one item; the rest is still shown. */
export const SetupProblem = z.object({ path: z.string(), message: z.string() });
export type SetupProblem = z.infer<typeof SetupProblem>;

export const SetupMod = z.object({
  /** Folder name under mods/ (MO2) or the staging folder (Vortex); "Overwrite" for MO2's overwrite. */
  name: z.string(),
  enabled: z.boolean(),
  kind: z.enum(['mod', 'separator', 'unmanaged', 'overwrite']),
  /** Higher wins a file conflict (MO2: the lower in the left pane). */
  priority: z.number().int(),
  version: z.string().nullable(),
  nexusId: z.number().int().nullable(),
  /**
   * The files that matter for crash triage, relative to the game's Data folder with "/":
   * plugins and archives at the top, SKSE/F4SE/NetScriptFramework plugin DLLs, and "Root/…"
   * files (Root Builder) that land in the game folder.
   */
  files: z.array(z.string()),
});
export type SetupMod = z.infer<typeof SetupMod>;

export const SetupPlugin = z.object({
  name: z.string(),
  enabled: z.boolean(),
  /** The mod that ships it (the winner when several do); null for the game's own files. */
  mod: z.string().nullable(),
});
export type SetupPlugin = z.infer<typeof SetupPlugin>;

export const SetupProfile = z.object({
  name: z.string(),
  /** The profile folder (MO2), or the deployment target (Vortex). */
  path: z.string(),
  /** Load order. */
  plugins: z.array(SetupPlugin),
  /** Lowest priority first. */
  mods: z.array(SetupMod),
  problems: z.array(SetupProblem),
});
export type SetupProfile = z.infer<typeof SetupProfile>;

export const SetupInstance = z.object({
  manager: ModManager,
  /** The instance folder (MO2: where ModOrganizer.ini is; Vortex: the staging folder). */
  instance: z.string(),
  /** Display name ("Skyrim Special Edition", the portable folder's name). */
  name: z.string(),
  game: z.string().nullable(),
  gamePath: z.string().nullable(),
  selectedProfile: z.string().nullable(),
  portable: z.boolean(),
  profiles: z.array(SetupProfile),
  problems: z.array(SetupProblem),
});
export type SetupInstance = z.infer<typeof SetupInstance>;

/** One instance as the Folders view lists it (counts, not lists). */
export const SetupInstanceSummary = z.object({
  manager: ModManager,
  instance: z.string(),
  name: z.string(),
  game: z.string().nullable(),
  selectedProfile: z.string().nullable(),
  /** "chosen": the user added it; "suggested": found in a usual place, not used until added. */
  origin: z.enum(['chosen', 'suggested']),
  exists: z.boolean(),
  profiles: z.array(
    z.object({
      name: z.string(),
      path: z.string(),
      mods: z.number().int(),
      enabledMods: z.number().int(),
      plugins: z.number().int(),
      enabledPlugins: z.number().int(),
      problems: z.number().int(),
      /** Created by a bisect (safe to remove with the bisect's cleanup). */
      bisect: z.boolean(),
    }),
  ),
  problems: z.array(SetupProblem),
});
export type SetupInstanceSummary = z.infer<typeof SetupInstanceSummary>;

// ---- setup snapshots and the load-order diff ----

export const SetupChangeKind = z.enum(['plugin', 'mod', 'dll']);
export type SetupChangeKind = z.infer<typeof SetupChangeKind>;

export const SetupChange = z.object({
  kind: SetupChangeKind,
  name: z.string(),
  version: z.string().nullable(),
});
export type SetupChange = z.infer<typeof SetupChange>;

export const SetupUpdate = z.object({
  kind: SetupChangeKind,
  name: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
export type SetupUpdate = z.infer<typeof SetupUpdate>;

/** A plugin whose place among the plugins both lists share changed (positions from 0). */
export const SetupMove = z.object({
  name: z.string(),
  from: z.number().int(),
  to: z.number().int(),
});
export type SetupMove = z.infer<typeof SetupMove>;

/** Where a snapshot came from: a crash log's own lists, or the mod manager's profile. */
export const SnapshotSource = z.enum(['crashlog', 'mo2', 'vortex']);
export type SnapshotSource = z.infer<typeof SnapshotSource>;

/**
 * A setup snapshot: the plugins, mods and script-extender DLLs in use at one moment, from the
 * mod manager's profile or from a crash log's own lists. Stored once per content hash.
 */
export const SnapshotBody = z.object({
  source: SnapshotSource,
  game: z.string().nullable(),
  /** Load order; a crash log lists only loaded (enabled) plugins. */
  plugins: z.array(z.object({ name: z.string(), enabled: z.boolean() })),
  /** Empty for a crash log. */
  mods: z.array(
    z.object({
      name: z.string(),
      enabled: z.boolean(),
      priority: z.number().int(),
      version: z.string().nullable(),
      nexusId: z.number().int().nullable(),
      files: z.array(z.string()),
    }),
  ),
  /** Script-extender plugin DLLs with the version a crash log printed (empty for a profile). */
  dlls: z.array(z.object({ name: z.string(), version: z.string().nullable() })),
});
export type SnapshotBody = z.infer<typeof SnapshotBody>;
export type SnapshotMod = SnapshotBody['mods'][number];

/** One recorded setup state the diff compares. */
export const SetupRef = z.object({
  hash: z.string(),
  source: SnapshotSource,
  /** Wall clock like incident times. */
  at: z.string(),
  incidentId: z.string().nullable(),
  /**
   * Why this state was picked as the baseline: given by the caller, a session known to have
   * run without a crash (a bisect "good" answer), a profile seen in use with no crash recorded,
   * or (when none of those exists) the previous crash whose setup differed.
   */
  reason: z.enum(['incident', 'explicit', 'good-session', 'observed', 'previous-crash']),
  plugins: z.number().int(),
  mods: z.number().int(),
});
export type SetupRef = z.infer<typeof SetupRef>;

export const LoadOrderDiff = z.object({
  since: SetupRef.nullable(),
  current: SetupRef.nullable(),
  added: z.array(SetupChange),
  removed: z.array(SetupChange),
  updated: z.array(SetupUpdate),
  moved: z.array(SetupMove),
  /** Why nothing could be compared, or what was left out ("mods: only one side lists them"). */
  notes: z.array(z.string()),
});
export type LoadOrderDiff = z.infer<typeof LoadOrderDiff>;

// ---- guided bisect ----

export const BisectAnswer = z.enum(['good', 'bad']);
export type BisectAnswer = z.infer<typeof BisectAnswer>;

export const BisectRound = z.object({
  n: z.number().int(),
  /** The profile folder written for this round, and its name as MO2 lists it. */
  profileDir: z.string(),
  profileName: z.string(),
  /** Suspects enabled in this test (pinned, cleared and game files are always on). */
  testing: z.array(z.string()),
  /** Enabled only because a tested plugin needs them as masters. */
  addedMasters: z.array(z.string()),
  startedAt: z.string(),
  answer: BisectAnswer.nullable(),
  answeredBy: z.enum(['user', 'crash']).nullable(),
  incidentId: z.string().nullable(),
  answeredAt: z.string().nullable(),
});
export type BisectRound = z.infer<typeof BisectRound>;

export const BisectStatus = z.object({
  active: z.boolean(),
  /** The original profile folder (never modified). */
  profileDir: z.string().nullable(),
  granularity: z.enum(['plugins', 'mods']),
  pins: z.array(z.string()),
  /** Suspects still possible, most suspicious first. */
  remaining: z.array(z.string()),
  total: z.number().int(),
  /** ceil(log2 n) + 2 for the n suspects at the start. */
  maxRounds: z.number().int(),
  rounds: z.array(BisectRound),
  culprit: z.string().nullable(),
  /** The mod shipping the culprit plugin, when known. */
  culpritMod: z.string().nullable(),
  done: z.boolean(),
  /** Folders this bisect created (the only ones cleanup removes). */
  created: z.array(z.string()),
  /** What to do next, in one sentence. */
  message: z.string(),
  problems: z.array(z.string()),
});
export type BisectStatus = z.infer<typeof BisectStatus>;

// ---- per-mod trends ----

export const ModVersionTrend = z.object({
  version: z.string().nullable(),
  /** First time a snapshot showed this version (wall clock). */
  firstSeen: z.string(),
  crashes: z.number().int(),
  /** Days this version was in use (until the next version or now), at least 1. */
  days: z.number(),
  perDay: z.number(),
});
export type ModVersionTrend = z.infer<typeof ModVersionTrend>;

export const ModTrend = z.object({
  mod: z.string(),
  nexusId: z.number().int().nullable(),
  latestVersion: z.string().nullable(),
  /** Crash and hang incidents in range where one of its files was faulting or a suspect. */
  incidents: z.number().int(),
  faulting: z.number().int(),
  spark: z.array(z.number().int()),
  versions: z.array(ModVersionTrend),
  /** Set when the crash rate of the newest version is clearly above the one before it. */
  rose: z
    .object({ from: z.string().nullable(), to: z.string().nullable(), before: z.number(), after: z.number() })
    .nullable(),
  /** Its incidents in range, newest first, for the drill-down (at most 50). */
  recent: z.array(z.object({ id: z.string(), capturedAt: z.string(), title: z.string() })),
});
export type ModTrend = z.infer<typeof ModTrend>;

export const ModTrends = z.object({
  now: z.string(),
  from: z.string(),
  days: z.number().int(),
  periods: z.array(z.string()),
  mods: z.array(ModTrend),
  /** Mods whose crash rate rose after an update, worst first. */
  rising: z.array(z.string()),
});
export type ModTrends = z.infer<typeof ModTrends>;

export { describeModFile } from './mod-label';

/** One (incident, mod) pair as the store reads it for per-mod trends (store/setup-store.ts → analysis/mods). */
export interface ModTrendRow {
  incidentId: string;
  title: string;
  capturedAt: string;
  mod: string;
  version: string | null;
  nexusId: number | null;
  faulting: boolean;
  capturedMs: number;
}
