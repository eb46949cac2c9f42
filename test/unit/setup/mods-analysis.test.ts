import { describe, expect, it } from 'vitest';
import { enrichVerdict, implicatedMods } from '../../../src/main/analysis/mods/enrich';
import { buildModIndex } from '../../../src/main/analysis/mods/mod-index';
import { computeModTrends } from '../../../src/main/analysis/mods/mod-trends';
import type { ModTrendRow } from '../../../src/shared/domain/setup';
import { diffSnapshots, snapshotHash } from '../../../src/main/analysis/mods/snapshot';
import { Verdict } from '../../../src/shared/domain/incident';
import type { SnapshotBody } from '../../../src/shared/domain/setup';

/** The pure mod analyses on synthetic verdicts, snapshots and incident rows. */
const index = buildModIndex(
  [
    {
      name: 'Smart Harvest NG AutoLoot',
      enabled: true,
      priority: 3,
      version: '5.2',
      nexusId: 21854,
      files: ['SKSE/Plugins/SmartHarvestSE.dll', 'SmartHarvestSE.esp'],
    },
    {
      name: 'Old Harvest',
      enabled: true,
      priority: 1,
      version: '1.0',
      nexusId: null,
      files: ['SKSE/Plugins/SmartHarvestSE.dll'],
    },
    {
      name: 'Disabled',
      enabled: false,
      priority: 9,
      version: '9',
      nexusId: null,
      files: ['SmartHarvestSE.esp'],
    },
    {
      name: 'Name With Spaces',
      enabled: true,
      priority: 2,
      version: null,
      nexusId: null,
      files: ['My Patch.esp'],
    },
  ],
  'mo2',
);

describe('naming mods in a verdict', () => {
  const verdict = Verdict.parse({
    title: 'crash',
    analyzer: 'crashlog:crashlogger',
    faultingModule: 'SmartHarvestSE.dll',
    suspects: [
      { name: 'SmartHarvestSE.dll', score: 10, reason: 'faulting module' },
      { name: 'My Patch.esp', score: 2, reason: 'named twice', mod: { name: 'Mine', source: 'user' } },
      { name: 'Unknown.dll', score: 1, reason: 'on the stack', mod: { name: 'guess', source: 'path' } },
    ],
    findings: [
      {
        id: 'x',
        severity: 'high',
        title: 't',
        explanation: 'e',
        fix: 'f',
        evidence: ['faulting module SmartHarvestSE.dll', 'plugin My Patch.esp in the load order'],
      },
    ],
    probableCause: {
      subject: 'SmartHarvestSE.dll',
      subjectKind: 'module',
      confidence: 'high',
      why: 'first mod DLL under the game frames',
      next: 'Update or disable it',
      headline: 'old',
    },
  });

  it('suspects, the probable cause and its headline name the winning mod; a user-set mod stays', () => {
    const v = enrichVerdict(verdict, index);
    expect(v.suspects[0]!.mod).toEqual({
      name: 'Smart Harvest NG AutoLoot',
      version: '5.2',
      nexusId: 21854,
      source: 'mo2',
    });
    expect(v.suspects[1]!.mod).toEqual({ name: 'Mine', source: 'user' });
    expect(v.suspects[2]!.mod).toEqual({ name: 'guess', source: 'path' });
    expect(v.probableCause?.mod?.name).toBe('Smart Harvest NG AutoLoot');
    expect(v.probableCause?.headline).toContain('Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2)');
    expect(v.findings[0]!.evidence).toEqual([
      'faulting module SmartHarvestSE.dll',
      'plugin My Patch.esp in the load order',
      'from the mod Smart Harvest NG AutoLoot (SmartHarvestSE.dll, v5.2)',
      'from the mod Name With Spaces (My Patch.esp)',
    ]);
    // Idempotent: a rescan re-enriches the same verdict to the same result.
    expect(enrichVerdict(v, index)).toEqual(v);
    expect(implicatedMods(v).map((m) => [m.mod.name, m.faulting])).toEqual([
      ['Smart Harvest NG AutoLoot', true],
      ['Mine', false],
      ['guess', false],
    ]);
    expect(enrichVerdict(verdict, null)).toBe(verdict);
  });
});

describe('snapshot diff', () => {
  const body = (
    plugins: string[],
    mods: [string, string | null][] = [],
    dlls: [string, string | null][] = [],
  ): SnapshotBody => ({
    source: 'mo2',
    game: 'Skyrim Special Edition',
    plugins: plugins.map((name) => ({ name, enabled: true })),
    mods: mods.map(([name, version], i) => ({
      name,
      version,
      enabled: true,
      priority: i,
      nexusId: null,
      files: [],
    })),
    dlls: dlls.map(([name, version]) => ({ name, version })),
  });

  it('added, removed, updated, and the fewest moves that explain a new order', () => {
    const a = body(
      ['A.esm', 'B.esp', 'C.esp', 'D.esp', 'E.esp'],
      [
        ['Mod A', '1.0'],
        ['Mod B', '2.0'],
      ],
      [['x.dll', '1']],
    );
    const b = body(
      ['A.esm', 'C.esp', 'D.esp', 'B.esp', 'F.esp'],
      [
        ['Mod A', '1.1'],
        ['Mod C', null],
      ],
      [
        ['x.dll', '2'],
        ['y.dll', null],
      ],
    );
    const d = diffSnapshots(a, b);
    expect(d.added).toEqual([
      { kind: 'plugin', name: 'F.esp', version: null },
      { kind: 'mod', name: 'Mod C', version: null },
      { kind: 'dll', name: 'y.dll', version: null },
    ]);
    expect(d.removed.map((x) => x.name)).toEqual(['E.esp', 'Mod B']);
    expect(d.updated).toEqual([
      { kind: 'mod', name: 'Mod A', from: '1.0', to: '1.1' },
      { kind: 'dll', name: 'x.dll', from: '1', to: '2' },
    ]);
    expect(d.moved).toEqual([{ name: 'B.esp', from: 1, to: 3 }]);
    expect(snapshotHash(a)).not.toBe(snapshotHash(b));
    expect(snapshotHash(a)).toBe(snapshotHash(structuredClone(a)));
    expect(diffSnapshots(body([]), b).notes[0]).toMatch(/older snapshot lists none/);
  });
});

describe('per-mod trends', () => {
  const DAY = 86_400_000;
  const t0 = Date.UTC(2026, 0, 1);
  const row = (i: number, day: number, mod: string, version: string | null): ModTrendRow => ({
    incidentId: `i${i}`,
    title: `crash ${i}`,
    capturedAt: new Date(t0 + day * DAY).toISOString().slice(0, 19),
    mod,
    version,
    nexusId: null,
    faulting: i % 2 === 0,
    capturedMs: t0 + day * DAY,
  });

  it('counts crashes per mod and flags a mod whose crash rate rose after an update', () => {
    // Harvest: 1 crash in the 30 days of 5.1, then 4 in the 10 days of 5.2. Stable: steady.
    const rows = [
      row(1, 5, 'Harvest', '5.1'),
      row(2, 32, 'Harvest', '5.2'),
      row(3, 34, 'Harvest', '5.2'),
      row(4, 36, 'Harvest', '5.2'),
      row(5, 38, 'Harvest', '5.2'),
      row(6, 5, 'Stable', '1.0'),
      row(7, 35, 'Stable', '1.1'),
    ].reverse();
    const t = computeModTrends(
      rows,
      [
        { mod: 'Harvest', version: '5.1', firstMs: t0 },
        { mod: 'Harvest', version: '5.2', firstMs: t0 + 30 * DAY },
        { mod: 'Stable', version: '1.0', firstMs: t0 },
        { mod: 'Stable', version: '1.1', firstMs: t0 + 30 * DAY },
      ],
      { nowMs: t0 + 40 * DAY, fromMs: t0, days: 40, stepMs: DAY },
    );
    const h = t.mods.find((m) => m.mod === 'Harvest')!;
    expect(h.incidents).toBe(5);
    expect(h.faulting).toBe(2);
    expect(h.latestVersion).toBe('5.2');
    expect(h.versions.map((v) => [v.version, v.crashes, v.days])).toEqual([
      ['5.1', 1, 30],
      ['5.2', 4, 10],
    ]);
    expect(h.rose).toEqual({ from: '5.1', to: '5.2', before: 0.033, after: 0.4 });
    expect(h.spark.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.recent[0]).toEqual({ id: 'i5', capturedAt: '2026-02-08T00:00:00', title: 'crash 5' });
    expect(t.mods.find((m) => m.mod === 'Stable')?.rose).toBeNull();
    expect(t.rising).toEqual(['Harvest']);
    expect(t.mods[0]!.mod).toBe('Harvest');
  });
});
