// Zod-free, so `analyze` names mods without loading the setup schemas (issue 15); setup.ts re-exports it.

/**
 * How a file is named with its mod everywhere (suspects, findings, reports):
 * "Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2)".
 */
export function describeModFile(file: string, mod: { name: string; version?: string | null }): string {
  if (mod.name.toLowerCase() === file.toLowerCase()) return file;
  return `${mod.name} (${file}${mod.version ? `, v${mod.version}` : ''})`;
}
