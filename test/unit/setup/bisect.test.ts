import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { parsePluginsTxt, parseModlist } from '../../../src/main/formats/mo2/profile-lists';
import { readPluginHeader } from '../../../src/main/formats/plugin/tes4';
import { BisectService } from '../../../src/main/sources/setup/bisect-service';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type { BisectStatus } from '../../../src/shared/domain/setup';
import { captureIo } from '../../helpers/cli-io';
import { SKYRIM_BASE, writeMo2Instance, type SyntheticMod } from '../../helpers/mo2-instance';
import { mulberry32 } from '../../helpers/prng';

/**
 * The guided bisect over a synthetic MO2 instance: 64 mods with one plugin each whose TES4
 * headers (real layout, synthetic content) name masters among the earlier ones and the game's.
 * The "game" is this test: a round is bad when its profile enables the planted culprit.
 */
let dir: string;
let wb: Workbench | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-bisect-'));
});
afterEach(async () => {
  await wb?.close();
  wb = null;
  rmSync(dir, { recursive: true, force: true });
});

function plugins64(seed: number): SyntheticMod[] {
  const rnd = mulberry32(seed);
  const mods: SyntheticMod[] = [];
  for (let i = 0; i < 64; i++) {
    const masters = ['Skyrim.esm'];
    for (let j = 0; j < i; j++) if (rnd() < 0.06) masters.push(`Plugin${j}.esp`);
    mods.push({ name: `Mod ${i}`, version: `1.${i}.0.0`, plugins: [{ name: `Plugin${i}.esp`, masters }] });
  }
  return mods;
}

function snapshotDir(d: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(d))
    out[f] = createHash('sha256')
      .update(readFileSync(join(d, f)))
      .digest('hex');
  return out;
}

/** Enabled plugins of a written test profile, and whether each has its masters enabled. */
function checkProfile(inst: string, profileDir: string): { enabled: Set<string>; missing: string[] } {
  const enabled = new Set(
    parsePluginsTxt(readFileSync(join(profileDir, 'plugins.txt'), 'utf8'))
      .plugins.filter((p) => p.enabled)
      .map((p) => p.name.toLowerCase()),
  );
  const missing: string[] = [];
  for (const p of enabled) {
    const n = Number(/plugin(\d+)\.esp/.exec(p)?.[1]);
    const h = withFileSource(join(inst, 'mods', `Mod ${n}`, `Plugin${n}.esp`), (s) => readPluginHeader(s));
    for (const m of h.masters)
      if (!enabled.has(m.toLowerCase()) && !SKYRIM_BASE.includes(m)) missing.push(`${p} needs ${m}`);
  }
  return { enabled, missing };
}

async function open(): Promise<Workbench> {
  wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
  return wb;
}

describe('guided bisect over an MO2 profile', () => {
  it('64 plugins with master dependencies: the planted culprit in at most 8 rounds, every test profile keeps its masters', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: plugins64(7) }] });
    const original = join(inst, 'profiles', 'Default');
    const before = snapshotDir(original);
    // A folder that happens to have the first round's name is never touched.
    mkdirSync(join(inst, 'profiles', 'Default - bisect 1'));
    writeFileSync(join(inst, 'profiles', 'Default - bisect 1', 'mine.txt'), 'user data');
    const w = await open();
    for (const culprit of ['plugin0.esp', 'plugin17.esp', 'plugin42.esp', 'plugin63.esp']) {
      let s: BisectStatus = await w.ctx.bisect.start({ profileDir: original, pins: ['Plugin5.esp'] });
      // The pin and its masters are never suspects.
      expect(s.remaining).not.toContain('Plugin5.esp');
      expect(s.total).toBeGreaterThan(56);
      expect(s.maxRounds).toBeLessThanOrEqual(8);
      expect(s.rounds[0]!.profileName).toBe('Default - bisect 1 (2)');
      let rounds = 0;
      while (!s.done) {
        rounds++;
        const r = s.rounds.at(-1)!;
        const { enabled, missing } = checkProfile(inst, r.profileDir);
        expect(missing).toEqual([]);
        expect(enabled.has('plugin5.esp')).toBe(true);
        // Modlist is the original one at plugin granularity.
        expect(
          parseModlist(readFileSync(join(r.profileDir, 'modlist.txt'), 'utf8')).entries.every(
            (e) => e.state === 'enabled',
          ),
        ).toBe(true);
        s = await w.ctx.bisect.answer(enabled.has(culprit) ? 'bad' : 'good');
        if (rounds === 3) {
          // Restart: a new service over the same data folder resumes where it was.
          const resumed = new BisectService(join(dir, 'data'), w.ctx.setup).status();
          expect(resumed.rounds.length).toBe(s.rounds.length);
          expect(resumed.remaining).toEqual(s.remaining);
        }
      }
      expect(rounds).toBeLessThanOrEqual(8);
      expect(s.culprit?.toLowerCase()).toBe(culprit);
      expect(s.culpritMod).toBe(`Mod ${/\d+/.exec(culprit)![0]}`);
      const created = s.created;
      const r = await w.ctx.bisect.reset();
      expect(r.removed.sort()).toEqual([...created].sort());
      for (const c of created) expect(existsSync(c)).toBe(false);
      expect(readFileSync(join(inst, 'profiles', 'Default - bisect 1', 'mine.txt'), 'utf8')).toBe(
        'user data',
      );
    }
    expect(snapshotDir(original)).toEqual(before);
  });

  it('by mods: disables whole mods in modlist.txt (their DLLs too) and keeps master mods', async () => {
    const inst = join(dir, 'MO2');
    const mods: SyntheticMod[] = [
      { name: 'Base Lib', plugins: [{ name: 'BaseLib.esm', master: true }] },
      { name: 'Dll Only', dlls: ['Culprit.dll'] },
      { name: 'Needs Lib', plugins: [{ name: 'NeedsLib.esp', masters: ['BaseLib.esm'] }] },
      ...Array.from({ length: 9 }, (_, i): SyntheticMod => ({
        name: `Filler ${i}`,
        plugins: [{ name: `F${i}.esp` }],
      })),
    ];
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods }] });
    const w = await open();
    let s = await w.ctx.bisect.start({ profileDir: join(inst, 'profiles', 'Default'), granularity: 'mods' });
    expect(s.total).toBe(12);
    while (!s.done) {
      const r = s.rounds.at(-1)!;
      const modlist = parseModlist(readFileSync(join(r.profileDir, 'modlist.txt'), 'utf8')).entries;
      const on = new Set(modlist.filter((m) => m.state === 'enabled').map((m) => m.name));
      if (on.has('Needs Lib')) expect(on.has('Base Lib')).toBe(true);
      const plugins = parsePluginsTxt(readFileSync(join(r.profileDir, 'plugins.txt'), 'utf8')).plugins;
      expect(plugins.find((p) => p.name === 'NeedsLib.esp')?.enabled).toBe(on.has('Needs Lib'));
      s = await w.ctx.bisect.answer(on.has('Dll Only') ? 'bad' : 'good');
    }
    expect(s.culprit).toBe('Dll Only');
    expect(s.rounds.length).toBeLessThanOrEqual(s.maxRounds);
  });

  it('a new crash in the watched folder answers "bad" by itself', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: plugins64(3).slice(0, 8) }] });
    const w = await open();
    mkdirSync(join(dir, 'logs'));
    await w.ctx.sources.addFolder(join(dir, 'logs'));
    const s = await w.ctx.bisect.start({ profileDir: join(inst, 'profiles', 'Default') });
    expect(s.rounds[0]!.answer).toBeNull();
    // A crash log named with the time now (NetScriptFramework's naming), synthetic content.
    const d = new Date();
    const name = `Crash_${d.getFullYear()}_${d.getMonth() + 1}_${d.getDate()}_${d.getHours()}-${d.getMinutes()}-${d.getSeconds()}.txt`;
    writeFileSync(
      join(dir, 'logs', name),
      'Unhandled native exception occurred at 0x7FF6A1B2C3D4 (SkyrimSE.exe+12345) on thread 1234!\n\nFrame: 0\n',
    );
    await w.ctx.sources.scanFolder(join(dir, 'logs'));
    await w.idle();
    await new Promise((r) => setTimeout(r, 50));
    const after = w.ctx.bisect.status();
    expect(after.rounds[0]).toMatchObject({ answer: 'bad', answeredBy: 'crash' });
    expect(after.rounds[0]!.incidentId).toBeTruthy();
  });

  it('CLI: start with pins, status, good/bad, reset; a broken start says why', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: plugins64(11).slice(0, 16) }] });
    const data = ['--data-dir', join(dir, 'data')];
    const io = captureIo();
    expect(
      await runCli(
        [
          'bisect',
          'start',
          '--profile',
          join(inst, 'profiles', 'Default'),
          '--pin',
          'Plugin1.esp',
          '--pin',
          'Mod 2',
          '--json',
          ...data,
        ],
        io,
      ),
    ).toBe(0);
    const s = JSON.parse(io.outText) as BisectStatus;
    expect(s.pins).toEqual(['Plugin1.esp', 'Mod 2']);
    expect(s.remaining).not.toContain('Plugin1.esp');
    expect(s.remaining).not.toContain('Plugin2.esp');
    const st = captureIo();
    expect(await runCli(['bisect', 'status', '--json', ...data], st)).toBe(0);
    expect((JSON.parse(st.outText) as BisectStatus).rounds).toHaveLength(1);
    expect(await runCli(['bisect', 'good', ...data], captureIo())).toBe(0);
    const again = captureIo();
    expect(
      await runCli(['bisect', 'start', '--profile', join(inst, 'profiles', 'Default'), ...data], again),
    ).toBe(2);
    expect(again.errText).toMatch(/already running/);
    const reset = captureIo();
    expect(await runCli(['bisect', 'reset', '--json', ...data], reset)).toBe(0);
    expect((JSON.parse(reset.outText) as { removed: string[] }).removed).toHaveLength(2);
    const bad = captureIo();
    expect(await runCli(['bisect', 'start', '--profile', join(dir, 'nowhere'), ...data], bad)).toBe(2);
    expect(bad.errText).toMatch(/not a profile folder/);
    expect(await runCli(['bisect', 'good', ...data], captureIo())).toBe(2);
  });

  it('a plugin with a damaged header is a problem on that plugin; the bisect still runs', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: plugins64(5).slice(0, 6) }] });
    writeFileSync(join(inst, 'mods', 'Mod 3', 'Plugin3.esp'), Buffer.from('TES4\xff\xff', 'latin1'));
    const w = await open();
    const s = await w.ctx.bisect.start({ profileDir: join(inst, 'profiles', 'Default') });
    expect(s.problems.join('\n')).toMatch(/Plugin3\.esp: header unreadable/);
    expect(s.total).toBe(6);
  });
});
