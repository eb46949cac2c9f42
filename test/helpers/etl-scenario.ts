import { EtlWriter, Hook, Kernel, type WriterOptions } from './etl-writer';

/**
 * A SYNTHETIC 2-second kernel trace of a Skyrim hang, written with the documented classic
 * kernel layouts (see etl-writer.ts). Every number below is chosen so the expected summary can
 * be computed by hand in the tests:
 *  - main thread 1004 runs 0-200 ms with 200 samples (70% SomeMod.dll, 30% SkyrimSE.exe), then
 *    polls a lock: 35 times it is readied, runs 0.1 ms with a wait stack through SomeMod.dll, and
 *    waits again (WrAlertByThreadId) until the end;
 *  - render thread 1008 runs 0.5-2000 ms on CPU 1 (1999 samples in d3d11.dll);
 *  - audio thread 1012 runs 20 ms of every 100 ms on CPU 3 (waits WrQueue);
 *  - Discord.exe runs 100-400 ms on CPU 2; disk, file and hard-fault I/O at known sizes.
 */
export const SCENARIO = {
  game: { pid: 1000, main: 1004, render: 1008, audio: 1012 },
  discord: { pid: 2000, tid: 2004 },
  bsa: 'C:\\Games\\Skyrim Special Edition\\Data\\Skyrim - Textures0.bsa',
  modLog: 'C:\\Games\\Skyrim Special Edition\\Data\\SKSE\\Plugins\\SomeMod.log',
  endMs: 2000,
} as const;

const IMG = {
  kernel: { base: 0xfffff80000000000, size: 0x1000000, path: '\\SystemRoot\\system32\\ntoskrnl.exe' },
  game: { base: 0x140000000, size: 0x3000000, path: 'C:\\Games\\Skyrim Special Edition\\SkyrimSE.exe' },
  ntdll: { base: 0x7ffa10000000, size: 0x200000, path: 'C:\\Windows\\System32\\ntdll.dll' },
  d3d11: { base: 0x7ffa20000000, size: 0x300000, path: 'C:\\Windows\\System32\\d3d11.dll' },
  mod: {
    base: 0x7ffa30000000,
    size: 0x100000,
    path: 'C:\\Games\\Skyrim Special Edition\\Data\\SKSE\\Plugins\\SomeMod.dll',
  },
  discord: {
    base: 0x140000000,
    size: 0x1000000,
    path: 'C:\\Users\\Player\\AppData\\Local\\Discord\\Discord.exe',
  },
};

const PROCESSES = [
  { pid: 4, ppid: 0, image: 'System', commandLine: '' },
  { pid: 900, ppid: 800, image: 'explorer.exe', commandLine: 'C:\\Windows\\explorer.exe' },
  { pid: SCENARIO.game.pid, ppid: 900, image: 'SkyrimSE.exe', commandLine: `"${IMG.game.path}"` },
  { pid: SCENARIO.discord.pid, ppid: 900, image: 'Discord.exe', commandLine: IMG.discord.path },
];

const WAIT = { UserRequest: 6, WrQueue: 15, WrAlertByThreadId: 37 };
const STATE = { Ready: 1, Waiting: 5 };

type Op = { ms: number; seq: number; write: (w: EtlWriter, ts: number) => void };

/** Writes the scenario (whole file in memory, or streamed through `opts.onBuffer`). */
export function writeHangScenario(opts: WriterOptions = {}): { data: Buffer; writer: EtlWriter } {
  const w = new EtlWriter({ cpus: 4, ...opts });
  const ops: Op[] = [];
  let seq = 0;
  const at = (ms: number, write: Op['write']) => ops.push({ ms, seq: seq++, write });
  const { game, discord } = SCENARIO;

  // Rundown at the start (what a kernel session logs for what is already running).
  at(0.01, (w, ts) => {
    for (const p of PROCESSES) w.system(0, ...Hook.ProcessDCStart, 4, 4, 8, ts, Kernel.process(p));
    for (const tid of [game.main, game.render, game.audio])
      w.system(0, ...Hook.ThreadDCStart, 3, 4, 8, ts, Kernel.thread({ pid: game.pid, tid }));
    w.system(0, ...Hook.ThreadDCStart, 3, 4, 8, ts, Kernel.thread({ pid: discord.pid, tid: discord.tid }));
    w.system(
      0,
      ...Hook.ThreadSetName,
      2,
      game.pid,
      game.audio,
      ts,
      Kernel.threadName(game.pid, game.audio, 'AudioThread'),
    );
    w.system(0, ...Hook.ImageDCStart, 3, 4, 8, ts, Kernel.image({ pid: 0, ...IMG.kernel }));
    for (const img of [IMG.game, IMG.ntdll, IMG.d3d11, IMG.mod])
      w.system(0, ...Hook.ImageDCStart, 3, 4, 8, ts, Kernel.image({ pid: game.pid, ...img }));
    w.system(0, ...Hook.ImageDCStart, 3, 4, 8, ts, Kernel.image({ pid: discord.pid, ...IMG.discord }));
  });

  const cs = (
    cpu: number,
    ms: number,
    newTid: number,
    oldTid: number,
    reason: number,
    state: number,
    pid: number,
  ) =>
    at(ms, (w, ts) =>
      w.system(
        cpu,
        ...Hook.CSwitch,
        2,
        pid,
        newTid,
        ts,
        Kernel.cswitch({ newTid, oldTid, waitReason: reason, oldState: state }),
      ),
    );

  // Main thread: busy 0-200 ms with samples (and their stacks) on CPU 0.
  for (let i = 1; i <= 200; i++) {
    const ip = i % 10 < 7 ? IMG.mod.base + 0x1000 + i : IMG.game.base + 0x2000 + i;
    at(i - 0.5, (w, ts) => {
      w.perfinfo(0, ...Hook.Sample, ts, Kernel.sample(ip, game.main));
      w.system(
        0,
        ...Hook.Stack,
        2,
        game.pid,
        game.main,
        ts,
        Kernel.stack(ts, game.pid, game.main, [ip, IMG.game.base + 0x1000, IMG.ntdll.base + 0x100]),
      );
    });
  }
  cs(0, 200, 0, game.main, WAIT.WrAlertByThreadId, STATE.Waiting, 0);
  // Then it polls a lock every 50 ms: readied, runs 0.1 ms (wait stack through SomeMod.dll), waits.
  for (let k = 0; k < 35; k++) {
    const t = 250 + 50 * k;
    at(t - 0.05, (w, ts) =>
      w.system(0, ...Hook.ReadyThread, 2, game.pid, game.render, ts, Kernel.readyThread(game.main)),
    );
    at(t, (w, ts) => {
      w.system(
        0,
        ...Hook.CSwitch,
        2,
        game.pid,
        game.main,
        ts,
        Kernel.cswitch({ newTid: game.main, oldTid: 0, waitReason: 0, oldState: STATE.Ready }),
      );
      w.system(
        0,
        ...Hook.Stack,
        2,
        game.pid,
        game.main,
        ts,
        Kernel.stack(ts, game.pid, game.main, [
          IMG.ntdll.base + 0x200,
          IMG.mod.base + 0x1234,
          IMG.game.base + 0x5000,
        ]),
      );
    });
    cs(0, t + 0.1, 0, game.main, WAIT.WrAlertByThreadId, STATE.Waiting, 0);
  }

  // Render thread: CPU 1 from 0.5 ms to the end, sampled every ms in d3d11.dll.
  cs(1, 0.5, game.render, 0, 0, STATE.Ready, game.pid);
  for (let i = 1; i < 2000; i++)
    at(i, (w, ts) =>
      w.perfinfo(1, ...Hook.Sample, ts, Kernel.sample(IMG.d3d11.base + 0x4000 + (i % 64), game.render)),
    );

  // Discord on CPU 2, 100-400 ms.
  cs(2, 100, discord.tid, 0, 0, STATE.Ready, discord.pid);
  cs(2, 400, 0, discord.tid, WAIT.UserRequest, STATE.Waiting, 0);

  // Audio thread on CPU 3: 20 ms of every 100 ms.
  for (let j = 0; j < 20; j++) {
    cs(3, 100 * j + 5, game.audio, 0, 0, STATE.Ready, game.pid);
    cs(3, 100 * j + 25, 0, game.audio, WAIT.WrQueue, STATE.Waiting, 0);
  }

  // I/O on the render thread's CPU: 20 disk reads + 5 writes, a BSA opened and read 30 times,
  // a log written 3 times, 4 hard faults.
  const bsaFo = 0xffffc00000001000;
  const logFo = 0xffffc00000002000;
  at(290, (w, ts) => {
    w.system(
      1,
      ...Hook.FileCreate,
      2,
      game.pid,
      game.render,
      ts,
      Kernel.fileCreate({ fileObject: bsaFo, tid: game.render, path: SCENARIO.bsa }),
    );
    w.system(1, ...Hook.FileRundown, 2, game.pid, game.render, ts, Kernel.fileName(logFo, SCENARIO.modLog));
  });
  for (let i = 0; i < 20; i++)
    at(300 + 10 * i, (w, ts) =>
      w.system(
        1,
        ...Hook.DiskRead,
        3,
        game.pid,
        game.render,
        ts,
        Kernel.diskIo({
          bytes: 65536,
          offset: i * 65536,
          fileObject: bsaFo,
          responseTicks: 50_000,
          tid: game.render,
        }),
      ),
    );
  for (let i = 0; i < 5; i++)
    at(600 + 10 * i, (w, ts) =>
      w.system(
        1,
        ...Hook.DiskWrite,
        3,
        game.pid,
        game.render,
        ts,
        Kernel.diskIo({
          bytes: 4096,
          offset: i * 4096,
          fileObject: logFo,
          responseTicks: 50_000,
          tid: game.render,
        }),
      ),
    );
  for (let i = 0; i < 30; i++)
    at(300.5 + 10 * i, (w, ts) =>
      w.system(
        1,
        ...Hook.FileRead,
        2,
        game.pid,
        game.render,
        ts,
        Kernel.fileRw({ offset: i * 65536, fileObject: bsaFo, tid: game.render, size: 65536 }),
      ),
    );
  for (let i = 0; i < 3; i++)
    at(700 + i, (w, ts) =>
      w.system(
        1,
        ...Hook.FileWrite,
        2,
        game.pid,
        game.render,
        ts,
        Kernel.fileRw({ offset: i * 100, fileObject: logFo, tid: game.render, size: 100 }),
      ),
    );
  for (let i = 0; i < 4; i++)
    at(800 + i, (w, ts) =>
      w.system(
        1,
        ...Hook.HardFault,
        2,
        game.pid,
        game.render,
        ts,
        Kernel.hardFault({ fileObject: bsaFo, tid: game.render, bytes: 4096, va: IMG.mod.base + i * 4096 }),
      ),
    );

  // Rundown at the end marks the end of the capture window.
  at(SCENARIO.endMs, (w, ts) => {
    for (const p of PROCESSES) w.system(0, 0x03, 4, 4, 4, 8, ts, Kernel.process(p));
  });

  ops.sort((a, b) => a.ms - b.ms || a.seq - b.seq);
  for (const op of ops) op.write(w, w.ts(op.ms));
  return { data: w.finish(SCENARIO.endMs), writer: w };
}
