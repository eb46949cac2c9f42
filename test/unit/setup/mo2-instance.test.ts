import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildModIndex, lookupMod } from '../../../src/main/analysis/mods/mod-index';
import {
  detectManager,
  instanceOfProfile,
  readSetup,
  suggestInstances,
} from '../../../src/main/sources/setup/discover';
import { fileOwners, readMo2Instance } from '../../../src/main/sources/setup/mo2-instance';
import { readVortexSetup } from '../../../src/main/sources/setup/vortex';
import { writeMo2Instance, type SyntheticMod } from '../../helpers/mo2-instance';

/** Synthetic MO2 instances and a synthetic Vortex deployment (no real ones are in the fixtures). */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-mo2-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

export const SAMPLE_MODS: SyntheticMod[] = [
  { name: 'Address Library for SKSE Plugins', version: '11.0.0.0', nexusId: 32444, dlls: [] },
  { name: 'Frameworks_separator', separator: true },
  { name: 'SkyUI', version: '5.2.0.0', nexusId: 12604, plugins: [{ name: 'SkyUI_SE.esp' }] },
  {
    name: 'Smart Harvest NG AutoLoot',
    version: '5.2.0.0',
    nexusId: 21854,
    dlls: ['SmartHarvestSE.dll'],
    plugins: [{ name: 'SmartHarvestSE.esp', masters: ['Skyrim.esm', 'SkyUI_SE.esp'] }],
  },
  { name: 'Old Harvest', enabled: false, version: '1.0.0.0', dlls: ['SmartHarvestSE.dll'] },
  { name: 'ENB Helper', version: 'f1.05', rootFiles: ['d3d11.dll', 'enblocal.ini'], noMeta: false },
  { name: 'Gone Mod', missingFolder: true },
  // Wins the SkyUI_SE.esp conflict: lower in the left pane = higher priority.
  { name: 'SkyUI Patch Pack', version: '2.0.0.0', plugins: [{ name: 'SkyUI_SE.esp' }] },
];

describe('reading a Mod Organizer 2 instance', () => {
  it('profiles, mods with versions and Nexus ids, triage files, plugin owners by priority', async () => {
    writeMo2Instance(dir, {
      profiles: [
        { name: 'Default', mods: SAMPLE_MODS },
        { name: 'Survival', mods: SAMPLE_MODS.slice(0, 3) },
      ],
    });
    expect(detectManager(dir)).toBe('mo2');
    const inst = await readMo2Instance(dir);
    expect(inst).toMatchObject({
      manager: 'mo2',
      game: 'Skyrim Special Edition',
      selectedProfile: 'Default',
    });
    expect(inst.profiles.map((p) => p.name)).toEqual(['Default', 'Survival']);
    const p = inst.profiles[0]!;
    const smart = p.mods.find((m) => m.name === 'Smart Harvest NG AutoLoot')!;
    expect(smart).toMatchObject({ enabled: true, version: '5.2', nexusId: 21854, kind: 'mod' });
    expect(smart.files).toEqual(['SKSE/Plugins/SmartHarvestSE.dll', 'SmartHarvestSE.esp']);
    expect(p.mods.find((m) => m.name === 'Frameworks_separator')?.kind).toBe('separator');
    expect(p.mods.find((m) => m.name === 'ENB Helper')).toMatchObject({
      version: '1.05',
      files: ['Root/d3d11.dll', 'Root/enblocal.ini'],
    });
    expect(p.mods.at(-1)?.kind).toBe('overwrite');
    // Priorities follow the left pane; the missing folder is a problem on that mod only.
    expect(p.problems.map((x) => x.message)).toEqual(['mod folder is missing or unreadable']);
    expect(p.plugins.slice(0, 5).map((x) => x.name)).toEqual([
      'Skyrim.esm',
      'Update.esm',
      'Dawnguard.esm',
      'HearthFires.esm',
      'Dragonborn.esm',
    ]);
    expect(p.plugins.find((x) => x.name === 'Skyrim.esm')).toMatchObject({ enabled: true, mod: null });
    expect(p.plugins.find((x) => x.name === 'SkyUI_SE.esp')?.mod).toBe('SkyUI Patch Pack');
    const owners = fileOwners(p);
    // The disabled Old Harvest ships the same DLL but loses: disabled mods own nothing.
    expect(owners.get('smartharvestse.dll')?.mod.name).toBe('Smart Harvest NG AutoLoot');
  });

  it('the file → mod index names the mod for a module name as a crash log prints it', async () => {
    writeMo2Instance(dir, { profiles: [{ name: 'Default', mods: SAMPLE_MODS }] });
    const p = (await readMo2Instance(dir)).profiles[0]!;
    const index = buildModIndex(p.mods, 'mo2');
    expect(lookupMod(index, 'SmartHarvestSE.dll')?.mod).toEqual({
      name: 'Smart Harvest NG AutoLoot',
      version: '5.2',
      nexusId: 21854,
      source: 'mo2',
    });
    expect(lookupMod(index, 'Data\\SKSE\\Plugins\\SMARTHARVESTSE.DLL')?.mod.name).toBe(
      'Smart Harvest NG AutoLoot',
    );
    expect(lookupMod(index, 'skyui_se.esp')).toMatchObject({
      mod: { name: 'SkyUI Patch Pack' },
      overridden: ['SkyUI'],
    });
    expect(lookupMod(index, 'Skyrim.esm')).toBeNull();
  });

  it('mod_directory and base_directory overrides, a profile folder maps back to its instance', async () => {
    writeMo2Instance(dir, {
      profiles: [{ name: 'Default', mods: SAMPLE_MODS.slice(0, 4) }],
      baseDirectory: dir.replace(/\//g, '/'),
      modDirectory: '%BASE_DIR%/MODS',
    });
    const inst = await readMo2Instance(dir);
    expect(inst.profiles[0]!.problems).toEqual([]);
    expect(inst.profiles[0]!.mods.find((m) => m.name === 'SkyUI')?.files).toEqual(['SkyUI_SE.esp']);
    expect(await instanceOfProfile(join(dir, 'profiles', 'Default'))).toEqual({
      instance: dir,
      profile: 'Default',
    });
    expect(await instanceOfProfile(join(dir, 'elsewhere', 'x'))).toBeNull();
  });

  it('bad input: broken ini, missing selected profile, missing lists, damaged lines — the rest still reads', async () => {
    writeMo2Instance(dir, {
      profiles: [
        { name: 'Default', mods: SAMPLE_MODS.slice(2, 4) },
        { name: 'Broken', mods: [] },
      ],
      iniText:
        '[General\r\ngameName=Skyrim Special Edition\r\nselected_profile=@ByteArray(Deleted)\r\n!!!\r\n',
    });
    rmSync(join(dir, 'profiles', 'Broken', 'modlist.txt'));
    writeFileSync(join(dir, 'profiles', 'Broken', 'plugins.txt'), '*Good.esp\r\n\u0000\u0001garbage\r\n');
    const inst = await readMo2Instance(dir);
    expect(inst.problems.map((p) => p.message).join('\n')).toMatch(
      /line 1: section header[\s\S]*line 4[\s\S]*"Deleted" is missing/,
    );
    const broken = inst.profiles.find((p) => p.name === 'Broken')!;
    expect(broken.problems.map((p) => p.message)).toEqual([
      'cannot read modlist.txt (missing)',
      'line 2: not a plugin file name: \u0000\u0001garbage',
    ]);
    expect(broken.plugins.map((p) => p.name)).toContain('Good.esp');
    const good = inst.profiles.find((p) => p.name === 'Default')!;
    expect(good.problems).toEqual([]);
    expect(good.mods.map((m) => m.name)).toContain('Smart Harvest NG AutoLoot');
  });

  it('an unreadable ModOrganizer.ini falls back to the default folders', async () => {
    writeMo2Instance(dir, { profiles: [{ name: 'Default', mods: SAMPLE_MODS.slice(2, 3) }] });
    rmSync(join(dir, 'ModOrganizer.ini'));
    mkdirSync(join(dir, 'ModOrganizer.ini'));
    const inst = await readMo2Instance(dir);
    expect(inst.problems[0]!.message).toMatch(/cannot read ModOrganizer.ini/);
    expect(inst.profiles[0]!.mods.map((m) => m.name)).toContain('SkyUI');
  });

  it('suggests the instance above a watched overwrite folder', () => {
    writeMo2Instance(dir, { profiles: [{ name: 'Default', mods: [] }] });
    const watched = join(dir, 'overwrite', 'SKSE', 'Plugins', 'Tullius Ctd Logs');
    mkdirSync(watched, { recursive: true });
    expect(suggestInstances([watched], {}, 'linux')).toEqual([
      { path: dir, manager: 'mo2', label: 'MO2 instance above the watched folder Tullius Ctd Logs' },
    ]);
  });
});

describe('reading a Vortex deployment', () => {
  it('staged mods from the manifest, versions from folder names, plugins.txt from %LOCALAPPDATA%', async () => {
    const staging = join(dir, 'staging');
    const data = join(dir, 'game', 'Data');
    const local = join(dir, 'local');
    const smart = 'Smart Harvest NG-21854-5-2-1600000000';
    mkdirSync(join(staging, smart, 'SKSE', 'Plugins'), { recursive: true });
    mkdirSync(join(staging, 'Leftover Mod'), { recursive: true });
    writeFileSync(join(staging, '__vortex_staging_folder'), '{}');
    mkdirSync(data, { recursive: true });
    writeFileSync(
      join(data, 'vortex.deployment.json'),
      JSON.stringify({
        instance: 'x',
        gameId: 'skyrimse',
        stagingPath: staging,
        files: [
          { relPath: 'SKSE\\Plugins\\SmartHarvestSE.dll', source: smart, time: 1 },
          { relPath: 'SmartHarvestSE.esp', source: smart, time: 1 },
          { relPath: 'textures\\x.dds', source: smart, time: 1 },
        ],
      }),
    );
    mkdirSync(join(local, 'Skyrim Special Edition'), { recursive: true });
    writeFileSync(
      join(local, 'Skyrim Special Edition', 'plugins.txt'),
      '*SmartHarvestSE.esp\r\n*Other.esp\r\n',
    );
    expect(detectManager(join(dir, 'game'))).toBe('vortex');
    const v = await readVortexSetup(join(dir, 'game'), { LOCALAPPDATA: local });
    expect(v).toMatchObject({ manager: 'vortex', game: 'Skyrim Special Edition', instance: staging });
    const p = v.profiles[0]!;
    expect(p.mods.find((m) => m.name === smart)).toMatchObject({
      enabled: true,
      version: '5.2',
      nexusId: 21854,
      files: ['SKSE/Plugins/SmartHarvestSE.dll', 'SmartHarvestSE.esp'],
    });
    expect(p.mods.find((m) => m.name === 'Leftover Mod')?.enabled).toBe(false);
    expect(p.plugins).toEqual([
      { name: 'SmartHarvestSE.esp', enabled: true, mod: smart },
      { name: 'Other.esp', enabled: true, mod: null },
    ]);
    expect((await readSetup(staging))?.manager).toBe('vortex');
  });
});
