import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCrashLogBuffer } from '../../../src/main/analysis/crashlog/crashlog-analyzer';
import { confirmedCausesRuleFile, learnedKeys } from '../../../src/main/analysis/rules/learned';
import { buildRuleSet, loadRuleFile } from '../../../src/main/analysis/rules/registry';
import type { ConfirmedCause } from '../../../src/shared/domain/causes';
import { fixturesAvailable, real } from '../../helpers/fixtures';

const cause = (over: Partial<ConfirmedCause>): ConfirmedCause => ({
  id: 1,
  incidentId: 'abc',
  bucket: null,
  culpritKey: null,
  cause: 'it was Smart Harvest',
  fix: 'updating to 5.3 fixed it',
  fixed: true,
  confirmedAt: '2026-03-01T10:00:00.000Z',
  incidentCapturedAt: '2026-02-28T21:00:00.000',
  origin: 'local',
  source: null,
  ...over,
});

describe('confirmed causes as rules', () => {
  it('round-trips through the rule format: bucket and culprit conditions, the player’s words', () => {
    const file = confirmedCausesRuleFile(
      [
        cause({
          bucket: 'EXCEPTION_ACCESS_VIOLATION | smartharvestse.dll+0x1a2b0',
          culpritKey: 'module:smartharvestse.dll',
        }),
        cause({ id: 2, culpritKey: 'plugin:foo.esp', cause: 'Foo.esp', fix: '' }),
        cause({ id: 3, cause: 'no keys' }),
      ],
      'Mine',
    );
    // A rule file the app itself accepts (same validation as the user's rules folder).
    const loaded = loadRuleFile(JSON.parse(JSON.stringify(file)));
    expect(loaded.rules).toHaveLength(2);
    const [a, b] = loaded.rules;
    expect(a?.title).toBe('Confirmed: it was Smart Harvest');
    expect(a?.fix).toBe('updating to 5.3 fixed it');
    expect(learnedKeys(a!.match)).toEqual({
      bucket: 'EXCEPTION_ACCESS_VIOLATION | smartharvestse.dll+0x1a2b0',
      culpritKey: 'module:smartharvestse.dll',
    });
    expect(b?.match).toEqual({ culprit: 'foo.esp' });
    expect(learnedKeys(b!.match)).toEqual({ bucket: null, culpritKey: 'plugin:foo.esp' });
    expect(b?.fix).toMatch(/No fix was recorded/);
    // Other rules are not confirmed causes.
    expect(learnedKeys({ all: [{ bucket: 'x' }, { plugin: { name: 'a.esp' } }] })).toBeNull();
  });

  // Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
  it.skipIf(!fixturesAvailable())('the rules engine matches a bucket rule on a real crash log', () => {
    const log = readFileSync(real('crashlogs', 'skyrim-nsf-nolvus', 'D6DDDA_-_Crash_2024_4_12_11-57-34.txt'));
    const bucket = analyzeCrashLogBuffer(log, 'a.txt').verdict.signature!;
    const file = confirmedCausesRuleFile([cause({ bucket, cause: 'the D6DDDA texture crash' })], 'Shared');
    const rules = buildRuleSet({ rules: loadRuleFile(file).rules, sets: [] });
    const a = analyzeCrashLogBuffer(log, 'a.txt', rules);
    const f = a.findings.find((x) => x.title === 'Confirmed: the D6DDDA texture crash');
    expect(f?.fix).toBe('updating to 5.3 fixed it');
    expect(f?.evidence[0]).toContain('bucket UNKNOWN_EXCEPTION | skyrimse.exe+0xd6ddda');
    // Another crash's log does not match.
    const other = readFileSync(real('crashlogs', 'skyrim-nsf-nolvus', 'JContainers.txt'));
    expect(
      analyzeCrashLogBuffer(other, 'b.txt', rules).findings.some((x) => x.title.startsWith('Confirmed:')),
    ).toBe(false);
  });
});
