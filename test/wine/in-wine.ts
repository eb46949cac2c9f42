// Runs INSIDE node.exe under Wine (bundled to CJS by run-wine-tests.sh). It exercises the real
// Windows capture path: the cross-compiled addon plus the same orchestrator the app uses, on a
// real Wine process. Results go to a JSON file (node.exe's stdio is unreliable under Wine); the
// Linux side (verify.ts) then reads the produced dump with the project's own minidump reader.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { loadCaptureAddon, type CaptureAddon } from '../../src/main/capture/addon';
import { buildWctJson } from '../../src/main/capture/wct-json';
import { runManualCapture, type CaptureHelpers } from '../../src/main/capture/orchestrator';
import { pickQuickCaptureTarget } from '../../src/main/capture/quick-capture';
import { Wpr, recordEtwWindow, resolveWprExe } from '../../src/main/capture/wpr';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const resultsPath = process.argv[2] ?? '';
const outDir = process.argv[3] ?? '';
if (!resultsPath || !outDir) throw new Error('usage: in-wine.cjs <results.json> <outDir>');
const checks: Check[] = [];
const extra: Record<string, unknown> = {};
const check = (name: string, ok: boolean, detail: unknown): void => {
  checks.push({ name, ok, detail: typeof detail === 'string' ? detail : JSON.stringify(detail) });
  save();
};
const save = (): void => writeFileSync(resultsPath, JSON.stringify({ checks, ...extra }, null, 2));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A small, long-running Wine process to capture: far quicker to dump than node.exe itself. */
function startTarget(): ChildProcess {
  const sys = join(process.env.SystemRoot ?? 'C:\\windows', 'system32');
  return spawn(join(sys, 'ping.exe'), ['-n', '600', '127.0.0.1'], { stdio: 'ignore', windowsHide: true });
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  extra.platform = `${process.platform}-${process.arch} node ${process.version}`;
  const load = loadCaptureAddon();
  // The host exe is a renamed node.exe (like Electron's app exe): the addon's napi_* imports
  // name node.exe and only load through its delay-load hook.
  check(
    `addon loads in a renamed host exe (${basename(process.execPath)})`,
    load.ok,
    load.ok ? load.path : load.reason,
  );
  if (!load.ok) return;
  const addon: CaptureAddon = load.addon;

  const target = startTarget();
  await sleep(1500);
  const pid = target.pid ?? 0;
  extra.targetPid = pid;
  check('target process started', pid > 0 && alive(pid), `ping.exe pid ${pid}`);

  const procs = addon.listProcesses();
  const hostExe = basename(process.execPath).toLowerCase();
  const self = procs.find((p) => p.pid === process.pid);
  const child = procs.find((p) => p.pid === pid);
  check(
    `listProcesses sees the host exe (${hostExe}) with its path`,
    !!self && basename(self.exePath.replace(/\\/g, '/')).toLowerCase() === hostExe,
    self ?? procs.length,
  );
  check(
    'listProcesses sees the target and its parent',
    !!child && child.parentPid === process.pid,
    child ?? null,
  );
  check(
    'listProcesses fields typed',
    procs.every(
      (p) =>
        typeof p.name === 'string' &&
        typeof p.windowTitle === 'string' &&
        (p.responding === null || typeof p.responding === 'boolean'),
    ),
    `${procs.length} processes`,
  );

  // Direct addon calls.
  const wctPass = await addon.collectWaitChains(pid).catch((e: Error) => ({ rejected: e.message }));
  extra.wctPass = wctPass;
  check(
    'collectWaitChains answers (ERROR_NOT_SUPPORTED under Wine, or chains)',
    'pid' in wctPass && (wctPass.error === 50 || wctPass.threads.length > 0),
    wctPass,
  );
  check(
    'collectWaitChains found the main thread via thread creation times',
    'pid' in wctPass && typeof wctPass.mainTid === 'number',
    'pid' in wctPass ? (wctPass.mainTid ?? null) : wctPass,
  );
  const direct = join(outDir, 'direct_small.dmp');
  const stream = Buffer.from(JSON.stringify({ hello: 'user stream', pid }), 'utf8');
  try {
    const r = await addon.writeMinidump(pid, direct, {
      profile: 'small',
      userStreams: [{ type: 0x15743, data: stream }],
    });
    check('writeMinidump small + user stream', r.bytes > 0 && statSync(direct).size === r.bytes, r);
  } catch (e) {
    check('writeMinidump small + user stream', false, (e as Error).message);
  }
  extra.directDump = direct;
  const bad = await addon
    .writeMinidump(4_000_000, join(outDir, 'nopid.dmp'), { profile: 'small' })
    .then(() => null)
    .catch((e: Error & { winError?: number }) => e);
  check(
    'writeMinidump of a missing pid rejects with winError, leaves no file',
    !!bad && typeof bad.winError === 'number' && !existsSync(join(outDir, 'nopid.dmp')),
    bad ? { message: bad.message, winError: bad.winError } : 'resolved',
  );

  // The app's orchestrator with the addon's helpers, and wpr.exe resolved as on Windows.
  const wprExe = resolveWprExe(undefined);
  const wpr = wprExe ? new Wpr({ exe: wprExe, cwd: outDir, timeoutMs: 20_000 }) : null;
  const helpers: CaptureHelpers = {
    writeDump: (p, path, profile, userStreams) => addon.writeMinidump(p, path, { profile, userStreams }),
    collectWaitChains: (p) => addon.collectWaitChains(p),
    isAlive: alive,
    startEtw: wpr ? (o) => recordEtwWindow(wpr, o) : null,
  };
  const capDir = join(outDir, 'captures');
  const out = await runManualCapture(
    { pid, dumpProfile: 'default', withWct: true, etwSeconds: 2, etwProfile: 'GeneralProfile' },
    { outDir: capDir, helpers, timeouts: { wctMs: 20_000, dumpMs: 240_000 } },
  );
  extra.capture = out;
  check(
    'orchestrator capture ok (dump + manifest)',
    out.ok && !!out.files.dump && !!out.files.manifest,
    out.message,
  );
  check(
    'orchestrator WCT failure tolerated (capture_failed file kept)',
    out.wct.status !== 'skipped' && !!out.files.wct,
    out.wct,
  );
  check(
    'missing wpr.exe gives start_failed, never blocks the dump',
    out.etw.status === 'failed' &&
      out.etw.manifestStatus === 'start_failed' &&
      /not found/.test(out.etw.message ?? ''),
    out.etw,
  );
  check(
    'no .partial file left',
    readdirSync(capDir).every((n) => !n.endsWith('.partial')),
    readdirSync(capDir),
  );

  // ETW orchestration on Windows for real (process spawn, timeout kill, session state), with the
  // fake wpr run by node.exe since Wine has no wpr.exe.
  const fakeWpr = process.env.CTD_FAKE_WPR;
  if (fakeWpr) {
    const state = join(outDir, 'wpr-state');
    const fake = (env: Record<string, string> = {}, timeoutMs = 20_000): Wpr =>
      new Wpr({
        exe: process.execPath,
        prefixArgs: [fakeWpr],
        cwd: outDir,
        timeoutMs,
        env: { ...process.env, FAKE_WPR_STATE_DIR: state, ...env },
      });
    const etwDir = join(outDir, 'with-etw');
    const withEtw = await runManualCapture(
      { pid, dumpProfile: 'small', withWct: false, etwSeconds: 1, etwProfile: 'CPU' },
      {
        outDir: etwDir,
        helpers: { ...helpers, startEtw: (o) => recordEtwWindow(fake(), o) },
        timeouts: { dumpMs: 240_000 },
      },
    );
    extra.etwCapture = withEtw;
    check(
      'ETW window via (fake) wpr under Windows: .etl written next to the dump, manifest etw_status written',
      withEtw.ok &&
        withEtw.etw.manifestStatus === 'written' &&
        !!withEtw.files.etl &&
        existsSync(withEtw.files.etl),
      withEtw.etw,
    );
    const t0 = Date.now();
    const hung = await recordEtwWindow(fake({ FAKE_WPR_HANG: 'start' }, 3000), {
      seconds: 1,
      etlPath: join(outDir, 'hung.etl'),
    }).done;
    check(
      'hung wpr is killed at its timeout on Windows (TerminateProcess), then cancelled',
      hung.errorCode === 'timeout' && Date.now() - t0 < 30_000 && !hung.sessionLeftRunning,
      { ...hung, ms: Date.now() - t0 },
    );
  }

  // The C++ WCT conversion (node structs, UTF-16 names, ERROR_MORE_DATA, per-thread errors, cycle
  // flag) with canned chains: a test build whose WCT API calls are stand-ins, run on this
  // process's real threads. Wine itself has no Wait Chain Traversal.
  const stubPath = process.env.CTD_WCT_STUB_ADDON;
  if (stubPath) {
    const stub = createRequire(__filename)(stubPath) as CaptureAddon;
    const passes = [await stub.collectWaitChains(process.pid), await stub.collectWaitChains(process.pid)];
    const doc = buildWctJson(process.pid, passes);
    writeFileSync(join(outDir, 'wct-stub.json'), JSON.stringify(doc, null, 2));
    const p0 = passes[0];
    const t = p0?.threads ?? [];
    check(
      'WCT conversion: every thread of the process listed, cycle flags on the first two',
      t.length >= 5 && t[0]?.isCycle === true && t[1]?.isCycle === true && t[2]?.isCycle === false,
      { threads: t.length },
    );
    check(
      'WCT conversion: UTF-16 object name, ERROR_MORE_DATA kept with 16 nodes, access denied as error',
      t[2]?.nodes[1]?.objectName === 'Global\\CtdT\u00ebst' &&
        t[3]?.nodes.length === 16 &&
        t[3]?.error === undefined &&
        t[4]?.error === 5 &&
        t[4]?.nodes.length === 0,
      { name: t[2]?.nodes[1]?.objectName, moreData: t[3]?.nodes.length, denied: t[4]?.error },
    );
    extra.wctStubFile = join(outDir, 'wct-stub.json');
    extra.wctStubTids = t.slice(0, 2).map((x) => x.tid);
  }

  // A window that stops answering: responsiveness in listProcesses, then quick capture picks it.
  const hungExe = process.env.CTD_HUNGWIN;
  if (hungExe) {
    const win = spawn(hungExe, ['1500'], { stdio: 'ignore' });
    await sleep(800);
    const early = addon.listProcesses().find((p) => p.pid === win.pid);
    check(
      'listProcesses: window title and responding=true while the window pumps messages',
      early?.windowTitle === 'CTD test window' && early.responding === true,
      early ?? null,
    );
    await sleep(2500);
    const frozen = addon.listProcesses();
    const hungInfo = frozen.find((p) => p.pid === win.pid);
    check(
      'listProcesses: responding=false once it stops pumping',
      hungInfo?.responding === false,
      hungInfo ?? null,
    );
    const pick = pickQuickCaptureTarget(frozen.map((p) => ({ ...p, isGame: false })));
    check('quick capture picks the frozen window', pick?.pid === win.pid, pick ?? null);
    const frozenCap = await runManualCapture(
      {
        pid: win.pid ?? 0,
        dumpProfile: 'small',
        withWct: true,
        etwSeconds: 0,
        etwProfile: 'GeneralProfile',
        trigger: 'workbench_hotkey',
      },
      { outDir: join(outDir, 'frozen'), helpers, timeouts: { dumpMs: 240_000 } },
    );
    extra.frozenCapture = frozenCap;
    check('capture of the frozen window succeeds', frozenCap.ok && !!frozenCap.files.dump, frozenCap.message);
    win.kill();
  }

  target.kill();
  await sleep(1000);
  const gone = await runManualCapture(
    { pid, dumpProfile: 'small', withWct: true, etwSeconds: 0, etwProfile: 'GeneralProfile' },
    { outDir: join(outDir, 'gone'), helpers },
  );
  check(
    'capture of an exited process: clear message, no files',
    !gone.ok && /No running process/.test(gone.message),
    gone.message,
  );
}

main()
  .catch((e: unknown) =>
    check('in-wine script crashed', false, e instanceof Error ? (e.stack ?? e.message) : String(e)),
  )
  .finally(() => {
    extra.done = true;
    save();
    process.exit(0);
  });
