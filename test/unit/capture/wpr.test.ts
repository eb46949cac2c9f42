import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Wpr,
  WprError,
  activeEtwCount,
  cancelActiveEtw,
  recordEtwWindow,
  resolveWprExe,
  validateProfile,
  validateWindow,
  type EtwProgress,
} from '../../../src/main/capture/wpr';
import { FAKE_WPR, fakeWpr, type FakeWprEnv } from './fake-wpr';

// wpr.exe does not exist here; every test runs test/fakes/wpr/wpr.mjs, which keeps real session
// state between calls (start twice fails, stop without start fails) and logs its arguments.

let f: FakeWprEnv;
beforeEach(() => {
  f = fakeWpr();
});
afterEach(() => f.dispose());

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof WprError ? e.code : `other: ${String(e)}`;
  }
}

describe('fake wpr executable', () => {
  it('runs directly through its shebang and records arguments', () => {
    const r = spawnSync(FAKE_WPR, ['-status'], {
      env: { ...process.env, FAKE_WPR_STATE_DIR: f.stateDir },
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/not recording/);
    expect(f.calls()).toEqual([['-status']]);
  });
});

describe('Wpr calls', () => {
  it('start uses -start <profile> -filemode; a second start reports already running', async () => {
    const wpr = f.wpr();
    await wpr.start('generalprofile');
    expect(f.calls()[0]).toEqual(['-start', 'GeneralProfile', '-filemode']);
    expect(await code(wpr.start('CPU'))).toBe('already_running');
    expect((await wpr.status()).recording).toBe(true);
    await wpr.cancel();
    expect((await wpr.status()).recording).toBe(false);
  });

  it('stop without a session is "not_running"', async () => {
    expect(await code(f.wpr().stop(join(f.dir, 'x.etl')))).toBe('not_running');
  });

  it('missing wpr.exe is reported as wpr_missing', async () => {
    const wpr = new Wpr({ exe: join(f.dir, 'no', 'wpr.exe'), cwd: f.dir });
    const err = await wpr.start('CPU').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WprError);
    expect((err as WprError).code).toBe('wpr_missing');
    expect((err as WprError).message).toMatch(/wpr\.exe was not found/);
  });

  it('no admin rights is reported as not_admin with a clear message', async () => {
    const err = await f
      .wpr({ FAKE_WPR_NOADMIN: '1' })
      .start('GeneralProfile')
      .catch((e: unknown) => e);
    expect((err as WprError).code).toBe('not_admin');
    expect((err as WprError).message).toMatch(/administrator rights/);
  });

  it('a hung wpr is killed at the timeout', async () => {
    expect(await code(f.wpr({ FAKE_WPR_HANG: 'status' }, 3000).status())).toBe('timeout');
  });

  it('a generic non-zero exit keeps the exit code and the tool output', async () => {
    const err = (await f
      .wpr({ FAKE_WPR_FAIL: 'start', FAKE_WPR_EXIT: '3' })
      .start('CPU')
      .catch((e: unknown) => e)) as WprError;
    expect(err.code).toBe('failed');
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/Fake failure/);
  });

  it('profiles: built-ins, absolute .wprp that exists; anything else refused', () => {
    expect(validateProfile('diskio')).toBe('DiskIO');
    const wprp = join(f.dir, 'custom.wprp');
    writeFileSync(wprp, '<WindowsPerformanceRecorder/>');
    expect(validateProfile(wprp)).toBe(wprp);
    expect(() => validateProfile('custom.wprp')).toThrow(/Unknown ETW profile/);
    expect(() => validateProfile('Heap')).toThrow(WprError);
    expect(validateWindow(1)).toBe(1);
    expect(validateWindow(30)).toBe(30);
    for (const bad of [0, 31, 2.5, -1]) expect(() => validateWindow(bad)).toThrow(/1\.\.30 seconds/);
  });

  it('resolves wpr.exe in System32 on Windows only, unless configured', () => {
    expect(resolveWprExe(undefined, { SystemRoot: 'C:\\Windows' }, 'win32')).toMatch(/System32.wpr\.exe$/);
    expect(resolveWprExe(undefined, {}, 'linux')).toBeNull();
    expect(resolveWprExe(undefined, { CTD_WPR_EXE: '/x/wpr' }, 'linux')).toBe('/x/wpr');
  });
});

describe('recordEtwWindow', () => {
  it('records a window with a countdown and stops into the .etl', async () => {
    const etl = join(f.dir, 'SkyrimDiag_Manual_20260315_130000_001.etl');
    const ticks: EtwProgress[] = [];
    const rec = recordEtwWindow(f.wpr(), {
      seconds: 3,
      etlPath: etl,
      tickMs: 20,
      onProgress: (p) => ticks.push(p),
    });
    expect(await rec.started).toBe(true);
    const res = await rec.done;
    expect(res).toMatchObject({ outcome: 'ok', manifestStatus: 'written', etlPath: etl, errorCode: null });
    expect(ticks.filter((t) => t.phase === 'recording').map((t) => t.remainingSec)).toEqual([3, 2, 1]);
    expect(f.calls()).toEqual([
      ['-start', 'GeneralProfile', '-filemode'],
      ['-stop', etl],
    ]);
    expect(f.sessionRunning()).toBe(false);
  });

  it('start failing (already running from a stale run) gives start_failed and touches nothing else', async () => {
    await f.wpr().start('CPU');
    const res = await recordEtwWindow(f.wpr(), { seconds: 1, etlPath: join(f.dir, 'a.etl'), tickMs: 10 })
      .done;
    expect(res).toMatchObject({
      outcome: 'failed',
      manifestStatus: 'start_failed',
      errorCode: 'already_running',
    });
    expect(res.message).toMatch(/Cancel it and retry/);
    // The stale session is the user's to cancel (capture:cancelStaleEtw), not silently ours.
    expect(f.sessionRunning()).toBe(true);
  });

  it('no admin: start_failed with not_admin', async () => {
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_NOADMIN: '1' }), {
      seconds: 1,
      etlPath: join(f.dir, 'a.etl'),
      tickMs: 10,
    }).done;
    expect(res).toMatchObject({ outcome: 'failed', manifestStatus: 'start_failed', errorCode: 'not_admin' });
  });

  // The timeouts leave a loaded machine time to start Node for the fake before it is killed:
  // at 500 ms a busy CI box killed it before it logged its call.
  it('a hung start is killed and followed by -cancel', async () => {
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_HANG: 'start' }, 3000), {
      seconds: 1,
      etlPath: join(f.dir, 'a.etl'),
      tickMs: 10,
    }).done;
    expect(res.errorCode).toBe('timeout');
    expect(res.manifestStatus).toBe('start_failed');
    expect(f.calls().map((c) => c[0])).toEqual(['-start', '-cancel']);
  });

  it('a failing stop is retried 3 times, then cancelled (cancelled_after_stop_failure)', async () => {
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_FAIL: 'stop' }), {
      seconds: 1,
      etlPath: join(f.dir, 'a.etl'),
      tickMs: 10,
    }).done;
    expect(res).toMatchObject({ outcome: 'failed', manifestStatus: 'cancelled_after_stop_failure' });
    expect(f.calls().map((c) => c[0])).toEqual(['-start', '-stop', '-stop', '-stop', '-cancel']);
    expect(f.sessionRunning()).toBe(false);
    expect(res.sessionLeftRunning).toBe(false);
  });

  it('a hung stop and a failing cancel end as cleanup_unconfirmed', async () => {
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_HANG: 'stop', FAKE_WPR_FAIL: 'cancel' }, 400), {
      seconds: 1,
      etlPath: join(f.dir, 'a.etl'),
      tickMs: 10,
    }).done;
    expect(res.manifestStatus).toBe('cleanup_unconfirmed');
    expect(res.sessionLeftRunning).toBe(true);
    expect(res.message).toMatch(/Cancel failed too/);
  });

  it('an empty .etl after a successful stop is rejected', async () => {
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_ETL: 'empty' }), {
      seconds: 1,
      etlPath: join(f.dir, 'a.etl'),
      tickMs: 10,
    }).done;
    expect(res).toMatchObject({ outcome: 'failed', errorCode: 'etl_invalid' });
    expect(res.message).toMatch(/empty file/);
  });

  it('a stale .etl with the same name that stop did not rewrite is rejected', async () => {
    const etl = join(f.dir, 'a.etl');
    mkdirSync(f.dir, { recursive: true });
    writeFileSync(etl, 'old trace');
    const res = await recordEtwWindow(f.wpr({ FAKE_WPR_ETL: 'none' }), {
      seconds: 1,
      etlPath: etl,
      tickMs: 10,
    }).done;
    expect(res.errorCode).toBe('etl_invalid');
    expect(res.message).toMatch(/not rewritten/);
  });

  it('cancel during the window cancels the session; app exit (cancelActiveEtw) does the same', async () => {
    const rec = recordEtwWindow(f.wpr(), { seconds: 30, etlPath: join(f.dir, 'a.etl'), tickMs: 1000 });
    expect(await rec.started).toBe(true);
    expect(activeEtwCount()).toBe(1);
    expect(f.sessionRunning()).toBe(true);
    await cancelActiveEtw();
    const res = await rec.done;
    expect(res).toMatchObject({ outcome: 'skipped', errorCode: 'cancelled', manifestStatus: 'disabled' });
    expect(f.sessionRunning()).toBe(false);
    expect(activeEtwCount()).toBe(0);
    expect(f.calls().map((c) => c[0])).toEqual(['-start', '-cancel']);
  });

  it('an external abort signal ends the window the same way', async () => {
    const ac = new AbortController();
    const rec = recordEtwWindow(f.wpr(), {
      seconds: 30,
      etlPath: join(f.dir, 'a.etl'),
      signal: ac.signal,
    });
    await rec.started;
    ac.abort();
    expect((await rec.done).errorCode).toBe('cancelled');
    expect(f.sessionRunning()).toBe(false);
  });
});
