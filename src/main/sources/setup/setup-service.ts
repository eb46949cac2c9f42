import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AnalyzerOutput } from '../../analysis/artifact-analyzer';
import { enrichVerdict, implicatedMods } from '../../analysis/mods/enrich';
import { buildModIndex, type ModIndex } from '../../analysis/mods/mod-index';
import { computeModTrends } from '../../analysis/mods/mod-trends';
import {
  diffSnapshots,
  snapshotFromCrashLog,
  snapshotFromProfile,
  snapshotHash,
  type SnapshotBody,
} from '../../analysis/mods/snapshot';
import { Verdict, type IncidentKind } from '../../../shared/domain/incident';
import type {
  LoadOrderDiff,
  ModTrends,
  SetupInstance,
  SetupInstanceSummary,
  SetupProfile,
  SetupRef,
} from '../../../shared/domain/setup';
import { wallClockIso } from '../../formats/textlog/timestamps';
import { localIsoFromMs, sortKeyOfLocalIso } from '../../../shared/domain/local-time';
import type { IncidentSetupLink, LinkSource, SetupStore } from '../../store/setup-store';
import { detectManager, readSetup, suggestInstances } from './discover';
import { BISECT_MARKER } from './mo2-instance';
import { baseName } from './mod-files';

/**
 * The mod setups the user chose (MO2 instances, Vortex deployments) and what the workbench
 * does with them: record which setup each new incident ran with, name the mod behind every
 * suspect, say what changed since the last session without a crash, and feed per-mod trends.
 * Read-only on the setups themselves.
 */
export const INSTANCES_KEY = 'setup.instances';
/** A profile file written this long after a crash still counts as "unchanged since" (clock skew, MO2 saving on exit). */
const SLACK_MS = 2 * 60_000;
/** How long a read of a live instance is reused. */
const LIVE_TTL_MS = 30_000;
const RELINK_LIMIT = 5_000;
const DAY = 86_400_000;

export interface SettingsAccess {
  getSetting<T>(key: string, fallback: T): T;
  setSetting(key: string, value: unknown): void;
}

/** A chosen instance's selected profile as it is now. */
export interface LiveSetup {
  instance: SetupInstance;
  profile: SetupProfile;
  body: SnapshotBody;
  hash: string;
  /** When the profile's lists last changed (wall clock ms): it is true for crashes after this. */
  validFromMs: number;
  index: ModIndex;
}

/** What the ingest pipeline hands over for each incident it builds (see sources/ingest.ts). */
export interface IncidentHookInput {
  id: string;
  capturedMs: number;
  kind: IncidentKind;
  verdict: Verdict | null;
  outputs: readonly AnalyzerOutput[];
  isNew: boolean;
}

/** Wall clock now, in the form incident times use. */
export function wallNow(): number {
  return sortKeyOfLocalIso(localIsoFromMs(Date.now()));
}

/** File mtime (real time) → wall clock ms like incident times. */
function wallOf(mtimeMs: number): number {
  return sortKeyOfLocalIso(localIsoFromMs(mtimeMs));
}

export function gameFamily(game: string | null | undefined): 'skyrim' | 'fallout4' | null {
  if (!game) return null;
  if (/fallout\s*4/i.test(game)) return 'fallout4';
  if (/skyrim|enderal/i.test(game)) return 'skyrim';
  return null;
}

export class SetupService {
  private live: { at: number; states: Promise<LiveSetup[]> } | null = null;
  private readonly indexes = new Map<string, ModIndex>();
  /** Snapshot hash → earliest time its mod versions were noted (this process). */
  private readonly versionsNoted = new Map<string, number>();
  /** Called for each new crash incident (the bisect answers "bad" by itself). */
  onNewCrash: ((incidentId: string, capturedMs: number) => void) | null = null;

  constructor(
    private readonly store: SetupStore,
    private readonly settings: SettingsAccess,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  // ---- chosen instances ----

  chosen(): string[] {
    return this.settings.getSetting<string[]>(INSTANCES_KEY, []);
  }

  async add(path: string): Promise<string[]> {
    const abs = resolve(path);
    if (!detectManager(abs))
      throw new Error(
        `${abs} is not a Mod Organizer 2 instance (no ModOrganizer.ini) or a Vortex staging, game or Data folder`,
      );
    const list = this.chosen();
    if (!list.includes(abs)) this.settings.setSetting(INSTANCES_KEY, [...list, abs]);
    this.live = null;
    await this.relink();
    return this.chosen();
  }

  remove(path: string): string[] {
    const abs = resolve(path);
    this.settings.setSetting(
      INSTANCES_KEY,
      this.chosen().filter((p) => p !== abs),
    );
    this.live = null;
    return this.chosen();
  }

  /** Chosen instances read in full, and suggestions (existence checked only). */
  async summaries(watchedFolders: readonly string[]): Promise<SetupInstanceSummary[]> {
    const out: SetupInstanceSummary[] = [];
    for (const dir of this.chosen()) {
      const inst = existsSync(dir) ? await readSetup(dir, { env: this.env }).catch(() => null) : null;
      if (!inst) {
        out.push({
          manager: 'mo2',
          instance: dir,
          name: dir,
          game: null,
          selectedProfile: null,
          origin: 'chosen',
          exists: false,
          profiles: [],
          problems: [{ path: dir, message: 'the folder is gone or no longer a mod manager folder' }],
        });
        continue;
      }
      out.push(summarize(inst, 'chosen'));
    }
    const chosen = new Set(this.chosen().map((p) => p.toLowerCase()));
    for (const s of suggestInstances(watchedFolders, this.env, this.platform)) {
      if (chosen.has(s.path.toLowerCase())) continue;
      out.push({
        manager: s.manager,
        instance: s.path,
        name: s.label,
        game: null,
        selectedProfile: null,
        origin: 'suggested',
        exists: true,
        profiles: [],
        problems: [],
      });
    }
    return out;
  }

  // ---- live state ----

  /** The chosen instances' selected profiles, read at most every LIVE_TTL_MS. */
  liveSetups(force = false): Promise<LiveSetup[]> {
    const now = Date.now();
    if (!force && this.live && now - this.live.at < LIVE_TTL_MS) return this.live.states;
    const states = this.readLive();
    this.live = { at: now, states };
    return states;
  }

  /**
   * Looks at the chosen setups now and every `ms` while the app runs: each look that finds the
   * same setup extends its "seen in use" session, a changed one starts a new session (the
   * baseline of "changed since the last session without a crash").
   */
  observeEvery(ms: number): () => void {
    const look = () => {
      if (this.chosen().length) void this.liveSetups(true).catch(() => undefined);
    };
    look();
    const t = setInterval(look, ms);
    t.unref?.();
    return () => clearInterval(t);
  }

  private async readLive(): Promise<LiveSetup[]> {
    const out: LiveSetup[] = [];
    for (const dir of this.chosen()) {
      const inst = await readSetup(dir, { profiles: 'selected', env: this.env }).catch(() => null);
      const profile = inst?.profiles.find((p) => p.name === inst.selectedProfile);
      if (!inst || !profile || profile.mods.length + profile.plugins.length === 0) continue;
      const body = snapshotFromProfile(inst.manager, inst.game, profile);
      const hash = snapshotHash(body);
      const validFromMs = await listsChangedAt(profile.path, inst.manager);
      out.push({ instance: inst, profile, body, hash, validFromMs, index: this.indexFor(hash, body) });
      const at = wallNow();
      this.store.transaction(() => {
        this.store.putSnapshot(hash, body, at);
        this.store.observe({
          hash,
          kind: 'observed',
          instance: inst.instance,
          profile: profile.name,
          atMs: at,
        });
        this.noteVersions(hash, body, at);
      });
    }
    return out;
  }

  /**
   * Notes when each mod version was seen, once per snapshot unless this time is earlier than
   * the one noted (a scan of 1,000 crashes with one 2,000-mod profile writes it once).
   */
  private noteVersions(hash: string, body: SnapshotBody, atMs: number): void {
    const seen = this.versionsNoted.get(hash);
    if (seen !== undefined && seen <= atMs) return;
    this.versionsNoted.set(hash, atMs);
    this.store.noteModVersions(
      body.mods.filter((m) => m.enabled),
      atMs,
    );
  }

  private indexFor(hash: string, body: SnapshotBody): ModIndex {
    let idx = this.indexes.get(hash);
    if (!idx) {
      idx = buildModIndex(body.mods, body.source === 'vortex' ? 'vortex' : 'mo2');
      if (this.indexes.size > 16) this.indexes.clear();
      this.indexes.set(hash, idx);
    }
    return idx;
  }

  /** The live setup a crash at `capturedMs` ran with, when we can tell. */
  private async liveFor(capturedMs: number, game: string | null): Promise<LiveSetup | null> {
    const family = gameFamily(game);
    const states = (await this.liveSetups()).filter((s) => {
      const f = gameFamily(s.instance.game);
      return !family || !f || f === family;
    });
    const sessions = states.length ? this.store.sessionsBefore(capturedMs + 1, 200) : [];
    const fits = states.filter((s) => {
      if (s.validFromMs <= capturedMs + SLACK_MS) return true;
      // Changed since, but we saw this same setup in use before the crash: still it.
      const seen = sessions.find((x) => x.instance === s.instance.instance && x.profile === s.profile.name);
      return seen?.hash === s.hash;
    });
    fits.sort((a, b) => b.validFromMs - a.validFromMs);
    return fits[0] ?? null;
  }

  // ---- ingest hook ----

  /**
   * Records the setup a newly built incident ran with (its crash log's own lists, and the
   * chosen profile when it was unchanged since the crash), and returns the verdict with mod
   * names. Never throws: a setup problem must not stop a scan.
   */
  async onIncident(i: IncidentHookInput): Promise<Verdict | null> {
    const { verdict, write } = await this.prepareIncident(i);
    try {
      if (write) this.store.transaction(write);
      return verdict;
    } catch {
      // Nothing of it was kept (one transaction).
      return i.verdict;
    }
  }

  /**
   * What onIncident does, with the writes handed back instead of made: the scan runs `write`
   * in its write batch right after the incident's own row (sources/ingest.ts), rather than in
   * a transaction of its own per incident before the row exists (issue 15: a commit per
   * incident). The reads here never depend on writes still waiting in a batch: they are this
   * incident's own links (written by no other incident), snapshots those links already point
   * at, and sessions (which only the live look writes, in its own transaction). Never throws;
   * a `write` that throws leaves nothing behind in its savepoint.
   */
  async prepareIncident(i: IncidentHookInput): Promise<{ verdict: Verdict | null; write?: () => void }> {
    try {
      return await this.record(i);
    } catch {
      return { verdict: i.verdict };
    }
  }

  private async record(i: IncidentHookInput): Promise<{ verdict: Verdict | null; write: () => void }> {
    const log = i.outputs.find((o) => o.setup)?.setup;
    const game = i.verdict?.game ?? log?.game ?? null;
    const logBody = log
      ? snapshotFromCrashLog({ game: log.game, gamePlugins: log.plugins, xsePlugins: log.dlls })
      : null;
    let profileLink = this.store.links(i.id).find((l) => l.source === 'profile') ?? null;
    let live: LiveSetup | null = null;
    if (!profileLink && this.chosen().length > 0) {
      live = await this.liveFor(i.capturedMs, game);
      if (live)
        profileLink = {
          incidentId: i.id,
          source: 'profile',
          hash: live.hash,
          instance: live.instance.instance,
          profile: live.profile.name,
          capturedMs: i.capturedMs,
        };
    }
    let index: ModIndex | null = live?.index ?? null;
    if (!index && profileLink) {
      const body = this.store.snapshot(profileLink.hash);
      if (body) index = this.indexFor(profileLink.hash, body);
    }
    const verdict = i.verdict ? enrichVerdict(i.verdict, index) : null;
    // What `write` needs, taken out of `i`: the closure waits in the scan's write batch, and
    // holding `i` there would keep every analyzer output of the incident alive with it.
    const { id, capturedMs, kind, isNew } = i;
    const write = () => {
      if (logBody) {
        const hash = snapshotHash(logBody);
        this.store.putSnapshot(hash, logBody, capturedMs);
        this.store.link({
          incidentId: id,
          source: 'crashlog',
          hash,
          instance: null,
          profile: null,
          capturedMs,
        });
      }
      if (live && profileLink) {
        this.store.putSnapshot(live.hash, live.body, capturedMs);
        this.store.link(profileLink);
        this.noteVersions(live.hash, live.body, capturedMs);
      }
      if (verdict) this.store.setIncidentMods(id, capturedMs, kind, modRows(verdict));
      // As before, once the setup is recorded (the bisect reads its own state file, not these rows).
      if (isNew && kind === 'crash') this.onNewCrash?.(id, capturedMs);
    };
    return { verdict, write };
  }

  /**
   * Links incidents indexed before an instance was chosen (or while it was unreadable) to its
   * profile, when the profile has not changed since they were captured, and names their mods.
   */
  async relink(): Promise<number> {
    let n = 0;
    for (const live of await this.liveSetups(true)) {
      const rows = this.store.unlinkedIncidents(
        live.validFromMs - SLACK_MS,
        Number.MAX_SAFE_INTEGER,
        RELINK_LIMIT,
      );
      this.store.transaction(() => {
        this.store.putSnapshot(live.hash, live.body, live.validFromMs);
        for (const r of rows) {
          const parsed = r.verdictJson ? Verdict.safeParse(safeJson(r.verdictJson)) : null;
          const verdict = parsed?.success ? parsed.data : null;
          if (
            verdict &&
            gameFamily(verdict.game) &&
            gameFamily(live.instance.game) &&
            gameFamily(verdict.game) !== gameFamily(live.instance.game)
          )
            continue;
          this.store.link({
            incidentId: r.id,
            source: 'profile',
            hash: live.hash,
            instance: live.instance.instance,
            profile: live.profile.name,
            capturedMs: r.capturedMs,
          });
          if (verdict) {
            const enriched = enrichVerdict(verdict, live.index);
            this.store.updateVerdict(r.id, JSON.stringify(enriched));
            this.store.setIncidentMods(r.id, r.capturedMs, r.kind, modRows(enriched));
          }
          n++;
        }
      });
    }
    return n;
  }

  /** An incident id from an id or unique prefix (null: none, 'ambiguous': several). */
  resolveIncident(ref: string): string | null | 'ambiguous' {
    return this.store.incidentIdByPrefix(ref);
  }

  // ---- what changed ----

  /** The load-order diff of an incident against `sinceId`, or against the last session without a crash. */
  changes(incidentId: string, sinceId?: string | null): LoadOrderDiff {
    const empty = (notes: string[]): LoadOrderDiff => ({
      since: null,
      current: null,
      added: [],
      removed: [],
      updated: [],
      moved: [],
      notes,
    });
    const inc = this.store.incidentTime(incidentId);
    if (!inc) throw new NotFound(`No incident "${incidentId}"`);
    const links = this.store.links(incidentId);
    if (links.length === 0)
      return empty([
        'No setup was recorded for this incident: it has no crash-log plugin list and no mod manager profile was known when it was captured.',
      ]);
    let cur: IncidentSetupLink;
    let base: { hash: string; at: number; incidentId: string | null; reason: SetupRef['reason'] } | null;
    if (sinceId) {
      const since = this.store.links(sinceId);
      const sinceInc = this.store.incidentTime(sinceId);
      if (!sinceInc) throw new NotFound(`No incident "${sinceId}"`);
      if (since.length === 0) return empty([`No setup was recorded for incident ${sinceId}.`]);
      const common = (['crashlog', 'profile'] as const).find(
        (s) => links.some((l) => l.source === s) && since.some((l) => l.source === s),
      );
      cur = links.find((l) => l.source === common) ?? links[0]!;
      const other = since.find((l) => l.source === common) ?? since[0]!;
      base = { hash: other.hash, at: other.capturedMs, incidentId: sinceId, reason: 'explicit' };
    } else {
      // The profile says most (mods and versions); when it has nothing earlier to compare
      // with, the crash logs' own plugin lists may.
      const ordered = [...links].sort(
        (a, b) => (a.source === 'profile' ? -1 : 0) - (b.source === 'profile' ? -1 : 0),
      );
      cur = ordered[0]!;
      base = null;
      for (const l of ordered) {
        const b = this.baseline(l);
        if (b) {
          cur = l;
          base = b;
          break;
        }
      }
    }
    const curBody = this.store.snapshot(cur.hash);
    if (!curBody) return empty(['The recorded setup of this incident could not be read back.']);
    const current = this.ref(cur.hash, curBody, cur.capturedMs, incidentId, 'incident');
    if (!base)
      return {
        ...empty([
          'No earlier setup to compare with: no session without a crash and no earlier crash with a different setup was recorded.',
        ]),
        current,
      };
    const baseBody = this.store.snapshot(base.hash);
    if (!baseBody) return { ...empty(['The earlier setup could not be read back.']), current };
    const d = diffSnapshots(baseBody, curBody);
    return {
      since: this.ref(base.hash, baseBody, base.at, base.incidentId, base.reason),
      current,
      ...d,
    };
  }

  /** The last setup seen without a crash before `cur`, else the previous crash with a different one. */
  private baseline(
    cur: IncidentSetupLink,
  ): { hash: string; at: number; incidentId: string | null; reason: SetupRef['reason'] } | null {
    if (cur.source === 'profile') {
      for (const s of this.store.sessionsBefore(cur.capturedMs, 200)) {
        if (s.hash === cur.hash || s.instance !== cur.instance || s.profile !== cur.profile) continue;
        if (this.store.crashedWith(s.hash)) continue;
        return {
          hash: s.hash,
          at: s.lastMs,
          incidentId: null,
          reason: s.kind === 'good' ? 'good-session' : 'observed',
        };
      }
    }
    const prev = this.store.earlierLinks(cur.source, cur.capturedMs, cur.hash, 1)[0];
    return prev
      ? { hash: prev.hash, at: prev.capturedMs, incidentId: prev.incidentId, reason: 'previous-crash' }
      : null;
  }

  private ref(
    hash: string,
    body: SnapshotBody,
    atMs: number,
    incidentId: string | null,
    reason: SetupRef['reason'],
  ): SetupRef {
    return {
      hash,
      source: body.source,
      at: wallClockIso(atMs).slice(0, 19),
      incidentId,
      reason,
      plugins: body.plugins.filter((p) => p.enabled).length,
      mods: body.mods.filter((m) => m.enabled).length,
    };
  }

  /**
   * Names (lower case) of the plugins and mods added or updated since the last different setup
   * seen for this profile, and the files of those mods: the bisect tests them first.
   */
  recentlyChanged(body: SnapshotBody, hash: string, instance: string, profile: string): Set<string> {
    const out = new Set<string>();
    const prev = this.store
      .sessionsBefore(Number.MAX_SAFE_INTEGER, 500)
      .find((x) => x.hash !== hash && x.instance === instance && x.profile === profile);
    const before = prev ? this.store.snapshot(prev.hash) : null;
    if (!before) return out;
    const d = diffSnapshots(before, body);
    for (const c of [...d.added, ...d.updated]) out.add(c.name.toLowerCase());
    for (const m of body.mods)
      if (out.has(m.name.toLowerCase())) for (const f of m.files) out.add(baseName(f).toLowerCase());
    return out;
  }

  /** How often each plugin, module or mod (lower case) was a suspect in past incidents. */
  pastSuspects(): Map<string, number> {
    return this.store.pastSuspects(5000);
  }

  /** Crashes per mod over the range, with per-version rates (the Trends view's Mods section). */
  modTrends(q: { days: number; now?: string }): ModTrends {
    const nowMs = q.now ? sortKeyOfLocalIso(q.now) : wallNow();
    const to = Math.floor(nowMs / DAY) * DAY + DAY;
    const first = this.store.firstIncidentMs();
    const from = q.days > 0 ? to - q.days * DAY : Math.floor((first ?? to - 30 * DAY) / DAY) * DAY;
    const rows = this.store.modTrendRows(0, to);
    const versions = this.store.modVersions([...new Set(rows.map((r) => r.mod))]);
    return computeModTrends(rows, versions, {
      nowMs: to,
      fromMs: from,
      days: q.days,
      stepMs: (to - from) / DAY > 120 ? 7 * DAY : DAY,
    });
  }

  /** The profile folders under an instance that a bisect created (for the Folders view). */
  static isBisectProfile(profileDir: string): boolean {
    return existsSync(join(profileDir, BISECT_MARKER));
  }
}

export class NotFound extends Error {}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function modRows(v: Verdict) {
  return implicatedMods(v).map((m) => ({
    mod: m.mod.name,
    version: m.mod.version ?? null,
    nexusId: m.mod.nexusId ?? null,
    faulting: m.faulting,
  }));
}

/** When a profile's lists last changed (wall clock), the newest of their mtimes. */
async function listsChangedAt(profileDir: string, manager: 'mo2' | 'vortex'): Promise<number> {
  const files =
    manager === 'mo2' ? ['modlist.txt', 'plugins.txt', 'loadorder.txt'] : ['vortex.deployment.json'];
  let newest = 0;
  for (const f of files) {
    try {
      newest = Math.max(newest, (await stat(join(profileDir, f))).mtimeMs);
    } catch {
      // A missing list does not make the profile newer.
    }
  }
  return newest ? wallOf(newest) : 0;
}

function summarize(inst: SetupInstance, origin: 'chosen' | 'suggested'): SetupInstanceSummary {
  return {
    manager: inst.manager,
    instance: inst.instance,
    name: inst.name,
    game: inst.game,
    selectedProfile: inst.selectedProfile,
    origin,
    exists: true,
    profiles: inst.profiles.map((p) => ({
      name: p.name,
      path: p.path,
      mods: p.mods.filter((m) => m.kind === 'mod').length,
      enabledMods: p.mods.filter((m) => m.kind === 'mod' && m.enabled).length,
      plugins: p.plugins.length,
      enabledPlugins: p.plugins.filter((x) => x.enabled).length,
      problems: p.problems.length,
      bisect: SetupService.isBisectProfile(p.path),
    })),
    problems: [...inst.problems, ...inst.profiles.flatMap((p) => p.problems)].slice(0, 50),
  };
}

export type { LinkSource };
