import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/shared/domain/finding';
import { LogSection, Rule, type GameFamily } from '../../../src/shared/domain/rules';
import { sortFindings } from '../../../src/shared/domain/severity';
import { bundledRuleSet } from '../../../src/main/analysis/rules/bundled-rules';
import {
  compileRules,
  findingOf,
  runRules,
  type CompiledRule,
} from '../../../src/main/analysis/rules/engine';
import { subjectFromCrashLog, type RuleSubject } from '../../../src/main/analysis/rules/subject';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/** runRules as it was before the per-rule-set plan: every rule, filtered per subject. */
function reference(compiled: readonly CompiledRule[], s: RuleSubject): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const { rule, test, requires } of compiled) {
    if (rule.game !== 'any' && s.game !== null && rule.game !== s.game) continue;
    if (seen.has(rule.id)) continue;
    if (requires.some((x) => !s.sections.has(x))) continue;
    const ev = test(s);
    if (!ev) continue;
    seen.add(rule.id);
    out.push(findingOf(rule, ev));
  }
  return sortFindings(out);
}

/** The subject with another game and fewer sections (its text views are still its own). */
function variant(s: RuleSubject, game: GameFamily | null, drop: LogSection[]): RuleSubject {
  const v = Object.create(s) as RuleSubject & { game: GameFamily | null; sections: Set<LogSection> };
  Object.defineProperty(v, 'game', { value: game });
  Object.defineProperty(v, 'sections', { value: new Set([...s.sections].filter((x) => !drop.includes(x))) });
  return v;
}

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('runRules plan (per rule set and game)', () => {
  it('skips a rule when any one of the sections it requires is missing, and keeps games apart', () => {
    const rule = (id: string, extra: object) =>
      Rule.parse({
        id,
        severity: 'low',
        title: id,
        explanation: 'e',
        fix: 'f',
        match: { not: { logger: 'trainwreck' } },
        ...extra,
      });
    const compiled = compileRules([
      rule('needs-two', { requires: ['plugins', 'modules'] }),
      rule('skyrim-only', { game: 'skyrim' }),
      rule('fallout-only', { game: 'fallout4', requires: ['exception'] }),
    ]);
    const parse = parseCrashLogDetailed(
      readFileSync(join(real('crashlogs'), 'buffout4-fo4', 'crash-2023-12-01-08-33-44.log')),
      'x',
    );
    const s = subjectFromCrashLog(parse.parsed, parse.lines, parse.ranges);
    const ids = (v: RuleSubject) =>
      runRules(compiled, v)
        .map((f) => f.id)
        .sort();
    expect(ids(variant(s, 'fallout4', []))).toEqual(['fallout-only', 'needs-two']);
    expect(ids(variant(s, 'fallout4', ['plugins']))).toEqual(['fallout-only']);
    expect(ids(variant(s, 'fallout4', ['modules', 'exception']))).toEqual([]);
    expect(ids(variant(s, 'skyrim', []))).toEqual(['needs-two', 'skyrim-only']);
    expect(ids(variant(s, null, ['modules']))).toEqual(['fallout-only', 'skyrim-only']);
  });

  it('runs the rules the per-subject filter ran, for every game and missing section, on real logs', () => {
    const root = real('crashlogs');
    const { compiled } = bundledRuleSet();
    const sections = LogSection.options;
    // None, each one alone, and each with its neighbour (rules that require two sections).
    const drops = [[], ...sections.map((x) => [x]), ...sections.map((x, i) => [x, sections[(i + 1) % 8]!])];
    for (const d of readdirSync(root))
      for (const f of readdirSync(join(root, d)).filter((x) => !x.endsWith('.md'))) {
        const parse = parseCrashLogDetailed(readFileSync(join(root, d, f)), f);
        const s = subjectFromCrashLog(
          parse.parsed,
          parse.lines,
          parse.ranges,
          () => parse.joined,
          parse.text,
        );
        for (const game of [s.game, null, 'skyrim', 'fallout4'] as const)
          for (const drop of drops) {
            const v = variant(s, game, drop);
            expect(runRules(compiled, v), `${f} ${game} -${drop.join(',')}`).toEqual(reference(compiled, v));
          }
      }
  });
});
