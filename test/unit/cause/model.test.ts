import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { buildHeadline } from '../../../src/main/analysis/cause/headline';
import { modFromPath } from '../../../src/main/analysis/cause/mod-path';
import { rankSuspects, type CauseFrame, type CauseInput } from '../../../src/main/analysis/cause/model';
import { deriveCause } from '../../../src/main/analysis/cause/probable-cause';
import { classifyModule } from '../../../src/main/analysis/cause/roles';
import { checkModuleFile, RolesFile } from '../../../src/main/analysis/cause/roles-file';
import systemJson from '../../../resources/modules/system.json';
import gameJson from '../../../resources/modules/game.json';
import rolesJson from '../../../resources/modules/roles.json';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * The culprit model on the stack shapes culprit-knowledge.md describes. The CauseInputs below
 * are synthetic (a few frames each, module names from real logs); the real logs come from the
 * shared fixtures.
 */

const frame = (
  module: string | null,
  trust: CauseFrame['trust'] = 'probable',
  path?: string,
): CauseFrame => ({
  module,
  trust,
  ...(path ? { path } : {}),
});

function input(over: Partial<CauseInput>): CauseInput {
  return {
    exception: null,
    frames: null,
    modules: null,
    objects: [],
    mentions: [],
    external: [],
    findings: [],
    ...over,
  };
}

const names = (i: CauseInput) => rankSuspects(i).map((s) => s.name);

describe('module roles', () => {
  it('roles.json validates, and every entry names a source', () => {
    const f = RolesFile.parse(rolesJson);
    for (const m of f.modules) expect(f.sources[m.source] ?? m.source).toMatch(/^https:\/\//);
  });
  it('the module files pass the build-time check, and roles.ts reads exactly what the schema gives', () => {
    // roles.ts reads these without zod (issue 15); the build runs the same check on each.
    checkModuleFile('roles.json', rolesJson);
    checkModuleFile('system.json', systemJson);
    checkModuleFile('game.json', gameJson);
    expect(RolesFile.parse(rolesJson)).toEqual(rolesJson);
    expect(() => checkModuleFile('other.json', {})).toThrow(/no schema/);
    expect(() => checkModuleFile('game.json', { ...gameJson, modules: ['a.dll', 'a.dll'] })).toThrow(/twice/);
    expect(() =>
      checkModuleFile('game.json', { ...gameJson, modules: ['GFSDK_GodraysLib.x64.dll'] }),
    ).toThrow(/capital/);
  });
  it('classifies victims, hook hosts, mod DLLs and plugins', () => {
    expect(classifyModule('tbbmalloc.dll')).toMatchObject({ role: 'allocator', weight: 'victim' });
    expect(classifyModule('SkyrimSE.exe')).toMatchObject({ role: 'game', weight: 'victim' });
    expect(classifyModule('skse64_1_6_1170.dll')).toMatchObject({ role: 'script-extender', weight: 'low' });
    expect(classifyModule('usvfs_x64.dll')).toMatchObject({ role: 'mod-manager', weight: 'victim' });
    expect(classifyModule('po3_SpellPerkItemDistributor.dll')).toMatchObject({
      role: 'framework',
      weight: 'low',
    });
    expect(classifyModule('SmartHarvestSE.dll')).toMatchObject({
      role: 'mod-dll',
      weight: 'normal',
      known: false,
    });
    expect(classifyModule('Wyrmstooth.esp')).toMatchObject({ role: 'plugin', weight: 'normal' });
    expect(classifyModule('Skyrim.esm')).toMatchObject({ role: 'plugin', weight: 'victim' });
    expect(classifyModule('nvwgf2umx.dll')).toMatchObject({ role: 'driver', weight: 'low' });
  });
  it('a Windows DLL name in the game folder is a proxy (ENB), in System32 the runtime', () => {
    expect(classifyModule('d3d11.dll', 'C:\\Windows\\System32\\d3d11.dll').role).toBe('runtime');
    expect(
      classifyModule('d3d11.dll', 'D:\\Steam\\steamapps\\common\\Skyrim Special Edition\\d3d11.dll'),
    ).toMatchObject({
      role: 'overlay',
      weight: 'normal',
    });
    expect(classifyModule('foo.dll', 'C:\\Windows\\System32\\foo.dll').role).toBe('os');
  });
});

describe('culprit model', () => {
  it("first mod DLL below the game's own frames is first (a Crash Logger SPID log: frames 1-4 SPID)", () => {
    const s = rankSuspects(
      input({
        exception: { code: 0xc0000005, name: 'EXCEPTION_ACCESS_VIOLATION', module: 'SkyrimSE.exe' },
        frames: [
          frame('SkyrimSE.exe'),
          frame('po3_SpellPerkItemDistributor.dll'),
          frame('po3_SpellPerkItemDistributor.dll'),
          frame('po3_SpellPerkItemDistributor.dll'),
          frame('po3_SpellPerkItemDistributor.dll'),
          frame('SkyrimSE.exe'),
        ],
      }),
    );
    expect(s[0]?.name).toBe('po3_SpellPerkItemDistributor.dll');
    const texts = s[0]!.evidence!.map((e) => e.text);
    expect(texts.join('\n')).toMatch(/below the game's own frames/);
    expect(texts.join('\n')).toMatch(/no mod frame lies under it/);
    // A framework with nothing under it keeps most of its weight: worth naming.
    expect(
      deriveCause(s, {
        kind: 'crash',
        findings: [],
        exception: null,
        missing: [],
        game: 'skyrim',
        sources: {},
      }).confidence,
    ).not.toBe('unknown');
  });

  it("a framework's client under it is promoted; the framework keeps its counter-evidence", () => {
    const s = rankSuspects(
      input({
        exception: { code: 0xc0000005, name: null, module: 'SkyrimSE.exe' },
        frames: [
          frame('SkyrimSE.exe'),
          frame('PapyrusUtil.dll'),
          frame('SkyrimSE.exe'),
          frame('SomeQuestMod.dll'),
        ],
      }),
    );
    expect(
      names(
        input({ frames: [frame('SkyrimSE.exe'), frame('PapyrusUtil.dll'), frame('SomeQuestMod.dll')] }),
      )[0],
    ).toBe('SomeQuestMod.dll');
    const pu = s.find((x) => x.name === 'PapyrusUtil.dll')!;
    expect(
      pu.evidence!.some((e) => e.direction === 'against' && /framework on many code paths/.test(e.text)),
    ).toBe(true);
  });

  it('owning the faulting instruction wins for a mod DLL; allocators and the game never lead', () => {
    expect(
      names(
        input({
          exception: { code: 0xc0000005, name: null, module: 'tbbmalloc.dll' },
          frames: [frame('tbbmalloc.dll'), frame('SkyrimSE.exe'), frame('SkyrimSE.exe'), frame('MyMod.dll')],
          mentions: Array.from({ length: 20 }, () => ({
            module: 'tbbmalloc.dll',
            where: 'stack' as const,
            depth: 8,
          })),
        }),
      ),
    ).toEqual(['MyMod.dll', 'tbbmalloc.dll']);
    const only = rankSuspects(
      input({
        exception: { code: 0xc0000005, name: null, module: 'tbbmalloc.dll' },
        frames: [frame('tbbmalloc.dll'), frame('SkyrimSE.exe')],
      }),
    );
    expect(only.map((s) => s.name)).toEqual(['tbbmalloc.dll']);
    expect(only[0]!.evidence!.find((e) => e.direction === 'against')?.text).toMatch(
      /allocator: usually a victim/,
    );
    // ...and a victim alone is not named as the cause.
    const cause = deriveCause(only, {
      kind: 'crash',
      findings: [],
      exception: { name: 'EXCEPTION_ACCESS_VIOLATION', module: 'tbbmalloc.dll', offset: 0x1234 },
      missing: [],
      game: 'skyrim',
      sources: { crashLog: 'crashlogger' },
    });
    expect(cause.subject).toBeNull();
    expect(cause.why).toMatch(/memory allocator/);
    expect(cause.headline).toMatch(/^Probable cause: unknown — /);
  });

  it('an SKSE trampoline between engine frames is passed over, with a note', () => {
    const s = rankSuspects(
      input({
        frames: [
          frame('SkyrimSE.exe'),
          frame('skse64_1_6_1170.dll'),
          frame('SkyrimSE.exe'),
          frame('TrueHUD.dll'),
        ],
      }),
    );
    expect(s[0]?.name).toBe('TrueHUD.dll');
    const skse = s.find((x) => x.name === 'skse64_1_6_1170.dll');
    expect(skse?.evidence?.some((e) => /between engine frames/.test(e.text))).toBe(true);
  });

  it('stack-scan frames count less than unwound ones ([S] vs [P])', () => {
    const s = rankSuspects(
      input({ frames: [frame('SkyrimSE.exe'), frame('Unwound.dll'), frame('Scanned.dll', 'scan')] }),
    );
    expect(s.map((x) => x.name)).toEqual(['Unwound.dll', 'Scanned.dll']);
  });

  it('ranks from the stack alone when the module list is missing, and crash-logger frames on top are dropped', () => {
    const s = rankSuspects(
      input({
        modules: null,
        frames: [frame('CrashLogger.dll'), frame('KERNELBASE.dll'), frame('SkyrimSE.exe'), frame('OAR.dll')],
      }),
    );
    expect(s[0]?.name).toBe('OAR.dll');
    expect(s[0]?.evidence?.[0]?.text).toMatch(/first mod DLL below/);
  });

  it('plugins from nearby objects: closest first, base masters never, the player record weakly', () => {
    const s = rankSuspects(
      input({
        objects: [
          { where: 'RDX', type: 'TESObjectREFR', formId: '0501D0E2', file: 'Wyrmstooth.esp' },
          { where: 'RSP+9A0', type: 'TESObjectCELL', formId: '0001D0E3', file: 'Far Away.esp' },
          { where: 'RCX', type: 'TESNPC', formId: '00000007', file: 'Skyrim Unbound.esp' },
          { where: 'RBX', type: 'TESWorldSpace', formId: '0000003C', file: 'Skyrim.esm' },
        ],
      }),
    );
    expect(s.map((x) => x.name)).toEqual(['Wyrmstooth.esp', 'Far Away.esp', 'Skyrim Unbound.esp']);
    expect(s[2]!.evidence!.some((e) => e.direction === 'against' && /player record/.test(e.text))).toBe(true);
  });

  it('a load-order remark never outranks what the crash touched; it corroborates a module on the stack', () => {
    const setup = {
      id: 'x-conflict',
      severity: 'high' as const,
      title: 'Mod A with mod B',
      explanation: 'A and B conflict.',
      fix: 'Remove one.',
      evidence: ['plugin ModA.esp in the load order', 'module ModB.dll loaded', 'setting [Patches] X = true'],
    };
    const s = rankSuspects(
      input({
        frames: [frame('SkyrimSE.exe'), frame('SkyrimSE.exe'), frame('Culprit.dll')],
        objects: [{ where: 'RSP+900', type: 'TESObjectREFR', formId: '0501D0E2', file: 'Near.esp' }],
        findings: [setup],
        known: ['ModA.esp', 'ModB.dll', 'Culprit.dll', 'Near.esp'],
      }),
    );
    // Crash evidence first (the caller under the engine, then the nearby record), the remark last.
    expect(s.map((x) => x.name).slice(0, 2)).toEqual(['Culprit.dll', 'Near.esp']);
    const a = s.find((x) => x.name === 'ModA.esp')!;
    expect(a.score).toBeLessThan(s.find((x) => x.name === 'Near.esp')!.score);
    expect(a.evidence![0]!.text).toMatch(/mod list the known issue/);
    // The same remark naming the module the stack points at adds to it.
    const t = rankSuspects(
      input({
        frames: [frame('SkyrimSE.exe'), frame('ModB.dll')],
        findings: [setup],
        known: ['ModA.esp', 'ModB.dll'],
      }),
    );
    expect(t[0]!.name).toBe('ModB.dll');
    expect(t[0]!.evidence!.some((e) => /named by the known issue/.test(e.text))).toBe(true);
  });

  it('a C++ exception blames the module that threw it, not KERNELBASE', () => {
    const s = rankSuspects(
      input({
        exception: {
          code: 0xe06d7363,
          name: 'C++ Exception',
          module: 'KERNELBASE.dll',
          cppModule: 'JContainers64.dll',
        },
        frames: [frame('KERNELBASE.dll'), frame('VCRUNTIME140.dll'), frame('JContainers64.dll')],
      }),
    );
    expect(s[0]?.name).toBe('JContainers64.dll');
    expect(s[0]?.evidence?.[0]?.text).toMatch(/threw the C\+\+ exception/);
  });

  it('a DLL loaded from an MO2 mod folder carries the mod name (source: path) and its version', () => {
    const path = 'D:\\Modding\\MO2\\mods\\Smart Harvest NG AutoLoot\\SKSE\\Plugins\\SmartHarvestSE.dll';
    expect(modFromPath(path)).toEqual({ name: 'Smart Harvest NG AutoLoot', source: 'path' });
    expect(modFromPath('C:\\Games\\Skyrim\\Data\\SKSE\\Plugins\\x.dll')).toBeUndefined();
    const s = rankSuspects(
      input({
        exception: { code: 0xc0000005, name: null, module: 'SmartHarvestSE.dll', modulePath: path },
        frames: [frame('SmartHarvestSE.dll', 'probable', path), frame('SkyrimSE.exe')],
        modules: [{ name: 'SmartHarvestSE.dll', path, version: '5.2.0.0' }],
      }),
    );
    expect(s[0]).toMatchObject({
      name: 'SmartHarvestSE.dll',
      version: '5.2.0.0',
      mod: { name: 'Smart Harvest NG AutoLoot', source: 'path' },
    });
    const cause = deriveCause(s, {
      kind: 'crash',
      findings: [],
      exception: null,
      missing: [],
      game: 'skyrim',
      sources: { dump: true },
    });
    expect(cause.headline).toMatch(
      /^Probable cause: Smart Harvest NG AutoLoot \(SmartHarvestSE\.dll, v5\.2\.0\.0\) — owns the faulting instruction/,
    );
  });
});

describe('headline', () => {
  it('is one sentence built from the cause, using the mod when known', () => {
    const base = {
      subject: 'SmartHarvestSE.dll',
      subjectKind: 'module' as const,
      confidence: 'high' as const,
      why: 'owns the faulting instruction',
      evidence: [],
      next: 'Update Smart Harvest NG AutoLoot.',
    };
    expect(buildHeadline(base)).toBe(
      'Probable cause: SmartHarvestSE.dll — owns the faulting instruction, high confidence. Next: Update Smart Harvest NG AutoLoot.',
    );
    expect(
      buildHeadline({ ...base, mod: { name: 'Smart Harvest NG AutoLoot', version: '5.2', source: 'mo2' } }),
    ).toBe(
      'Probable cause: Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2) — owns the faulting instruction, high confidence. Next: Update Smart Harvest NG AutoLoot.',
    );
    expect(
      buildHeadline({
        ...base,
        subject: null,
        confidence: 'unknown',
        why: 'no mod is on the stack',
        next: 'Install Crash Logger',
      }),
    ).toBe('Probable cause: unknown — no mod is on the stack. Next: Install Crash Logger.');
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('real logs through the model', () => {
  const nsf = (f: string) =>
    analyzeCrashLogBuffer(readFileSync(real('crashlogs', 'skyrim-nsf-nolvus', f)), f);

  it('NSF D6DDDA logs: tbbmalloc is never first; the cause is the known issue', () => {
    for (const f of ['D6DDDA_-_Crash_2024_4_12_11-57-34.txt', 'D6DDDA__-_Crash_2024_4_4_21-8-52.txt']) {
      const a = nsf(f);
      expect(a.culprits[0]?.name.toLowerCase()).not.toBe('tbbmalloc.dll');
      expect(a.culprits.map((s) => s.name.toLowerCase())).not.toContain('skyrimse.exe');
      expect(a.culprits.map((s) => s.name.toLowerCase())).not.toContain('usvfs_x64.dll');
      expect(a.probableCause?.subjectKind).toBe('known-issue');
      expect(a.probableCause?.headline).toMatch(/D6DDDA/);
    }
  });

  it("two d3d11.dll in MODULES: the fault in Windows' copy, the caller in the game-folder copy (ENB) is named", () => {
    const f = 'crash-2023-12-01-08-33-44.log';
    const a = analyzeCrashLogBuffer(readFileSync(real('crashlogs', 'buffout4-fo4', f)), f);
    // Frame 0 is Windows' d3d11.dll (0x7FF… base), frame 2 the copy at the fixed base 0x180000000.
    expect(a.culprits[0]).toMatchObject({ name: 'd3d11.dll', role: 'overlay' });
    expect(a.culprits[0]!.evidence!.some((e) => e.direction === 'against')).toBe(false);
    expect(a.probableCause?.why).toMatch(/below Windows' own frames/);
    expect(a.probableCause?.next).toMatch(/d3d11\.dll in the game folder/);
  });

  it('a mod DLL owning the fault is named with high confidence (SkyrimUpscaler, JContainers)', () => {
    expect(nsf('SkyrimUpscaler_-_Crash_2024_4_12_14-45-22.txt').probableCause).toMatchObject({
      subject: 'SkyrimUpscaler.dll',
      confidence: 'high',
    });
    expect(nsf('JContainers.txt').culprits[0]?.name).toBe('JContainers64.dll');
  });

  it('no suspect is ever a Windows, runtime or game module, and none is a parser leftover', () => {
    for (const dir of ['skyrim-nsf-nolvus', 'buffout4-fo4', 'skyrim-mocked'])
      for (const f of readdirSync(real('crashlogs', dir))) {
        if (f.endsWith('.md')) continue;
        const a = analyzeCrashLogBuffer(readFileSync(real('crashlogs', dir, f)), f);
        for (const s of a.culprits) {
          expect(['game', 'os', 'runtime']).not.toContain(s.role);
          expect(s.name).not.toMatch(/->|\*/);
        }
        for (const fr of a.parsed.callStack) if (fr.module) expect(fr.module).not.toMatch(/->|\*/);
      }
  });
});
