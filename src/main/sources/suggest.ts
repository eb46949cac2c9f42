import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface FolderSuggestion {
  path: string;
  label: string;
  exists: boolean;
}

/**
 * The usual places crash artifacts land on Windows (skyrimdiag-artifacts.md §1, §10): the
 * SKSE/F4SE log folders under Documents\My Games, Crash Logger subfolders, Buffout 4's
 * folder, MO2's overwrite. MO2 instances live in %LOCALAPPDATA%\ModOrganizer\<instance>
 * (global) or beside ModOrganizer.exe (portable); we check the global ones we can list.
 */
export function suggestFolders(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): FolderSuggestion[] {
  if (platform !== 'win32') return [];
  const home = env.USERPROFILE ?? '';
  const docs =
    env.OneDrive && existsSync(join(env.OneDrive, 'Documents', 'My Games'))
      ? join(env.OneDrive, 'Documents')
      : join(home, 'Documents');
  const games = join(docs, 'My Games');
  const out: FolderSuggestion[] = [];
  const push = (path: string, label: string) => out.push({ path, label, exists: existsSync(path) });
  for (const [dir, game] of [
    ['Skyrim Special Edition', 'Skyrim SE/AE'],
    ['Skyrim VR', 'Skyrim VR'],
    ['Skyrim Special Edition GOG', 'Skyrim SE (GOG)'],
  ] as const) {
    push(join(games, dir, 'SKSE'), `${game}: SKSE logs (Crash Logger, SkyrimDiag.log)`);
    push(join(games, dir, 'SKSE', 'CrashLogs'), `${game}: Crash Logger folder`);
  }
  push(join(games, 'Fallout4', 'F4SE'), 'Fallout 4: F4SE logs (Buffout 4 crash logs)');
  push(join(games, 'Fallout4VR', 'F4SE'), 'Fallout 4 VR: F4SE logs');
  const local = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local');
  push(join(local, 'CrashDumps'), 'Windows Error Reporting LocalDumps');
  const mo2 = join(local, 'ModOrganizer');
  for (const inst of ['Skyrim Special Edition', 'SkyrimSE', 'Fallout 4', 'Fallout4']) {
    push(
      join(mo2, inst, 'overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs'),
      `MO2 (${inst}): SkyrimDiag output in overwrite`,
    );
  }
  return out.filter((s, i, a) => a.findIndex((t) => t.path.toLowerCase() === s.path.toLowerCase()) === i);
}
