import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  alwaysOnClosure,
  applyAnswer,
  maxRounds,
  planRound,
  type BisectPlanState,
  type BisectUnitDef,
  type PlannedRound,
} from '../../analysis/mods/bisect-plan';
import { snapshotFromProfile, snapshotHash } from '../../analysis/mods/snapshot';
import { withFileSource } from '../../formats/common/byte-source';
import {
  formatLoadorderTxt,
  formatModlist,
  formatPluginsTxt,
  parseLoadorderTxt,
  parseModlist,
  parsePluginsTxt,
  type ModlistState,
} from '../../formats/mo2/profile-lists';
import { readPluginHeader } from '../../formats/plugin/tes4';
import type { BisectAnswer, BisectRound, BisectStatus, SetupProfile } from '../../../shared/domain/setup';
import { wallClockIso } from '../../formats/textlog/timestamps';
import { instanceOfProfile } from './discover';
import { BISECT_MARKER, mo2Paths, readMo2Instance } from './mo2-instance';
import { wallNow, type SetupService } from './setup-service';

/**
 * The guided bisect over an MO2 profile. Each round writes a NEW profile folder beside the
 * original ("<profile> - bisect <n>") with half of the remaining suspects enabled (and their
 * masters, and the pinned units); the player picks it in MO2, plays, and answers good or bad
 * (a new crash incident answers bad by itself). The original profile is never written. State
 * lives in <data>/bisect/state.json so a restart resumes; reset removes exactly the folders
 * this bisect created (each carries a marker file).
 */
export type Granularity = 'plugins' | 'mods';

interface StoredRound extends BisectRound {
  startedMs: number;
  plan: PlannedRound;
}

interface BisectFile {
  version: 1;
  profileDir: string;
  instanceDir: string;
  profileName: string;
  granularity: Granularity;
  pins: string[];
  /** unit id → owning mod (plugins) or null. */
  modOf: Record<string, string | null>;
  plan: BisectPlanState;
  total: number;
  rounds: StoredRound[];
  created: string[];
  problems: string[];
  culprit: string | null;
  done: boolean;
  original: {
    modlist: { name: string; state: ModlistState }[];
    plugins: { name: string; enabled: boolean }[];
    loadorder: string[] | null;
    /** Plugin (lower case) → owning mod, for the mods granularity. */
    pluginOwner: Record<string, string | null>;
  };
}

export class BisectError extends Error {}

const LIST_FILES = new Set(['modlist.txt', 'plugins.txt', 'loadorder.txt', BISECT_MARKER]);
/** A crash up to this long before the round was written still answers it (clocks, a slow watcher). */
const CRASH_SLACK_MS = 60_000;

export class BisectService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly setup: SetupService,
  ) {
    setup.onNewCrash = (id, ms) => {
      void this.onCrash(id, ms).catch(() => undefined);
    };
  }

  private get statePath(): string {
    return join(this.dataDir, 'bisect', 'state.json');
  }

  private load(): BisectFile | null {
    // No bisect is the common case, and a scan asks once per new crash: no thrown ENOENT.
    if (!existsSync(this.statePath)) return null;
    try {
      const data = JSON.parse(readFileSync(this.statePath, 'utf8')) as BisectFile;
      return data && data.version === 1 && Array.isArray(data.rounds) ? data : null;
    } catch {
      return null;
    }
  }

  private save(s: BisectFile): void {
    mkdirSync(dirname(this.statePath), { recursive: true });
    const tmp = `${this.statePath}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(s, null, 1));
    renameSync(tmp, this.statePath);
  }

  /** One bisect step at a time (a crash and a click must not both answer a round). */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  status(): BisectStatus {
    return toStatus(this.load());
  }

  start(req: {
    profileDir: string;
    pins?: readonly string[];
    granularity?: Granularity;
  }): Promise<BisectStatus> {
    return this.serial(async () => {
      const existing = this.load();
      if (existing && !existing.done)
        throw new BisectError('A bisect is already running: answer its round, or reset it first.');
      const s = await this.prepare(resolve(req.profileDir), req.pins ?? [], req.granularity ?? 'plugins');
      this.nextRound(s);
      this.save(s);
      return toStatus(s);
    });
  }

  answer(
    answer: BisectAnswer,
    by: 'user' | 'crash' = 'user',
    incidentId: string | null = null,
  ): Promise<BisectStatus> {
    return this.serial(() => {
      const s = this.load();
      if (!s) throw new BisectError('No bisect is running.');
      const round = s.rounds.at(-1);
      if (!round || round.answer || s.done) throw new BisectError('No round is waiting for an answer.');
      round.answer = answer;
      round.answeredBy = by;
      round.incidentId = incidentId;
      round.answeredAt = wallClockIso(wallNow()).slice(0, 19);
      s.plan = applyAnswer(s.plan, round.plan, answer);
      this.nextRound(s);
      this.save(s);
      return toStatus(s);
    });
  }

  /** Removes the profile folders this bisect created (only those carrying its marker) and forgets it. */
  reset(keepFolders = false): Promise<{ removed: string[]; kept: string[]; status: BisectStatus }> {
    return this.serial(() => {
      const s = this.load();
      const removed: string[] = [];
      const kept: string[] = [];
      for (const dir of s?.created ?? []) {
        if (!keepFolders && existsSync(join(dir, BISECT_MARKER))) {
          rmSync(dir, { recursive: true, force: true });
          removed.push(dir);
        } else if (existsSync(dir)) kept.push(dir);
      }
      rmSync(this.statePath, { force: true });
      return { removed, kept, status: toStatus(null) };
    });
  }

  private async onCrash(incidentId: string, capturedMs: number): Promise<void> {
    const s = this.load();
    const round = s?.rounds.at(-1);
    if (!s || s.done || !round || round.answer || capturedMs < round.startedMs - CRASH_SLACK_MS) return;
    await this.answer('bad', 'crash', incidentId).catch(() => undefined);
  }

  /** Plans the next round and writes its profile, or finishes. */
  private nextRound(s: BisectFile): void {
    const planned = planRound(s.plan);
    if (!planned) {
      s.done = true;
      s.culprit = s.plan.candidates.length === 1 ? s.plan.candidates[0]! : null;
      return;
    }
    const n = s.rounds.length + 1;
    const { dir, name } = this.writeProfile(s, n, new Set(planned.enabled));
    s.created.push(dir);
    const at = wallNow();
    s.rounds.push({
      n,
      profileDir: dir,
      profileName: name,
      testing: planned.testing.map((id) => s.plan.units[id]?.name ?? id),
      addedMasters: planned.addedMasters.map((id) => s.plan.units[id]?.name ?? id),
      startedAt: wallClockIso(at).slice(0, 19),
      startedMs: at,
      answer: null,
      answeredBy: null,
      incidentId: null,
      answeredAt: null,
      plan: planned,
    });
  }

  private writeProfile(s: BisectFile, n: number, enabled: Set<string>): { dir: string; name: string } {
    const parent = dirname(s.profileDir);
    let name = `${s.profileName} - bisect ${n}`;
    let dir = join(parent, name);
    for (let k = 2; existsSync(dir); k++) {
      // Never touch a folder we did not create, even one with our name.
      name = `${s.profileName} - bisect ${n} (${k})`;
      dir = join(parent, name);
    }
    mkdirSync(dir);
    writeFileSync(
      join(dir, BISECT_MARKER),
      JSON.stringify({ createdBy: 'CTD Workbench bisect', round: n, original: s.profileDir }),
    );
    for (const e of readdirSync(s.profileDir, { withFileTypes: true }))
      if (e.isFile() && !LIST_FILES.has(e.name.toLowerCase()))
        copyFileSync(join(s.profileDir, e.name), join(dir, e.name));
    const o = s.original;
    const unitOn = (id: string) => !(id in s.plan.units) || enabled.has(id);
    const modlist =
      s.granularity === 'mods'
        ? o.modlist.map((m) => ({
            name: m.name,
            state: (m.state === 'enabled' && !unitOn(m.name.toLowerCase())
              ? 'disabled'
              : m.state) as ModlistState,
          }))
        : o.modlist;
    const plugins = o.plugins.map((p) => {
      if (!p.enabled) return p;
      const owner = o.pluginOwner[p.name.toLowerCase()] ?? null;
      const on =
        s.granularity === 'mods' ? !owner || unitOn(owner.toLowerCase()) : unitOn(p.name.toLowerCase());
      return { name: p.name, enabled: on };
    });
    writeFileSync(join(dir, 'modlist.txt'), formatModlist(modlist));
    writeFileSync(join(dir, 'plugins.txt'), formatPluginsTxt(plugins));
    if (o.loadorder) writeFileSync(join(dir, 'loadorder.txt'), formatLoadorderTxt(o.loadorder));
    return { dir, name };
  }

  /** Reads the profile, its plugins' masters and the suspicion order; builds the first state. */
  private async prepare(
    profileDir: string,
    pins: readonly string[],
    granularity: Granularity,
  ): Promise<BisectFile> {
    const at = await instanceOfProfile(profileDir);
    if (!at)
      throw new BisectError(
        `${profileDir} is not a profile folder of a Mod Organizer 2 instance (no ModOrganizer.ini above it naming this profiles folder)`,
      );
    if (existsSync(join(profileDir, BISECT_MARKER)))
      throw new BisectError('That profile was written by a bisect; start from the original profile.');
    const inst = await readMo2Instance(at.instance, { profiles: [at.profile] });
    const profile = inst.profiles.find((p) => p.name === at.profile);
    if (!profile) throw new BisectError(`Profile "${at.profile}" not found in ${at.instance}`);
    const problems = profile.problems.map((p) => `${basename(p.path)}: ${p.message}`);
    const raw = (f: string) =>
      existsSync(join(profileDir, f)) ? readFileSync(join(profileDir, f), 'utf8') : null;
    const modlistText = raw('modlist.txt');
    const pluginsText = raw('plugins.txt');
    if (modlistText === null || pluginsText === null)
      throw new BisectError('The profile has no modlist.txt or plugins.txt to start from.');
    const loadorderText = raw('loadorder.txt');
    const paths = await mo2Paths(at.instance, []);

    const enabledPlugins = profile.plugins.filter((p) => p.enabled);
    const owner = new Map(profile.plugins.map((p) => [p.name.toLowerCase(), p.mod]));
    const headerMasters = new Map<string, string[]>();
    for (const p of enabledPlugins) {
      if (!p.mod) continue;
      const file = p.mod === 'Overwrite' ? join(paths.overwrite, p.name) : join(paths.mods, p.mod, p.name);
      try {
        const h = withFileSource(file, (src) => readPluginHeader(src, p.name));
        headerMasters.set(
          p.name.toLowerCase(),
          h.masters.map((m) => m.toLowerCase()),
        );
        for (const x of h.problems) problems.push(`${p.name}: ${x.message}`);
      } catch (e) {
        problems.push(`${p.name}: header unreadable (${(e as Error).message}); its masters are not known`);
      }
    }
    const enabledSet = new Set(enabledPlugins.map((p) => p.name.toLowerCase()));
    const nameOf = new Map(profile.plugins.map((p) => [p.name.toLowerCase(), p.name]));
    for (const [plugin, masters] of headerMasters)
      for (const m of masters)
        if (!enabledSet.has(m))
          problems.push(`${nameOf.get(plugin)} needs ${m}, which is not enabled in this profile`);

    const units: Record<string, BisectUnitDef> = {};
    const modOf: Record<string, string | null> = {};
    if (granularity === 'plugins') {
      for (const p of enabledPlugins) {
        if (!p.mod) continue;
        const id = p.name.toLowerCase();
        units[id] = { id, name: p.name, masters: (headerMasters.get(id) ?? []).filter((m) => owner.get(m)) };
        modOf[id] = p.mod;
      }
    } else {
      for (const m of profile.mods) {
        if (m.kind !== 'mod' || !m.enabled) continue;
        units[m.name.toLowerCase()] = { id: m.name.toLowerCase(), name: m.name, masters: [] };
        modOf[m.name.toLowerCase()] = m.name;
      }
      for (const [plugin, masters] of headerMasters) {
        const from = owner.get(plugin)?.toLowerCase();
        const u = from ? units[from] : undefined;
        if (!u) continue;
        for (const m of masters) {
          const to = owner.get(m)?.toLowerCase();
          if (to && to !== u.id && units[to] && !u.masters.includes(to)) u.masters.push(to);
        }
      }
    }
    if (Object.keys(units).length === 0)
      throw new BisectError('The profile has no enabled mod plugins to bisect.');

    const pinIds: string[] = [];
    for (const pin of pins) {
      const key = pin.toLowerCase();
      const ids = units[key]
        ? [key]
        : Object.keys(units).filter(
            (id) => (modOf[id] ?? '').toLowerCase() === key || owner.get(key)?.toLowerCase() === id,
          );
      if (ids.length === 0)
        problems.push(`pin "${pin}" matches no enabled ${granularity === 'mods' ? 'mod' : 'plugin'} or mod`);
      pinIds.push(...ids);
    }
    const alwaysOn = alwaysOnClosure(units, pinIds);
    const order = this.suspicionOrder(inst.manager, inst.game, at.instance, profile, units, modOf);
    const candidates = order.filter((id) => !alwaysOn.includes(id));
    const modlist = parseModlist(modlistText).entries.map((e) => ({ name: e.name, state: e.state }));
    return {
      version: 1,
      profileDir,
      instanceDir: at.instance,
      profileName: at.profile,
      granularity,
      pins: [...pins],
      modOf,
      plan: { units, candidates, cleared: [], alwaysOn },
      total: candidates.length,
      rounds: [],
      created: [],
      problems,
      culprit: null,
      done: false,
      original: {
        modlist,
        plugins: parsePluginsTxt(pluginsText).plugins,
        loadorder: loadorderText === null ? null : parseLoadorderTxt(loadorderText).plugins,
        pluginOwner: Object.fromEntries(profile.plugins.map((p) => [p.name.toLowerCase(), p.mod])),
      },
    };
  }

  /** Recently changed units first, then those named in past crashes, then load order. */
  private suspicionOrder(
    manager: 'mo2' | 'vortex',
    game: string | null,
    instanceDir: string,
    profile: SetupProfile,
    units: Record<string, BisectUnitDef>,
    modOf: Record<string, string | null>,
  ): string[] {
    const body = snapshotFromProfile(manager, game, profile);
    const changed = this.setup.recentlyChanged(body, snapshotHash(body), instanceDir, profile.name);
    const past = this.setup.pastSuspects();
    const ids = Object.keys(units);
    const score = (id: string) => {
      const mod = (modOf[id] ?? '').toLowerCase();
      return (
        (changed.has(id) || changed.has(mod) ? 1000 : 0) +
        (past.get(id) ?? 0) +
        (mod && mod !== id ? (past.get(mod) ?? 0) : 0)
      );
    };
    const pos = new Map(ids.map((id, i) => [id, i]));
    return ids.sort((a, b) => score(b) - score(a) || pos.get(a)! - pos.get(b)!);
  }
}

function toStatus(s: BisectFile | null): BisectStatus {
  if (!s)
    return {
      active: false,
      profileDir: null,
      granularity: 'plugins',
      pins: [],
      remaining: [],
      total: 0,
      maxRounds: 0,
      rounds: [],
      culprit: null,
      culpritMod: null,
      done: false,
      created: [],
      message: 'No bisect is running. Start one from an MO2 profile.',
      problems: [],
    };
  const name = (id: string) => s.plan.units[id]?.name ?? id;
  const culprit = s.culprit ? name(s.culprit) : null;
  const culpritMod = s.culprit && s.granularity === 'plugins' ? (s.modOf[s.culprit] ?? null) : null;
  const cur = s.rounds.at(-1);
  const max = maxRounds(s.total);
  let message: string;
  if (s.done && culprit)
    message = `Found it: ${culprit}${culpritMod ? ` (from the mod ${culpritMod})` : ''} makes the game crash. Switch Mod Organizer back to "${s.profileName}", then remove the test profiles.`;
  else if (s.done)
    message = `No single ${s.granularity === 'mods' ? 'mod' : 'plugin'} reproduces the crash on its own: the cause is outside the tested set (a pinned or game file, a DLL-only mod, or two mods together).`;
  else
    message = `Round ${cur?.n ?? 1} of at most ${max}: in Mod Organizer select the profile "${cur?.profileName ?? ''}", start the game and try to make it crash. Then answer Good (no crash) or Bad (it crashed); a new crash log answers Bad by itself.`;
  return {
    active: true,
    profileDir: s.profileDir,
    granularity: s.granularity,
    pins: s.pins,
    remaining: s.plan.candidates.map(name),
    total: s.total,
    maxRounds: max,
    rounds: s.rounds.map(({ startedMs: _ms, plan: _plan, ...r }) => r),
    culprit,
    culpritMod,
    done: s.done,
    created: s.created,
    message,
    problems: s.problems,
  };
}
