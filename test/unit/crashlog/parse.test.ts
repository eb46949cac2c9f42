import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

const read = (...p: string[]) => readFileSync(real('crashlogs', ...p));

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('Buffout 4 logs (Crash Logger family)', () => {
  it('reads every header, exception, section and list of every real log', () => {
    const dir = real('crashlogs', 'buffout4-fo4');
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBe(9);
    for (const f of logs) {
      const p = parseCrashLog(read('buffout4-fo4', f), f);
      expect(p.logger, f).toBe('buffout4');
      expect(p.loggerVersion, f).toMatch(/^1\.\d+\.\d+$/);
      expect(p.game, f).toBe('Fallout 4');
      expect(p.gameFamily, f).toBe('fallout4');
      expect(p.gameVersion, f).toBe('1.10.163');
      expect(p.exception?.address, f).toMatch(/^0x[0-9A-F]+$/);
      expect(p.callStack.length, f).toBeGreaterThan(5);
      expect(p.registers.map((r) => r.name).slice(0, 4), f).toEqual(['RAX', 'RCX', 'RDX', 'RBX']);
      expect(p.stack.length, f).toBeGreaterThan(100);
      expect(p.modules.length, f).toBeGreaterThan(100);
      expect(p.xsePlugins.length, f).toBeGreaterThan(5);
      expect(p.settings.Patches?.MemoryManager, f).toMatch(/^(true|false)$/);
      expect(p.system.OS, f).toMatch(/Windows/);
      expect(
        p.outline.map((o) => o.name),
        f,
      ).toEqual([
        'SYSTEM SPECS',
        'PROBABLE CALL STACK',
        'REGISTERS',
        'STACK',
        'MODULES',
        'F4SE PLUGINS',
        'PLUGINS',
      ]);
      expect(p.unknownSections, f).toEqual([]);
      expect(
        p.problems.filter((x) => x.code !== 'unparsed_lines'),
        f,
      ).toEqual([]);
    }
  });

  it('crash-2023-12-01: exception, frames with module+offset and Address Library ids, registers, plugins', () => {
    const p = parseCrashLog(read('buffout4-fo4', 'crash-2023-12-01-08-33-44.log'));
    expect(p.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      code: 0xc0000005,
      address: '0x7FFFA2F9565D',
      module: 'd3d11.dll',
      offset: '010565D',
    });
    expect(p.callStack[0]).toMatchObject({
      index: 0,
      address: '0x7FFFA2F9565D',
      module: 'd3d11.dll',
      offset: '010565D',
    });
    expect(p.callStack[3]).toMatchObject({
      module: 'Fallout4.exe',
      offset: '1D13CBE',
      addressId: '673619+0x2AE',
    });
    expect(p.callStack[15]?.module).toBe('KERNEL32.DLL');
    expect(p.registers.find((r) => r.name === 'R10')).toMatchObject({
      value: '0x7FFFA2F95650',
      annotation: '(void* -> d3d11.dll+0105650)',
    });
    expect(p.stack[0]).toMatchObject({ name: 'RSP+0', value: '0x95A', annotation: '(size_t)' });
    expect(p.xsePlugins.find((x) => x.name === "F4z Ro D'oh.dll")).toEqual({
      name: "F4z Ro D'oh.dll",
      version: '1.1.6.1030',
      kind: 'f4se',
    });
    // Module versions come from the F4SE plugin list.
    expect(p.modules.find((m) => m.name === 'Buffout4.dll')).toMatchObject({
      base: '0x7FFE7D740000',
      version: '1.28.6',
    });
    expect(p.gamePlugins[0]).toEqual({ order: 0, index: '00', name: 'Fallout4.esm', light: false });
    const last = p.gamePlugins[p.gamePlugins.length - 1];
    expect(last).toEqual({ order: 429, index: 'FE:137', name: 'M8r Complex Sorter.esp', light: true });
    expect(p.gamePlugins.filter((g) => g.light).length).toBe(312);
    expect(p.relevantObjects).toContainEqual(
      expect.objectContaining({ type: 'ShadowSceneNode', name: 'shadow scene node' }),
    );
  });

  it('crash-2023-12-21: nested "Object Reference" blocks give form ids, files and types', () => {
    const p = parseCrashLog(read('buffout4-fo4', 'crash-2023-12-21-07-54-46.log'));
    const r8 = p.relevantObjects.filter((o) => o.where.startsWith('R8'));
    expect(r8).toEqual([
      expect.objectContaining({ where: 'R8', formId: '0001D0E2', file: 'Fallout4.esm' }),
      expect.objectContaining({ where: 'R8 > Object Reference', formId: '000C1AEB', file: 'Fallout4.esm' }),
    ]);
    expect(p.relevantObjects.find((o) => o.where === 'RSI')).toMatchObject({
      type: 'BGSScene',
      formId: '0304DF6F',
      file: 'DLCCoast.esm',
    });
    expect(p.relevantObjects.some((o) => o.type === 'string' && /776F5AC_OC\.NIF/i.test(o.name ?? ''))).toBe(
      true,
    );
  });

  it('Buffout 4 1.37: instruction and resolved function of the exception and frames; empty load order', () => {
    const p = parseCrashLog(read('buffout4-fo4', 'crash-2025-03-18-07-49-12.log'));
    expect(p.loggerHeader).toBe('Buffout 4 v1.37.0 Mar 12 2025 22:11:48');
    expect(p.exception).toMatchObject({
      module: 'Fallout4.exe',
      offset: '09E5CC0',
      instruction: 'mov rax, [rcx+0x20]',
      symbol: 'BackgroundScreenModel::InitModels(void)_9E5CC0',
      details: [
        'Exception Flags: 0x00000000',
        'Number of Parameters: 2',
        'Access Violation: Tried to read memory at 0x000000000020',
      ],
    });
    expect(p.callStack[0]).toMatchObject({
      symbol: 'BackgroundScreenModel::InitModels(void)_9E5CC0',
      instruction: 'mov rax, [rcx+0x20]',
      addressId: '28088+0x30',
    });
    expect(p.settings.Tweaks).toEqual({ MaxPapyrusOpsPerFrame: '500' });
    expect(p.pluginsListed).toBe(true);
    expect(p.gamePlugins).toEqual([]);
    expect(p.relevantObjects).toContainEqual(
      expect.objectContaining({
        type: 'string',
        name: 'meshes\\Interface/Objects/LoadScreen/LoadScreenTranslucent.nif',
      }),
    );
  });

  it('an exception at address 0 has no module and says so', () => {
    const p = parseCrashLog(read('buffout4-fo4', 'crash-2024-05-29-11-34-45.log'));
    expect(p.exception).toMatchObject({ address: '0x000000000000', module: null, offset: null });
  });

  it('a multi-line string value in a stack slot stays with its slot', () => {
    const p = parseCrashLog(read('buffout4-fo4', 'crash-2024-01-30-11-15-15.log'));
    expect(p.problems).toEqual([]);
    expect(p.exception?.name).toBeNull();
    expect(p.exception?.module).toBe('KERNELBASE.dll');
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('NetScriptFramework logs (real Nolvus crashes)', () => {
  const dir = () => real('crashlogs', 'skyrim-nsf-nolvus');
  it('reads header, exception, blocks and lists of every log', () => {
    const files = readdirSync(dir()).filter((x) => x.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const f of files) {
      const p = parseCrashLog(readFileSync(`${dir()}/${f}`), f);
      expect(p.logger, f).toBe('netscriptframework');
      expect(p.loggerVersion, f).toBe('15');
      expect(p.game, f).toBe('Skyrim SE');
      expect(p.gameVersion, f).toBe('1.5.97');
      expect(p.header.Time, f).toMatch(/\d{4} \d\d:\d\d/);
      expect(p.exception?.address, f).toMatch(/^0x/);
      expect(p.exception?.thread, f).toBeGreaterThan(0);
      expect(p.callStack.length, f).toBeGreaterThan(0);
      expect(p.registers.length, f).toBe(34);
      expect(p.modules.length, f).toBeGreaterThan(150);
      expect(p.outline[0]?.name, f).toBe('Possible relevant objects');
      expect(
        p.problems.filter((x) => !['missing_section'].includes(x.code)),
        f,
      ).toEqual([]);
    }
  });

  it('JContainers.txt: frames, registers with annotations, NSF plugins, light plugins "FE 847"', () => {
    const p = parseCrashLog(readFileSync(`${dir()}/JContainers.txt`));
    expect(p.exception).toMatchObject({
      name: null,
      address: '0x7FFDDAACAE45',
      module: 'JContainers64.dll',
      offset: '10AE45',
      thread: 10564,
    });
    expect(p.callStack).toEqual([
      expect.objectContaining({
        index: 0,
        address: '0x7FFDDAACAE45',
        module: 'JContainers64.dll',
        offset: '10AE45',
      }),
      expect.objectContaining({ index: 1, address: '0x20000', module: null }),
    ]);
    expect(p.registers[0]).toEqual({
      name: 'AX',
      value: '0x7FFDDAADF950',
      annotation: '(JContainers64.dll+11F950) (void*)',
      details: [],
    });
    expect(p.registers.find((r) => r.name === 'XMM0')).toMatchObject({
      value: null,
      annotation: '(double)0 / (float)0',
    });
    expect(p.stack[0]).toMatchObject({ name: 'SP+0', value: '0x20000', annotation: '(char*) "h"' });
    expect(p.xsePlugins).toEqual([
      { name: 'custom_skills (Custom Skills)', version: '1', kind: 'nsf' },
      { name: 'grasscontrol (Grass Control)', version: '8', kind: 'nsf' },
    ]);
    expect(p.gamePlugins.length).toBe(2368);
    expect(p.gamePlugins.find((g) => g.name === 'Beyond Bruma for FWMF.esp')).toMatchObject({
      index: 'FE:847',
      light: true,
    });
    expect(p.relevantObjects.map((o) => [o.where, o.type, o.name])).toEqual([
      ['[238]', 'BSTriShape', 'IronShieldHeavy:0'],
      ['[407]', 'BSFadeNode', ' (0001F06D)[0]/ (0001394B) [40%]'],
      ['[425]', 'NiNode', 'NPC L Forearm [LLar]'],
    ]);
  });

  it('relevant objects: form ids, editor ids and the override chain of plugins', () => {
    const p = parseCrashLog(readFileSync(`${dir()}/Alphabetized_Load_Order_-_Crash_2024_4_12_18-50-46.txt`));
    expect(p.relevantObjects).toContainEqual(
      expect.objectContaining({
        type: 'TESObjectREFR',
        formId: '1C0083BB',
        file: 'Lux Orbis - Wyrmstooth.esp',
        files: ['Lux Orbis - Wyrmstooth.esp', 'Wyrmstooth.esp'],
      }),
    );
    expect(p.relevantObjects).toContainEqual(
      expect.objectContaining({ type: 'TESWorldSpace', editorId: 'WyrmstoothWorld', name: 'Wyrmstooth' }),
    );
  });

  it('NSF "(unknown functions)" and the Extra block: known, kept raw, not a problem', () => {
    const p = parseCrashLog(readFileSync(`${dir()}/ShadowSceneNode1.txt`));
    expect(p.unknownSections).toEqual([
      expect.objectContaining({
        name: 'Extra',
        lines: ['  Currently executing .NET event (ShadowCullingBegin) in unknown plugins.'],
      }),
    ]);
    expect(p.problems).toEqual([]);
  });

  it('a log without a Game plugins block says so', () => {
    const p = parseCrashLog(readFileSync(`${dir()}/SkyrimUpscaler_-_Crash_2024_4_12_14-45-22.txt`));
    expect(p.pluginsListed).toBe(false);
    expect(p.problems.map((x) => x.code)).toEqual(['missing_section']);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('mocked-up Skyrim format references (Crash Logger, Trainwreck)', () => {
  it('Crash Logger SSE: version with dashes, SKSE plugins, counts line, light and full plugins', () => {
    const p = parseCrashLog(read('skyrim-mocked', 'TestLogCrashLogger1.txt'));
    expect(p).toMatchObject({
      logger: 'crashlogger',
      loggerVersion: '1.14.1.0',
      game: 'Skyrim SSE',
      gameVersion: '1.6.1170',
    });
    expect(p.exception).toMatchObject({
      name: 'EXCEPTION_ACCESS_VIOLATION',
      module: 'SkyrimSE.exe',
      offset: '032D88A',
    });
    expect(p.callStack[0]).toMatchObject({ addressId: '21488+0x3A', instruction: 'mov rax, [rcx]' });
    expect(p.xsePlugins.find((x) => x.name === 'TrueHUD.dll')).toEqual({
      name: 'TrueHUD.dll',
      version: '1.1.9',
      kind: 'skse',
    });
    expect(p.pluginCounts).toEqual({ light: 100, regular: 79, total: 179 });
    expect(p.gamePlugins.find((g) => g.name === '[ETH]AllDeathAnimations.esp')).toMatchObject({
      index: 'FE:53C',
      light: true,
    });
    expect(p.gamePlugins.find((g) => g.name === 'G.esp')).toMatchObject({ index: '0A', light: false });
    const cell = p.relevantObjects.find((o) => o.where === 'RSI > ParentCell');
    expect(cell).toMatchObject({
      type: 'Cell',
      name: 'Bloodlet Throne',
      editorId: 'BloodletThrone01',
      formId: '00016EA1',
    });
    expect(cell?.files.at(-1)).toBe('SDA DX Crimson Blood Patch.esp');
  });

  it('Trainwreck: header, script extender plugins, no load order reported as such', () => {
    const p = parseCrashLog(read('skyrim-mocked', 'TestLogTrainwreck1.txt'));
    expect(p).toMatchObject({ logger: 'trainwreck', loggerVersion: '1.4.0', gameFamily: 'skyrim' });
    expect(p.xsePlugins.length).toBeGreaterThan(10);
    expect(p.problems.map((x) => x.code)).toContain('no_load_order');
  });
});
