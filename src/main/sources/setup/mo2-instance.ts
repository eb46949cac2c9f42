import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type {
  SetupInstance,
  SetupMod,
  SetupPlugin,
  SetupProblem,
  SetupProfile,
} from '../../../shared/domain/setup';
import { parseMetaIni, type ModMeta } from '../../formats/mo2/meta-ini';
import { parseModOrganizerIni, type Mo2InstanceIni } from '../../formats/mo2/modorganizer-ini';
import {
  parseLoadorderTxt,
  parseModlist,
  parsePluginsTxt,
  type ModlistEntry,
  type PluginsTxtEntry,
} from '../../formats/mo2/profile-lists';
import { mapLimit } from '../map-limit';
import { baseName, isPluginFile, listModFiles } from './mod-files';
import { resolveSettingPath } from './paths';

/**
 * Reads a Mod Organizer 2 instance (read-only): ModOrganizer.ini, its profiles and the mods
 * they use. Every unreadable piece (a broken ini, a missing profile or mod folder, a bad line)
 * becomes a SetupProblem on that item; the rest is still read.
 */
export const MO2_INI = 'ModOrganizer.ini';
/** Marker the bisect writes into the profile folders it creates. */
export const BISECT_MARKER = '.ctd-workbench-bisect';

export interface Mo2Paths {
  instance: string;
  ini: Mo2InstanceIni | null;
  mods: string;
  profiles: string;
  overwrite: string;
}

export interface ReadMo2Options {
  /** Which profiles to read in full; the rest are only listed. Default: all. */
  profiles?: 'all' | 'selected' | readonly string[];
}

/** Files MO2's file reads are limited to: a text list over this is not a profile file. */
const MAX_TEXT = 16 * 1024 * 1024;
const IO_CONCURRENCY = 16;

export async function readText(path: string): Promise<string> {
  const st = await stat(path);
  if (!st.isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: 'EISDIR' });
  if (st.size > MAX_TEXT) throw new Error(`${path} is ${st.size} bytes, too big for a settings file`);
  return (await readFile(path)).toString('utf8');
}

function fsMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'missing';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'no permission to read it';
  return err?.message ?? String(e);
}

/** Where an instance keeps its mods, profiles and overwrite; the ini's problems are reported. */
export async function mo2Paths(dir: string, problems: SetupProblem[]): Promise<Mo2Paths> {
  const iniPath = join(dir, MO2_INI);
  let ini: Mo2InstanceIni | null = null;
  try {
    ini = parseModOrganizerIni(await readText(iniPath));
    for (const p of ini.problems)
      problems.push({ path: iniPath, message: p.line ? `line ${p.line}: ${p.message}` : p.message });
  } catch (e) {
    problems.push({
      path: iniPath,
      message: `cannot read ModOrganizer.ini (${fsMessage(e)}); using the default folders`,
    });
  }
  const at = (p: string | undefined, fallback: string) => resolveSettingPath(dir, p ?? fallback);
  return {
    instance: dir,
    ini,
    mods: at(ini?.modDirectory, 'mods'),
    profiles: at(ini?.profilesDirectory, 'profiles'),
    overwrite: at(ini?.overwriteDirectory, 'overwrite'),
  };
}

export async function listProfileNames(profilesDir: string): Promise<string[]> {
  try {
    const entries = await readdir(profilesDir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort((a, b) => a.localeCompare(b));
  } catch {
    return [];
  }
}

/** What a mod folder holds, read once per instance read and shared by its profiles. */
interface ModInfo {
  meta: ModMeta | null;
  files: string[] | null;
  problems: SetupProblem[];
}

export class ModFolderCache {
  private readonly cache = new Map<string, Promise<ModInfo>>();
  constructor(private readonly modsDir: string) {}

  get(name: string): Promise<ModInfo> {
    let p = this.cache.get(name.toLowerCase());
    if (!p) {
      p = this.load(name);
      this.cache.set(name.toLowerCase(), p);
    }
    return p;
  }

  private async load(name: string): Promise<ModInfo> {
    const dir = join(this.modsDir, name);
    const problems: SetupProblem[] = [];
    const files = await listModFiles(dir);
    if (!files) {
      problems.push({ path: dir, message: 'mod folder is missing or unreadable' });
      return { meta: null, files: null, problems };
    }
    let meta: ModMeta | null = null;
    const metaPath = join(dir, 'meta.ini');
    try {
      meta = parseMetaIni(await readText(metaPath));
      for (const p of meta.problems) problems.push({ path: metaPath, message: p.message });
    } catch (e) {
      // A hand-made mod folder has no meta.ini: not a problem worth showing.
      if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT')
        problems.push({ path: metaPath, message: `cannot read meta.ini (${fsMessage(e)})` });
    }
    return { meta, files, problems };
  }
}

export async function readMo2Profile(
  paths: Mo2Paths,
  name: string,
  mods: ModFolderCache,
  overwriteFiles: string[] | null,
): Promise<SetupProfile> {
  const dir = join(paths.profiles, name);
  const problems: SetupProblem[] = [];
  const readList = async (file: string): Promise<string | null> => {
    try {
      return await readText(join(dir, file));
    } catch (e) {
      problems.push({ path: join(dir, file), message: `cannot read ${file} (${fsMessage(e)})` });
      return null;
    }
  };
  if (!existsSync(dir)) {
    problems.push({ path: dir, message: 'profile folder is missing' });
    return { name, path: dir, plugins: [], mods: [], problems };
  }
  const [modlistText, pluginsText, loadorderText] = await Promise.all([
    readList('modlist.txt'),
    readList('plugins.txt'),
    existsSync(join(dir, 'loadorder.txt')) ? readList('loadorder.txt') : Promise.resolve(null),
  ]);
  const modlist = modlistText === null ? { entries: [], problems: [] } : parseModlist(modlistText);
  for (const p of modlist.problems)
    problems.push({ path: join(dir, 'modlist.txt'), message: `line ${p.line}: ${p.message}` });

  const setupMods = await mapLimit(modlist.entries, IO_CONCURRENCY, (e) => toSetupMod(e, mods, problems));
  if (overwriteFiles)
    setupMods.push({
      name: 'Overwrite',
      enabled: true,
      kind: 'overwrite',
      priority: modlist.entries.length,
      version: null,
      nexusId: null,
      files: overwriteFiles,
    });

  const pluginsTxt = pluginsText === null ? null : parsePluginsTxt(pluginsText);
  for (const p of pluginsTxt?.problems ?? [])
    problems.push({ path: join(dir, 'plugins.txt'), message: `line ${p.line}: ${p.message}` });
  const loadorder = loadorderText === null ? null : parseLoadorderTxt(loadorderText);
  for (const p of loadorder?.problems ?? [])
    problems.push({ path: join(dir, 'loadorder.txt'), message: `line ${p.line}: ${p.message}` });

  const owners = pluginOwners(setupMods);
  const plugins = mergePluginLists(pluginsTxt?.plugins ?? [], loadorder?.plugins ?? null, owners);
  return { name, path: dir, plugins, mods: setupMods, problems };
}

async function toSetupMod(
  e: ModlistEntry,
  mods: ModFolderCache,
  problems: SetupProblem[],
): Promise<SetupMod> {
  const base = {
    name: e.name,
    enabled: e.state !== 'disabled',
    priority: e.priority,
    version: null,
    nexusId: null,
    files: [] as string[],
  };
  if (e.separator) return { ...base, enabled: false, kind: 'separator' };
  if (e.state === 'unmanaged') return { ...base, kind: 'unmanaged' };
  const info = await mods.get(e.name);
  // A disabled mod's missing folder matters less, but is still a broken entry.
  problems.push(...info.problems);
  return {
    ...base,
    kind: 'mod',
    version: info.meta?.version ?? null,
    nexusId: info.meta?.nexusId ?? null,
    files: info.files ?? [],
  };
}

/** Plugin file name (lower case) → the enabled mod that wins it (highest priority). */
export function pluginOwners(mods: readonly SetupMod[]): Map<string, SetupMod> {
  const owners = new Map<string, SetupMod>();
  for (const m of mods) {
    if (!m.enabled) continue;
    for (const f of m.files) {
      if (!isPluginFile(f) || f.includes('/')) continue;
      const key = f.toLowerCase();
      const had = owners.get(key);
      if (!had || had.priority < m.priority) owners.set(key, m);
    }
  }
  return owners;
}

/**
 * One load order from plugins.txt (active flags) and loadorder.txt (full order, when present).
 * A plugin only loadorder.txt lists is active when no mod ships it (the game's own masters and
 * Creation Club files are implicitly active), inactive otherwise.
 */
function mergePluginLists(
  pluginsTxt: readonly PluginsTxtEntry[],
  loadorder: readonly string[] | null,
  owners: Map<string, SetupMod>,
): SetupPlugin[] {
  const active = new Map(pluginsTxt.map((p) => [p.name.toLowerCase(), p]));
  const ownerOf = (n: string) => owners.get(n.toLowerCase())?.name ?? null;
  if (!loadorder) return pluginsTxt.map((p) => ({ name: p.name, enabled: p.enabled, mod: ownerOf(p.name) }));
  const out: SetupPlugin[] = [];
  const seen = new Set<string>();
  for (const name of loadorder) {
    const key = name.toLowerCase();
    seen.add(key);
    const p = active.get(key);
    out.push({ name, enabled: p ? p.enabled : !owners.has(key), mod: ownerOf(name) });
  }
  for (const p of pluginsTxt)
    if (!seen.has(p.name.toLowerCase())) out.push({ name: p.name, enabled: p.enabled, mod: ownerOf(p.name) });
  return out;
}

export async function readMo2Instance(dir: string, opts: ReadMo2Options = {}): Promise<SetupInstance> {
  const problems: SetupProblem[] = [];
  const paths = await mo2Paths(dir, problems);
  const names = await listProfileNames(paths.profiles);
  if (names.length === 0) problems.push({ path: paths.profiles, message: 'no profiles found' });
  const selected = paths.ini?.selectedProfile ?? null;
  if (selected && !names.includes(selected))
    problems.push({
      path: join(paths.profiles, selected),
      message: `the selected profile "${selected}" is missing`,
    });
  const want = opts.profiles ?? 'all';
  const full =
    want === 'all'
      ? names
      : want === 'selected'
        ? names.filter((n) => n === selected)
        : names.filter((n) => want.includes(n));
  const mods = new ModFolderCache(paths.mods);
  const overwriteFiles = await listModFiles(paths.overwrite);
  const profiles = await mapLimit(names, 2, async (n) =>
    full.includes(n)
      ? readMo2Profile(paths, n, mods, overwriteFiles)
      : { name: n, path: join(paths.profiles, n), plugins: [], mods: [], problems: [] },
  );
  return {
    manager: 'mo2',
    instance: dir,
    name: basename(dir),
    game: paths.ini?.gameName ?? null,
    gamePath: paths.ini?.gamePath ? resolveSettingPath(dir, paths.ini.gamePath) : null,
    selectedProfile: selected,
    portable: existsSync(join(dir, 'ModOrganizer.exe')) || existsSync(join(dir, 'portable.txt')),
    profiles,
    problems,
  };
}

/** The Data-relative files of a profile's winning mods: lower-case file name → mod. */
export function fileOwners(profile: SetupProfile): Map<string, { mod: SetupMod; path: string }> {
  const out = new Map<string, { mod: SetupMod; path: string }>();
  for (const m of profile.mods) {
    if (!m.enabled) continue;
    for (const f of m.files) {
      const key = baseName(f).toLowerCase();
      const had = out.get(key);
      if (!had || had.mod.priority < m.priority) out.set(key, { mod: m, path: f });
    }
  }
  return out;
}
