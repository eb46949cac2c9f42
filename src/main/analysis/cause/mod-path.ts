import type { ModRef } from '../../../shared/domain/incident';

/**
 * The mod a file belongs to, read from its path: Mod Organizer 2 keeps every mod in its own
 * folder and its virtual file system loads DLLs from there, so a module path such as
 * `…\mods\Smart Harvest NG AutoLoot\SKSE\Plugins\SmartHarvestSE.dll` names the mod as the
 * user sees it in MO2. Vortex deploys into the game folder, which names no mod.
 */
export function modFromPath(path: string): ModRef | undefined {
  const parts = path.replace(/\//g, '\\').split('\\');
  // The last "mods" folder: a mod may itself contain a folder called "mods".
  for (let i = parts.length - 3; i >= 0; i--) {
    if (parts[i]?.toLowerCase() !== 'mods') continue;
    const name = parts[i + 1]?.trim();
    // "mods\<name>\<file>" at least; a bare "mods\file.dll" is not a mod folder.
    if (!name || i + 2 > parts.length - 1) return undefined;
    return { name, source: 'path' };
  }
  return undefined;
}
