import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeMinidump } from '../../../src/main/analysis/minidump/analyze-dump';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { BufferSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { frameKey, isTrustedOrigin } from '../../../src/main/analysis/signature';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { rebaseDump } from '../../helpers/rebase-dump';

function analyse(bytes: Buffer, name: string, symbols?: string[]) {
  const src = new BufferSource(bytes, name);
  return analyzeMinidump(src, readMinidump(src), symbols ? { symbols } : {});
}

const logBucket = (dir: string, file: string) =>
  analyzeCrashLogBuffer(readFileSync(real('crashlogs', dir, file)), file).verdict.signature;

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('buckets of real dumps and crash logs', () => {
  it('the same dump on another machine (module loaded elsewhere, another user name) keeps its bucket', () => {
    // electron-windows.dmp: x64, electron.exe under C:\Users\kevin\…; moved by 0x3a0000 (ASLR).
    const orig = readFileSync(real('minidumps', 'electron-windows.dmp'));
    const moved = rebaseDump(orig, { module: 'electron.exe', delta: 0x3a0000n, rename: ['kevin', 'alice'] });
    const a = analyse(orig, 'a.dmp');
    const b = analyse(moved, 'b.dmp');
    // The copy really is different: other base, other path, other crash address.
    const exeA = a.modules.find((m) => m.name === 'electron.exe')!;
    const exeB = b.modules.find((m) => m.name === 'electron.exe')!;
    expect(exeA.base).not.toBe(exeB.base);
    expect(exeA.path).toContain('kevin');
    expect(exeB.path).toContain('alice');
    expect(a.exception?.address).not.toBe(b.exception?.address);
    expect(a.signature).toBe('EXCEPTION_ACCESS_VIOLATION | electron.exe+0xe8da4');
    expect(b.signature).toBe(a.signature);
  });

  it('an x86 dump walked with CFI and frame pointers keeps its bucket when its exe moves', () => {
    const symbols = [real('minidumps', 'symbols')];
    const orig = readFileSync(real('minidumps', 'minidump2.dmp'));
    const moved = rebaseDump(orig, { module: 'test_app.exe', delta: 0x1230000n });
    const a = analyse(orig, 'a.dmp', symbols);
    const b = analyse(moved, 'b.dmp', symbols);
    expect(a.stack[0]?.ip).not.toBe(b.stack[0]?.ip);
    expect(a.signature).toBe(
      'EXCEPTION_ACCESS_VIOLATION | test_app.exe+0x429e | test_app.exe+0x4200 | test_app.exe+0x53ec',
    );
    expect(b.signature).toBe(a.signature);
  });

  it('two real dumps of one program loaded at different bases (ASLR) share a bucket', () => {
    const a = analyse(readFileSync(real('minidumps', 'null_read_av.dmp')), 'a.dmp');
    const b = analyse(readFileSync(real('minidumps', 'ascii_write_av.dmp')), 'b.dmp');
    expect(a.modules[0]?.base).not.toBe(b.modules[0]?.base);
    expect(a.signature).toBe(b.signature);
    expect(a.signature).toMatch(/^EXCEPTION_ACCESS_VIOLATION \| crashme\.exe\+0xa6cd/);
  });

  it('scanned frames never enter a bucket, in any real dump', () => {
    let scanned = 0;
    for (const f of readdirSync(real('minidumps')).filter((x) => x.endsWith('.dmp'))) {
      let a;
      try {
        a = analyse(readFileSync(real('minidumps', f)), f);
      } catch {
        continue; // the malformed dumps
      }
      if (!a.exception) continue;
      const parts = a.signature.split(' | ').slice(1);
      // The bucket's frames are the walk's trusted prefix, in order.
      const firstUntrusted = a.stack.findIndex((s) => !isTrustedOrigin(s.trust));
      const trusted = a.stack.slice(0, firstUntrusted < 0 ? a.stack.length : firstUntrusted);
      const keys = trusted.map((s) =>
        frameKey({
          module: s.module,
          offset: s.moduleOffset ? BigInt(s.moduleOffset) : null,
          symbol: s.function,
          origin: s.trust,
        }),
      );
      for (const p of parts) expect(keys, `${f}: ${p}`).toContain(p);
      scanned += a.stack.length - trusted.length;
    }
    // The fixtures do have scanned frames (electron-windows: 15 of 16), so the check means something.
    expect(scanned).toBeGreaterThan(20);
  });

  it('a scanned frame added under the trusted ones changes nothing', () => {
    const a = analyse(readFileSync(real('minidumps', 'electron-windows.dmp')), 'e.dmp');
    // The walker may first simulate a leaf return (x64); the first scanned frame with a module is the point.
    const scanned = a.stack.find((f) => f.index > 0 && f.trust === 'scan' && f.module);
    expect(scanned).toBeDefined();
    expect(a.signature).not.toContain(scanned!.module!.toLowerCase() + '+' + scanned!.moduleOffset);
  });

  it('two real NetScriptFramework logs of the D6DDDA crash, loaded at different addresses, share a bucket', () => {
    const a = logBucket('skyrim-nsf-nolvus', 'D6DDDA_-_Crash_2024_4_12_11-57-34.txt');
    const b = logBucket('skyrim-nsf-nolvus', 'D6DDDA__-_Crash_2024_4_4_21-8-52.txt');
    expect(a).toBe(b);
    // All game frames: the bucket is the top of the stack (engine-only).
    expect(a).toBe(
      'UNKNOWN_EXCEPTION | skyrimse.exe+0xd6ddda | skyrimse.exe+0x13283b5 | skyrimse.exe+0xc68cef',
    );
  });

  it('the Shadow Scene Node logs share a bucket; the NSF hook host does not name it', () => {
    const a = logBucket('skyrim-nsf-nolvus', 'ShadowSceneNode1.txt');
    const b = logBucket('skyrim-nsf-nolvus', 'Shadow_Scene_Node_-_Crash_2024_3_11_9-59-3.txt');
    expect(a).toBe(b);
    expect(a).not.toMatch(/netscriptframework/);
  });

  it('two unrelated Buffout 4 crashes under the F4SE hook do not share a bucket', () => {
    const a = logBucket('buffout4-fo4', 'crash-2024-04-30-11-44-59.log');
    const b = logBucket('buffout4-fo4', 'crash-2024-07-11-00-35-13.log');
    expect(a).not.toBe(b);
    expect(a).not.toMatch(/f4se_1_10_163/);
  });

  it('a mod DLL under Windows and runtime frames names the bucket', () => {
    expect(logBucket('buffout4-fo4', 'crash-2024-01-30-11-15-15.log')).toBe(
      'UNKNOWN_EXCEPTION | po3_spellperkitemdistributorf4.dll+0xd6d9 | po3_spellperkitemdistributorf4.dll+0xa1c1 | po3_spellperkitemdistributorf4.dll+0xad3e',
    );
  });

  it('every real crash log gets a bucket of well-formed frames', () => {
    for (const d of readdirSync(real('crashlogs')))
      for (const f of readdirSync(join(real('crashlogs'), d)).filter((x) => !x.endsWith('.md'))) {
        const sig = logBucket(d, f);
        expect(sig, f).toMatch(/^[A-Z0-9_]+( \| [a-z0-9_.\- ]+\+0x[0-9a-f]+)*( \| \(no frames\))?$/);
      }
  });
});
