import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { compileRules, impliedSections, runRules } from '../../../src/main/analysis/rules/engine';
import { buildRuleSet } from '../../../src/main/analysis/rules/registry';
import { subjectFromCrashLog } from '../../../src/main/analysis/rules/subject';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { Rule, type Condition } from '../../../src/shared/domain/rules';
import { buildLog, type LogSpec } from '../../helpers/crashlog-builder';

/** Rules and partial logs: a finding never rests on a section the paste does not have. */

function fires(match: Condition, spec: LogSpec, extra: Partial<Rule> = {}): boolean {
  const rule = Rule.parse({
    id: 'test-rule',
    severity: 'low',
    title: 't',
    explanation: 'e',
    fix: 'f',
    match,
    ...extra,
  });
  const text = buildLog(spec);
  const { parsed, lines, ranges } = parseCrashLogDetailed(text, 'crash.log');
  return runRules(compileRules([rule]), subjectFromCrashLog(parsed, lines, ranges)).length === 1;
}

const FULL: LogSpec = {
  exception: 'SkyrimSE.exe+0CC90EF',
  frames: ['SkyrimSE.exe+0CC90EF -> 68233+0x2F', 'po3_SpellPerkItemDistributor.dll+009B126'],
  registers: ['RAX 0x0 (size_t)'],
  stack: ['[RSP+0 ] 0x0 (size_t)'],
  modules: ['SkyrimSE.exe', 'skse64_1_6_1170.dll'],
  xse: ['po3_SpellPerkItemDistributor.dll v7.1.3'],
  plugins: ['Skyrim.esm', 'Update.esm', 'Unofficial Skyrim Special Edition Patch.esp', 'Alpha.esp'],
};
const cut = (spec: LogSpec, ...drop: (keyof LogSpec)[]): LogSpec =>
  Object.fromEntries(Object.entries(spec).filter(([k]) => !drop.includes(k as keyof LogSpec))) as LogSpec;

describe('requires: what a rule needs from the log', () => {
  it('infers the list a "not" is about, and the plugin list for load-order facts', () => {
    expect([...impliedSections({ not: { module: { name: 'EngineFixes.dll' } } })]).toEqual(['modules']);
    expect([
      ...impliedSections({ all: [{ plugin: { name: 'a.esp' } }, { not: { plugin: { name: 'b.esp' } } }] }),
    ]).toEqual(['plugins']);
    expect([...impliedSections({ loadOrder: { regular: { gt: 254 } } })]).toEqual(['plugins']);
    expect([...impliedSections({ loadOrder: { listed: false } })]).toEqual([]);
    expect([...impliedSections({ not: { not: { module: { name: 'x.dll' } } } })]).toEqual([]);
    expect([...impliedSections({ pluginOrder: { first: 'a.esp', then: 'b.esp' } })]).toEqual(['plugins']);
  });

  it('"module not loaded" fires on a full log and not on a paste cut before the module list', () => {
    const m: Condition = { not: { module: { name: 'EngineFixes.dll' } } };
    expect(fires(m, FULL)).toBe(true);
    expect(fires(m, cut(FULL, 'modules', 'xse', 'plugins'))).toBe(false);
  });

  it('"plugin A without patch B" needs the plugin list', () => {
    const m: Condition = {
      all: [{ plugin: { name: 'Alpha.esp' } }, { not: { plugin: { name: 'Alpha - Patch.esp' } } }],
    };
    expect(fires(m, FULL)).toBe(true);
    expect(fires(m, cut(FULL, 'plugins'))).toBe(false);
  });

  it('an explicit requires holds the rule back even when its conditions would match', () => {
    const m: Condition = { faultingModule: { name: 'SkyrimSE.exe' } };
    expect(fires(m, FULL, { requires: ['stack'] })).toBe(true);
    expect(fires(m, cut(FULL, 'frames'), { requires: ['stack'] })).toBe(false);
    expect(fires(m, cut(FULL, 'frames'))).toBe(true);
  });

  it('the bundled "no load order" notice fires only when the paste reached the module list', () => {
    const rules = buildRuleSet(null);
    const ids = (spec: LogSpec) =>
      runRules(
        rules.compiled,
        (() => {
          const { parsed, lines, ranges } = parseCrashLogDetailed(buildLog(spec), 'crash.log');
          return subjectFromCrashLog(parsed, lines, ranges);
        })(),
      ).map((f) => f.id);
    expect(ids(cut(FULL, 'plugins'))).toContain('common-no-load-order');
    expect(ids(cut(FULL, 'plugins', 'modules', 'xse', 'registers', 'stack'))).not.toContain(
      'common-no-load-order',
    );
  });
});

describe('new condition kinds', () => {
  it('pluginOrder: A loads before B', () => {
    const m: Condition = {
      pluginOrder: { first: 'Alpha.esp', then: 'Unofficial Skyrim Special Edition Patch.esp' },
    };
    expect(fires(m, FULL)).toBe(false);
    expect(
      fires(
        { pluginOrder: { first: 'Unofficial Skyrim Special Edition Patch.esp', then: 'Alpha.esp' } },
        FULL,
      ),
    ).toBe(true);
    expect(fires({ pluginOrder: { first: { regex: '^update\\.esm$' }, then: 'Alpha.esp' } }, FULL)).toBe(
      true,
    );
    expect(fires({ pluginOrder: { first: 'Missing.esp', then: 'Alpha.esp' } }, FULL)).toBe(false);
  });

  it('frames.addressId: the Address Library id Crash Logger prints', () => {
    expect(fires({ frames: { addressId: '68233', top: 1 } }, FULL)).toBe(true);
    expect(fires({ frames: { addressId: '68234' } }, FULL)).toBe(false);
    expect(fires({ frames: { module: 'SkyrimSE.exe', addressId: '68233' } }, FULL)).toBe(true);
  });

  it('the analyzer runs the same engine (findings list is what runRules returns)', () => {
    const a = analyzeCrashLogBuffer(buildLog(cut(FULL, 'plugins')), 'crash.log');
    expect(a.findings.map((f) => f.id)).toContain('common-no-load-order');
  });
});
