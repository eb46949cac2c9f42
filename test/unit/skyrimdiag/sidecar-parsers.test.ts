import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { parseBlackbox } from '../../../src/main/formats/skyrimdiag/blackbox';
import { parseExitEvidence } from '../../../src/main/formats/skyrimdiag/exit-evidence';
import { quoteLongIntegers } from '../../../src/main/formats/skyrimdiag/json';
import { parsePluginScan } from '../../../src/main/formats/skyrimdiag/plugin-scan';
import { parseSkyrimDiagSummary } from '../../../src/main/formats/skyrimdiag/summary';
import {
  blackboxAnalyzer,
  pluginScanAnalyzer,
} from '../../../src/main/analysis/skyrimdiag/sidecar-analyzers';
import { analyzeSummaryText } from '../../../src/main/analysis/skyrimdiag/summary-analyzer';
import { Blackbox, ExitEvidence, PluginScan, SdSummary } from '../../../src/shared/domain/skyrimdiag';
import { Verdict } from '../../../src/shared/domain/incident';
import { mutateLog, rng } from '../../helpers/log-mutations';
import { BIG, BLACKBOX, CLEAN_EXIT, PLUGIN_SCAN, SUMMARY } from '../../helpers/skyrimdiag-samples';

/**
 * SkyrimDiag's black box, plugin scan, exit evidence and summary. All samples are SYNTHETIC:
 * no real SkyrimDiag output may be redistributed (its repository has no licence and holds no
 * sample output); they follow skyrimdiag-artifacts.md §5, §9.2, §10 and §12 field by field.
 */

describe('black box (JSONL)', () => {
  it('typed events with exact 64-bit payloads and the main thread from SessionStart', () => {
    const bb = parseBlackbox(Buffer.from(BLACKBOX));
    expect(Blackbox.safeParse(bb).success).toBe(true);
    expect(bb.events).toHaveLength(5);
    expect(bb.mainThreadId).toBe(5120);
    expect(bb.events[1]).toMatchObject({
      index: 1,
      tMs: 15.5,
      typeName: 'MenuOpen',
      a: BIG,
      detail: 'Loading Menu',
    });
    // type_name left out: the name comes from the type id.
    expect(bb.events[3]?.typeName).toBe('FirstChanceException');
    expect(bb.incomplete).toBe(false);
  });
  it('skips damaged and cut lines and says which; nothing readable is a ParseError', () => {
    const damaged = `${BLACKBOX.replace('"tid":7000,"type":60', '"tid":"x","type":60')}\n{"i":5,"t_ms":10`;
    const bb = parseBlackbox(damaged);
    expect(bb.events).toHaveLength(4);
    expect(bb.incomplete).toBe(true);
    expect(bb.problems.map((p) => p.code)).toEqual(['bad_event', 'cut_line']);
    expect(() => parseBlackbox('not json\nat all\n')).toThrow(ParseError);
    expect(parseBlackbox('').events).toEqual([]);
  });
  it('quotes only long integer literals, never digits inside strings', () => {
    expect(quoteLongIntegers(`{"a":${BIG},"s":"${BIG}","f":1.5e300,"n":-12345678901234567}`)).toBe(
      `{"a":"${BIG}","s":"${BIG}","f":1.5e300,"n":"-12345678901234567"}`,
    );
  });
  it('the analyzer keeps the main thread, the last events and recent module loads', async () => {
    const out = await blackboxAnalyzer.analyzeBytes!(Buffer.from(BLACKBOX), 'x_SkyrimDiagBlackbox.jsonl');
    const f = (out.facts as { blackbox: { mainThreadId: number; recentModules: string[]; crash: unknown } })
      .blackbox;
    expect(f.mainThreadId).toBe(5120);
    expect(f.recentModules).toEqual(['ExampleMod.dll']);
    expect(f.crash).toMatchObject({ typeName: 'Crash' });
  });
});

describe('plugin scan', () => {
  it('finds missing masters and 1.71 headers on an older game, and says so as findings', async () => {
    const scan = parsePluginScan(PLUGIN_SCAN);
    expect(PluginScan.safeParse(scan).success).toBe(true);
    expect(scan.missingMasters).toEqual([{ plugin: 'Example.esp', master: 'MissingLib.esm' }]);
    expect(scan.header171).toEqual(['Example.esp']);
    const out = await pluginScanAnalyzer.analyzeBytes!(Buffer.from(PLUGIN_SCAN), 'x_PluginScan.json');
    const v = Verdict.parse(out.verdict);
    expect(v.findings.map((x) => x.id)).toEqual(['skyrimdiag-missing-master', 'skyrimdiag-header-171']);
    expect(v.findings[0]?.evidence[0]).toBe('Example.esp needs MissingLib.esm');
    expect(out.priority).toBe(0);
  });
});

describe('exit evidence', () => {
  it('clean exit and post-exit files', () => {
    const e = parseExitEvidence(CLEAN_EXIT, 'SkyrimDiag_CleanExitEvidence_20260315_130005_001_2.json');
    expect(ExitEvidence.safeParse(e).success).toBe(true);
    expect(e).toMatchObject({
      kind: 'clean-exit',
      dumpState: 'preserved',
      exceptionCode: 0xc0000005,
      exceptionAddress: '0x7ffd5a996800',
    });
    const p = parseExitEvidence(
      JSON.stringify({
        schema: 'skydiag.post_exit_crash_evidence.v1',
        exit_code: 3221225477,
        exception_code: '0xC0000409',
      }),
      'SkyrimDiag_PostExitCrashEvidence_20260315_130005_001_2.json',
    );
    expect(p).toMatchObject({ kind: 'post-exit', exceptionCode: 0xc0000409, exitCode: 3221225477 });
    expect(() => parseExitEvidence('[1,2]', 'x.json')).toThrow(ParseError);
  });
});

describe('summary', () => {
  it('candidates, MO2 mod names and object references; 64-bit identity values stay exact', () => {
    const s = parseSkyrimDiagSummary(SUMMARY);
    expect(SdSummary.safeParse(s).success).toBe(true);
    expect(s.kind).toBe('crash');
    expect(s.exception).toMatchObject({ module: 'ExampleMod.dll', offset: 0xe8978, modName: 'Example Mod' });
    expect(s.candidates.map((c) => [c.name, c.status])).toEqual([
      ['ExampleMod.dll', 'cross_validated'],
      ['ExampleMod.dll', 'suspect'],
      ['OtherHelper.dll', 'suspect'],
    ]);
    expect(s.modNames).toEqual({ 'examplemod.dll': 'Example Mod', 'otherhelper.dll': 'Other Helper' });
    expect(s.objectRefs).toEqual([{ plugin: 'ExampleMod.esp', formId: '0xFE00081B', type: 'TESObjectREFR' }]);
  });
  it("the analyzer's verdict names SkyrimDiag's candidate with its mod and a probable cause", () => {
    const out = analyzeSummaryText(SUMMARY, 'x_SkyrimDiagSummary.json');
    const v = Verdict.parse(out.verdict);
    expect(v.suspects[0]).toMatchObject({
      name: 'ExampleMod.dll',
      mod: { name: 'Example Mod', source: 'skyrimdiag' },
    });
    expect(v.probableCause?.headline).toMatch(/^Probable cause: Example Mod \(ExampleMod\.dll\) — /);
    const raw = (out.facts as { summary: { dump_identity: { last_write_time_utc_100ns: unknown } } }).summary;
    expect(raw.dump_identity.last_write_time_utc_100ns).toBe('134180604000010001');
  });
});

describe('fuzzing the SkyrimDiag parsers with corrupted samples', () => {
  it('300 corruptions each: only ParseError escapes, every result schema-valid', () => {
    const rnd = rng(20260315);
    const cases: [string, (b: Buffer) => unknown, { safeParse(v: unknown): { success: boolean } }][] = [
      [BLACKBOX, (b) => parseBlackbox(b), Blackbox],
      [PLUGIN_SCAN, (b) => parsePluginScan(b), PluginScan],
      [CLEAN_EXIT, (b) => parseExitEvidence(b, 'SkyrimDiag_CleanExitEvidence_1.json'), ExitEvidence],
      [SUMMARY, (b) => parseSkyrimDiagSummary(b), SdSummary],
    ];
    const bad: string[] = [];
    for (const [sample, parse, schema] of cases) {
      for (let i = 0; i < 300; i++) {
        const input = mutateLog(Buffer.from(sample), rnd);
        try {
          const out = parse(input);
          if (!schema.safeParse(out).success) bad.push(`invalid output for case ${i}`);
        } catch (e) {
          if (!(e instanceof ParseError)) bad.push(`case ${i}: ${(e as Error).stack ?? String(e)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });
});
