import { describe, expect, it } from 'vitest';
import type { RawWaitChains } from '../../../src/main/capture/addon';
import { captureProfileBlock, dumpFlags } from '../../../src/main/capture/dump-profile';
import { captureTimestamp, manualCaptureNames } from '../../../src/main/capture/naming';
import { buildWctJson } from '../../../src/main/capture/wct-json';
import { parseWct } from '../../../src/main/formats/wct/parse-wct';

// Synthetic passes in the addon's shape (the real addon's output under Wine is ERROR_NOT_SUPPORTED only).
const t = (tid: number, waitTime: number) => ({
  objectType: 8,
  objectStatus: 3,
  thread: { processId: 10, threadId: tid, waitTime, contextSwitches: 1 },
});
const pass = (cycleTids: number[], waits: Record<number, number>): RawWaitChains => ({
  pid: 10,
  mainTid: 1,
  debugPrivilegeEnabled: false,
  comCallbackRegistered: true,
  threads: Object.entries(waits).map(([tid, w]) => ({
    tid: Number(tid),
    isCycle: cycleTids.includes(Number(tid)),
    nodes: [t(Number(tid), w)],
  })),
});

describe('our WCT JSON', () => {
  it('has SkyrimDiag’s pass and consensus fields', () => {
    const doc = buildWctJson(10, [
      pass([2, 3], { 1: 50, 2: 900, 3: 800 }),
      pass([3], { 1: 60, 2: 915, 3: 815 }),
    ]);
    expect(doc).toMatchObject({
      pid: 10,
      producer: { name: 'ctd-workbench', format: 1 },
      main_tid: 1,
      capture_passes: 2,
      cycle_consensus: true,
      repeated_cycle_tids: [3],
      longest_wait_tid_consensus: true,
      comCallbackRegistered: true,
      capture: { kind: 'manual', dump_transport: 'live_process' },
    });
    const passes = doc.passes as {
      cycle_thread_ids: number[];
      longest_wait_tid: number;
      longest_wait_ms: number;
    }[];
    expect(passes[0]).toMatchObject({ cycle_thread_ids: [2, 3], longest_wait_tid: 2, longest_wait_ms: 900 });
    const parsed = parseWct(JSON.stringify(doc));
    expect(parsed.mainThreadId).toBe(1);
    expect(parsed.passes).toHaveLength(2);
    expect(parsed.problems).toEqual([]);
  });

  it('one failed pass still gives a usable file; both failed gives capture_failed', () => {
    const one = buildWctJson(10, [null, pass([], { 1: 5 })]);
    expect(one.capture_passes).toBe(1);
    expect(one.cycle_consensus).toBe(false);
    const none = buildWctJson(10, [
      { pid: 10, threads: [], error: 50, debugPrivilegeEnabled: false, comCallbackRegistered: false },
      null,
    ]);
    expect(none).toMatchObject({ error: 'capture_failed', win32_error: 50, reason: 'ERROR_NOT_SUPPORTED' });
    expect(parseWct(JSON.stringify(none)).captureFailed).toBe(true);
  });
});

describe('names and profiles', () => {
  it('timestamp is local YYYYMMDD_HHMMSS_mmm and names follow SkyrimDiag', () => {
    const ts = captureTimestamp(new Date(2026, 0, 2, 3, 4, 5, 6));
    expect(ts).toBe('20260102_030405_006');
    expect(manualCaptureNames(ts)).toEqual({
      ts,
      dump: 'SkyrimDiag_Manual_20260102_030405_006.dmp',
      wct: 'SkyrimDiag_WCT_Manual_20260102_030405_006.json',
      manifest: 'SkyrimDiag_Incident_Manual_20260102_030405_006.json',
      etl: 'SkyrimDiag_Manual_20260102_030405_006.etl',
    });
  });

  it('dump flag sets match §8 (hang/manual row)', () => {
    expect(dumpFlags('small')).toBe(0x1000);
    expect(dumpFlags('default')).toBe(0x3024);
    expect(dumpFlags('full')).toBe(0x3026);
    expect(captureProfileBlock('small')).toMatchObject({
      base_mode: 'mini',
      include_thread_info: true,
      include_handle_data: false,
    });
    expect(captureProfileBlock('full')).toMatchObject({ base_mode: 'full', include_full_memory: true });
  });
});
