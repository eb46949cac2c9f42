import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Condition, Rule } from '../../../src/shared/domain/rules';
import { bundledRules } from '../../../src/main/analysis/rules/bundled-rules';
import { checkRuleConditions, compileRules, runRules } from '../../../src/main/analysis/rules/engine';
import { subjectFromCrashLog, type RuleSubject } from '../../../src/main/analysis/rules/subject';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';

// compileRules builds each rule's closures on first use (issue 15: an analyze run reaches only
// its game's rules). A rule compiled late adds its needles to the rule set's automata after
// subjects were searched: that must never change a finding.

function subjects(): { name: string; s: RuleSubject }[] {
  const root = real('crashlogs');
  const out: { name: string; s: RuleSubject }[] = [];
  for (const d of readdirSync(root).sort())
    for (const f of readdirSync(join(root, d))
      .filter((x) => !x.endsWith('.md'))
      .sort()) {
      const parse = parseCrashLogDetailed(readFileSync(join(root, d, f)), f);
      const s = subjectFromCrashLog(parse.parsed, parse.lines, parse.ranges, () => parse.joined, parse.text);
      out.push({ name: `${d}/${f}`, s });
    }
  return out;
}

const rule = (id: string, game: Rule['game'], match: Condition): Rule => ({
  id,
  severity: 'low',
  title: id,
  explanation: 'e',
  fix: 'f',
  game,
  aka: [],
  tags: [],
  match,
});

describe('compileRules (lazy)', () => {
  it('builds a condition on first use: a condition it cannot build throws there, and in the check', () => {
    const bad = rule('bad', 'any', { nonsense: true } as unknown as Condition);
    const [compiled] = compileRules([bad]);
    expect(compiled?.rule).toBe(bad);
    expect(() => compiled?.test({} as RuleSubject)).toThrow(/unknown condition/);
    expect(() => checkRuleConditions([bad])).toThrow(/unknown condition/);
  });

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())(
    'a rule compiled after a subject was searched for the other needles still finds its own',
    () => {
      const all = subjects();
      const fo4 = all.find((x) => x.s.game === 'fallout4')!.s;
      const sky = all.find((x) => x.s.game === 'skyrim' && x.s.callStack.length > 40)!.s;
      const line = sky.callStack.split('\n')[0]!;
      const contains = (text: string): Condition => ({ callStack: { contains: text, caseSensitive: true } });
      const compiled = compileRules([
        rule('a', 'any', contains(line.slice(0, 6))),
        rule('b', 'any', contains('no such text in any call stack')),
        // Not run on the Fallout 4 log: compiled on the Skyrim one, after a and b searched it.
        rule('c', 'skyrim', contains(line.slice(0, 10))),
      ]);
      runRules(compiled, fo4);
      expect(runRules(compiled, sky).map((f) => f.id)).toEqual(['a', 'c']);
    },
  );

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())(
    'one rule set shared by logs of both games, in any order, finds what a fresh one finds per log',
    () => {
      const rules = bundledRules().rules;
      const all = subjects();
      expect(new Set(all.map((x) => x.s.game))).toEqual(new Set(['skyrim', 'fallout4']));
      const fresh = new Map(all.map(({ name, s }) => [name, runRules(compileRules(rules), s)]));
      for (const order of [all, [...all].reverse()]) {
        const shared = compileRules(rules);
        // Twice each: the automata are used from the second subject on.
        for (const { name, s } of [...order, ...order])
          expect(runRules(shared, s), name).toEqual(fresh.get(name));
      }
    },
  );
});
