import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { real } from '../../helpers/fixtures';

/**
 * A crash folder built from REAL fixture files (a Breakpad test dump, a real Buffout 4 log, a
 * real ETL trace) with SYNTHETIC secrets planted in every artifact kind. Every canary below is
 * made up for this test; none is a real person, machine, account or credential. The SkyrimDiag
 * JSON/text files are synthetic too (no real SkyrimDiag output may be redistributed), written
 * after skyrimdiag-artifacts.md with the paths and free text that version leaves unredacted.
 */
export const CANARIES = {
  korean: '김철수',
  latin: 'annikasvensson',
  machine: 'PIXELFORGE-77',
  email: 'annika.svensson@example.org',
  token: 'tok_9f8e7d6c5b4a3928c1',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5pa2EiLCJuIjoxfQ.c2lnbmF0dXJlLWNhbmFyeS0xMjM0',
  steam: '76561198087654321',
} as const;

const TS = '20260412_213000_250';
const STEM = `SkyrimDiag_Crash_${TS}`;

function patchUtf16(buf: Buffer, at: number, chars: number, text: string): void {
  const s = text.slice(0, chars).padEnd(chars, '_');
  buf.write(s, at, chars * 2, 'utf16le');
}

/** A copy of a real dump with canaries in its module list (UTF-16LE, same length) and stack memory. */
function plantedDump(dest: string): void {
  const src = real('minidumps', 'null_read_av.dmp');
  const buf = readFileSync(src);
  const md = withFileSource(src, readMinidump);
  const list = md.streams.find((s) => s.type === 4)!;
  const { korean, latin, machine, email, token, jwt, steam } = CANARIES;
  // Module names 1 and 2 (ntdll, kernel32 paths) become profile paths of the Korean and Latin user.
  const names = [`C:\\Users\\${korean}\\AppData\\Local\\`, `C:\\Users\\${latin}\\Games\\Skyrim\\`];
  names.forEach((prefix, k) => {
    const i = k + 1;
    const rva = buf.readUInt32LE(list.offset + 4 + i * 108 + 20);
    const len = buf.readUInt32LE(rva) / 2;
    const old = buf.toString('utf16le', rva + 4, rva + 4 + len * 2);
    const tail = old.slice(old.lastIndexOf('\\') + 1);
    patchUtf16(buf, rva + 4, len, fit(prefix, tail, len));
  });
  // Stack memory of the last thread, far end (outermost frames): ASCII and UTF-16LE canaries.
  const t = md.threads[md.threads.length - 1]!;
  let at = t.stackRva + t.stackSize - 1024;
  const plant = (s: string, enc: 'latin1' | 'utf16le' | 'utf8') => {
    const b = Buffer.from(`\0${s}\0`, enc === 'latin1' ? 'utf8' : enc);
    b.copy(buf, at);
    at += b.length + 8;
  };
  plant(korean, 'utf16le');
  plant(korean, 'utf8');
  plant(latin.toUpperCase(), 'latin1');
  plant(machine, 'utf16le');
  plant(email, 'latin1');
  plant(`api_token=${token}`, 'utf16le');
  plant(jwt, 'latin1');
  plant(steam, 'utf16le');
  writeFileSync(dest, buf);
}

function fit(prefix: string, tail: string, len: number): string {
  const s = `${prefix}${tail}`;
  return s.length >= len ? s.slice(0, len) : `${prefix}${'_'.repeat(len - s.length)}${tail}`;
}

export interface CanaryFolder {
  root: string;
  dump: string;
}

export function buildCanaryFolder(root: string): CanaryFolder {
  mkdirSync(root, { recursive: true });
  const { korean, latin, machine, email, token, jwt, steam } = CANARIES;
  const j = (o: unknown) => JSON.stringify(o, null, 2);
  const dump = join(root, `${STEM}.dmp`);
  plantedDump(dump);

  writeFileSync(
    join(root, `SkyrimDiag_Incident_Crash_${TS}.json`),
    j({
      schema: { name: 'SkyrimDiagIncident', version: 1 },
      incident_id: `crash_${TS}_pid4242`,
      capture_kind: 'crash',
      timestamp_local: TS,
      pid: 4242,
      state_flags: 1,
      artifacts: {
        dump: `${STEM}.dmp`,
        wct: '',
        etw: `${STEM}.etl`,
        etw_status: 'written',
        helper_log: 'SkyrimDiagHelper.log',
      },
      privacy: { paths: 'filenames_only', contains_user_paths: false, contains_config_paths: false },
      context: { reason: 'crash_event' },
      config_snapshot: { etw_hang_profile: `C:\\Users\\${latin}\\wpr\\custom.wprp`, dump_mode: 'default' },
    }),
  );
  writeFileSync(
    join(root, `${STEM}_SkyrimDiagSummary.json`),
    `${j({
      schema: { name: 'SkyrimDiagSummary', version: 2 },
      dump_path: `C:\\Users\\${korean}\\MO2\\overwrite\\SKSE\\Plugins\\Tullius Ctd Logs\\${STEM}.dmp`,
      summary_sentence: `Crash in crashme.exe on ${machine} (reported by ${email})`,
      crash_bucket_key: 'CTD2-0123456789abcdef',
      exception: {
        code: 3221225477,
        module_plus_offset: 'crashme.exe+0xa6cd',
        module_path: `C:\\Users\\${korean}\\Games\\crashme.exe`,
      },
      game_version: '1.6.1170.0',
      crash_logger: {
        log_path: `C:\\Users\\${latin}\\Documents\\My Games\\Skyrim Special Edition\\SKSE\\crash-2026-04-12-21-30-00.log`,
      },
      suspects: [
        {
          confidence: 'High',
          module_filename: 'crashme.exe',
          module_path: `c:/users/${latin}/games/crashme.exe`,
          score: 9,
        },
      ],
      symbolization: {
        cache_path: `C:\\Users\\${korean}\\AppData\\Local\\SkyrimDiag\\SymbolCache`,
        search_path: `srv*C:\\Users\\${korean}\\AppData\\Local\\SkyrimDiag\\SymbolCache*https://msdl.microsoft.com/download/symbols`,
      },
      evidence: [{ confidence: 'Low', title: 'user', details: `${korean}님의 세이브 파일, steam ${steam}` }],
      diagnostics: [`[Auth] session token=${token}`, `[Net] jwt ${jwt}`],
    })}\n`,
  );
  writeFileSync(
    join(root, `${STEM}_SkyrimDiagReport.txt`),
    [
      'SkyrimDiag Report',
      `Dump: C:\\Users\\${korean}\\MO2\\overwrite\\SKSE\\Plugins\\Tullius Ctd Logs\\${STEM}.dmp`,
      `DbgHelpPath: C:\\Users\\${latin}\\AppData\\Local\\SkyrimDiagWinUI\\dbghelp.dll`,
      'PathRedactionApplied: 0',
      '',
      'ExceptionCode: 0xC0000005',
      'Module+Offset: crashme.exe+0xa6cd',
      `Machine: ${machine}`,
    ].join('\n'),
  );
  writeFileSync(
    join(root, `${STEM}_PluginScan.json`),
    JSON.stringify({
      game_exe_version: '1.6.1170.0',
      plugins_source: 'mo2_profile',
      error: `Could not open C:\\Users\\${latin}\\MO2\\profiles\\Default\\plugins.txt`,
      plugins: [],
    }),
  );
  writeFileSync(
    join(root, `${STEM}_SkyrimDiagBlackbox.jsonl`),
    [
      JSON.stringify({
        i: 1,
        t_ms: 0,
        tid: 100,
        type: 1,
        type_name: 'SessionStart',
        a: 4242,
        b: 0,
        c: 0,
        d: 0,
      }),
      JSON.stringify({
        i: 2,
        t_ms: 12.5,
        tid: 100,
        type: 60,
        type_name: 'ModuleLoad',
        a: '17240016942386561987',
        b: 0,
        c: 0,
        d: 0,
        detail: `${latin}_overlay.dll`,
      }),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(root, `${STEM}_SkyrimDiagWct.json`),
    j({
      pid: 4242,
      capture_passes: 1,
      threads: [
        {
          tid: 5120,
          isCycle: false,
          nodes: [
            {
              objectType: 3,
              objectStatus: 6,
              objectName: `\\Sessions\\1\\BaseNamedObjects\\${machine}_${korean}_mutex`,
            },
          ],
        },
      ],
      capture: { kind: 'hang', secondsSinceHeartbeat: 12.3 },
    }),
  );
  writeFileSync(
    join(root, 'SkyrimDiagHelper.log'),
    [
      '[SkyrimDiagHelper] attach pid=4242',
      `OutputDir: C:\\Users\\${latin}\\MO2\\overwrite\\SKSE\\Plugins\\Tullius Ctd Logs`,
      `Viewer: "C:\\Users\\${korean}\\MO2\\mods\\SkyrimDiag\\SkyrimDiagWinUI\\SkyrimDiagDumpToolWinUI.exe"`,
      `COMPUTERNAME=${machine} USERNAME=${latin}`,
      `upload: api_token=${token} by ${email}`,
      '',
    ].join('\r\n'),
  );
  writeFileSync(
    join(root, 'SkyrimDiag_Preflight.json'),
    j({
      schema: { name: 'SkyrimDiagPreflight', version: 1 },
      pid: 4242,
      game_exe_dir: `D:\\Games\\${latin}\\Skyrim Special Edition`,
      symbol_runtime: {
        dbghelp_path: `C:\\Users\\${korean}\\AppData\\Local\\SkyrimDiag\\dbghelp.dll`,
        cache_path: `C:\\Users\\${korean}\\AppData\\Local\\SkyrimDiag\\SymbolCache`,
      },
      checks: [
        {
          id: 'DBGHELP_RUNTIME',
          status: 'ok',
          message_en: `dbghelp at C:\\Users\\${korean}\\AppData\\Local\\SkyrimDiag\\dbghelp.dll`,
          message_ko: `${korean} 사용자의 dbghelp`,
        },
      ],
    }),
  );
  // A real Buffout 4 log with a planted game path, account line and Steam id.
  const log = readFileSync(
    real('crashlogs', 'buffout4-fo4', 'crash-2024-01-30-11-15-15.log'),
    'utf8',
  ).replace(
    'SYSTEM SPECS:',
    `SYSTEM SPECS:\n\tGAME PATH: C:\\Users\\${latin}\\Games\\Fallout 4\\Fallout4.exe\n\tACCOUNT: ${email} steam ${steam}`,
  );
  writeFileSync(join(root, 'crash-2026-04-12-21-30-00.log'), log);
  // A UTF-16LE text file (WinUI viewer logs are written by .NET).
  writeFileSync(
    join(root, `${STEM}_SkyrimDiagNativeException.log`),
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        `System.IO.IOException at C:\\Users\\${korean}\\AppData\\Local\\Temp\\x.tmp\r\nhost ${machine} user ${latin.toUpperCase()}\r\n`,
        'utf16le',
      ),
    ]),
  );
  // A real ETL trace: ETL cannot be redacted, so a public bundle must leave it out.
  copyFileSync(real('etl', 'SelfDescribingSingleEvent.etl'), join(root, `${STEM}.etl`));
  return { root, dump };
}
