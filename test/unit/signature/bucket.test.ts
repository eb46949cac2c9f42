import { describe, expect, it } from 'vitest';
import {
  culpritKey,
  culpritKeyOf,
  culpritKeyOfName,
  exceptionClass,
  stableBucket,
  type BucketFrame,
} from '../../../src/main/analysis/signature';
import { crashLogBucket, hangBucket } from '../../../src/main/analysis/signature/sources';
import type { ParsedCrashLog } from '../../../src/shared/domain/crashlog';

// Synthetic frames: the scheme's rules one at a time (real inputs are in real-buckets.test.ts).
const f = (
  module: string | null,
  offset: number | null,
  origin = 'cfi',
  symbol: string | null = null,
): BucketFrame => ({
  module,
  offset,
  symbol,
  origin,
});

describe('stable bucket (level one)', () => {
  it('names the class and the first three non-victim trusted frames, module+offset', () => {
    const b = stableBucket({
      exceptionCode: 0xc0000005,
      frames: [
        f('C:\\Windows\\System32\\ntdll.dll', 0x1234, 'context'),
        f('SkyrimSE.exe', 0xd6ddda),
        f('D:\\Mods\\SmartHarvestSE.dll', 0x1a2b0),
        f('SmartHarvestSE.dll', 0x1b000),
        f('SkyrimSE.exe', 0x10),
        f('po3_Tweaks.dll', 0x99),
        f('Other.dll', 0x1),
      ],
    });
    expect(b.key).toBe(
      'EXCEPTION_ACCESS_VIOLATION | smartharvestse.dll+0x1a2b0 | smartharvestse.dll+0x1b000 | po3_tweaks.dll+0x99',
    );
    expect(b.title).toBe('EXCEPTION_ACCESS_VIOLATION in SmartHarvestSE.dll+0x1a2b0');
    expect(b.victimsOnly).toBe(false);
  });

  it('keeps the top of a stack of victims only', () => {
    const b = stableBucket({
      exceptionCode: 0xc0000005,
      frames: [
        f('SkyrimSE.exe', 0xd6ddda, 'context'),
        f('kernel32.dll', 0x10),
        f('ntdll.dll', 0x20),
        f('SkyrimSE.exe', 1),
      ],
    });
    expect(b.key).toBe(
      'EXCEPTION_ACCESS_VIOLATION | skyrimse.exe+0xd6ddda | kernel32.dll+0x10 | ntdll.dll+0x20',
    );
    expect(b.victimsOnly).toBe(true);
  });

  it('stops a walked stack at its first scanned frame; filters tagged frames of a log', () => {
    const frames = [f('a.exe', 1, 'context'), f('junk.dll', 2, 'scan'), f('mod.dll', 3, 'cfi')];
    expect(stableBucket({ exceptionCode: 1, frames, chain: true }).key).toBe('0x00000001 | a.exe+0x1');
    expect(stableBucket({ exceptionCode: 1, frames }).key).toBe('0x00000001 | a.exe+0x1 | mod.dll+0x3');
    for (const origin of ['scan', 'cfi_scan', 'leaf', 'unknown'])
      expect(stableBucket({ exceptionCode: 1, frames: [f('x.dll', 1, origin)] }).key).toBe(
        '0x00000001 | (no frames)',
      );
  });

  it('never keys on addresses, paths, or text a parser mistook for a module', () => {
    const b = stableBucket({
      exceptionName: 'EXCEPTION_ACCESS_VIOLATION',
      frames: [
        f(null, 0x7ff612340000, 'context'),
        f('void* -> SkyrimSE.exe', 0xd6ddda),
        f('(Name: "badMesh.nif")', null, 'unwound', 'x'),
        f('C:\\Users\\kevin\\mods\\Real.dll', 0x10, 'unwound'),
      ],
    });
    expect(b.key).toBe('EXCEPTION_ACCESS_VIOLATION | real.dll+0x10');
  });

  it('a non-victim frame deep under the fault (a main-loop hook) does not name the bucket', () => {
    const frames = [
      ...Array.from({ length: 12 }, (_, i) => f('SkyrimSE.exe', 0x100 + i)),
      f('CameraMod.dll', 0x5),
    ];
    expect(stableBucket({ exceptionCode: 0xc0000005, frames }).key).not.toContain('cameramod');
  });

  it('the script extender runtime and hook hosts are pass-through, like the game', () => {
    const b = stableBucket({
      exceptionCode: 0xc0000005,
      frames: [
        f('Fallout4.exe', 1),
        f('f4se_1_10_163.dll', 0xa8ac),
        f('skse64_1_6_1170.dll', 2),
        f('Mod.dll', 3),
      ],
    });
    expect(b.key).toBe('EXCEPTION_ACCESS_VIOLATION | mod.dll+0x3');
  });

  it('uses a function name only where the frame has no module offset, and never its offset', () => {
    expect(
      stableBucket({ exceptionCode: 3, frames: [f('m.dll', null, 'cfi', 'Foo::Bar(int) + 0x1c')] }).key,
    ).toBe('0x00000003 | m.dll!Foo::Bar(int)');
  });

  it('falls back to the fault location when there is no usable stack', () => {
    const b = stableBucket({
      exceptionName: 'EXCEPTION_ACCESS_VIOLATION',
      frames: [],
      fault: f('Mod.dll', 0x10, 'context'),
    });
    expect(b.key).toBe('EXCEPTION_ACCESS_VIOLATION | mod.dll+0x10');
  });

  it('exception classes agree between codes and the names logs print', () => {
    expect(exceptionClass(0xc0000005, null)).toBe('EXCEPTION_ACCESS_VIOLATION');
    expect(exceptionClass(-1073741819, null)).toBe('EXCEPTION_ACCESS_VIOLATION');
    expect(exceptionClass(null, 'EXCEPTION_ACCESS_VIOLATION')).toBe('EXCEPTION_ACCESS_VIOLATION');
    expect(exceptionClass(null, 'exception_access_violation_read')).toBe('EXCEPTION_ACCESS_VIOLATION');
    expect(exceptionClass(0xe06d7363, null)).toBe(exceptionClass(null, 'Microsoft C++ Exception'));
    expect(exceptionClass(0xdeadbeef, null)).toBe('0xDEADBEEF');
    expect(exceptionClass(null, null)).toBe('UNKNOWN_EXCEPTION');
  });

  it('hangs: the wait shape, then any frames', () => {
    expect(hangBucket('main:critical_section>thread | deadlock:critical_section:main').key).toBe(
      'HANG | main:critical_section>thread | deadlock:critical_section:main',
    );
  });

  it('crash logs: [S] frames stay out, [P] and untagged frames count', () => {
    const frame = (index: number, module: string, offset: string, source: 'probable' | 'scan' | null) => ({
      index,
      address: null,
      module,
      offset,
      symbol: null,
      addressId: null,
      instruction: null,
      source,
      text: '',
    });
    const p = {
      exception: {
        raw: '',
        name: 'EXCEPTION_ACCESS_VIOLATION',
        code: 0xc0000005,
        address: null,
        module: 'SkyrimSE.exe',
        offset: '10',
        instruction: null,
        symbol: null,
        thread: null,
        details: [],
      },
      callStack: [
        frame(0, 'SkyrimSE.exe', '10', 'probable'),
        frame(1, 'Junk.dll', '99', 'scan'),
        frame(2, 'Mod.dll', '0AB', 'probable'),
        frame(3, 'Mod2.dll', '1', null),
      ],
    } as unknown as ParsedCrashLog;
    expect(crashLogBucket(p).key).toBe('EXCEPTION_ACCESS_VIOLATION | mod.dll+0xab | mod2.dll+0x1');
  });
});

describe('culprit key (level two)', () => {
  const pc = (
    subject: string | null,
    subjectKind: 'module' | 'plugin' | 'mod',
    confidence: 'high' | 'unknown' = 'high',
  ) => ({
    subject,
    subjectKind,
    confidence,
    why: '',
    evidence: [],
    next: '',
    headline: '',
  });
  it('is the probable cause subject, by kind, lower case, without paths', () => {
    expect(culpritKeyOf(pc('D:\\MO2\\mods\\SH\\SmartHarvestSE.dll', 'module'))).toBe(
      'module:smartharvestse.dll',
    );
    expect(culpritKeyOf(pc('Foo.ESP', 'plugin'))).toBe('plugin:foo.esp');
    expect(culpritKeyOf(pc('Smart  Harvest SE', 'mod'))).toBe('mod:smart harvest se');
  });
  it('is absent when nothing is named', () => {
    expect(culpritKeyOf(null)).toBeNull();
    expect(culpritKeyOf(pc(null, 'module'))).toBeNull();
    expect(culpritKeyOf(pc('X.dll', 'module', 'unknown'))).toBeNull();
    expect(culpritKey('unknown', 'x')).toBeNull();
  });
  it('names the player picked are modules or plugins by extension', () => {
    expect(culpritKeyOfName('SmartHarvestSE.dll')).toBe('module:smartharvestse.dll');
    expect(culpritKeyOfName('Book Covers.esl')).toBe('plugin:book covers.esl');
  });
});
