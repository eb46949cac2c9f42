import { describe, expect, it } from 'vitest';
import { groupFiles, type FoundFile } from '../../../src/main/sources/group';
import { isSessionLogName } from '../../../src/main/sources/text-log-names';

// Grouping is pure: file names, sizes and mtimes in, incidents out (no disk needed).
const at = (iso: string) => new Date(iso).getTime();
const file = (path: string, iso: string): FoundFile => ({ path, size: 10, mtimeMs: at(iso) });
const roles = (files: FoundFile[]) =>
  groupFiles('/g', files).map((c) => ({
    at: c.capturedAt.slice(0, 19),
    files: c.files.map((f) => `${f.role}:${f.file.path.split('/').pop()}`),
  }));

describe('session logs join the capture they belong to', () => {
  it('names', () => {
    for (const n of [
      'skse64.log',
      'SKSE64.LOG',
      'f4se.log',
      'sksevr.log',
      'skse64_loader.log',
      'SkyrimDiag.log',
      'SkyrimDiagHelper.log',
      'SkyrimDiagHelper.log.2',
    ])
      expect(isSessionLogName(n), n).toBe(true);
    for (const n of [
      'skse64.txt',
      'crash-2024-01-01-00-00-00.log',
      'Papyrus.0.log',
      'myskse64.log',
      'SkyrimDiagHelper.ini',
    ])
      expect(isSessionLogName(n), n).toBe(false);
  });

  it('a log written at game start goes to the first capture within 6 h after it', () => {
    const dump1 = file('/g/SkyrimDiag_Crash_20260318_200000_500.dmp', '2026-03-18T20:00:00');
    const dump2 = file('/g/SkyrimDiag_Crash_20260318_230000_000.dmp', '2026-03-18T23:00:00');
    expect(roles([dump1, dump2, file('/g/skse/skse64.log', '2026-03-18T19:00:00')])).toEqual([
      {
        at: '2026-03-18T20:00:00',
        files: ['dump:SkyrimDiag_Crash_20260318_200000_500.dmp', 'log:skse64.log'],
      },
      { at: '2026-03-18T23:00:00', files: ['dump:SkyrimDiag_Crash_20260318_230000_000.dmp'] },
    ]);
    // Seven hours before any capture: belongs to no incident.
    expect(roles([dump1, file('/g/skse/skse64.log', '2026-03-18T13:00:00')])[0]!.files).toHaveLength(1);
  });

  it('a log written at the capture (helper log) goes to the closest capture, even before a later one', () => {
    const dump1 = file('/g/SkyrimDiag_Hang_20260318_200000_500.dmp', '2026-03-18T20:00:00');
    const dump2 = file('/g/SkyrimDiag_Crash_20260318_200900_000.dmp', '2026-03-18T20:09:00');
    const helper = file('/g/SkyrimDiagHelper.log', '2026-03-18T20:09:03');
    const r = roles([dump1, dump2, helper]);
    expect(r.find((c) => c.at === '2026-03-18T20:09:00')!.files).toContain('log:SkyrimDiagHelper.log');
    expect(r.find((c) => c.at === '2026-03-18T20:00:00')!.files).toHaveLength(1);
  });
});
