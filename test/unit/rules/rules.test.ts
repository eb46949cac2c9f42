import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import common from '../../../resources/rules/common.json';
import fallout4 from '../../../resources/rules/fallout4.json';
import skyrim from '../../../resources/rules/skyrim.json';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { analyzeDumpFile } from '../../../src/main/analysis/minidump/analyze-dump';
import { minidumpAnalyzer } from '../../../src/main/analysis/minidump/dump-analyzer';
import { compileRules, runRules } from '../../../src/main/analysis/rules/engine';
import { incidentVerdict } from '../../../src/main/analysis/rules/incident-findings';
import {
  buildRuleSet,
  bundledRules,
  loadRuleFile,
  loadUserRules,
  RuleRegistry,
} from '../../../src/main/analysis/rules/registry';
import { subjectFromCrashLog, subjectFromDump } from '../../../src/main/analysis/rules/subject';
import { compareVersions, inVersionRange } from '../../../src/main/analysis/rules/versions';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { Rule, RuleFile, type Condition } from '../../../src/shared/domain/rules';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/** A small Buffout-4-shaped log (synthetic: only the lines the rule under test looks at). */
function fo4(
  opts: { error?: string; stack?: string[]; settings?: string; plugins?: string[]; f4se?: string[] } = {},
) {
  return [
    'Fallout 4 v1.10.163',
    'Buffout 4 v1.28.6',
    '',
    opts.error ?? 'Unhandled exception "EXCEPTION_ACCESS_VIOLATION" at 0x7FF600001234 Fallout4.exe+0001234',
    '',
    opts.settings ?? '\t[Patches]\n\t\tMemoryManager: true\n\t\tAchievements: true',
    '',
    'PROBABLE CALL STACK:',
    '\t[ 0] 0x7FF600001234 Fallout4.exe+0001234',
    ...(opts.stack ?? []),
    '',
    'MODULES:',
    '\tFallout4.exe 0x7FF600000000',
    '',
    'F4SE PLUGINS:',
    ...(opts.f4se ?? []).map((x) => `\t${x}`),
    '',
    'PLUGINS:',
    ...(opts.plugins ?? ['[00]     Fallout4.esm']).map((x) => `\t${x}`),
    '',
  ].join('\n');
}

function run(text: string, match: Condition, game: 'fallout4' | 'skyrim' | 'any' = 'any') {
  const rule = Rule.parse({
    id: 'test-rule',
    game,
    severity: 'low',
    title: 't',
    explanation: 'e',
    fix: 'f',
    match,
  });
  const p = parseCrashLogDetailed(text);
  return (
    runRules(compileRules([rule]), subjectFromCrashLog(p.parsed, p.lines, p.ranges))[0]?.evidence ?? null
  );
}

describe('bundled rule files', () => {
  it('validate against the schema, have unique ids and 30+ rules in all', () => {
    const all = [common, skyrim, fallout4].map((f) => RuleFile.parse(f));
    const ids = all.flatMap((f) => f.rules.map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(30);
    expect(all.flatMap((f) => f.rules).filter((r) => r.game === 'skyrim').length).toBeGreaterThanOrEqual(15);
    expect(all.flatMap((f) => f.rules).filter((r) => r.game === 'fallout4').length).toBeGreaterThanOrEqual(
      15,
    );
    for (const r of all.flatMap((f) => f.rules)) {
      expect(r.explanation.length, r.id).toBeGreaterThan(30);
      expect(r.fix.length, r.id).toBeGreaterThan(10);
      if (r.link) expect(r.link, r.id).toMatch(/^https:\/\//);
    }
    expect(bundledRules().sets.map((s) => s.rules)).toEqual(all.map((f) => f.rules.length));
  });

  it("the brief's named causes each have a rule", () => {
    const ids = new Set(bundledRules().rules.map((r) => r.id));
    for (const id of [
      'skyrim-engine-fixes-missing',
      'skyrim-version-library',
      'skyrim-hdt-smp',
      'skyrim-jcontainers',
      'skyrim-shadow-scene-node',
      'skyrim-skeleton',
      'skyrim-animation-limit',
      'skyrim-mesh-stream',
      'skyrim-upscaler',
      'skyrim-usvfs',
      'skyrim-bees-missing',
      'skyrim-d6ddda',
      'skyrim-texture-stream',
      'fo4-buffout-achievements',
      'fo4-buffout-memory-xcell',
      'fo4-baka-scrapheap-redundant',
      'fo4-looksmenu-f4ee-off',
      'fo4-nvidia-debris',
      'fo4-ba2-limit',
      'fo4-precombines',
      'fo4-lod-bgslocation',
      'fo4-plugin-limit',
      'fo4-stack-overflow',
      'common-too-many-plugins',
    ])
      expect(ids.has(id), id).toBe(true);
  });
});

describe('rule engine', () => {
  it('versions compare numerically', () => {
    expect(compareVersions('1.6.1170', '1.6.640')).toBe(1);
    expect(compareVersions('1.10.163', '1.9')).toBe(1);
    expect(compareVersions('1.5.97', '1.5.97.0')).toBe(0);
    expect(inVersionRange('1.28.6', { lt: '1.30.0', gte: '1.28' })).toBe(true);
    expect(inVersionRange('1.30.0', { lt: '1.30.0' })).toBe(false);
  });

  it('text leaves quote the matching line; case, regex (multi-line) and minCount', () => {
    const log = fo4({ stack: ['\t[ 1] 0x1 Foo.dll+01 BSMemStorage', '\t[ 2] 0x2 Foo.dll+02 BSMemStorage'] });
    expect(run(log, { callStack: { contains: 'bsmemstorage' } })).toEqual([
      'call stack has "bsmemstorage": “[ 1] 0x1 Foo.dll+01 BSMemStorage”',
    ]);
    expect(run(log, { callStack: { contains: 'bsmemstorage', caseSensitive: true } })).toBeNull();
    expect(run(log, { callStack: { contains: 'BSMemStorage', minCount: 2 } })?.[0]).toMatch(/\(2×\)/);
    expect(run(log, { callStack: { contains: 'BSMemStorage', minCount: 3 } })).toBeNull();
    expect(run(log, { text: { regex: '^\\s*\\[ 2\\]' } })).not.toBeNull();
    expect(run(log, { mainError: { contains: 'Fallout4.exe+0001234' } })).not.toBeNull();
  });

  it('all / any / not combine, and "not" says what was missing', () => {
    const log = fo4({ f4se: ['achievements.dll'] });
    expect(
      run(log, {
        all: [
          { setting: { section: 'Patches', key: 'Achievements', equals: 'true' } },
          { module: { name: 'achievements.dll' } },
        ],
      }),
    ).toEqual(['setting [Patches] Achievements = true', 'module achievements.dll loaded']);
    expect(
      run(log, { any: [{ module: { name: 'nope.dll' } }, { module: { name: 'ACHIEVEMENTS.DLL' } }] }),
    ).toEqual(['module achievements.dll loaded']);
    expect(run(log, { not: { module: { name: 'WeaponDebrisCrashFix.dll' } } })).toEqual([
      'no module WeaponDebrisCrashFix.dll loaded',
    ]);
    expect(run(log, { not: { module: { name: 'achievements.dll' } } })).toBeNull();
  });

  it('faulting module with offset, frames, exception name, game, logger and plugin version ranges', () => {
    const log = fo4({
      error: 'Unhandled exception "EXCEPTION_STACK_OVERFLOW" at 0x7FF600001234 Fallout4.exe+0001234',
      stack: ['\t[ 1] 0x7FF6 hdtSMP64.dll+0000A'],
      f4se: ['Buffout4.dll v1.28.6', 'X.dll v2.5'],
    });
    expect(run(log, { faultingModule: { name: 'fallout4.exe', offset: '1234' } })).toEqual([
      'faulting module Fallout4.exe+0001234',
    ]);
    expect(run(log, { faultingModule: { name: 'fallout4.exe', offset: '1235' } })).toBeNull();
    expect(run(log, { frames: { module: 'hdtSMP64.dll', top: 2 } })).not.toBeNull();
    expect(run(log, { frames: { module: 'hdtSMP64.dll', top: 1 } })).toBeNull();
    expect(run(log, { exception: { name: 'EXCEPTION_STACK_OVERFLOW', code: 0xc00000fd } })).not.toBeNull();
    expect(run(log, { loggerVersion: { lt: '1.30' } })).toEqual(['buffout4 version 1.28.6 (< 1.30)']);
    expect(run(log, { module: { name: 'X.dll', version: { gte: '2.1', lt: '3' } } })).toEqual([
      'module X.dll v2.5 loaded',
    ]);
    expect(run(log, { module: { name: 'X.dll', version: { gte: '3' } } })).toBeNull();
    expect(run(log, { game: 'fallout4' }, 'fallout4')).toEqual([]);
    expect(run(log, { game: 'fallout4' }, 'skyrim')).toBeNull();
  });

  it('load order: plugins present or missing, light/full counts, alphabetized share', () => {
    const plugins = [
      '[00]     Fallout4.esm',
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `[${(i + 1).toString(16).toUpperCase().padStart(2, '0')}] p${String(i).padStart(2, '0')}.esp`,
      ),
      '[FE:000] light.esl',
    ];
    const log = fo4({ plugins });
    expect(run(log, { plugin: { name: 'P05.esp' } })).toEqual(['plugin p05.esp in the load order']);
    expect(run(log, { not: { plugin: { name: 'Unofficial Fallout 4 Patch.esp' } } })).not.toBeNull();
    expect(run(log, { loadOrder: { regular: { gt: 30 }, light: { gte: 1 } } })).toEqual([
      '31 full (non-light) plugins',
      '1 light plugins',
    ]);
    expect(run(log, { loadOrder: { total: { gt: 20 }, alphabetizedPercent: { gt: 80 } } })?.[0]).toMatch(
      /^100% of neighbouring \.esp plugins are in alphabetical order \(29 of 29 pairs, 32 plugins\)$/,
    );
    expect(run(fo4({ plugins: [] }), { loadOrder: { listed: false } })).toEqual([
      'the log lists no game plugins',
    ]);
  });

  it('the USVFS and PDPerfPlugin labels (fixture logs absent here: minimal NSF-shaped logs, synthetic)', () => {
    const nsf = (first: string, frames: string[]) =>
      [
        first,
        '',
        'FrameworkName: NetScriptFramework',
        'FrameworkVersion: 15',
        'ApplicationName: SkyrimSE.exe',
        'ApplicationVersion: 1.5.97.0',
        'VersionInfo: Successfully loaded',
        '',
        'Probable callstack',
        '{',
        ...frames,
        '}',
        '',
      ].join('\r\n');
    const usvfs = analyzeCrashLogBuffer(
      nsf('Unhandled native exception occurred at 0xFFFFFF0024A48D48 on thread 26780!', [
        '  [0]   0xFFFFFF0024A48D48',
        '  [1]   0x7FF89674C8AE     (usvfs_x64.dll+4C8AE)',
      ]),
      'usvfs.txt',
    );
    expect(usvfs.findings.map((f) => f.id)).toContain('skyrim-usvfs');
    const pd = analyzeCrashLogBuffer(
      nsf('Unhandled native exception occurred at 0x7FFA1B2C3D4E (PDPerfPlugin.dll+F125) on thread 1!', [
        '  [0]   0x7FFA1B2C3D4E     (PDPerfPlugin.dll+F125)',
      ]),
      'pd.txt',
    );
    expect(pd.findings.map((f) => f.id)).toContain('skyrim-upscaler');
  });
});

describe('rule files from the user', () => {
  const good = {
    format: 'ctd-workbench-rules',
    version: 1,
    name: 'mine',
    rules: [
      {
        id: 'fo4-ba2-limit',
        game: 'fallout4',
        severity: 'low',
        title: 'My own BA2 wording',
        explanation: 'Replaces the bundled rule with the same id.',
        fix: 'Whatever I say.',
        match: { callStack: { contains: 'LooseFileAsyncStream' } },
      },
    ],
  };

  it('schema errors name the field; bad regexes are caught at load', () => {
    expect(() => loadRuleFile({ ...good, version: 2 })).toThrow(/version/);
    expect(() =>
      loadRuleFile({
        ...good,
        rules: [{ ...good.rules[0], match: { callStack: { contains: 'a', regex: 'b' } } }],
      }),
    ).toThrow(/exactly one/);
    expect(() =>
      loadRuleFile({ ...good, rules: [{ ...good.rules[0], match: { text: { regex: '(' } } }] }),
    ).toThrow();
    expect(() => loadRuleFile({ ...good, rules: [good.rules[0], good.rules[0]] })).toThrow(/used twice/);
  });

  it('a user rule with a bundled id replaces it; broken files are listed with their error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctd-rules-'));
    try {
      writeFileSync(join(dir, 'a.json'), JSON.stringify(good));
      writeFileSync(join(dir, 'b.json'), 'not json');
      writeFileSync(join(dir, 'ignored.txt'), 'x');
      const user = loadUserRules(dir);
      expect(user.sets.map((s) => [s.name, s.error === null])).toEqual([
        ['mine', true],
        ['b.json', false],
      ]);
      const set = buildRuleSet(user);
      expect(set.compiled.filter((c) => c.rule.id === 'fo4-ba2-limit').map((c) => c.rule.title)).toEqual([
        'My own BA2 wording',
      ]);
      expect(set.compiled.length).toBe(bundledRules().rules.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findings on the incident', () => {
  it('findings of every artifact are merged into the winning verdict', () => {
    const base = { title: 't', analyzer: 'minidump' };
    const f = (id: string, severity: 'high' | 'low', evidence: string[]) => ({
      id,
      severity,
      title: id,
      explanation: 'e',
      fix: 'f',
      evidence,
    });
    const v = incidentVerdict({ ...base, findings: [f('a', 'low', ['x'])] }, [
      { ...base, findings: [f('a', 'low', ['x'])] },
      { ...base, analyzer: 'crashlog:buffout4', findings: [f('b', 'high', ['y']), f('a', 'low', ['z'])] },
    ]);
    expect(v?.analyzer).toBe('minidump');
    expect(v?.findings.map((x) => [x.id, x.evidence])).toEqual([
      ['b', ['y']],
      ['a', ['x', 'z']],
    ]);
    expect(incidentVerdict(undefined, [])).toBeNull();
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('rules on minidumps', () => {
  it('a rule on the faulting module matches a dump; game rules do not fire on a non-game dump', async () => {
    const a = analyzeDumpFile(real('minidumps', 'minidump2.dmp'));
    const s = subjectFromDump(a);
    expect(s.faultingModule).toBe('test_app.exe');
    expect(runRules(bundledRules().rules.length ? buildRuleSet(null).compiled : [], s)).toEqual([]);
    const rule = Rule.parse({
      id: 'test-app-crash',
      severity: 'medium',
      title: 'test_app crashed',
      explanation: 'A dump whose faulting module is test_app.exe.',
      fix: 'Fix test_app.',
      match: {
        all: [
          { faultingModule: { name: 'test_app.exe' } },
          { mainError: { contains: 'EXCEPTION_ACCESS_VIOLATION' } },
        ],
      },
    });
    expect(runRules(compileRules([rule]), s)[0]?.evidence).toEqual([
      'faulting module test_app.exe+429E',
      expect.stringMatching(/^main error has "EXCEPTION_ACCESS_VIOLATION"/),
    ]);
    // The dump analyzer stores the findings of the rules in force on the verdict.
    const dir = mkdtempSync(join(tmpdir(), 'ctd-dumprules-'));
    try {
      writeFileSync(
        join(dir, 'r.json'),
        JSON.stringify({ format: 'ctd-workbench-rules', version: 1, name: 'dump rules', rules: [rule] }),
      );
      const registry = new RuleRegistry(() => ({ folder: dir, enabled: true }));
      const out = await minidumpAnalyzer.analyze(real('minidumps', 'minidump2.dmp'), {
        rules: () => registry.active(),
      });
      expect(out.verdict?.findings?.map((x) => x.id)).toEqual(['test-app-crash']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
