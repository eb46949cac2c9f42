import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlackboxEventLike } from '../../src/main/analysis/timeline/sources/blackbox';
import { EtlWriter, Hook, Kernel } from './etl-writer';
import { real } from './fixtures';
import { manifest } from './skyrimdiag-folder';

/**
 * A SkyrimDiag crash whose every file has a time we know (the timeline tests and e2e). The dump
 * is REAL (Breakpad's thread_name_list.dmp: written 2020-09-14 08:42:28 UTC on a machine in
 * Central European Summer Time, UTC+2, which its MISC_INFO says); everything around it is
 * SYNTHETIC (manifest, Papyrus log, ETL, summary, black box; no real SkyrimDiag output may be
 * used), written with the times below.
 */
export const TS = '20200914_104227_950';
const FILETIME_UNIX = 116444736000000000n;
const filetime = (iso: string) => BigInt(Date.parse(iso)) * 10_000n + FILETIME_UNIX;

/** The black box as events (its parser is the SkyrimDiag formats'). */
export const bbEvents: BlackboxEventLike[] = [
  { index: 100, tMs: 0, tid: 4000, type: 1, typeName: 'SessionStart', a: '4242', detail: null },
  { index: 101, tMs: 55_000, tid: 4000, type: 10, typeName: 'MenuOpen', a: '1', detail: 'InventoryMenu' },
  {
    index: 102,
    tMs: 59_000,
    tid: 4000,
    type: 60,
    typeName: 'ModuleLoad',
    a: '2',
    detail: 'SmartHarvestSE.dll',
  },
  {
    index: 103,
    tMs: 60_000,
    tid: 4000,
    type: 100,
    typeName: 'Crash',
    a: '3221225477',
    b: '140700000000000',
    detail: null,
  },
];

export function buildCrashFolder(root: string, ts = TS): void {
  const sd = join(root, 'Tullius Ctd Logs');
  mkdirSync(sd, { recursive: true });
  const stem = `SkyrimDiag_Crash_${ts}`;
  copyFileSync(real('minidumps', 'thread_name_list.dmp'), join(sd, `${stem}.dmp`));
  writeFileSync(
    join(sd, `SkyrimDiag_Incident_Crash_${ts}.json`),
    JSON.stringify(manifest('crash', ts, `${stem}.dmp`)),
  );
  writeFileSync(
    join(sd, `${stem}_SkyrimDiagSummary.json`),
    // A FILETIME above 2^53, written as a bare number the way SkyrimDiag does.
    `{"schema":{"name":"SkyrimDiagSummary","version":2},"dump_identity":{"sha256":"00","size_bytes":1,"last_write_time_utc_100ns":${filetime('2020-09-14T08:42:28.250Z')}},` +
      `"exception":{"code":3221225477},"callstack":{"frames":["SmartHarvestSE.dll+0x1a2b0"]},` +
      `"resources":[{"t_ms":59500,"tid":4000,"kind":"nif","path":"meshes\\\\clutter\\\\bowl.nif","providers":["Bowls HD"],"is_conflict":false}]}`,
  );
  writeFileSync(
    join(sd, `${stem}_SkyrimDiagBlackbox.jsonl`),
    '{"i":100,"t_ms":0,"tid":4000,"type":1,"type_name":"SessionStart","a":4242,"b":0,"c":0,"d":0}\n',
  );
  // Crash ETW starts after the dump was kept: 08:42:28.500 UTC, the game's process ends 1 s later.
  const w = new EtlWriter({ cpus: 1, startFiletime: filetime('2020-09-14T08:42:28.500Z') });
  w.system(
    0,
    ...Hook.ProcessDCStart,
    4,
    4,
    8,
    w.ts(0),
    Kernel.process({ pid: 4242, ppid: 4, image: 'SkyrimSE.exe', commandLine: 'SkyrimSE.exe' }),
  );
  w.system(
    0,
    ...Hook.ProcessStart,
    4,
    4,
    8,
    w.ts(200),
    Kernel.process({ pid: 5000, ppid: 4242, image: 'WerFault.exe', commandLine: 'WerFault.exe' }),
  );
  w.system(0, ...Hook.ThreadStart, 3, 4242, 8, w.ts(300), Kernel.thread({ pid: 4242, tid: 9000 }));
  w.system(
    0,
    ...Hook.ProcessEnd,
    4,
    4242,
    8,
    w.ts(1000),
    Kernel.process({ pid: 4242, ppid: 4, image: 'SkyrimSE.exe', commandLine: '', exit: 0xc0000005 }),
  );
  writeFileSync(join(sd, `${stem}.etl`), w.finish(1100));
  // Papyrus writes its local wall clock to the second.
  const pap = join(root, 'Logs', 'Script');
  mkdirSync(pap, { recursive: true });
  writeFileSync(
    join(pap, 'Papyrus.0.log'),
    [
      '[09/14/2020 - 10:40:00AM] Papyrus log opened (PC)',
      '[09/14/2020 - 10:42:20AM] Harvesting bowl',
      '[09/14/2020 - 10:42:26AM] error: Cannot call GetName() on a None object, aborting function call',
      '',
    ].join('\r\n'),
  );
  // Grouping pairs a Papyrus log by when it was last written (this machine's local clock).
  const written = new Date(2020, 8, 14, 10, 42, 30);
  utimesSync(join(pap, 'Papyrus.0.log'), written, written);
}
