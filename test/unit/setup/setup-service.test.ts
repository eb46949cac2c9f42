import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { parseCrashLog } from '../../../src/main/formats/crashlog/parse-crashlog';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import type { CrashLogAnalysis } from '../../../src/shared/domain/crashlog';
import type { IncidentDetail } from '../../../src/shared/domain/incident';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { writeMo2Instance, type SyntheticMod } from '../../helpers/mo2-instance';

/**
 * Setup awareness end to end: a synthetic MO2 instance (no real one is in the fixtures) next
 * to real crash logs (temp copies, removed after each test; never in the repo).
 */
const MODS: SyntheticMod[] = [
  { name: 'Address Library for SKSE Plugins', version: '11.0.0.0', nexusId: 32444 },
  { name: 'SSE Engine Fixes (Part 2)', version: '6.1.0.0', nexusId: 17230, rootFiles: ['tbbmalloc.dll'] },
  { name: 'JContainers SE', version: '4.2.9.0', nexusId: 16495, dlls: ['JContainers64.dll'] },
  { name: 'SkyUI', version: '5.2.0.0', nexusId: 12604, plugins: [{ name: 'SkyUI_SE.esp' }] },
];

let dir: string;
let wb: Workbench | null = null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-setup-'));
});
afterEach(async () => {
  await wb?.close();
  wb = null;
  rmSync(dir, { recursive: true, force: true });
});

/** Profile lists last written at `when` (before the crash logs' own times). */
function ageProfile(instance: string, profile: string, when: Date): void {
  for (const f of ['modlist.txt', 'plugins.txt', 'loadorder.txt'])
    utimesSync(join(instance, 'profiles', profile, f), when, when);
}

async function open(): Promise<Workbench> {
  wb = await createWorkbench({ dataDir: join(dir, 'data'), transport: 'test' });
  return wb;
}

function onlyIncident(w: Workbench): IncidentDetail {
  const items = w.ctx.store.list({ offset: 0, limit: 10 }).items;
  expect(items).toHaveLength(1);
  return w.ctx.store.get(items[0]!.id)!;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('mod setup awareness with real crash logs', () => {
  it("a synthetic MO2 instance's DLLs map to their mods in the incident's suspects and findings", async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: MODS }] });
    ageProfile(inst, 'Default', new Date(2024, 0, 1));
    mkdirSync(join(dir, 'logs'));
    copyFileSync(
      real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'),
      join(dir, 'logs', 'Crash_2024_4_12_18-50-46.txt'),
    );
    const w = await open();
    await w.ctx.setup.add(inst);
    await w.ctx.sources.addFolder(join(dir, 'logs'));
    await w.idle();
    const d = onlyIncident(w);
    const jc = d.verdict!.suspects.find((s) => s.name === 'JContainers64.dll')!;
    expect(jc.mod).toEqual({ name: 'JContainers SE', version: '4.2.9', nexusId: 16495, source: 'mo2' });
    expect(d.verdict!.suspects.find((s) => s.name === 'tbbmalloc.dll')?.mod?.name).toBe(
      'SSE Engine Fixes (Part 2)',
    );
    const finding = d.verdict!.findings.find((f) => f.evidence.some((e) => /JContainers64\.dll/.test(e)));
    expect(finding?.evidence).toContain('from the mod JContainers SE (JContainers64.dll, v4.2.9)');
    // Mod names are searchable.
    expect(w.ctx.store.list({ search: 'JContainers SE', offset: 0, limit: 5 }).total).toBe(1);
    // Recorded: the crash log's own lists and the profile it ran with.
    expect(w.ctx.setup.changes(d.id).current?.source).toBe('mo2');
    const trends = w.ctx.setup.modTrends({ days: 0, now: '2024-04-13T00:00:00' });
    expect(trends.mods.find((m) => m.mod === 'JContainers SE')).toMatchObject({
      incidents: 1,
      faulting: 1,
      latestVersion: '4.2.9',
      recent: [{ id: d.id, capturedAt: d.capturedAt, title: d.title }],
    });
    // The CLI names the mod too: trends and show.
    const tr = captureIo();
    await runCli(
      ['trends', '--days', '0', '--now', '2024-04-13T00:00:00', '--data-dir', join(dir, 'data')],
      tr,
    );
    expect(tr.outText).toMatch(/JContainers SE\s+1 \/ 1\s+4\.2\.9: 1 in/);
    const show = captureIo();
    await runCli(['show', d.id, '--data-dir', join(dir, 'data')], show);
    expect(show.outText).toContain('JContainers SE (JContainers64.dll, v4.2.9)');
  });

  it('an instance added after the scan names the mods of incidents it was in use for; a newer profile is not used', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: MODS }] });
    mkdirSync(join(dir, 'logs'));
    copyFileSync(
      real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'),
      join(dir, 'logs', 'Crash_2024_4_12_18-50-46.txt'),
    );
    const w = await open();
    await w.ctx.sources.addFolder(join(dir, 'logs'));
    await w.idle();
    expect(
      onlyIncident(w).verdict!.suspects.find((s) => s.name === 'JContainers64.dll')?.mod,
    ).toBeUndefined();
    // The profile was written after the crash (now): it says nothing about that crash.
    await w.ctx.setup.add(inst);
    expect(
      onlyIncident(w).verdict!.suspects.find((s) => s.name === 'JContainers64.dll')?.mod,
    ).toBeUndefined();
    ageProfile(inst, 'Default', new Date(2024, 0, 1));
    await w.ctx.setup.add(inst);
    expect(onlyIncident(w).verdict!.suspects.find((s) => s.name === 'JContainers64.dll')?.mod?.name).toBe(
      'JContainers SE',
    );
  });

  it('what changed since the setup last seen in use without a crash: new mod, new plugin, updated DLL mod', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: MODS }] });
    const w = await open();
    await w.ctx.setup.add(inst); // the workbench sees the profile in use
    // The player then updates JContainers and installs a mod with a plugin...
    const updated = MODS.map((m) => (m.name === 'JContainers SE' ? { ...m, version: '4.3.0.0' } : m));
    writeMo2Instance(inst, {
      profiles: [
        {
          name: 'Default',
          mods: [...updated, { name: 'New Mod', version: '1.0.0.0', plugins: [{ name: 'NewMod.esp' }] }],
        },
      ],
    });
    await w.ctx.setup.liveSetups(true); // (the next look at the profile, before playing)
    // ...and the game crashes a minute later.
    const t = new Date(Date.now() + 60_000);
    const name = `Crash_${t.getFullYear()}_${t.getMonth() + 1}_${t.getDate()}_${t.getHours()}-${t.getMinutes()}-${t.getSeconds()}.txt`;
    mkdirSync(join(dir, 'logs'));
    copyFileSync(real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'), join(dir, 'logs', name));
    await w.ctx.sources.addFolder(join(dir, 'logs'));
    await w.idle();
    const d = onlyIncident(w);
    expect(d.verdict!.suspects.find((s) => s.name === 'JContainers64.dll')?.mod?.version).toBe('4.3');
    const diff = w.ctx.setup.changes(d.id);
    expect(diff.since).toMatchObject({ reason: 'observed', source: 'mo2', incidentId: null });
    expect(diff.current).toMatchObject({ reason: 'incident', source: 'mo2', incidentId: d.id });
    expect(diff.added).toEqual(
      expect.arrayContaining([
        { kind: 'plugin', name: 'NewMod.esp', version: null },
        { kind: 'mod', name: 'New Mod', version: '1.0' },
      ]),
    );
    expect(diff.updated).toEqual([{ kind: 'mod', name: 'JContainers SE', from: '4.2.9', to: '4.3' }]);
    expect(diff.removed).toEqual([]);
  });

  it('the load-order diff of two real crash logs equals the set difference of their plugin lists', async () => {
    for (const [folder, older, newer] of [
      ['buffout4-fo4', 'crash-2023-12-21-07-54-46.log', 'crash-2024-04-09-11-42-06.log'],
      ['skyrim-nsf-nolvus', 'Gravelord_-_Crash_2024_3_21.txt', 'Skeleton_-_Crash_2024_4_11_19-40-27.txt'],
    ] as const) {
      const logs = join(dir, folder);
      mkdirSync(logs);
      const names =
        folder === 'buffout4-fo4'
          ? [older, newer]
          : ['Crash_2024_3_21_10-00-00.txt', 'Crash_2024_4_11_19-40-27.txt'];
      copyFileSync(real('crashlogs', folder, older), join(logs, names[0]!));
      copyFileSync(real('crashlogs', folder, newer), join(logs, names[1]!));
      const w = await open();
      await w.ctx.sources.addFolder(logs);
      await w.idle();
      const items = w.ctx.store.list({ offset: 0, limit: 10 }).items; // newest first
      expect(items).toHaveLength(2);
      const b = items[0]!;
      const a = items[1]!;
      const plugins = (f: string) =>
        parseCrashLog(readFileSync(real('crashlogs', folder, f))).gamePlugins.map((p) =>
          p.name.toLowerCase(),
        );
      const pa = new Set(plugins(older));
      const pb = new Set(plugins(newer));
      const explicit = w.ctx.setup.changes(b.id, a.id);
      const added = explicit.added.filter((x) => x.kind === 'plugin').map((x) => x.name.toLowerCase());
      const removed = explicit.removed.filter((x) => x.kind === 'plugin').map((x) => x.name.toLowerCase());
      expect(new Set(added)).toEqual(new Set([...pb].filter((x) => !pa.has(x))));
      expect(new Set(removed)).toEqual(new Set([...pa].filter((x) => !pb.has(x))));
      expect(added.length + removed.length).toBeGreaterThan(0);
      expect(explicit.since).toMatchObject({ incidentId: a.id, reason: 'explicit', source: 'crashlog' });
      // Without --since: the previous crash whose setup differed.
      const auto = w.ctx.setup.changes(b.id);
      expect(auto.since).toMatchObject({ incidentId: a.id, reason: 'previous-crash' });
      expect(auto.added).toEqual(explicit.added);
      // The CLI prints the same document.
      const io = captureIo();
      const code = await runCli(
        ['loadorder', 'diff', b.id.slice(0, 10), '--since', a.id, '--json', '--data-dir', join(dir, 'data')],
        io,
      );
      expect(code).toBe(0);
      const printed = JSON.parse(io.outText) as {
        since: unknown;
        added: unknown[];
        removed: unknown[];
        updated: unknown[];
        moved: unknown[];
      };
      expect(Object.keys(printed)).toEqual(
        expect.arrayContaining(['since', 'added', 'removed', 'updated', 'moved']),
      );
      expect(printed.added).toEqual(explicit.added);
      await w.close();
      wb = null;
      rmSync(join(dir, 'data'), { recursive: true, force: true });
    }
  });

  it('analyze --setup names the mod of each suspect; setup --json prints the documented shape', async () => {
    const inst = join(dir, 'MO2');
    writeMo2Instance(inst, { profiles: [{ name: 'Default', mods: MODS }] });
    const io = captureIo();
    const code = await runCli(
      ['analyze', real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'), '--setup', inst, '--json'],
      io,
    );
    expect(code).toBeLessThanOrEqual(1);
    const a = JSON.parse(io.outText) as CrashLogAnalysis;
    expect(a.suspects.find((s) => s.name === 'JContainers64.dll')?.mod?.name).toBe('JContainers SE');
    const text = captureIo();
    await runCli(
      ['analyze', real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'), '--setup', inst],
      text,
    );
    expect(text.outText).toContain('suspect: JContainers SE (JContainers64.dll, v4.2.9)');

    const s = captureIo();
    expect(await runCli(['setup', inst, '--json'], s)).toBe(0);
    const doc = JSON.parse(s.outText) as {
      manager: string;
      instance: string;
      profiles: {
        name: string;
        plugins: unknown[];
        mods: {
          name: string;
          enabled: boolean;
          version: string | null;
          nexusId: number | null;
          files: string[];
        }[];
      }[];
    };
    expect(doc.manager).toBe('mo2');
    expect(doc.instance).toBe(inst);
    expect(doc.profiles[0]!.mods.find((m) => m.name === 'JContainers SE')).toMatchObject({
      enabled: true,
      version: '4.2.9',
      nexusId: 16495,
      files: ['SKSE/Plugins/JContainers64.dll'],
    });
    expect(doc.profiles[0]!.plugins.length).toBeGreaterThan(0);
    const bad = captureIo();
    expect(await runCli(['setup', join(dir, 'nothing-here')], bad)).toBe(2);
    expect(
      await runCli(
        ['analyze', real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'), '--setup', dir],
        captureIo(),
      ),
    ).toBe(2);
  });
});
