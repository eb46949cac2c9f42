import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tes4Plugin } from './tes4-writer';

/**
 * Builds a synthetic Mod Organizer 2 instance on disk (ModOrganizer.ini, profiles with
 * modlist/plugins/loadorder, mods with meta.ini, plugins with real TES4 headers, SKSE DLLs).
 * Synthetic because no real MO2 instance is in the fixtures (a player's setup is private and
 * mods are their authors' work); the file formats follow what MO2 writes.
 */
export interface SyntheticPlugin {
  name: string;
  masters?: string[];
  light?: boolean;
  master?: boolean;
  /** Written into plugins.txt without "*" (installed but inactive). */
  inactive?: boolean;
}

export interface SyntheticMod {
  name: string;
  enabled?: boolean;
  /** As MO2 stores it ("5.2.0.0", "f1.05"). */
  version?: string;
  nexusId?: number;
  plugins?: SyntheticPlugin[];
  /** DLL names under SKSE/Plugins (F4SE/Plugins for Fallout 4). */
  dlls?: string[];
  /** Files under Root/ (Root Builder). */
  rootFiles?: string[];
  separator?: boolean;
  /** No meta.ini (a hand-made mod). */
  noMeta?: boolean;
  /** Listed in modlist.txt but its folder is absent. */
  missingFolder?: boolean;
}

export interface SyntheticProfile {
  name: string;
  /** Left-pane order: lowest priority first. */
  mods: SyntheticMod[];
  /** Write no loadorder.txt. */
  noLoadorder?: boolean;
}

export interface SyntheticInstanceSpec {
  game?: 'Skyrim Special Edition' | 'Fallout 4';
  profiles: SyntheticProfile[];
  selected?: string;
  /** Settings overrides written as MO2 does (`%BASE_DIR%/...`). */
  modDirectory?: string;
  baseDirectory?: string;
  /** Extra raw lines appended to ModOrganizer.ini. */
  iniExtra?: string;
  /** Replace ModOrganizer.ini with this text. */
  iniText?: string;
}

export const SKYRIM_BASE = ['Skyrim.esm', 'Update.esm', 'Dawnguard.esm', 'HearthFires.esm', 'Dragonborn.esm'];
export const FO4_BASE = ['Fallout4.esm', 'DLCRobot.esm', 'DLCworkshop01.esm', 'DLCCoast.esm'];

/** QSettings escaping of a path inside @ByteArray(): backslashes doubled. */
function byteArray(s: string): string {
  return `@ByteArray(${s.replace(/\\/g, '\\\\')})`;
}

export function writeMo2Instance(dir: string, spec: SyntheticInstanceSpec): { dir: string; gameDir: string } {
  const game = spec.game ?? 'Skyrim Special Edition';
  const fo4 = game === 'Fallout 4';
  const gameDir = join(dir, 'game');
  const base = fo4 ? FO4_BASE : SKYRIM_BASE;
  mkdirSync(join(gameDir, 'Data'), { recursive: true });
  for (const b of base)
    writeFileSync(join(gameDir, 'Data', b), tes4Plugin({ master: true, version: fo4 ? 1 : 1.7 }));
  const selected = spec.selected ?? spec.profiles[0]?.name ?? 'Default';
  const settings = [
    '[Settings]',
    ...(spec.baseDirectory ? [`base_directory=${spec.baseDirectory}`] : []),
    ...(spec.modDirectory ? [`mod_directory=${spec.modDirectory}`] : []),
  ];
  const ini =
    spec.iniText ??
    [
      '[General]',
      `gameName=${game}`,
      `gamePath=${byteArray(gameDir)}`,
      `selected_profile=${byteArray(selected)}`,
      'version=2.5.2',
      '',
      ...settings,
      spec.iniExtra ?? '',
    ].join('\r\n');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ModOrganizer.ini'), ini);
  const modsDir = spec.modDirectory
    ? join(dir, spec.modDirectory.replace('%BASE_DIR%/', ''))
    : join(dir, 'mods');
  const written = new Set<string>();
  for (const p of spec.profiles) {
    for (const m of p.mods) {
      if (m.separator || m.missingFolder || written.has(m.name)) continue;
      written.add(m.name);
      const md = join(modsDir, m.name);
      mkdirSync(md, { recursive: true });
      if (!m.noMeta)
        writeFileSync(
          join(md, 'meta.ini'),
          [
            '[General]',
            `gameName=${fo4 ? 'Fallout4' : 'SkyrimSE'}`,
            `modid=${m.nexusId ?? 0}`,
            `version=${m.version ?? ''}`,
            `installationFile=${m.name}.7z`,
            'repository=Nexus',
            '',
            '[installedFiles]',
            `1\\modid=${m.nexusId ?? 0}`,
            'size=1',
          ].join('\r\n'),
        );
      for (const pl of m.plugins ?? [])
        writeFileSync(
          join(md, pl.name),
          tes4Plugin({
            masters: pl.masters ?? [],
            light: pl.light,
            master: pl.master,
            author: m.name,
            body: true,
          }),
        );
      if (m.dlls?.length) {
        const pd = join(md, fo4 ? 'F4SE' : 'SKSE', 'Plugins');
        mkdirSync(pd, { recursive: true });
        for (const d of m.dlls) writeFileSync(join(pd, d), Buffer.from('MZ synthetic dll'));
      }
      if (m.rootFiles?.length) {
        mkdirSync(join(md, 'Root'), { recursive: true });
        for (const f of m.rootFiles) writeFileSync(join(md, 'Root', f), Buffer.from('MZ synthetic'));
      }
    }
    const pd = join(dir, 'profiles', p.name);
    mkdirSync(pd, { recursive: true });
    const modlist = ['# This file was automatically generated by Mod Organizer.'];
    for (let i = p.mods.length - 1; i >= 0; i--) {
      const m = p.mods[i]!;
      const name = m.separator && !m.name.endsWith('_separator') ? `${m.name}_separator` : m.name;
      modlist.push(`${m.separator ? '-' : m.enabled === false ? '-' : '+'}${name}`);
    }
    writeFileSync(join(pd, 'modlist.txt'), `${modlist.join('\r\n')}\r\n`);
    const plugins: string[] = [];
    const order: string[] = [...base];
    for (const m of p.mods)
      for (const pl of m.plugins ?? []) {
        // Two mods shipping one plugin: the game sees one file.
        if (order.includes(pl.name)) continue;
        order.push(pl.name);
        plugins.push(`${m.enabled === false || pl.inactive ? '' : '*'}${pl.name}`);
      }
    writeFileSync(
      join(pd, 'plugins.txt'),
      `# This file was automatically generated by Mod Organizer.\r\n${plugins.join('\r\n')}\r\n`,
    );
    if (!p.noLoadorder)
      writeFileSync(
        join(pd, 'loadorder.txt'),
        `# This file was automatically generated by Mod Organizer.\r\n${order.join('\r\n')}\r\n`,
      );
    writeFileSync(join(pd, 'settings.ini'), '[General]\r\nLocalSaves=false\r\nLocalSettings=false\r\n');
  }
  mkdirSync(join(dir, 'overwrite'), { recursive: true });
  return { dir, gameDir };
}
