import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineAbsence } from '../../../src/main/analysis/rules/line-absence';
import { subjectFromCrashLog } from '../../../src/main/analysis/rules/subject';
import { parseCrashLogDetailed } from '../../../src/main/formats/crashlog/parse-crashlog';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import { rng } from '../../helpers/log-mutations';

describe('lineAbsence', () => {
  it('accepts a ^-anchored literal with line-local atoms and a trailing negative lookahead', () => {
    for (const src of [
      '^VersionInfo:(?!\\s*Successfully)',
      '^Foo\\d+ bar$',
      '^ab+c',
      '^a(?:b|c)[x-z.]*\\b',
      '^a.*(?!\\s*$)',
    ])
      expect(lineAbsence(src, false), src).not.toBeNull();
  });

  it('refuses what could match a line break, look behind, alternate past the anchor or start unsure', () => {
    for (const src of [
      'VersionInfo:',
      '^\\s*GPU #\\d+',
      '^a\\sb',
      '^a[^b]',
      '^a\\W',
      '^a\\D',
      '^a|b',
      '^a(?=b)c',
      '^a(?<=a)',
      '^a(?!(?=b))',
      '^a(?!\\1)',
      '^a\\n',
      '^a+',
      '^a(?!b)c',
      '^a[\\s]',
      '^a\\u000a',
    ])
      expect(lineAbsence(src, false), src).toBeNull();
  });

  it('never claims absence when the regex matches the joined lines (random lines)', () => {
    const rnd = rng(5);
    const sources = [
      '^VersionInfo:(?!\\s*Successfully)',
      '^ab(?!\\s*c)',
      '^a.b$',
      '^A\\b',
      '^ab*(?!\\s*$)',
      '^a(?:b|\\s)',
    ];
    const pick = <T>(s: ArrayLike<T>): T => s[Math.floor(rnd() * s.length)]!;
    for (let round = 0; round < 3000; round++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () =>
        Array.from({ length: Math.floor(rnd() * 6) }, () => pick('aAbBc \t.:')).join(''),
      );
      if (rnd() < 0.2) lines.push('VersionInfo:', pick([' Successfully', 'Successfully', ' x', '']));
      for (const src of sources)
        for (const caseSensitive of [false, true]) {
          const absent = lineAbsence(src, caseSensitive);
          if (absent === null || !absent(lines)) continue;
          const joined = lines.join('\n');
          expect(
            new RegExp(src, caseSensitive ? 'gm' : 'gim').test(joined),
            `${src} on ${JSON.stringify(joined)}`,
          ).toBe(false);
        }
    }
  });
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('textLines on real logs', () => {
  it('are the lines the whole-log text is joined from', () => {
    const root = real('crashlogs');
    for (const dir of readdirSync(root))
      for (const f of readdirSync(join(root, dir)).filter((x) => !x.endsWith('.md'))) {
        const p = parseCrashLogDetailed(readFileSync(join(root, dir, f)), f);
        const s = subjectFromCrashLog(p.parsed, p.lines, p.ranges, () => p.joined, p.text);
        expect(s.textLines, f).not.toBeNull();
        expect(s.textLines!.join('\n') === s.text, f).toBe(true);
      }
  });
});
