import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileNameOf } from '../../../shared/text';

/**
 * The files of one mod folder that matter for crash triage, as Data-relative paths with "/":
 * plugins and archives at its top, script-extender and NetScriptFramework plugin DLLs, and the
 * top of a Root Builder "Root" folder (files that land beside the game exe: ENB, ReShade,
 * proxy DLLs, the SKSE loader). Textures and meshes are not walked: a 2,000-mod profile is
 * listed with a few thousand directory reads.
 */
const TOP = /\.(esp|esm|esl|bsa|ba2)$/i;
const DLL = /\.dll$/i;
const ROOT = /\.(dll|exe|asi|ini)$/i;
/** Folder chains (lower case) whose DLLs the game's loaders pick up. */
const PLUGIN_DIRS: readonly (readonly string[])[] = [
  ['skse', 'plugins'],
  ['f4se', 'plugins'],
  ['sksevr', 'plugins'],
  ['f4sevr', 'plugins'],
  ['netscriptframework', 'plugins'],
];

type Entries = { name: string; dir: boolean }[];

async function list(dir: string): Promise<Entries | null> {
  try {
    return (await readdir(dir, { withFileTypes: true })).map((d) => ({
      name: d.name,
      dir: d.isDirectory(),
    }));
  } catch {
    return null;
  }
}

/** The entry of `entries` named `want` whatever its case (mods are authored on Windows). */
function child(entries: Entries, want: string, dir: boolean): string | null {
  return entries.find((e) => e.dir === dir && e.name.toLowerCase() === want)?.name ?? null;
}

/**
 * Lists a mod folder's triage files. Returns null when the folder cannot be read (missing or
 * no access), so the caller can report it on that mod and go on.
 */
export async function listModFiles(modDir: string): Promise<string[] | null> {
  const top = await list(modDir);
  if (!top) return null;
  const files: string[] = [];
  for (const e of top) if (!e.dir && TOP.test(e.name)) files.push(e.name);
  for (const chain of PLUGIN_DIRS) {
    const first = child(top, chain[0]!, true);
    if (!first) continue;
    const mid = await list(join(modDir, first));
    const second = mid && child(mid, chain[1]!, true);
    if (!second) continue;
    const leaf = await list(join(modDir, first, second));
    for (const e of leaf ?? []) if (!e.dir && DLL.test(e.name)) files.push(`${first}/${second}/${e.name}`);
  }
  const root = child(top, 'root', true);
  if (root) {
    const r = await list(join(modDir, root));
    for (const e of r ?? []) if (!e.dir && ROOT.test(e.name)) files.push(`${root}/${e.name}`);
  }
  return files.sort((a, b) => a.localeCompare(b));
}

/** The file name at the end of a Data-relative path (src/shared/text.ts). */
export { fileNameOf as baseName };

export function isPluginFile(name: string): boolean {
  return /\.(esp|esm|esl)$/i.test(name);
}
