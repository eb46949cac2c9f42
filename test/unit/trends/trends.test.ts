import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installHealth } from '../../../src/main/analysis/trends/health';
import { runCli } from '../../../src/main/cli/run';
import type { CliIo } from '../../../src/main/cli/types';
import { dispatch } from '../../../src/main/dispatch';
import { incidentIdFor } from '../../../src/main/sources/group';
import { sortKeyOfLocalIso } from '../../../src/shared/domain/local-time';
import type { SqliteIncidentStore } from '../../../src/main/store/sqlite-store';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { Verdict, type IncidentKind } from '../../../src/shared/domain/incident';
import type { Trends } from '../../../src/shared/domain/trends';
import { fixturesAvailable } from '../../helpers/fixtures';
import { buildSkyrimDiagFolder, type BuiltFolder } from '../../helpers/skyrimdiag-folder';

/**
 * Trends on a real SQLite index: the incidents of a folder built around REAL fixtures (dumps,
 * crash logs; dated 2024 to March 2026) plus SYNTHETIC dated incidents written here around a
 * fixed "now", whose counts are worked out by hand below.
 */
const NOW = '2026-12-01T12:00:00';
const DAY = 86_400_000;
const nowMs = sortKeyOfLocalIso(`${NOW}.000`);
const iso = (daysAgo: number) => new Date(nowMs - daysAgo * DAY).toISOString().slice(0, 23);

interface Synthetic {
  ago: number;
  kind: IncidentKind;
  sig: string | null;
  modules: { name: string; role: string; hits: number }[];
}
const X = (role: string) => ({ name: 'X.dll', role, hits: 1 });
const SYNTHETIC: Synthetic[] = [
  // Bucket A: four crashes, X.dll faulting, Y.dll on the stack; first seen 20 days ago.
  ...[0.5, 1, 2, 20].map((ago) => ({
    ago,
    kind: 'crash' as const,
    sig: 'A | x.dll+0x10',
    modules: [X('faulting'), { name: 'Y.dll', role: 'stack', hits: 3 }],
  })),
  // Bucket B: two hangs 3 days ago (new this week).
  { ago: 3, kind: 'hang', sig: 'B | y.dll wait', modules: [{ name: 'Y.dll', role: 'faulting', hits: 1 }] },
  {
    ago: 3 - 1 / 24,
    kind: 'hang',
    sig: 'B | y.dll wait',
    modules: [{ name: 'z.dll', role: 'stack', hits: 1 }],
  },
  // Bucket C: one crash in the week before, ntdll faulting, X.dll on the stack.
  {
    ago: 10,
    kind: 'crash',
    sig: 'C | ntdll',
    modules: [{ name: 'ntdll.dll', role: 'faulting', hits: 1 }, X('stack')],
  },
  // A manual capture (no signature, not a symptom) and a crash a year ago (bucket D).
  { ago: 1, kind: 'manual', sig: null, modules: [] },
  { ago: 400, kind: 'crash', sig: 'D | old', modules: [X('faulting')] },
];

function seed(store: SqliteIncidentStore): void {
  store.transaction(() =>
    SYNTHETIC.forEach((s, i) => {
      const key = `trends-test|${i}`;
      store.writeIncident(
        {
          id: incidentIdFor(key),
          groupKey: key,
          kind: s.kind,
          source: 'skyrimdiag',
          capturedAt: iso(s.ago),
          capturedMs: sortKeyOfLocalIso(iso(s.ago)),
          folder: '/synthetic',
          title: `${s.kind} ${s.sig ?? 'manual'} #${i}`,
          signature: s.sig,
          verdict: null,
          hasErrors: false,
          artifactCount: 0,
        },
        [],
        s.modules,
        s.sig ?? '',
      );
    }),
  );
}

describe('install health formula', () => {
  it('is 100 with nothing indexed and never below 0', () => {
    const none = installHealth({
      crashes7: 0,
      hangs7: 0,
      previous7: 0,
      daysSinceLast: null,
      recent30: 0,
      repeating30: 0,
    });
    expect(none).toMatchObject({ score: 100, grade: 'good', direction: 'steady' });
    expect(none.factors.every((f) => f.penalty === 0)).toBe(true);
    const worst = installHealth({
      crashes7: 100,
      hangs7: 50,
      previous7: 0,
      daysSinceLast: 0,
      recent30: 150,
      repeating30: 150,
    });
    expect(worst.score).toBe(0);
    expect(worst.factors.map((f) => f.penalty)).toEqual([35, 15, 20, 15, 15]);
    expect(worst.factors.reduce((n, f) => n + f.max, 0)).toBe(100);
  });
  it('a quiet fortnight after a bad spell: recency and trend cost nothing', () => {
    const h = installHealth({
      crashes7: 0,
      hangs7: 0,
      previous7: 6,
      daysSinceLast: 15,
      recent30: 10,
      repeating30: 4,
    });
    expect(h.factors.find((f) => f.id === 'recency')!.penalty).toBe(0);
    expect(h.factors.find((f) => f.id === 'trend')!.penalty).toBe(0);
    expect(h).toMatchObject({ score: 94, direction: 'falling' });
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())(
  'trends on a real index (real fixture incidents + SYNTHETIC dated ones)',
  () => {
    let tmp: string;
    let built: BuiltFolder;
    let wb: Workbench;
    const get = async (req: Record<string, unknown>): Promise<Trends> => {
      const r = await dispatch(wb.handlers, 'trends:get', { now: NOW, ...req }, true);
      if (!r.ok) throw new Error(r.error.message);
      return r.res as Trends;
    };

    beforeAll(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'ctd-trends-'));
      built = buildSkyrimDiagFolder(join(tmp, 'games'));
      wb = await createWorkbench({
        dataDir: join(tmp, 'data'),
        transport: 'test',
        initialFolders: [built.root],
      });
      seed(wb.ctx.store as SqliteIncidentStore);
    });
    afterAll(async () => {
      await wb.close();
      rmSync(tmp, { recursive: true, force: true });
    });

    it('counts crashes and hangs per day over the last 30 days, zero-filled', async () => {
      const t = await get({ days: 30 });
      expect(t).toMatchObject({
        now: `${NOW}.000`,
        from: '2026-11-02T00:00:00.000',
        days: 30,
        granularity: 'day',
      });
      expect(t.series).toHaveLength(30);
      expect(t.series[0]!.period).toBe('2026-11-02');
      expect(t.series[29]!.period).toBe('2026-12-01');
      const day = (d: string) => t.series.find((p) => p.period === d)!;
      expect(day('2026-12-01')).toMatchObject({ crash: 1, hang: 0, manual: 0 });
      expect(day('2026-11-30')).toMatchObject({ crash: 1, manual: 1 });
      expect(day('2026-11-28')).toMatchObject({ hang: 2 });
      expect(day('2026-11-11')).toMatchObject({ crash: 1 });
      expect(t.totals).toEqual({
        incidents: 8,
        crash: 5,
        hang: 2,
        manual: 1,
        unknown: 0,
        buckets: 3,
        newBuckets: 1,
        imported: 0,
      });
      expect(t.games).toEqual({ skyrim: 7, fallout4: 0, unknown: 0 });
    });

    it('ranks buckets with first/last seen, week counts, sparklines and the "new" flag', async () => {
      const t = await get({ days: 30 });
      expect(t.buckets.map((b) => [b.signature, b.inRange, b.total, b.lastWeek, b.isNew])).toEqual([
        ['A | x.dll+0x10', 4, 4, 3, false],
        ['B | y.dll wait', 2, 2, 2, true],
        ['C | ntdll', 1, 1, 0, false],
      ]);
      const a = t.buckets[0]!;
      expect(a).toMatchObject({ firstSeen: iso(20), lastSeen: iso(0.5), kind: 'crash' });
      expect(a.spark).toHaveLength(30);
      expect(a.spark.reduce((n, v) => n + v, 0)).toBe(4);
      expect(a.spark[29]).toBe(1);
      expect(t.buckets[1]!.title).toMatch(/^hang B/);
    });

    it('lists new buckets even beyond the top N', async () => {
      const t = await get({ days: 30, topBuckets: 1 });
      expect(t.buckets.map((b) => [b.signature, b.isNew])).toEqual([
        ['A | x.dll+0x10', false],
        ['B | y.dll wait', true],
      ]);
    });

    it('counts module participation: faulting vs only on the stack or a suspect', async () => {
      const t = await get({ days: 30 });
      expect(t.modules.map((m) => [m.module.toLowerCase(), m.faulting, m.other, m.role])).toEqual([
        ['x.dll', 4, 1, 'other'],
        ['y.dll', 1, 4, 'other'],
        ['ntdll.dll', 1, 0, 'system'],
        ['z.dll', 0, 1, 'other'],
      ]);
      expect(t.modules[0]!.share).toBeCloseTo(5 / 7);
    });

    it('health: every factor as worked out by hand', async () => {
      const { health } = await get({ days: 30 });
      expect(Object.fromEntries(health.factors.map((f) => [f.id, f.penalty]))).toEqual({
        crashes: 7.5, // 35 × (3 crashes / 7 days) / 2
        hangs: 4.3, // 15 × 2 / 7
        recency: 19.3, // 20 × (1 − 0.5 / 14)
        repeats: 12.9, // 15 × 6 of 7 in repeating buckets (A ×4, B ×2)
        trend: 12, // 15 × (5 − 1) / 5
      });
      expect(health).toMatchObject({ score: 44, grade: 'poor', direction: 'rising' });
      expect(health.formula).toMatch(/100 − /);
    });

    it('all time includes the real fixture incidents and the year-old bucket', async () => {
      const t = await get({ days: 0, topBuckets: 200 });
      const indexed = wb.ctx.store.list({ offset: 0, limit: 1000 });
      expect(t.totals.incidents).toBe(indexed.total);
      expect(indexed.total).toBe(built.expected.length + SYNTHETIC.length);
      expect(t.granularity).toBe('week');
      const withSig = indexed.items.filter((i) => i.signature !== null).length;
      expect(t.buckets.reduce((n, b) => n + b.total, 0)).toBe(withSig);
      expect(t.buckets.some((b) => b.signature === 'D | old')).toBe(true);
      // Real dumps put their faulting modules in the participation chart.
      expect(t.modules.some((m) => m.module.toLowerCase() === 'crashme.exe' && m.faulting > 0)).toBe(true);
      expect(t.series.reduce((n, p) => n + p.crash + p.hang + p.manual + p.unknown, 0)).toBe(indexed.total);
    });

    it('CLI: trends --json prints one document; the text form shows the score and its factors', async () => {
      const out: string[] = [];
      const io: CliIo = { out: (s) => out.push(s), err: () => undefined, env: {}, cwd: tmp };
      const db = join(tmp, 'data', 'index.sqlite');
      expect(await runCli(['trends', '--json', '--db', db, '--now', NOW, '--days', '30'], io)).toBe(0);
      expect(out).toHaveLength(1);
      const t = JSON.parse(out[0]!) as Trends;
      expect(t.health.score).toBe(44);
      out.length = 0;
      expect(await runCli(['trends', '--db', db, '--now', NOW], io)).toBe(0);
      expect(out.join('')).toMatch(/Install health 44\/100 \(poor, rising\)/);
      expect(out.join('')).toMatch(/Crash frequency\s+-7\.5\/35/);
      expect(out.join('')).toMatch(/NEW .*hang B/);
      expect(await runCli(['trends', '--db', db, '--days', 'many'], io)).toBe(64);
    });
  },
);

describe("trends count the player's own incidents, per game, with module names only", () => {
  let tmp: string;
  let wb: Workbench;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-trends-own-'));
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
    // SYNTHETIC rows: a Skyrim crash log, two Fallout 4 crashes, and an imported bundle (someone
    // else's Skyrim crash) with the same signature; a crash log's typed slot read as a module.
    const rows: [string, 'crashlogger' | 'bundle', string, string[]][] = [
      ['own-sk', 'crashlogger', 'Skyrim SE 1.6.1170', ['Foo.dll', 'void* -> SkyrimSE.exe']],
      ['own-fo-1', 'crashlogger', 'Fallout 4 1.10.163', ['f4ee.dll']],
      ['own-fo-2', 'crashlogger', 'Fallout 4 1.10.163', ['f4ee.dll']],
      ['imported', 'bundle', 'Skyrim SE 1.6.1170', ['Foo.dll', 'Bar.dll']],
    ];
    const store = wb.ctx.store as SqliteIncidentStore;
    rows.forEach(([id, source, game, modules], i) =>
      store.writeIncident(
        {
          id,
          groupKey: id,
          kind: 'crash',
          source,
          capturedAt: iso(i + 1),
          capturedMs: sortKeyOfLocalIso(iso(i + 1)),
          folder: '/synthetic',
          title: id,
          signature: game.startsWith('Skyrim') ? 'S | foo.dll' : 'F | f4ee.dll',
          verdict: Verdict.parse({ title: id, analyzer: 'test', game }),
          hasErrors: false,
          artifactCount: 0,
        },
        [],
        modules.map((name, j) => ({ name, role: j === 0 ? 'faulting' : 'stack', hits: 1 })),
        id,
      ),
    );
  });
  afterAll(async () => {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });
  const get = async (req: Record<string, unknown>): Promise<Trends> => {
    const r = await dispatch(wb.handlers, 'trends:get', { now: NOW, days: 30, ...req }, true);
    if (!r.ok) throw new Error(r.error.message);
    return r.res as Trends;
  };

  it('imported bundles are left out of every count and said apart', async () => {
    const t = await get({});
    expect(t.totals).toMatchObject({ incidents: 3, crash: 3, imported: 1 });
    expect(t.buckets.map((b) => [b.signature, b.inRange])).toEqual([
      ['F | f4ee.dll', 2],
      ['S | foo.dll', 1],
    ]);
    expect(t.modules.map((m) => m.module)).not.toContain('Bar.dll');
    expect(t.modules.find((m) => m.module === 'Foo.dll')).toMatchObject({ faulting: 1, other: 0 });
    expect(t.health.factors.find((f) => f.id === 'crashes')!.value).toMatch(/^3 crashes/);
  });

  it('splits the range by game, and narrows everything to one game', async () => {
    expect((await get({})).games).toEqual({ skyrim: 1, fallout4: 2, unknown: 0 });
    const fo = await get({ game: 'fallout4' });
    expect(fo.game).toBe('fallout4');
    expect(fo.totals).toMatchObject({ incidents: 2, imported: 0 });
    expect(fo.buckets.map((b) => b.signature)).toEqual(['F | f4ee.dll']);
    expect(fo.modules.map((m) => m.module)).toEqual(['f4ee.dll']);
    expect((await get({ game: 'skyrim' })).totals).toMatchObject({ incidents: 1, imported: 1 });
  });

  it('CLI: trends --game narrows to one game and says what was left out', async () => {
    const out: string[] = [];
    const io: CliIo = { out: (x) => out.push(x), err: () => undefined, env: {}, cwd: tmp };
    const db = join(tmp, 'data', 'index.sqlite');
    expect(await runCli(['trends', '--db', db, '--now', NOW, '--game', 'skyrim'], io)).toBe(0);
    expect(out.join('')).toMatch(/, Skyrim only: 1 incidents: 1 crash/);
    expect(out.join('')).toMatch(/by game: Skyrim 1, Fallout 4 2, unknown 0/);
    expect(out.join('')).toMatch(/1 imported bundle\(s\) in the range are someone else's: not counted/);
    expect(await runCli(['trends', '--db', db, '--game', 'morrowind'], io)).toBe(64);
    expect(await runCli(['list', '--db', db, '--game', 'fallout4', '--json'], io)).toBe(0);
    expect((JSON.parse(out[out.length - 1]!) as { total: number }).total).toBe(2);
  });

  it('parser leftovers such as "void* -> SkyrimSE.exe" are not charted as modules', async () => {
    const t = await get({});
    expect(t.modules.map((m) => m.module)).toEqual(['f4ee.dll', 'Foo.dll']);
  });
});
