import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawWaitChains, UserStream } from '../../../src/main/capture/addon';
import {
  WCT_USER_STREAM,
  runManualCapture,
  type CaptureHelpers,
  type CaptureProgress,
} from '../../../src/main/capture/orchestrator';
import { recordEtwWindow } from '../../../src/main/capture/wpr';
import { parseWct } from '../../../src/main/formats/wct/parse-wct';
import { analyzeHang } from '../../../src/main/analysis/hang/analyze-hang';
import { fakeWpr, type FakeWprEnv } from './fake-wpr';

// Synthetic helpers stand in for the native addon (which only runs on Windows; its real run is
// test/wine). The ETW part uses the real wpr orchestration against the fake wpr executable.

const FIXED = new Date(2026, 2, 15, 13, 0, 0, 1);
const TS = '20260315_130000_001';

function deadlockChains(pid: number): RawWaitChains {
  const t = (tid: number, waitTime: number) => ({
    objectType: 8,
    objectStatus: 3,
    thread: { processId: pid, threadId: tid, waitTime, contextSwitches: 10 },
  });
  const cs = { objectType: 1, objectStatus: 6, objectName: '' };
  return {
    pid,
    mainTid: 5120,
    debugPrivilegeEnabled: true,
    comCallbackRegistered: false,
    threads: [
      { tid: 5120, isCycle: true, nodes: [t(5120, 9400), cs, t(6312, 9380), cs, t(5120, 9400)] },
      { tid: 6312, isCycle: true, nodes: [t(6312, 9380), cs, t(5120, 9400), cs, t(6312, 9380)] },
      { tid: 7000, isCycle: false, nodes: [t(7000, 0)] },
    ],
  };
}

interface Recorder {
  helpers: CaptureHelpers;
  order: string[];
  streams: UserStream[][];
}

function helpers(over: Partial<CaptureHelpers> = {}, alive = () => true): Recorder {
  const order: string[] = [];
  const streams: UserStream[][] = [];
  return {
    order,
    streams,
    helpers: {
      isAlive: alive,
      collectWaitChains: async (pid) => {
        order.push('wct');
        return deadlockChains(pid);
      },
      writeDump: async (_pid, path, _profile, s) => {
        order.push('dump');
        streams.push(s);
        writeFileSync(path, Buffer.concat([Buffer.from('MDMP'), Buffer.alloc(60)]));
      },
      startEtw: null,
      ...over,
    },
  };
}

let dir: string;
let f: FakeWprEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctd-capture-'));
  f = fakeWpr();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  f.dispose();
});

const onLinux = process.platform === 'linux';
const base = {
  pid: 4242,
  dumpProfile: 'default' as const,
  withWct: true,
  etwSeconds: 0,
  etwProfile: 'GeneralProfile',
};

describe('manual capture', () => {
  it('writes dump, WCT and manifest with SkyrimDiag names; WCT is embedded as user stream 0x15743', async () => {
    const r = helpers();
    const indexed: string[][] = [];
    const out = await runManualCapture(base, {
      outDir: dir,
      helpers: r.helpers,
      now: () => FIXED,
      onFilesWritten: (_d, files) => void indexed.push(files),
    });
    expect(out.ok).toBe(true);
    expect(out.partial).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([
      `SkyrimDiag_Incident_Manual_${TS}.json`,
      `SkyrimDiag_Manual_${TS}.dmp`,
      `SkyrimDiag_WCT_Manual_${TS}.json`,
    ]);
    expect(r.order).toEqual(['wct', 'wct', 'dump']);
    expect(r.streams[0]?.[0]?.type).toBe(WCT_USER_STREAM);
    expect(indexed).toHaveLength(1);

    const manifestText = readFileSync(join(dir, `SkyrimDiag_Incident_Manual_${TS}.json`), 'utf8');
    expect(manifestText.endsWith('\n')).toBe(false);
    const m = JSON.parse(manifestText) as Record<string, Record<string, unknown>>;
    expect(m.schema).toEqual({ name: 'SkyrimDiagIncident', version: 1 });
    expect(m.incident_id).toBe(`manual_${TS}_pid4242`);
    expect(m.capture_kind).toBe('manual');
    expect(m.artifacts).toEqual({
      dump: `SkyrimDiag_Manual_${TS}.dmp`,
      wct: `SkyrimDiag_WCT_Manual_${TS}.json`,
      etw: '',
      etw_status: 'disabled',
      helper_log: 'SkyrimDiagHelper.log',
    });
    expect(m.privacy).toEqual({
      paths: 'filenames_only',
      contains_user_paths: false,
      contains_config_paths: false,
    });
    expect(m.capture_profile).toMatchObject({
      capture_kind: 'manual',
      base_mode: 'default',
      include_handle_data: true,
    });

    // Our WCT JSON reads back through the project's parser and hang analysis as a deadlock.
    const doc = parseWct(readFileSync(join(dir, `SkyrimDiag_WCT_Manual_${TS}.json`), 'utf8'));
    expect(doc.producer).toBe('ctd-workbench');
    expect(doc.capturePasses).toBe(2);
    expect(doc.cycleConsensus).toBe(true);
    expect(doc.capture?.kind).toBe('manual');
    const hang = analyzeHang(doc, { mainThreadId: doc.mainThreadId });
    expect(hang.mainThreadId).toBe(5120);
    expect(hang.cycles.length).toBeGreaterThan(0);
  });

  it('a pid that does not exist fails at once with a clear message and no files', async () => {
    const out = await runManualCapture(base, { outDir: dir, helpers: helpers({}, () => false).helpers });
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/No running process with id 4242/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('WCT not supported (Wine: ERROR_NOT_SUPPORTED) still gives the dump and a capture_failed WCT file', async () => {
    const r = helpers({
      collectWaitChains: async (pid) => ({
        pid,
        threads: [],
        error: 50,
        debugPrivilegeEnabled: false,
        comCallbackRegistered: false,
      }),
    });
    const out = await runManualCapture(base, { outDir: dir, helpers: r.helpers, now: () => FIXED });
    expect(out.ok).toBe(true);
    expect(out.partial).toBe(true);
    expect(out.wct.message).toMatch(/ERROR_NOT_SUPPORTED/);
    const doc = parseWct(readFileSync(join(dir, `SkyrimDiag_WCT_Manual_${TS}.json`), 'utf8'));
    expect(doc.captureFailed).toBe(true);
    expect(r.streams[0]).toEqual([]);
  });

  it('a hung WCT collector is cut off by its timeout and the dump still happens', async () => {
    const r = helpers({ collectWaitChains: () => new Promise<RawWaitChains>(() => undefined) });
    const out = await runManualCapture(base, {
      outDir: dir,
      helpers: r.helpers,
      timeouts: { wctMs: 100 },
      now: () => FIXED,
    });
    expect(out.ok).toBe(true);
    expect(out.wct.status).toBe('failed');
    expect(out.wct.message).toMatch(/did not finish/);
  });

  it('full disk: clear error, the partial dump is deleted and no manifest is written', async () => {
    const r = helpers({
      writeDump: async (_pid, path) => {
        writeFileSync(path, 'MDMP half');
        throw Object.assign(new Error('There is not enough space on the disk.'), { winError: 112 });
      },
    });
    const out = await runManualCapture(base, { outDir: dir, helpers: r.helpers, now: () => FIXED });
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/disk is full/);
    expect(readdirSync(dir)).toEqual([`SkyrimDiag_WCT_Manual_${TS}.json`]);
  });

  // Skipped off Linux: /dev/full (a device that answers every write with ENOSPC) exists only there.
  it.skipIf(!onLinux)(
    'a real ENOSPC (temp file pointed at /dev/full) is reported as a full disk, nothing kept',
    async () => {
      // /dev/full makes the kernel answer ENOSPC: the dump writer below is an ordinary fs write.
      symlinkSync('/dev/full', join(dir, `SkyrimDiag_Manual_${TS}.dmp.partial`));
      const r = helpers({ writeDump: async (_pid, path) => writeFileSync(path, Buffer.alloc(1 << 16, 7)) });
      const out = await runManualCapture(
        { ...base, withWct: false },
        { outDir: dir, helpers: r.helpers, now: () => FIXED },
      );
      expect(out.ok).toBe(false);
      expect(out.message).toMatch(/disk is full/);
      expect(readdirSync(dir)).toEqual([]);
    },
  );

  // Skipped off Linux: same reason, /dev/full exists only there.
  it.skipIf(!onLinux)('a real ENOSPC on the manifest leaves no half manifest', async () => {
    symlinkSync('/dev/full', join(dir, `SkyrimDiag_Incident_Manual_${TS}.json.partial`));
    const out = await runManualCapture(base, { outDir: dir, helpers: helpers().helpers, now: () => FIXED });
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/manifest could not be/);
    expect(readdirSync(dir).sort()).toEqual([
      `SkyrimDiag_Manual_${TS}.dmp`,
      `SkyrimDiag_WCT_Manual_${TS}.json`,
    ]);
  });

  it('process exits mid-way: partial result that says so, the WCT taken before is kept', async () => {
    let alive = true;
    const r = helpers(
      {
        writeDump: async () => {
          alive = false;
          throw Object.assign(new Error('OpenProcess failed'), { winError: 87 });
        },
      },
      () => alive,
    );
    const out = await runManualCapture(base, { outDir: dir, helpers: r.helpers, now: () => FIXED });
    expect(out).toMatchObject({ ok: false, partial: true, processExited: true });
    expect(out.message).toMatch(/exited during the capture.*Saved what was captured before that/);
  });

  it('a hung dump writer times out and leaves no file under the real name', async () => {
    const r = helpers({ writeDump: () => new Promise(() => undefined) });
    const out = await runManualCapture(
      { ...base, withWct: false },
      { outDir: dir, helpers: r.helpers, timeouts: { dumpMs: 100 }, now: () => FIXED },
    );
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/timed out/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the dump never waits for ETW: an ETW start that has not answered does not hold it back', async () => {
    let releaseStart: (v: boolean) => void = () => undefined;
    const r = helpers({
      startEtw: () => {
        r.order.push('etw-start');
        const started = new Promise<boolean>((res) => (releaseStart = res));
        return {
          started,
          done: started.then(() => ({
            outcome: 'failed' as const,
            manifestStatus: 'start_failed' as const,
            etlPath: null,
            errorCode: 'timeout' as const,
            message: 'wpr.exe did not answer in time',
            sessionLeftRunning: false,
          })),
          cancel: () => releaseStart(false),
        };
      },
    });
    const write = r.helpers.writeDump;
    r.helpers.writeDump = async (...a) => {
      await write(...a);
      releaseStart(false);
    };
    const out = await runManualCapture(
      { ...base, etwSeconds: 5 },
      { outDir: dir, helpers: r.helpers, now: () => FIXED },
    );
    expect(r.order).toEqual(['etw-start', 'wct', 'wct', 'dump']);
    expect(out.ok).toBe(true);
    expect(out.etw.manifestStatus).toBe('start_failed');
  });

  it('with ETW: countdown progress, .etl next to the dump, the manifest ends with etw_status written', async () => {
    const r = helpers({
      startEtw: (opts) => recordEtwWindow(f.wpr(), { ...opts, tickMs: 20 }),
    });
    const progress: CaptureProgress[] = [];
    const out = await runManualCapture(
      { ...base, etwSeconds: 2 },
      { outDir: dir, helpers: r.helpers, now: () => FIXED, onProgress: (p) => progress.push(p) },
    );
    expect(out.ok).toBe(true);
    expect(out.etw).toMatchObject({ status: 'ok', manifestStatus: 'written' });
    expect(out.files.etl).toBe(join(dir, `SkyrimDiag_Manual_${TS}.etl`));
    const m = JSON.parse(readFileSync(join(dir, `SkyrimDiag_Incident_Manual_${TS}.json`), 'utf8')) as {
      artifacts: Record<string, string>;
      etw_outcome: string;
    };
    expect(m.artifacts.etw).toBe(`SkyrimDiag_Manual_${TS}.etl`);
    expect(m.artifacts.etw_status).toBe('written');
    expect(m.etw_outcome).toBe('ok');
    expect(progress.some((p) => p.phase === 'etw' && p.etwRemainingSec === 1)).toBe(true);
    expect(progress.at(-1)?.phase).toBe('done');
  });

  it('ETW without admin: dump and WCT fine, manifest says start_failed, result is partial', async () => {
    const r = helpers({ startEtw: (opts) => recordEtwWindow(f.wpr({ FAKE_WPR_NOADMIN: '1' }), opts) });
    const out = await runManualCapture(
      { ...base, etwSeconds: 3 },
      { outDir: dir, helpers: r.helpers, now: () => FIXED },
    );
    expect(out.ok).toBe(true);
    expect(out.partial).toBe(true);
    expect(out.etw).toMatchObject({ status: 'failed', manifestStatus: 'start_failed' });
    expect(out.message).toMatch(/administrator rights/);
    const m = JSON.parse(readFileSync(join(dir, `SkyrimDiag_Incident_Manual_${TS}.json`), 'utf8')) as {
      artifacts: Record<string, string>;
    };
    expect(m.artifacts.etw_status).toBe('start_failed');
    expect(m.artifacts.etw).toBe('');
  });

  it('ETW requested where there is none: skipped with the reason', async () => {
    const r = helpers({ startEtw: null, etwUnavailable: 'wpr.exe was not found' });
    const out = await runManualCapture(
      { ...base, etwSeconds: 3 },
      { outDir: dir, helpers: r.helpers, now: () => FIXED },
    );
    expect(out.ok).toBe(true);
    expect(out.etw.status).toBe('skipped');
    expect(out.message).toMatch(/wpr\.exe was not found/);
  });
});
