import { resolve } from 'node:path';
import { loadCaptureAddon } from '../../capture/addon';
import type { DumpProfile } from '../../capture/dump-profile';
import { runManualCapture } from '../../capture/orchestrator';
import { Wpr, recordEtwWindow, resolveWprExe } from '../../capture/wpr';
import { flagString } from '../args';
import { EXIT, helpText, UsageError, type CliCommand } from '../types';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const CAPTURE_USAGE =
  'capture --pid <pid> [--out dir] [--profile small|default|full] [--no-wct] [--etw 0..30]\n' +
  '          [--etw-profile name|file.wprp] [--json]\n' +
  '       ctd-workbench capture --list [--json]';

/** `capture`: a manual capture from a script or a QA machine's shortcut (Windows only). */
export const captureCommand: CliCommand = {
  name: 'capture',
  usage: CAPTURE_USAGE,
  help: helpText({
    usage: CAPTURE_USAGE,
    about:
      'Writes a minidump of a running (or frozen) process, its wait chains and optionally an ETW\n' +
      'trace window, under SkyrimDiag file names the app and `scan` understand. Windows only.',
    options: [
      ['--list', 'list running processes (game first, frozen windows marked)'],
      ['--pid pid', 'the process to capture'],
      ['--out dir', 'where the files go (default: the current folder)'],
      ['--profile p', 'dump size: small (stacks), default (+ data segments), full (all memory)'],
      ['--no-wct', 'skip the wait-chain (WCT) snapshot'],
      ['--etw s', 'also record an ETW trace for s seconds (0..30, needs wpr.exe and admin)'],
      ['--etw-profile p', 'GeneralProfile (default), CPU, DiskIO, FileIO or an absolute .wprp file'],
      ['--json', 'print the result as one JSON document'],
    ],
    examples: [
      'ctd-workbench capture --list',
      'ctd-workbench capture --pid 4242 --out D:\\captures',
      'ctd-workbench capture --pid 4242 --profile full --etw 10 --json',
    ],
    exits: [' 0  captured', ' 2  nothing usable was written (no such process, not Windows, access denied)'],
  }),
  valueFlags: ['pid', 'out', 'profile', 'etw', 'etw-profile'],
  booleanFlags: ['json', 'list', 'no-wct'],
  async run(args, io) {
    const json = args.flags.json === true;
    const load = loadCaptureAddon();
    if (!load.ok) {
      if (json) io.out(`${JSON.stringify({ ok: false, message: load.reason })}\n`);
      else io.err(`error: ${load.reason}\n`);
      return EXIT.badInput;
    }
    if (args.flags.list === true) {
      const list = load.addon.listProcesses();
      if (json) io.out(`${JSON.stringify(list)}\n`);
      else
        for (const p of list)
          io.out(
            `${String(p.pid).padStart(7)}  ${p.name}${p.windowTitle ? `  "${p.windowTitle}"` : ''}${p.responding === false ? '  NOT RESPONDING' : ''}\n`,
          );
      return EXIT.ok;
    }
    const pid = Number(flagString(args, 'pid'));
    if (!Number.isInteger(pid) || pid <= 0) throw new UsageError('--pid <pid> is required');
    const profile = (flagString(args, 'profile') ?? 'default') as DumpProfile;
    if (!['small', 'default', 'full'].includes(profile))
      throw new UsageError('--profile is small, default or full');
    const etwSeconds = Number(flagString(args, 'etw') ?? 0);
    if (!Number.isInteger(etwSeconds) || etwSeconds < 0 || etwSeconds > 30)
      throw new UsageError('--etw is 0..30 seconds');
    const outDir = resolve(io.cwd, flagString(args, 'out') ?? '.');
    const wprExe = resolveWprExe(undefined, io.env as NodeJS.ProcessEnv);
    const wpr = wprExe ? new Wpr({ exe: wprExe, cwd: outDir }) : null;
    const addon = load.addon;
    const out = await runManualCapture(
      {
        pid,
        dumpProfile: profile,
        withWct: args.flags['no-wct'] !== true,
        etwSeconds,
        etwProfile: flagString(args, 'etw-profile') ?? 'GeneralProfile',
        trigger: 'workbench_cli',
      },
      {
        outDir,
        helpers: {
          writeDump: (p, path, prof, userStreams) =>
            addon.writeMinidump(p, path, { profile: prof, userStreams }),
          collectWaitChains: (p) => addon.collectWaitChains(p),
          isAlive: alive,
          startEtw: wpr ? (o) => recordEtwWindow(wpr, o) : null,
          etwUnavailable: 'wpr.exe was not found.',
        },
        onProgress: json ? undefined : (p) => io.err(`[${p.phase}] ${p.message}\n`),
      },
    );
    if (json) io.out(`${JSON.stringify(out)}\n`);
    else io.out(`${out.message}\n`);
    return out.ok ? EXIT.ok : EXIT.badInput;
  },
};
