import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRuleSet } from '../../../src/main/analysis/rules/bundled-rules';
import { runRules } from '../../../src/main/analysis/rules/engine';
import { NeedleSet } from '../../../src/main/analysis/rules/needle-set';
import { subjectFromCrashLog } from '../../../src/main/analysis/rules/subject';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { rng } from '../../helpers/log-mutations';

/** What the engine did before: one `includes` per needle. */
const byIncludes = (needles: string[], text: string) =>
  needles.map((n) => (n !== '' && text.includes(n) ? 1 : 0));

describe('NeedleSet', () => {
  it('finds overlapping, nested, repeated and case-differing needles exactly as includes does', () => {
    const needles = ['he', 'she', 'his', 'hers', 'she', 'e', 'SHE', 'Hers', 'ushers!', ''];
    const set = NeedleSet.build(needles)!;
    for (const text of ['ushers', 'USHERS', 'ushers!', 'h', '', 'xhisx', 'sHe he', 'hhhhhhe'])
      expect([...set.present(text)], text).toEqual(byIncludes(needles, text));
  });

  it('treats any UTF-16 code unit as itself (no case folding, no normalization, lone surrogates)', () => {
    const needles = ['İ', 'i̇', 'ß', 'SS', '\ud83d', '😀x', 'K', '\u212a'];
    const set = NeedleSet.build(needles)!;
    for (const text of ['İstanbul', 'i̇', 'STRASSE', 'straße', '😀', '😀x', 'K', 'k', '\u212a'])
      expect([...set.present(text)], text).toEqual(byIncludes(needles, text));
  });

  it('agrees with includes on random needles and texts over a small alphabet', () => {
    const rnd = rng(3);
    const word = (max: number) =>
      Array.from({ length: 1 + Math.floor(rnd() * max) }, () => 'abAB+\n'[Math.floor(rnd() * 6)]).join('');
    for (let round = 0; round < 200; round++) {
      const needles = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => word(6));
      const set = NeedleSet.build(needles)!;
      for (let t = 0; t < 10; t++) {
        const text = word(80);
        expect([...set.present(text)]).toEqual(byIncludes(needles, text));
      }
    }
  });

  it('declines a table that would be too big, so the caller searches needle by needle', () => {
    const needles = Array.from({ length: 400 }, (_, i) =>
      Array.from({ length: 100 }, (_, j) => String.fromCharCode(0x4e00 + ((i * 100 + j) % 20000))).join(''),
    );
    expect(NeedleSet.build(needles)).toBeNull();
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('rules compiled once (automaton from the second log on)', () => {
  it('find exactly what a fresh compile (needle by needle) finds, on every real log', () => {
    const root = real('crashlogs');
    const once = buildRuleSet(null).compiled;
    const subjects = readdirSync(root).flatMap((dir) =>
      readdirSync(join(root, dir))
        .filter((f) => !f.endsWith('.md'))
        .map((f) => {
          const p = parseCrashLogDetailed(readFileSync(join(root, dir, f)), f);
          return { f, s: () => subjectFromCrashLog(p.parsed, p.lines, p.ranges, () => p.joined, p.text) };
        }),
    );
    // Twice round, so every log is also judged after the automaton was built.
    for (const { f, s } of [...subjects, ...subjects])
      expect(runRules(once, s()), f).toEqual(runRules(buildRuleSet(null).compiled, s()));
  });
});
