import { describe, expect, it } from 'vitest';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { SCENARIO, writeHangScenario } from '../../helpers/etl-scenario';
import { EtlWriter, Hook, Kernel } from '../../helpers/etl-writer';

/**
 * The real fixtures carry no kernel events, so these tests run on the SYNTHETIC hang trace of
 * test/helpers/etl-scenario.ts (documented kernel layouts, hand-computable numbers).
 */
describe('kernel summary of a synthetic hang trace', () => {
  const { data } = writeHangScenario();
  const s = EtlSession.fromSource(new BufferSource(data, 'synthetic-hang.etl'));
  const sum = s.summary;
  const { game } = SCENARIO;

  it('spans the capture window and reads every buffer cleanly', () => {
    expect(sum.problems).toEqual([]);
    expect(sum.durationMs).toBe(2000);
    expect(sum.hasKernel).toBe(true);
    expect(sum.header?.processors).toBe(4);
  });

  it('names processes from rundown events and picks the game as focus', () => {
    expect(sum.focusProcess).toEqual({ pid: game.pid, name: 'SkyrimSE.exe', why: 'game process' });
    const byPid = new Map(sum.processes.map((p) => [p.pid, p]));
    expect(byPid.get(game.pid)).toMatchObject({
      parentPid: 900,
      threads: 3,
      images: 4,
      cpuMs: 2603,
      samples: 2199,
    });
    expect(byPid.get(SCENARIO.discord.pid)).toMatchObject({ name: 'Discord.exe', cpuMs: 300 });
    expect(byPid.get(900)?.name).toBe('explorer.exe');
  });

  it('ranks the game threads by CPU and by wait time from context switches', () => {
    expect(sum.topThreadsByCpu.map((t) => [t.tid, t.cpuMs])).toEqual([
      [game.render, 1999.5],
      [game.audio, 400],
      [game.main, 203.5],
    ]);
    expect(sum.topThreadsByWait.map((t) => [t.tid, t.waitMs, t.topWaitReasons[0]?.reason])).toEqual([
      [game.main, 1794.75, 'WrAlertByThreadId'],
      [game.audio, 1595, 'WrQueue'],
    ]);
    expect(sum.topThreadsByCpu.find((t) => t.tid === game.audio)?.name).toBe('AudioThread');
  });

  it('attributes sampled CPU to modules of the game process', () => {
    expect(sum.totalSamples).toBe(2199);
    expect(sum.topModules.map((m) => [m.name, m.samples])).toEqual([
      ['d3d11.dll', 1999],
      ['SomeMod.dll', 140],
      ['SkyrimSE.exe', 60],
    ]);
    expect(sum.topModules[0]?.percent).toBe(90.9);
  });

  it('says what the main thread did during the hang window', () => {
    const m = sum.mainThread!;
    expect(m).toMatchObject({
      tid: game.main,
      how: 'first thread of the process in the trace',
      windowStartMs: 0,
      windowEndMs: 2000,
      runningMs: 203.5,
      waitingMs: 1794.75,
      readyMs: 1.75,
    });
    expect(m.topModules.slice(0, 2)).toEqual([
      { name: 'SomeMod.dll', samples: 140 },
      { name: 'SkyrimSE.exe', samples: 60 },
    ]);
    expect(m.waitModules.map((x) => x.samples)).toEqual([35, 35, 35]);
    expect(m.sentence).toContain('waiting 90% (WrAlertByThreadId)');
    expect(m.sentence).toContain('blocked in calls from SomeMod.dll');
  });

  it('totals disk, file and hard-fault I/O with file names', () => {
    expect(sum.io).toMatchObject({
      diskReads: 20,
      diskReadBytes: 20 * 65536,
      diskWrites: 5,
      diskWriteBytes: 5 * 4096,
      diskTimeMs: 125,
      fileCreates: 1,
      fileReads: 30,
      fileReadBytes: 30 * 65536,
      fileWrites: 3,
      fileWriteBytes: 300,
      hardFaults: 4,
      hardFaultBytes: 16384,
    });
    expect(sum.io.topFiles.map((f) => f.path)).toEqual([SCENARIO.bsa, SCENARIO.modLog]);
  });

  it('builds a timeline with CPU series for the top threads', () => {
    const tl = sum.timeline;
    expect(tl.threads.map((t) => t.tid)).toEqual([game.render, game.audio, game.main]);
    const cpuOf = (k: number) => tl.buckets.reduce((s, b) => s + b.cpu[k]!, 0);
    expect(cpuOf(0)).toBeCloseTo(1999.5, 1);
    expect(cpuOf(2)).toBeCloseTo(203.5, 1);
    expect(tl.buckets.reduce((s, b) => s + b.events, 0)).toBe(sum.events);
    expect(tl.buckets.reduce((s, b) => s + b.ioBytes, 0)).toBe(20 * 65536 + 5 * 4096 + 16384);
  });

  it('lists kernel events as one "Windows Kernel" provider with named event types', () => {
    expect(sum.providers.map((p) => p.name)).toEqual(['Windows Kernel']);
    const names = new Map(sum.types.map((t) => [t.event, t.count]));
    expect(names.get('Thread/CSwitch')).toBe(114);
    expect(names.get('PerfInfo/Sample')).toBe(2199);
    expect(names.get('StackWalk/Stack')).toBe(235);
  });

  it('pages the time-ordered events with filters, from any offset', () => {
    const all = s.page({ typeIds: null, pid: null }, 0, 100000);
    expect(all.total).toBe(sum.events);
    expect(all.rows).toHaveLength(sum.events);
    for (let i = 1; i < all.rows.length; i++)
      expect(all.rows[i]!.timeMs).toBeGreaterThanOrEqual(all.rows[i - 1]!.timeMs);
    // Deep pages restore a checkpoint and agree with the full read.
    const deep = s.page({ typeIds: null, pid: null }, 2500, 50);
    expect(deep.rows).toEqual(all.rows.slice(2500, 2550));
    const cswitch = s.typeIdsFor('Windows Kernel', 'Thread/CSwitch')!;
    const cs = s.page({ typeIds: cswitch, pid: null }, 100, 100);
    expect(cs.total).toBe(114);
    expect(cs.rows).toEqual(all.rows.filter((r) => r.event === 'Thread/CSwitch').slice(100));
    const discord = s.page({ typeIds: cswitch, pid: SCENARIO.discord.pid }, 0, 10);
    expect(discord.total).toBe(1);
  });

  it('decodes one event for the raw view with its fields and bytes', () => {
    const cs = s.page({ typeIds: s.typeIdsFor(null, 'Thread/CSwitch'), pid: null }, 0, 1).rows[0]!;
    const d = s.event(cs.position)!;
    expect(d.decodedBy).toBe('kernel');
    expect(d.fields.find((f) => f.name === 'NewThreadId')?.value).toBe(game.render);
    expect(d.recordHex.length).toBe((32 + 24) * 2);
    expect(d.payloadStart).toBe(32);
    expect(s.event(123)).toBeNull();
  });
});

describe('the asynchronous pass', () => {
  it('builds the same summary in slices, letting the event loop run between them', async () => {
    const { data } = writeHangScenario();
    const sync = EtlSession.fromSource(new BufferSource(data, 'a.etl')).summary;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const big = Buffer.concat([data, ...Array.from({ length: 40 }, () => data.subarray(65536))]);
    const asyncBig = await EtlSession.fromSourceAsync(new BufferSource(big, 'b.etl'));
    clearInterval(timer);
    expect(asyncBig.summary.events).toBeGreaterThan(100_000);
    expect(ticks).toBeGreaterThan(0);
    const asyncSmall = await EtlSession.fromSourceAsync(new BufferSource(data, 'a.etl'));
    expect(asyncSmall.summary).toEqual(sync);
  });
});

describe('file names for file I/O (synthetic)', () => {
  it('names reads by FileKey (Windows 8+ Name/Rundown events) and falls back to the FileObject', () => {
    const w = new EtlWriter({ cpus: 1 });
    const fo = 0xffffc00000005000;
    const key = 0xffffb00000007000;
    w.system(
      0,
      ...Hook.FileCreate,
      2,
      1,
      2,
      w.ts(1),
      Kernel.fileCreate({ fileObject: fo, tid: 2, path: 'C:\\by-object.bsa' }),
    );
    w.system(0, ...Hook.FileRundown, 2, 1, 2, w.ts(1), Kernel.fileName(key, 'C:\\by-key.bsa'));
    w.system(
      0,
      ...Hook.FileRead,
      2,
      1,
      2,
      w.ts(2),
      Kernel.fileRw({ offset: 0, fileObject: fo, fileKey: key, tid: 2, size: 100 }),
    );
    w.system(
      0,
      ...Hook.FileRead,
      2,
      1,
      2,
      w.ts(3),
      Kernel.fileRw({ offset: 0, fileObject: fo, fileKey: 0, tid: 2, size: 10 }),
    );
    const s = EtlSession.fromSource(new BufferSource(w.finish(4), 'files.etl'));
    expect(s.summary.io.topFiles).toEqual([
      { path: 'C:\\by-key.bsa', bytes: 100, ops: 1 },
      { path: 'C:\\by-object.bsa', bytes: 10, ops: 1 },
    ]);
  });
});

describe('capture hints', () => {
  it('follows the process and main thread the capture names, when the trace has them', () => {
    const { data } = writeHangScenario();
    const s = EtlSession.fromSource(new BufferSource(data, 'h.etl'), {
      focusPid: SCENARIO.discord.pid,
      mainThreadId: SCENARIO.discord.tid,
    });
    expect(s.summary.focusProcess).toEqual({
      pid: SCENARIO.discord.pid,
      name: 'Discord.exe',
      why: 'process of the capture',
    });
    expect(s.summary.mainThread).toMatchObject({
      tid: SCENARIO.discord.tid,
      how: 'given by the capture',
      runningMs: 300,
    });
    const absent = EtlSession.fromSource(new BufferSource(data, 'h.etl'), {
      focusPid: 4242,
      mainThreadId: 5120,
    });
    expect(absent.summary.focusProcess?.name).toBe('SkyrimSE.exe');
    expect(absent.summary.mainThread?.tid).toBe(SCENARIO.game.main);
  });
});
