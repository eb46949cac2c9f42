import { describe, expect, it } from 'vitest';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { analyzeCommand } from '../../../src/main/cli/commands/analyze';
import { minidumpAnalyzer } from '../../../src/main/analysis/minidump/dump-analyzer';
import { captureIo } from '../../helpers/cli-io';
import { fixturesAvailable, real } from '../../helpers/fixtures';

const io = captureIo;

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('broken minidumps', () => {
  for (const name of ['invalid-range', 'invalid-record-count']) {
    it(`${name} reports the stream and offset and keeps the header`, () => {
      const md = withFileSource(real('minidumps', `${name}.dmp`), (src) => readMinidump(src));
      expect(md.streams.length).toBeGreaterThan(0);
      expect(md.problems.length).toBeGreaterThan(0);
      expect(md.problems[0]?.stream).toMatch(/STREAM/);
      expect(typeof md.problems[0]?.offset).toBe('number');
    });
    it(`${name}: CLI exits 2, --json still prints what was read`, async () => {
      const o = io();
      const code = await analyzeCommand.run(
        { positionals: [real('minidumps', `${name}.dmp`)], flags: { json: true } },
        o,
      );
      expect(code).toBe(2);
      expect(JSON.parse(o.outText)).toHaveProperty('streams');
      expect(o.errText).toMatch(/^problem: the dump is damaged/);
      expect(o.errText).toMatch(/STREAM.* at offset 0x[0-9a-f]+: /);
      expect(o.errText).not.toMatch(/[{}]/);
    });
  }
  it('--symbols --json prints the symbolicated stack, verdict and bucket', async () => {
    const o = io();
    const code = await analyzeCommand.run(
      {
        positionals: [real('minidumps', 'minidump2.dmp')],
        flags: { json: true, symbols: real('minidumps', 'symbols') },
      },
      o,
    );
    expect(code).toBe(0);
    const a = JSON.parse(o.outText) as {
      verdict: string;
      stack: { function: string | null; line: number | null; trust: string }[];
    };
    expect(a.verdict).toBe('EXCEPTION_ACCESS_VIOLATION writing 0x45 in test_app.exe+0x429e');
    expect(a.stack[0]).toMatchObject({
      function: "`anonymous namespace'::CrashFunction",
      line: 58,
      trust: 'context',
    });
  });
  it('a good dump exits 0', async () => {
    const o = io();
    const code = await analyzeCommand.run(
      { positionals: [real('minidumps', 'ascii_write_av.dmp')], flags: {} },
      o,
    );
    expect(code).toBe(0);
    expect(o.outText).toMatch(/exception 0xc0000005/);
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('dump artifact analyzer', () => {
  it('gives the verdict title for minidump2', async () => {
    const out = await minidumpAnalyzer.analyze(real('minidumps', 'minidump2.dmp'));
    expect(out.kind).toBe('crash');
    expect(out.verdict?.title).toMatch(/^EXCEPTION_ACCESS_VIOLATION writing 0x45 in /);
  });
});
