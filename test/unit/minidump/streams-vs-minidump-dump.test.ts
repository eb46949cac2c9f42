import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/** Values Breakpad's minidump_dump printed for the same file (`*.dump.out`, from the fixture set). */
function dumpOutValues(text: string, key: string): string[] {
  const re = new RegExp(`^\\s+${key.replace(/[()]/g, '\\$&')}\\s+= (.*)$`, 'gm');
  return [...text.matchAll(re)].map((m) => (m[1] ?? '').replace(/^"|"$/g, ''));
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('streams vs Breakpad minidump_dump output', () => {
  const outs = fixturesAvailable()
    ? readdirSync(real('minidumps')).filter((f) => f.endsWith('.dump.out'))
    : [];
  for (const out of outs) {
    it(out, () => {
      const text = readFileSync(real('minidumps', out), 'utf8');
      const md = withFileSource(real('minidumps', out.replace(/\.dump\.out$/, '.dmp')), (src) =>
        readMinidump(src),
      );
      // ModuleList: CodeView debug ids and VS_FIXEDFILEINFO versions, module by module.
      const ids = dumpOutValues(text, '(debug_identifier)').slice(0, md.modules.length);
      expect(md.modules.map((m) => m.codeView?.debugId ?? '')).toEqual(ids);
      const versions = dumpOutValues(text, '(version)').slice(0, md.modules.length);
      expect(md.modules.map((m) => m.version?.file ?? '')).toEqual(versions);
      const pid = dumpOutValues(text, 'process_id')[0];
      if (pid !== undefined) expect(String(md.misc?.processId)).toBe(pid);
      const memInfo = text.match(/^MDRawMemoryInfo$/gm)?.length ?? 0;
      expect(md.memoryInfo).toHaveLength(memInfo);
      const dumpThread = dumpOutValues(text, 'dump_thread_id')[0];
      if (dumpThread !== undefined) expect(`0x${md.breakpad?.dumpThreadId.toString(16)}`).toBe(dumpThread);
      expect(md.problems).toEqual([]);
    });
  }

  it('tiny-exe (Crashpad-written): unloaded modules and handle data', () => {
    const md = withFileSource(real('minidumps', 'tiny-exe-with-cet-xsave.dmp'), (src) => readMinidump(src));
    expect(md.unloadedModules.map((m) => m.name.split('\\').pop())).toContain('shcore.dll');
    expect(md.handles.length).toBeGreaterThan(0);
    expect(md.handles.some((h) => h.typeName === 'File')).toBe(true);
    expect(md.misc?.dbgBuildString).toMatch(/^crashpad/);
  });
});
