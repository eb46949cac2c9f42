import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ModManager, SetupInstance, SetupProblem } from '../../../shared/domain/setup';
import { MO2_INI, mo2Paths, readMo2Instance, type ReadMo2Options } from './mo2-instance';
import { isVortexFolder, readVortexSetup, STAGING_MARKER } from './vortex';

/** Which manager a folder the user picked belongs to, or null when it is neither. */
export function detectManager(dir: string): ModManager | null {
  if (existsSync(join(dir, MO2_INI))) return 'mo2';
  if (isVortexFolder(dir)) return 'vortex';
  return null;
}

/** Reads the setup in `dir` (an MO2 instance or a Vortex staging/game/Data folder). */
export async function readSetup(
  dir: string,
  opts: ReadMo2Options & { env?: NodeJS.ProcessEnv } = {},
): Promise<SetupInstance | null> {
  const abs = resolve(dir);
  const kind = detectManager(abs);
  if (kind === 'mo2') return readMo2Instance(abs, opts);
  if (kind === 'vortex') return readVortexSetup(abs, opts.env);
  return null;
}

/**
 * The MO2 instance a profile folder belongs to: the nearest folder above it (three levels at
 * most) with a ModOrganizer.ini whose profiles folder is the profile's parent.
 */
export async function instanceOfProfile(
  profileDir: string,
): Promise<{ instance: string; profile: string } | null> {
  const abs = resolve(profileDir);
  const profile = basename(abs);
  const parent = dirname(abs);
  let up = dirname(parent);
  for (let i = 0; i < 3; i++) {
    if (existsSync(join(up, MO2_INI))) {
      const problems: SetupProblem[] = [];
      const paths = await mo2Paths(up, problems);
      if (resolve(paths.profiles) === parent) return { instance: up, profile };
    }
    const next = dirname(up);
    if (next === up) break;
    up = next;
  }
  return null;
}

export interface InstanceSuggestion {
  path: string;
  manager: ModManager;
  label: string;
}

/**
 * The usual places a mod manager keeps its instances, checked for existence only (nothing is
 * read until the user adds one): MO2's global instances under %LOCALAPPDATA%\ModOrganizer,
 * portable instances above a watched folder (a watched MO2 overwrite folder), and Vortex's
 * default staging folders under %APPDATA%\Vortex.
 */
export function suggestInstances(
  watchedFolders: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): InstanceSuggestion[] {
  const out: InstanceSuggestion[] = [];
  const push = (path: string, manager: ModManager, label: string) => {
    if (!out.some((s) => s.path.toLowerCase() === path.toLowerCase())) out.push({ path, manager, label });
  };
  for (const folder of watchedFolders) {
    let dir = resolve(folder);
    for (let i = 0; i < 8; i++) {
      if (existsSync(join(dir, MO2_INI))) {
        push(dir, 'mo2', `MO2 instance above the watched folder ${basename(folder)}`);
        break;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA;
    if (local) {
      const root = join(local, 'ModOrganizer');
      for (const name of safeList(root))
        if (existsSync(join(root, name, MO2_INI)))
          push(join(root, name), 'mo2', `MO2 global instance "${name}"`);
    }
    const roaming = env.APPDATA;
    if (roaming) {
      const root = join(roaming, 'Vortex');
      for (const game of safeList(root)) {
        const staging = join(root, game, 'mods');
        if (existsSync(join(staging, STAGING_MARKER)))
          push(staging, 'vortex', `Vortex staging folder (${game})`);
      }
    }
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}
