import { resolve } from 'node:path';
import { analyzeHang } from '../../analysis/hang/analyze-hang';
import { mainThreadNextToWct } from '../../analysis/hang/main-thread';
import { loadCaptureAddon } from '../../capture/addon';
import type { DumpProfile } from '../../capture/dump-profile';
import { runManualCapture } from '../../capture/orchestrator';
import { Wpr, recordEtwWindow, resolveWprExe } from '../../capture/wpr';
import { ParseError } from '../../formats/common/parse-error';
import { readWctFile } from '../../formats/wct/parse-wct';
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
  summary: 'Capture a running process: dump + wait chains (+ ETW window), SkyrimDiag-named files (Windows)',
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

const HANG_USAGE = 'hang <SkyrimDiag_WCT_*.json> [--main-tid tid] [--json]';

/** `hang`: the wait-chain analysis of a WCT file (SkyrimDiag's or ours), on any OS. */
export const hangCommand: CliCommand = {
  name: 'hang',
  summary: 'Explain a hang from a WCT JSON file: verdict, deadlock cycles, wait chains',
  usage: HANG_USAGE,
  help: helpText({
    usage: HANG_USAGE,
    about:
      'Reads a wait-chain snapshot (SkyrimDiag_WCT_*.json, or one `capture` wrote) and says what\n' +
      'the main thread waits on, which threads form a deadlock cycle, and every blocked chain.',
    options: [
      ['--main-tid tid', "the game's main thread (default: from the file or the manifest beside it)"],
      ['--json', 'print the analysis as one JSON document'],
    ],
    examples: [
      'ctd-workbench hang SkyrimDiag_WCT_20260315_130000_001.json',
      'ctd-workbench hang wct.json --main-tid 5120 --json',
    ],
    exits: [
      ' 0  analysed; no deadlock',
      ' 1  analysed; a deadlock cycle was found',
      ' 2  missing or unreadable file',
    ],
  }),
  valueFlags: ['main-tid'],
  booleanFlags: ['json'],
  async run(args, io) {
    const file = args.positionals[0];
    if (!file) throw new UsageError('a WCT JSON file is required');
    const given = flagString(args, 'main-tid');
    if (given !== undefined && !/^\d+$/.test(given))
      throw new UsageError('--main-tid is a thread id (a number)');
    const path = resolve(io.cwd, file);
    let doc;
    try {
      doc = readWctFile(path);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      if (args.flags.json === true) io.out(`${JSON.stringify({ error: e.message })}\n`);
      else io.err(`error: ${e.message}\n`);
      return EXIT.badInput;
    }
    const hang = analyzeHang(doc, {
      mainThreadId: given !== undefined ? Number(given) : (doc.mainThreadId ?? mainThreadNextToWct(path)),
    });
    const code = hang.cycles.length > 0 ? EXIT.findings : EXIT.ok;
    if (args.flags.json === true) {
      io.out(`${JSON.stringify(hang)}\n`);
      return code;
    }
    const lines = [hang.verdict, `signature: ${hang.signature}`];
    for (const c of hang.cycles)
      lines.push(`deadlock: ${c.tids.join(' -> ')}${c.incomplete ? ' (incomplete)' : ''}`);
    const shown = hang.threads.filter((x) => x.blocked || x.isMain);
    if (shown.length) lines.push('threads (* = main):');
    for (const t of shown.slice(0, 50)) {
      const chain = t.chain
        .map((s) => (s.kind === 'object' ? s.typeName + (s.name ? ` "${s.name}"` : '') : `thread ${s.tid}`))
        .join(' -> ');
      lines.push(
        `  ${t.isMain ? '*' : ' '}${t.tid}${t.waitMs !== null ? ` (${t.waitMs} ms)` : ''}: ${chain || 'not waiting'}`,
      );
    }
    if (shown.length > 50) lines.push(`  ... ${shown.length - 50} more blocked threads (--json has all)`);
    io.out(`${lines.join('\n')}\n`);
    return code;
  },
};
