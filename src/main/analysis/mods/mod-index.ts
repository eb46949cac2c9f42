import type { ModRef } from '../../../shared/domain/incident';
import { fileNameOf } from '../../../shared/text';

/**
 * File name → the mod that ships it, for one profile. Crash logs, dumps and SkyrimDiag name
 * files without their folder ("SmartHarvestSE.dll", "Foo.esp"), so the index is keyed by the
 * lower-case file name. When several enabled mods ship the same file, the one with the highest
 * priority wins, as in the game's view of the data folder (MO2: lowest in the left pane).
 */
export interface ModIndexMod {
  name: string;
  enabled: boolean;
  priority: number;
  version: string | null;
  nexusId: number | null;
  /** Data-relative paths with "/" (SKSE/Plugins/x.dll, Foo.esp, Root/d3d11.dll). */
  files: readonly string[];
  kind?: string;
}

export interface ModIndexEntry {
  /** The file name as the mod ships it. */
  file: string;
  path: string;
  mod: ModRef;
  /** Other enabled mods shipping a file of that name (they lose the conflict). */
  overridden: string[];
}

export interface ModIndex {
  source: 'mo2' | 'vortex';
  byFile: Map<string, ModIndexEntry>;
}

export function buildModIndex(mods: readonly ModIndexMod[], source: 'mo2' | 'vortex'): ModIndex {
  const byFile = new Map<string, ModIndexEntry & { priority: number }>();
  const ordered = mods
    .filter((m) => m.enabled && m.kind !== 'separator')
    .sort((a, b) => a.priority - b.priority);
  for (const m of ordered) {
    const ref: ModRef = {
      name: m.name,
      source,
      ...(m.version ? { version: m.version } : {}),
      ...(m.nexusId ? { nexusId: m.nexusId } : {}),
    };
    for (const path of m.files) {
      const file = fileNameOf(path);
      const key = file.toLowerCase();
      const had = byFile.get(key);
      // Ascending priority: a later mod overrides an earlier one.
      byFile.set(key, {
        file,
        path,
        mod: ref,
        priority: m.priority,
        overridden: had ? [...had.overridden, had.mod.name] : [],
      });
    }
  }
  return { source, byFile: byFile as Map<string, ModIndexEntry> };
}

/** The mod behind a module or plugin name as an analyzer printed it ("SKSE\Plugins\x.dll", "x.dll"). */
export function lookupMod(index: ModIndex, name: string): ModIndexEntry | null {
  const file = fileNameOf(name.trim()).toLowerCase();
  return file ? (index.byFile.get(file) ?? null) : null;
}
