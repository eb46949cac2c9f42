import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/main/dispatch';
import { incidentTimeline } from '../../../src/main/features/timeline/handlers';
import { createWorkbench, type Workbench } from '../../../src/main/workbench';
import { Timeline } from '../../../src/shared/domain/timeline';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { manifest } from '../../helpers/skyrimdiag-folder';
import { bbEvents, buildCrashFolder } from '../../helpers/timeline-folder';
import { deadlockDoc } from '../hang/wct-fixtures';

/**
 * A SkyrimDiag incident whose every file has a time we know, checked against where the timeline
 * puts it. The dump is REAL (Breakpad's thread_name_list.dmp: written 2020-09-14 08:42:28 UTC on a
 * machine in Central European Summer Time, UTC+2, which its MISC_INFO says); everything around
 * it is SYNTHETIC (manifest, Papyrus log, ETL, summary, WCT; no real SkyrimDiag output may be
 * used), written with the times below. The black box is handed in as events: its parser is the
 * SkyrimDiag formats' (not in this build yet).
 */
// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('one timeline per incident, against known times', () => {
  let tmp: string;
  let wb: Workbench;
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ctd-timeline-'));
    buildCrashFolder(join(tmp, 'crash'));
    wb = await createWorkbench({ dataDir: join(tmp, 'data'), transport: 'test' });
    await wb.ctx.sources.scan([join(tmp, 'crash')]);
  });
  afterAll(async () => {
    await wb.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  const crashIncident = () => {
    const item = wb.ctx.store.list({ offset: 0, limit: 10 }).items.find((i) => i.source === 'skyrimdiag')!;
    return wb.ctx.store.get(item.id)!;
  };

  it('puts a SkyrimDiag crash’s black box, log, ETW, dump and summary in the right order at the right times', async () => {
    const d = crashIncident();
    expect(d.artifacts.map((a) => a.role).sort()).toEqual([
      'blackbox',
      'dump',
      'etl',
      'manifest',
      'papyrus',
      'summary',
    ]);
    const tl = await incidentTimeline(d, { parseBlackbox: () => ({ events: bbEvents }) });
    expect(Timeline.safeParse(tl).success).toBe(true);
    // The zone comes from the real dump's MISC_INFO (daylight saving in force: UTC+2).
    expect(tl.zone.offsetMinutes).toBe(120);
    expect(tl.zone.from).toMatch(/MINIDUMP_MISC_INFO_3/);
    expect(tl.incidentTime).toBe('2020-09-14T10:42:27.950');
    const at = (source: string, kind: string) =>
      tl.events.filter((e) => e.source === source && e.kind === kind).map((e) => e.t);
    expect(at('incident', 'crash')).toEqual(['2020-09-14T10:42:27.950']);
    // Black box: ms since the plugin started, anchored on its Crash event at the capture time.
    expect(at('blackbox', 'menu-open')).toEqual(['2020-09-14T10:42:22.950']);
    expect(at('blackbox', 'module-load')).toEqual(['2020-09-14T10:42:26.950']);
    expect(at('blackbox', 'crash')).toEqual(['2020-09-14T10:42:27.950']);
    // The summary's resource ring is on the same clock.
    expect(at('summary', 'resource')).toEqual(['2020-09-14T10:42:27.450']);
    // Papyrus: local wall clock as written.
    expect(at('papyrus', 'log-line')).toEqual([
      '2020-09-14T10:40:00.000',
      '2020-09-14T10:42:20.000',
      '2020-09-14T10:42:26.000',
    ]);
    expect(tl.events.find((e) => e.t === '2020-09-14T10:42:26.000')).toMatchObject({
      level: 'error',
      ref: { line: 3 },
    });
    // Dump: UTC header and the summary's FILETIME, shifted to UTC+2.
    expect(at('dump', 'dump-written')).toEqual(['2020-09-14T10:42:28.250']);
    expect(at('dump', 'process-start')).toEqual(['2020-09-14T10:42:28.000']);
    // ETW: QPC ticks from the header's StartTime (08:42:28.500 UTC), shifted to UTC+2.
    expect(at('etw', 'process-start')).toEqual(['2020-09-14T10:42:28.700']);
    expect(at('etw', 'thread-start')).toEqual(['2020-09-14T10:42:28.800']);
    expect(at('etw', 'process-end')).toEqual(['2020-09-14T10:42:29.500']);
    expect(tl.events.find((e) => e.kind === 'process-end')?.text).toMatch(/SkyrimSE\.exe ended .*0xc0000005/);
    // In time order, with offsets from the crash.
    const ts = tl.events.map((e) => e.t);
    expect([...ts].sort()).toEqual(ts);
    expect(tl.events.find((e) => e.kind === 'menu-open')?.offsetMs).toBe(-5000);
    expect(tl.events.find((e) => e.kind === 'process-end')?.offsetMs).toBe(1550);
    // Every event says where it is in its artifact.
    for (const e of tl.events.filter((x) => x.source !== 'incident')) expect(e.ref.artifactId).not.toBeNull();
  });

  it('says when the black box cannot be read yet, and keeps everything else', async () => {
    const tl = await incidentTimeline(crashIncident());
    expect(tl.sources.find((s) => s.source === 'blackbox')?.note).toMatch(/parser/);
    // Without the black box the resource ring has no anchor either; the rest is there.
    expect(tl.events.some((e) => e.source === 'etw')).toBe(true);
    expect(tl.events.some((e) => e.source === 'summary')).toBe(false);
  });

  it('a hang: the freeze starts at the last heartbeat, waits begin before the capture', async () => {
    const root = join(tmp, 'hang');
    const sd = join(root, 'Tullius Ctd Logs');
    mkdirSync(sd, { recursive: true });
    const ts = '20200914_110000_000';
    writeFileSync(
      join(sd, `SkyrimDiag_Incident_Hang_${ts}.json`),
      JSON.stringify(
        manifest('hang', ts, `SkyrimDiag_Hang_${ts}.dmp`, `SkyrimDiag_WCT_${ts}.json`, {
          context: { seconds_since_heartbeat: 12.3 },
        }),
      ),
    );
    writeFileSync(join(sd, `SkyrimDiag_WCT_${ts}.json`), JSON.stringify(deadlockDoc()));
    await wb.ctx.sources.scan([root]);
    const item = wb.ctx.store.list({ offset: 0, limit: 10, kind: 'hang' }).items[0]!;
    const r = await dispatch(wb.handlers, 'timeline:get', { id: item.id }, true);
    expect(r.ok).toBe(true);
    const tl = r.ok ? (r.res as Timeline) : null;
    expect(tl?.incidentTime).toBe('2020-09-14T10:59:47.700');
    expect(tl?.incidentTimeFrom).toMatch(/last heartbeat/);
    const main = tl?.events.find((e) => e.kind === 'wait-start' && e.text.startsWith('main thread 5120'));
    expect(main?.t).toBe('2020-09-14T10:59:50.600'); // 9.4 s before the capture
    expect(main?.ref).toMatchObject({ role: 'wct', tid: 5120 });
    expect(tl?.events.find((e) => e.kind === 'wct-capture')?.t).toBe('2020-09-14T11:00:00.000');
    expect(tl?.events.map((e) => e.kind)).toEqual([
      'freeze',
      'wait-start',
      'wait-start',
      'wait-start',
      'capture',
      'wct-capture',
    ]);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('ETW clock on a real trace', () => {
  it('places events at the FILETIMEs their providers wrote (header StartTime + QPC ticks)', async () => {
    const { etwClock } = await import('../../../src/main/analysis/timeline/sources/etw');
    const { openEtl } = await import('../../../src/main/formats/etl/reader');
    const { MergedReader } = await import('../../../src/main/formats/etl/merge');
    const { EventCatalog } = await import('../../../src/main/formats/etl/catalog');
    const { BufferSource } = await import('../../../src/main/formats/common/byte-source');
    const { filetimeToUnixMs } = await import('../../../src/main/analysis/timeline/clock');
    // primitive-types.etl (PerfView's test trace): each event carries file_time_type, the FILETIME
    // the provider logged when it wrote the event (PerfView's baseline shows them).
    const trace = openEtl(new BufferSource(readFileSync(real('etl', 'primitive-types.etl')), 'p.etl'));
    const unixOf = etwClock(trace)!;
    const catalog = new EventCatalog();
    const reader = new MergedReader(trace);
    reader.reset();
    const diffs: number[] = [];
    reader.run((rec) => {
      if (rec.kind !== 'event') return;
      const f = catalog.decode(rec).fields.find((x) => x.name === 'file_time_type');
      if (!f) return;
      const ft = typeof f.value === 'string' && /^\d+$/.test(f.value) ? BigInt(f.value) : null;
      const payload = ft !== null ? filetimeToUnixMs(ft) : Date.parse(String(f.value));
      diffs.push(unixOf(rec.timestamp) - (payload ?? NaN));
    });
    expect(diffs).toHaveLength(5);
    // Within the provider's own clock resolution (GetSystemTimeAsFileTime ticks every ~16 ms).
    for (const d of diffs) expect(Math.abs(d)).toBeLessThan(20);
  });
});
