import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deadlockDoc } from '../unit/hang/wct-fixtures';
import { real } from './fixtures';

/**
 * Builds a crash folder the way a player's machine has one, around REAL third-party files
 * (Breakpad/rust-minidump test dumps, real Buffout 4 / NetScriptFramework / Crash Logger logs)
 * copied into a temp folder at test time. The SkyrimDiag manifests, summaries, reports and
 * WCT JSON are SYNTHETIC: no real SkyrimDiag output may be redistributed
 * (fixtures/skyrimdiag/PROVENANCE.md); they follow skyrimdiag-artifacts.md §4, §5, §9.1.
 */
export interface BuiltFolder {
  root: string;
  /** Incidents a correct scan must find, newest first: [captured local ISO prefix, kind, source]. */
  expected: { at: string; kind: string; source: string; files: string[] }[];
}

const SD = 'Tullius Ctd Logs';

/** A SkyrimDiag incident manifest (§4) for synthetic folders. */
export function manifest(
  kind: 'crash' | 'hang' | 'manual',
  ts: string,
  dump: string,
  wct = '',
  extra: Record<string, unknown> = {},
) {
  return {
    schema: { name: 'SkyrimDiagIncident', version: 1 },
    incident_id: `${kind}_${ts}_pid4242`,
    capture_kind: kind,
    timestamp_local: ts,
    pid: 4242,
    state_flags: kind === 'hang' ? 2 : 0,
    artifacts: { dump, wct, etw: '', etw_status: 'disabled', helper_log: 'SkyrimDiagHelper.log' },
    privacy: { paths: 'filenames_only', contains_user_paths: false, contains_config_paths: false },
    context:
      kind === 'crash'
        ? { reason: 'crash_event' }
        : { seconds_since_heartbeat: 612.4, threshold_sec: 600, is_loading: true },
    capture_profile: { capture_kind: kind, base_mode: 'default', include_thread_info: true },
    ...extra,
  };
}

function setTime(path: string, iso: string) {
  const t = new Date(iso);
  utimesSync(path, t, t);
}

export function buildSkyrimDiagFolder(dest: string): BuiltFolder {
  const sd = join(dest, 'overwrite', 'SKSE', 'Plugins', SD);
  const wer = join(dest, 'CrashDumps');
  const skse = join(dest, 'My Games', 'Skyrim Special Edition', 'SKSE');
  const f4se = join(dest, 'My Games', 'Fallout4', 'F4SE');
  const ko = join(dest, '사용자', 'Documents');
  for (const d of [sd, wer, skse, f4se, ko]) mkdirSync(d, { recursive: true });
  const md = (n: string) => real('minidumps', n);
  const json = (p: string, o: unknown) => writeFileSync(p, JSON.stringify(o, null, 2));

  // 1. Crash with manifest, summary, report, plugin scan + a Crash Logger log 70 s later (pairs).
  const c1 = 'SkyrimDiag_Crash_20260318_200000_500';
  copyFileSync(md('null_read_av.dmp'), join(sd, `${c1}.dmp`));
  json(
    join(sd, 'SkyrimDiag_Incident_Crash_20260318_200000_500.json'),
    manifest('crash', '20260318_200000_500', `${c1}.dmp`),
  );
  json(join(sd, `${c1}_SkyrimDiagSummary.json`), {
    schema: { name: 'SkyrimDiagSummary', version: 2 },
    dump_path: `<redacted>\\${c1}.dmp`,
    summary_sentence: 'Access violation in crashme.exe (synthetic summary)',
    crash_bucket_key: 'CTD2-0123456789abcdef',
    exception: { code: 3221225477, module_plus_offset: 'crashme.exe+0x1b3b' },
    game_version: '1.6.1170.0',
  });
  writeFileSync(
    join(sd, `${c1}_SkyrimDiagReport.txt`),
    'SkyrimDiag report (synthetic)\nSummary: Access violation\n',
  );
  writeFileSync(
    join(sd, `${c1}_PluginScan.json`),
    '{"game_exe_version":"1.6.1170.0","plugins_source":"standard","mo2_detected":false,"error":"","plugins":[]}',
  );
  const log1 = join(skse, 'crash-2026-03-18-20-01-10.log');
  copyFileSync(real('crashlogs', 'skyrim-mocked', 'TestLogCrashLogger1.txt'), log1);

  // 2. Hang with WCT (deadlock) + manifest; the dump is a real non-crash dump.
  const h1 = 'SkyrimDiag_Hang_20260316_090000_250';
  copyFileSync(md('tiny-exe-with-cet-xsave.dmp'), join(sd, `${h1}.dmp`));
  json(join(sd, 'SkyrimDiag_WCT_20260316_090000_250.json'), deadlockDoc());
  json(
    join(sd, 'SkyrimDiag_Incident_Hang_20260316_090000_250.json'),
    manifest('hang', '20260316_090000_250', `${h1}.dmp`, 'SkyrimDiag_WCT_20260316_090000_250.json'),
  );

  // 3. Manual capture (old timestamp form without milliseconds, pre-v0.2.40).
  const m1 = 'SkyrimDiag_Manual_20260317_100000';
  copyFileSync(md('thread_name_list.dmp'), join(sd, `${m1}.dmp`));
  json(
    join(sd, 'SkyrimDiag_Incident_Manual_20260317_100000.json'),
    manifest('manual', '20260317_100000', `${m1}.dmp`),
  );

  // 4. Broken: manifest that is not JSON + a 0-byte dump. Still listed, with the errors.
  writeFileSync(
    join(sd, 'SkyrimDiag_Incident_Crash_20260319_080000_000.json'),
    '{"schema": {"name": "SkyrimDiagIncident", "vers',
  );
  writeFileSync(join(sd, 'SkyrimDiag_Crash_20260319_080000_000.dmp'), '');
  // 5. A manifest with wrong types (pid is a string).
  copyFileSync(md('ascii_write_av.dmp'), join(sd, 'SkyrimDiag_Crash_20260314_070000_000.dmp'));
  json(join(sd, 'SkyrimDiag_Incident_Crash_20260314_070000_000.json'), {
    ...manifest('crash', '20260314_070000_000', 'SkyrimDiag_Crash_20260314_070000_000.dmp'),
    pid: 'four',
  });
  // Files that are not incidents: helper log, temp file of an atomic write.
  writeFileSync(join(sd, 'SkyrimDiagHelper.log'), 'helper started\r\n');
  writeFileSync(join(sd, 'SkyrimDiag_Incident_Hang_20260316_090000_250.json.tmp.4242.1000.1'), '{');

  // 6. Loose WER dumps (names as Windows LocalDumps writes them).
  copyFileSync(md('invalid-parameter.dmp'), join(wer, 'CrashTest.exe.5528.dmp'));
  setTime(join(wer, 'CrashTest.exe.5528.dmp'), '2026-03-10T12:00:00');
  copyFileSync(md('write_av_non_canonical.dmp'), join(wer, 'crash.exe.1200.dmp'));
  setTime(join(wer, 'crash.exe.1200.dmp'), '2026-03-11T12:00:00');

  // 7. Real crash logs: Buffout 4 (Fallout 4), NetScriptFramework and Trainwreck (Skyrim).
  copyFileSync(
    real('crashlogs', 'buffout4-fo4', 'crash-2024-04-30-11-44-59.log'),
    join(f4se, 'crash-2024-04-30-11-44-59.log'),
  );
  copyFileSync(
    real('crashlogs', 'buffout4-fo4', 'crash-2025-03-18-07-49-12.log'),
    join(f4se, 'crash-2025-03-18-07-49-12.log'),
  );
  copyFileSync(
    real('crashlogs', 'skyrim-nsf-nolvus', 'D6DDDA_-_Crash_2024_4_12_11-57-34.txt'),
    join(skse, 'Crash_2024_4_12_11-57-34.txt'),
  );
  copyFileSync(
    real('crashlogs', 'skyrim-mocked', 'TestLogTrainwreck1.txt'),
    join(skse, 'crash-2024-06-01-10-00-00.log'),
  );
  // A plain text file that is not a crash log.
  writeFileSync(join(skse, 'skse64_loader.log'), 'SKSE64 loader started\n');

  // 8. Non-ASCII path (Korean user name) holding a dump.
  copyFileSync(md('minidump2.dmp'), join(ko, 'SkyrimDiag_Crash_20260301_101010_010.dmp'));

  return {
    root: dest,
    expected: [
      {
        at: '2026-03-19T08:00:00',
        kind: 'crash',
        source: 'skyrimdiag',
        files: [
          'SkyrimDiag_Crash_20260319_080000_000.dmp',
          'SkyrimDiag_Incident_Crash_20260319_080000_000.json',
        ],
      },
      {
        at: '2026-03-18T20:00:00',
        kind: 'crash',
        source: 'skyrimdiag',
        files: [`${c1}.dmp`, 'crash-2026-03-18-20-01-10.log'],
      },
      { at: '2026-03-17T10:00:00', kind: 'manual', source: 'skyrimdiag', files: [`${m1}.dmp`] },
      {
        at: '2026-03-16T09:00:00',
        kind: 'hang',
        source: 'skyrimdiag',
        files: [`${h1}.dmp`, 'SkyrimDiag_WCT_20260316_090000_250.json'],
      },
      {
        at: '2026-03-14T07:00:00',
        kind: 'crash',
        source: 'skyrimdiag',
        files: ['SkyrimDiag_Crash_20260314_070000_000.dmp'],
      },
      { at: '2026-03-11T12:00:00', kind: 'crash', source: 'wer', files: ['crash.exe.1200.dmp'] },
      { at: '2026-03-10T12:00:00', kind: 'crash', source: 'wer', files: ['CrashTest.exe.5528.dmp'] },
      {
        at: '2026-03-01T10:10:10',
        kind: 'crash',
        source: 'skyrimdiag',
        files: ['SkyrimDiag_Crash_20260301_101010_010.dmp'],
      },
      {
        at: '2025-03-18T07:49:12',
        kind: 'crash',
        source: 'crashlogger',
        files: ['crash-2025-03-18-07-49-12.log'],
      },
      {
        at: '2024-06-01T10:00:00',
        kind: 'crash',
        source: 'crashlogger',
        files: ['crash-2024-06-01-10-00-00.log'],
      },
      {
        at: '2024-04-30T11:44:59',
        kind: 'crash',
        source: 'crashlogger',
        files: ['crash-2024-04-30-11-44-59.log'],
      },
      {
        at: '2024-04-12T11:57:34',
        kind: 'crash',
        source: 'crashlogger',
        files: ['Crash_2024_4_12_11-57-34.txt'],
      },
    ],
  };
}
