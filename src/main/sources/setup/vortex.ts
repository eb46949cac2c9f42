import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SetupInstance, SetupMod, SetupPlugin, SetupProblem } from '../../../shared/domain/setup';
import { parsePluginsTxt } from '../../formats/mo2/profile-lists';
import {
  parseStagingFolderName,
  parseVortexManifest,
  type VortexManifest,
} from '../../formats/vortex/deployment';
import { mapLimit } from '../map-limit';
import { isPluginFile, listModFiles } from './mod-files';
import { readText } from './mo2-instance';
import { resolveSettingPath } from './paths';

/**
 * A Vortex deployment (read-only). Vortex keeps its mod list in its own database; what is on
 * disk is the staging folder (one folder per installed mod, marked by
 * `__vortex_staging_folder`) and, in each deployment target, a manifest saying which staged
 * mod every deployed file came from. The active plugins are the game's own plugins.txt under
 * %LOCALAPPDATA%\<game folder>. Vortex has no profile folders we could write, so it is
 * described as one profile, "Deployed", and the bisect is MO2-only.
 */
export const STAGING_MARKER = '__vortex_staging_folder';
export const MANIFEST = /^vortex\.deployment(\.[\w-]+)?\.json$/i;

/** Vortex game ids → the folder name the game uses under %LOCALAPPDATA% for plugins.txt. */
const LOCAL_GAME_FOLDER: Record<string, string> = {
  skyrimse: 'Skyrim Special Edition',
  skyrimvr: 'Skyrim VR',
  skyrim: 'Skyrim',
  enderalspecialedition: 'Enderal Special Edition',
  fallout4: 'Fallout4',
  fallout4vr: 'Fallout4VR',
  falloutnv: 'FalloutNV',
  fallout3: 'Fallout3',
  oblivion: 'Oblivion',
};
const GAME_NAME: Record<string, string> = {
  skyrimse: 'Skyrim Special Edition',
  skyrimvr: 'Skyrim VR',
  skyrim: 'Skyrim',
  fallout4: 'Fallout 4',
  fallout4vr: 'Fallout 4 VR',
};

const TRIAGE =
  /^(?:[^/]+\.(?:esp|esm|esl|bsa|ba2)|(?:skse|f4se|sksevr|f4sevr|netscriptframework)\/plugins\/[^/]+\.dll)$/i;
const ROOT_TRIAGE = /^[^/]+\.(?:dll|exe|asi|ini)$/i;

async function manifestsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => MANIFEST.test(n)).map((n) => join(dir, n));
  } catch {
    return [];
  }
}

export function isVortexFolder(dir: string): boolean {
  return (
    existsSync(join(dir, STAGING_MARKER)) ||
    existsSync(join(dir, 'vortex.deployment.json')) ||
    existsSync(join(dir, 'Data', 'vortex.deployment.json'))
  );
}

export async function readVortexSetup(
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SetupInstance> {
  const problems: SetupProblem[] = [];
  let staging: string | null = existsSync(join(dir, STAGING_MARKER)) ? dir : null;
  // The chosen folder is the staging folder, the game's Data folder or the game folder.
  const dataDir = existsSync(join(dir, 'vortex.deployment.json'))
    ? dir
    : existsSync(join(dir, 'Data', 'vortex.deployment.json'))
      ? join(dir, 'Data')
      : null;
  const manifests: { path: string; root: boolean; m: VortexManifest }[] = [];
  if (dataDir) {
    const gameDir = dirname(dataDir);
    for (const [folder, root] of [
      [dataDir, false],
      [gameDir, true],
    ] as const)
      for (const path of await manifestsIn(folder)) {
        let m: VortexManifest;
        try {
          m = parseVortexManifest(await readText(path));
        } catch (e) {
          problems.push({ path, message: `cannot read the deployment manifest (${(e as Error).message})` });
          continue;
        }
        for (const p of m.problems) problems.push({ path, message: p });
        manifests.push({ path, root, m });
      }
    const fromManifest = manifests.find((x) => x.m.stagingPath)?.m.stagingPath;
    if (!staging && fromManifest) {
      const p = resolveSettingPath(dataDir, fromManifest);
      if (existsSync(join(p, STAGING_MARKER))) staging = p;
    }
  }
  if (!dataDir && staging)
    problems.push({
      path: dir,
      message: 'no deployment manifest found: every staged mod is shown as enabled',
    });
  const gameId = manifests.find((x) => x.m.gameId)?.m.gameId ?? null;

  // Staged mods: ownership from the manifests when there are any, else from the folders.
  const owned = new Map<string, Set<string>>();
  for (const { m, root } of manifests)
    for (const f of m.files) {
      const rel = f.relPath.replace(/\\/g, '/');
      const keep = root ? ROOT_TRIAGE.test(rel) : TRIAGE.test(rel);
      const set = owned.get(f.source) ?? new Set<string>();
      if (keep) set.add(root ? `Root/${rel}` : rel);
      owned.set(f.source, set);
    }
  let stagedNames: string[] = [];
  if (staging) {
    try {
      stagedNames = (await readdir(staging, { withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => e.name);
    } catch (e) {
      problems.push({ path: staging, message: `cannot list the staging folder (${(e as Error).message})` });
    }
  }
  const names = [...new Set([...stagedNames, ...owned.keys()])].sort((a, b) => a.localeCompare(b));
  const mods: SetupMod[] = await mapLimit(names, 16, async (name, i) => {
    const parsed = parseStagingFolderName(name);
    const deployed = owned.get(name);
    let files = deployed ? [...deployed].sort() : null;
    if (!files && staging) files = await listModFiles(join(staging, name));
    return {
      name,
      enabled: manifests.length === 0 ? true : owned.has(name),
      kind: 'mod',
      priority: i,
      version: parsed.version,
      nexusId: parsed.nexusId,
      files: files ?? [],
    };
  });

  const plugins: SetupPlugin[] = [];
  const localFolder = gameId ? LOCAL_GAME_FOLDER[gameId] : undefined;
  const local = env.LOCALAPPDATA;
  if (localFolder && local) {
    const path = join(local, localFolder, 'plugins.txt');
    try {
      const parsed = parsePluginsTxt(await readText(path));
      for (const p of parsed.problems) problems.push({ path, message: `line ${p.line}: ${p.message}` });
      const owner = new Map<string, string>();
      for (const m of mods)
        for (const f of m.files) if (isPluginFile(f) && !f.includes('/')) owner.set(f.toLowerCase(), m.name);
      for (const p of parsed.plugins) plugins.push({ ...p, mod: owner.get(p.name.toLowerCase()) ?? null });
    } catch (e) {
      problems.push({ path, message: `cannot read the game's plugins.txt (${(e as Error).message})` });
    }
  } else if (dataDir)
    problems.push({
      path: dir,
      message: "the game's plugins.txt location is unknown (no %LOCALAPPDATA% or game id)",
    });

  return {
    manager: 'vortex',
    instance: staging ?? dataDir ?? dir,
    name: gameId ? `Vortex · ${GAME_NAME[gameId] ?? gameId}` : `Vortex · ${basename(dir)}`,
    game: gameId ? (GAME_NAME[gameId] ?? gameId) : null,
    gamePath: dataDir ? dirname(dataDir) : null,
    selectedProfile: 'Deployed',
    portable: false,
    profiles: [{ name: 'Deployed', path: dataDir ?? staging ?? dir, plugins, mods, problems: [] }],
    problems,
  };
}
